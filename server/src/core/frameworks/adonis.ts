import ts from 'typescript';
import { enclosingStatement, indentationAt, objectPropertyValue, propertyNameText, skipOuterExpressions, stringValue } from '../ast';
import type { HeaderBag, ResponseRef } from '../model/concepts';
import type { ModelContext } from '../model/context';
import type { TextEdit } from '../types';
import { asSwap, calledMember, chainInsert, emitNamed, emitStatus, methodCall, NO_HEADERS, replaceNode, type FrameworkModule } from './framework';

const isAdonisModule = (m: string) => m.startsWith('@adonisjs/') || m.startsWith('@ioc:Adonis/');
/** Where `Exception` comes from: v6 re-exports it from @poppinss/utils, v5 from the standalone build. */
const EXCEPTION_MODULES = new Set(['@adonisjs/core/exceptions', '@adonisjs/core/build/standalone', '@poppinss/utils']);
const SHORTHANDS: Record<string, number> = { unauthorized: 401, forbidden: 403 };
const ABORTS = new Set(['abort', 'abortIf', 'abortUnless']);
const HEADER = 'www-authenticate';
/** The renderer of `E_UNAUTHORIZED_ACCESS` that sets the challenge (`Basic realm="Authenticate"`); `access_tokens`, `session` and custom guards do not. */
const CHALLENGING_DRIVER = 'basic_auth';
const UNKNOWN: HeaderBag = { names: new Set(), unknown: true };
const CARRIES_CHALLENGE: HeaderBag = { names: new Set([HEADER]), unknown: false };

/**
 * AdonisJS 5 and 6: `response.unauthorized()`, `response.status(401)`,
 * `response.abort(body, 401)` and its `abortIf`/`abortUnless`, `new
 * Exception(msg, { status: 401 })`, `@adonisjs/auth`'s `E_UNAUTHORIZED_ACCESS`
 * (v5: `AuthenticationException`) and Bouncer's `E_AUTHORIZATION_FAILURE` and
 * `AuthorizationResponse.deny(msg, status)`. Adonis writes the response after
 * the handler returns, and its exception handler renders errors on the same
 * `ctx.response`: headers set on it before (or, for a status, after) survive.
 */
export const adonis: FrameworkModule = {
  name: 'adonis',
  kinds: [ts.SyntaxKind.CallExpression, ts.SyntaxKind.NewExpression],
  appliesTo: (ctx) => ctx.usesModule(isAdonisModule),
  recognize(node, ctx) {
    if (ts.isNewExpression(node)) return newError(node, ctx);
    const method = calledMember(node);
    if (method === undefined) return false;
    if (method in SHORTHANDS || method === 'status' || method === 'safeStatus' || ABORTS.has(method)) {
      const call = methodCall(node)!;
      const response = adonisResponse(call.receiver, ctx);
      if (!response) return false;
      if (method in SHORTHANDS) return shorthand(call.call, call.receiver, response, method, ctx);
      if (ABORTS.has(method)) return abort(call.call, call.receiver, method, ctx);
      return status(call.call, call.receiver, response, ctx);
    }
    return method === 'deny' && bouncerDeny(node as ts.CallExpression, ctx);
  },
  statusNames: [...Object.keys(SHORTHANDS), 'E_UNAUTHORIZED_ACCESS', 'E_AUTHORIZATION_FAILURE', 'AuthenticationException'],
  recognizeFile(ctx) {
    // Errors in this file are judged by the exception handler declared in it.
    if (exceptionHandler(ctx)) ctx.model.readsWholeFile = true;
  },
};

/** `response`, `ctx.response`, `this.ctx.response`: Adonis names the response `response` everywhere. */
function adonisResponse(receiver: ts.Expression, ctx: ModelContext): ResponseRef | undefined {
  const base = skipOuterExpressions(ctx.chainBase(receiver));
  const name = ts.isIdentifier(base) ? base.text : ts.isPropertyAccessExpression(base) ? base.name.text : undefined;
  return name === 'response' ? ctx.responseRef(receiver) : undefined;
}

/** `response.unauthorized(body)`: the status and a lazily written body. */
function shorthand(call: ts.CallExpression, receiver: ts.Expression, response: ResponseRef, method: string, ctx: ModelContext): boolean {
  const base = ctx.chainBase(receiver);
  const methodName = (skipOuterExpressions(call.expression) as ts.PropertyAccessExpression).name;
  emitNamed(ctx, {
    framework: 'adonis',
    node: call,
    delivery: 'status',
    site: { value: SHORTHANDS[method], node: methodName, form: 'method', swap: (to) => asSwap([replaceNode(ctx, methodName, to === 401 ? 'unauthorized' : 'forbidden')]) },
    response,
    headerSetter: 'header',
    addHeader: (name, value) => chainInsert(ctx, base, 'header', name, value),
  });
  return true;
}

function status(call: ts.CallExpression, receiver: ts.Expression, response: ResponseRef, ctx: ModelContext): boolean {
  if (call.arguments.length !== 1) return false;
  const base = ctx.chainBase(receiver);
  emitStatus(ctx, {
    framework: 'adonis',
    node: call,
    delivery: 'status',
    status: call.arguments[0],
    response,
    headerSetter: 'header',
    addHeader: (name, value) => chainInsert(ctx, base, 'header', name, value),
  });
  return true;
}

/**
 * `response.abort(body, 401)` throws an error whose handler sends the status
 * on the same response. `abortIf`/`abortUnless` get no fix: a header chained
 * before them would go out on the responses that do not abort too.
 */
function abort(call: ts.CallExpression, receiver: ts.Expression, method: string, ctx: ModelContext): boolean {
  const conditional = method !== 'abort';
  const statusArg = call.arguments[conditional ? 2 : 1];
  if (!statusArg) return false;
  const base = ctx.chainBase(receiver);
  emitStatus(ctx, {
    framework: 'adonis',
    node: call,
    delivery: 'error',
    status: statusArg,
    addHeader: conditional ? undefined : (name, value) => chainInsert(ctx, base, 'header', name, value),
    assertion: conditional ? call.arguments[0] : undefined,
    assertionSendsWhenTruthy: method === 'abortIf',
  });
  return true;
}

function newError(node: ts.NewExpression, ctx: ModelContext): boolean {
  const callee = skipOuterExpressions(node.expression);
  const found = errorClass(callee, ctx);
  if (!found) return false;
  const args = node.arguments ?? [];
  switch (found.name) {
    case 'E_UNAUTHORIZED_ACCESS':
      emitError(node, { value: 401, node: found.nameNode }, guardDriverHeaders(args[1], node), ctx);
      return true;
    case 'AuthenticationException':
      // v5 reads the guard's driver from config/auth.ts: a named guard may be a Basic one.
      emitError(node, { value: 401, node: found.nameNode }, args[2] ? UNKNOWN : NO_HEADERS, ctx);
      return true;
    case 'E_AUTHORIZATION_FAILURE':
      emitError(node, { value: 403, node: found.nameNode }, NO_HEADERS, ctx, false);
      return true;
    default:
      return exception(node, ctx);
  }
}

/** The Adonis error class a `new` constructs: `errors.E_UNAUTHORIZED_ACCESS` from @adonisjs/auth, Bouncer's, v5's, or `Exception`. */
function errorClass(callee: ts.Node, ctx: ModelContext): { name: string; nameNode: ts.Node } | undefined {
  if (ts.isPropertyAccessExpression(callee)) {
    const owner = skipOuterExpressions(callee.expression);
    const module = ts.isIdentifier(owner) ? ctx.scopes.importOf(owner.text, owner)?.module : undefined;
    if (!module) return undefined;
    const name = callee.name.text;
    if (name === 'E_UNAUTHORIZED_ACCESS' && module.startsWith('@adonisjs/auth')) return { name, nameNode: callee.name };
    if (name === 'E_AUTHORIZATION_FAILURE' && module.startsWith('@adonisjs/bouncer')) return { name, nameNode: callee.name };
    return undefined;
  }
  if (!ts.isIdentifier(callee)) return undefined;
  const imported = ctx.scopes.importOf(callee.text, callee);
  if (!imported) return undefined;
  const name = imported.imported;
  if (name === 'E_UNAUTHORIZED_ACCESS' && imported.module.startsWith('@adonisjs/auth')) return { name, nameNode: callee };
  if (name === 'AuthenticationException' && imported.module === '@ioc:Adonis/Addons/Auth') return { name, nameNode: callee };
  if (name === 'Exception' && EXCEPTION_MODULES.has(imported.module)) return { name, nameNode: callee };
  return undefined;
}

/** `new Exception(msg, { status: 401 })` (v6) or `new Exception(msg, 401, code)` (v5). */
function exception(node: ts.NewExpression, ctx: ModelContext): boolean {
  const second = node.arguments?.[1];
  if (!second) return false;
  const options = skipOuterExpressions(second);
  const status = ts.isObjectLiteralExpression(options) ? objectPropertyValue(options, 'status') : second;
  if (!status) return false;
  // A generic Exception carries any status: the handler's answer to its class is no place for a challenge.
  emitStatus(ctx, { ...errorParts(node, NO_HEADERS, ctx, false), status });
  return true;
}

function emitError(node: ts.NewExpression, site: { value: number; node: ts.Node }, carried: HeaderBag, ctx: ModelContext, authentication = true): void {
  emitNamed(ctx, { ...errorParts(node, carried, ctx, authentication), site: { ...site, form: 'exception-class' } });
}

/** `authentication`: the error is raised for an unauthenticated caller only, so the handler may answer its class with the challenge. */
function errorParts(node: ts.NewExpression, carried: HeaderBag, ctx: ModelContext, authentication: boolean) {
  const handler = exceptionHandler(ctx);
  const errorName = node.expression.getText(ctx.sourceFile);
  return {
    framework: 'adonis',
    node,
    delivery: 'error' as const,
    carried: handler?.setsChallenge ? UNKNOWN : carried,
    addHeader: (name: string, value: string) =>
      handler && authentication ? handlerFix(handler, errorName, name, value, ctx) : headerBeforeThrow(node, name, value, ctx),
    remedy: (challenge: string) =>
      `Set \`WWW-Authenticate: ${challenge}\` on \`ctx.response\` before raising \`${errorName}\`, or where app/exceptions/handler.ts answers it.`,
  };
}

/**
 * `guardDriverName` picks the renderer: `basic_auth` sends the challenge,
 * every other driver (and a custom guard's, such as `this.driverName = 'jwt'`) does not.
 */
function guardDriverHeaders(options: ts.Expression | undefined, node: ts.Node): HeaderBag {
  const literal = options && skipOuterExpressions(options);
  if (!literal) return NO_HEADERS;
  if (!ts.isObjectLiteralExpression(literal)) return UNKNOWN;
  const driver = objectPropertyValue(literal, 'guardDriverName');
  if (!driver) return NO_HEADERS;
  const name = stringValue(driver) ?? classDriverName(driver, node);
  if (name === undefined) return UNKNOWN;
  return name === CHALLENGING_DRIVER ? CARRIES_CHALLENGE : NO_HEADERS;
}

/** `this.driverName` in a guard class that declares `driverName = 'jwt'`. */
function classDriverName(expression: ts.Expression, node: ts.Node): string | undefined {
  const access = skipOuterExpressions(expression);
  if (!ts.isPropertyAccessExpression(access) || access.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  const cls = enclosingClass(node);
  const member = cls?.members.find((m) => ts.isPropertyDeclaration(m) && propertyNameText(m.name) === access.name.text) as ts.PropertyDeclaration | undefined;
  return stringValue(member?.initializer);
}

function enclosingClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) if (ts.isClassLike(current)) return current;
  return undefined;
}

/** Sets the header on the response in scope right before the throw: a `ctx` or `{ response }` parameter, or a guard's `#ctx`. */
function headerBeforeThrow(node: ts.Node, name: string, value: string, ctx: ModelContext): TextEdit[] | undefined {
  const response = responseInScope(node, ctx);
  if (!response) return undefined;
  return insertStatement(node, `${response}.header(${ctx.quote(name)}, ${ctx.quote(value)})`, ctx);
}

const HTTP_CONTEXT = /\bHttpContext(Contract)?\b/;

function responseInScope(node: ts.Node, ctx: ModelContext): string | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current)) {
      for (const param of current.parameters) {
        const found = responseOfParameter(param, ctx);
        if (found) return found;
      }
    }
    if (ts.isClassLike(current)) return responseOfClass(current, ctx);
  }
  return undefined;
}

function responseOfParameter(param: ts.ParameterDeclaration, ctx: ModelContext): string | undefined {
  if (ts.isObjectBindingPattern(param.name)) {
    const element = param.name.elements.find((e) => propertyNameText(e.propertyName ?? (e.name as ts.Identifier)) === 'response');
    return element && ts.isIdentifier(element.name) ? element.name.text : undefined;
  }
  if (!ts.isIdentifier(param.name)) return undefined;
  const typed = param.type && HTTP_CONTEXT.test(param.type.getText(ctx.sourceFile));
  return typed || param.name.text === 'ctx' ? `${param.name.text}.response` : undefined;
}

/** A guard or middleware class holding the request's context: `#ctx: HttpContext`, `constructor(protected ctx: HttpContext)`. */
function responseOfClass(cls: ts.ClassLikeDeclaration, ctx: ModelContext): string | undefined {
  for (const member of cls.members) {
    if (ts.isPropertyDeclaration(member) && member.type && HTTP_CONTEXT.test(member.type.getText(ctx.sourceFile))) {
      return `this.${member.name.getText(ctx.sourceFile)}.response`;
    }
    if (!ts.isConstructorDeclaration(member)) continue;
    for (const param of member.parameters) {
      const isProperty = (ts.getModifiers(param)?.length ?? 0) > 0;
      if (isProperty && ts.isIdentifier(param.name) && param.type && HTTP_CONTEXT.test(param.type.getText(ctx.sourceFile))) {
        return `this.${param.name.text}.response`;
      }
    }
  }
  return undefined;
}

interface Handler {
  handle: ts.MethodDeclaration & { body: ts.Block };
  error: string;
  context: string;
  setsChallenge: boolean;
}

const handlers = new WeakMap<ModelContext, Handler | null>();

/** `class HttpExceptionHandler extends ExceptionHandler { async handle(error, ctx) { … } }` declared in this file. */
function exceptionHandler(ctx: ModelContext): Handler | undefined {
  let found = handlers.get(ctx);
  if (found === undefined) handlers.set(ctx, (found = findExceptionHandler(ctx) ?? null));
  return found ?? undefined;
}

function findExceptionHandler(ctx: ModelContext): Handler | undefined {
  for (const statement of ctx.sourceFile.statements) {
    if (!ts.isClassDeclaration(statement)) continue;
    const extendsHandler = statement.heritageClauses?.some((clause) => clause.types.some((type) => /\bExceptionHandler$/.test(type.expression.getText(ctx.sourceFile))));
    if (!extendsHandler) continue;
    const handle = statement.members.find((m) => ts.isMethodDeclaration(m) && propertyNameText(m.name) === 'handle' && !!m.body) as Handler['handle'] | undefined;
    const [error, context] = handle?.parameters ?? [];
    if (!handle || !error || !context || !ts.isIdentifier(error.name) || !ts.isIdentifier(context.name)) return undefined;
    const setsChallenge = ctx.model.headerWrites.some((write) => write.name === HEADER && write.op === 'set' && write.node.pos >= handle.pos && write.node.end <= handle.end);
    return { handle, error: error.name.text, context: context.name.text, setsChallenge };
  }
  return undefined;
}

/** Sets the challenge where the handler in this file answers the error: `if (error instanceof errors.E_UNAUTHORIZED_ACCESS) { … }`. */
function handlerFix(handler: Handler, errorName: string, name: string, value: string, ctx: ModelContext): TextEdit[] | undefined {
  const [first] = handler.handle.body.statements;
  if (!first) return undefined;
  const at = first.getStart(ctx.sourceFile);
  const indent = indentationAt(ctx.sourceFile, at);
  const inner = indent + (indent.includes('\t') ? '\t' : '  ');
  const end = terminator(first, ctx);
  const text =
    `if (${handler.error} instanceof ${errorName}) {\n` +
    `${inner}${handler.context}.response.header(${ctx.quote(name)}, ${ctx.quote(value)})${end}\n` +
    `${indent}}\n${indent}`;
  return [{ start: at, end: at, text }];
}

/** Inserts a statement before the one holding `node`, ending it as the file ends its statements. */
function insertStatement(node: ts.Node, text: string, ctx: ModelContext): TextEdit[] | undefined {
  const statement = enclosingStatement(node);
  return statement && ctx.insertStatementBefore(node, text + terminator(statement, ctx));
}

/** Adonis projects are formatted without semicolons; a statement starting with `(`, `[` or a template would then join the one inserted. */
function terminator(statement: ts.Node, ctx: ModelContext): string {
  const text = statement.getText(ctx.sourceFile);
  return text.endsWith(';') || /^[([`+\-/]/.test(text) ? ';' : '';
}

/** Bouncer: `AuthorizationResponse.deny(message, status)` (v5: `Bouncer.deny`) answers with that status, 403 by default. */
function bouncerDeny(call: ts.CallExpression, ctx: ModelContext): boolean {
  const owner = skipOuterExpressions((skipOuterExpressions(call.expression) as ts.PropertyAccessExpression).expression);
  if (!ts.isIdentifier(owner)) return false;
  const module = ctx.scopes.importOf(owner.text, owner)?.module;
  const status = call.arguments[1];
  if (!status || !module || !(module.startsWith('@adonisjs/bouncer') || module === '@ioc:Adonis/Addons/Bouncer')) return false;
  emitStatus(ctx, {
    framework: 'adonis',
    node: call,
    delivery: 'error',
    status,
    remedy: (challenge) => `Bouncer sends this status with no challenge: answer a missing sign-in with 401 and \`WWW-Authenticate: ${challenge}\` before the policy runs, or deny with 403.`,
  });
  return true;
}
