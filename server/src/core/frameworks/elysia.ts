import ts from 'typescript';
import { isFunctionLike, skipOuterExpressions } from '../ast';
import type { ResponseRef } from '../model/concepts';
import type { ModelContext } from '../model/context';
import type { TextEdit } from '../types';
import { addBinding, boundName, emitStatus, isCallbackOf, type FrameworkModule } from './framework';

const isElysiaModule = (m: string) => m === 'elysia' || m.startsWith('elysia/') || m.startsWith('@elysiajs/');
/** Context functions that answer with a status: `status` (1.2+), and `error`, its name before 1.4. */
const STATUS_FUNCTIONS = new Set(['status', 'error']);
/** Names that are a response, not an Elysia context, where a file mixes frameworks. */
const NOT_CONTEXT = /^_*(res|resp|response|reply)$/;
/** How many `const` aliases are followed to the context's `set` or status function. */
const MAX_ALIASES = 3;

/** How a handler reaches its context's `set`. */
type ContextAccess =
  | { kind: 'parameter'; name: string; ref: ResponseRef }
  | { kind: 'pattern'; pattern: ts.ObjectBindingPattern; set: string | undefined; ref: ResponseRef };

/**
 * Elysia 1.x: `set.status = 401` (or a status name, `'Unauthorized'`) and
 * `status(401, body)` (`error()` before 1.4), returned or thrown. Both are
 * rendered with the request's `set`, so `set.headers` written anywhere on the
 * path reach the client; that is also the fix.
 */
export const elysia: FrameworkModule = {
  name: 'elysia',
  kinds: [ts.SyntaxKind.CallExpression, ts.SyntaxKind.BinaryExpression],
  appliesTo: (ctx) => ctx.usesModule(isElysiaModule),
  errorHandler(fn, ctx) {
    const error = isCallbackOf(fn, 'onError') && ctx.usesModule(isElysiaModule) ? errorBinding(fn) : undefined;
    return error && { framework: 'elysia', error, catches: [] };
  },
  recognize(node, ctx) {
    if (ts.isBinaryExpression(node)) return statusAssignment(node, ctx);
    return ts.isCallExpression(node) && statusCall(node, ctx);
  },
};

/**
 * `.onError(({ error, set }) => …)`: the error its context holds. Elysia
 * renders what the handler returns with the request's `set`, and adds no
 * challenge of its own (src/compose.ts, composeErrorHandler).
 */
function errorBinding(fn: ts.FunctionLikeDeclaration): ts.Identifier | undefined {
  const pattern = fn.parameters[0]?.name;
  if (!pattern || !ts.isObjectBindingPattern(pattern)) return undefined;
  const element = pattern.elements.find((e) => !e.dotDotDotToken && ts.isIdentifier(e.name) && boundName(pattern, 'error') === e.name.text);
  return element && (element.name as ts.Identifier);
}

/** `set.status = 401`, `ctx.set.status = 'Unauthorized'` */
function statusAssignment(node: ts.BinaryExpression, ctx: ModelContext): boolean {
  if (node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return false;
  const left = skipOuterExpressions(node.left);
  if (!ts.isPropertyAccessExpression(left) || left.name.text !== 'status') return false;
  const set = skipOuterExpressions(left.expression);
  const context = setOwner(set, ctx);
  if (!context) return false;
  const setText = set.getText(ctx.sourceFile);
  emitStatus(ctx, {
    framework: 'elysia',
    node,
    delivery: 'status',
    status: node.right,
    statusPhrases: true,
    response: context.ref,
    addHeader: (name, value) => ctx.insertStatementBefore(node, headerStatement(setText, name, value, ctx)),
  });
  return true;
}

/** The context a `set` expression belongs to: `set` destructured from a handler's context, or `ctx.set`. */
function setOwner(set: ts.Node, ctx: ModelContext, depth = 0): ContextAccess | undefined {
  if (ts.isIdentifier(set)) {
    // `const out = ctx.set; out.status = 401`: the alias is the context's `set`.
    const held = constInitializer(set, ctx);
    if (held) return depth < MAX_ALIASES ? setOwner(skipOuterExpressions(held), ctx, depth + 1) : undefined;
    const context = contextBinding(set, 'set', ctx);
    return context?.kind === 'pattern' ? context : undefined;
  }
  if (!ts.isPropertyAccessExpression(set) || set.name.text !== 'set') return undefined;
  const owner = skipOuterExpressions(set.expression);
  return ts.isIdentifier(owner) ? contextParameter(owner, ctx) : undefined;
}

/** `status(401, body)`, `error(401)`, `ctx.status('Unauthorized')` */
function statusCall(call: ts.CallExpression, ctx: ModelContext): boolean {
  const callee = skipOuterExpressions(call.expression);
  const status = call.arguments[0];
  if (!status) return false;
  let context: ContextAccess | undefined;
  if (ts.isIdentifier(callee)) {
    const imported = ctx.scopes.importOf(callee.text, callee);
    if (imported) {
      if (!isElysiaModule(imported.module) || !STATUS_FUNCTIONS.has(imported.imported)) return false;
      context = contextInScope(call, ctx);
    } else {
      context = statusFunctionOwner(callee, ctx);
      if (!context) return false;
    }
  } else if (ts.isPropertyAccessExpression(callee) && STATUS_FUNCTIONS.has(callee.name.text)) {
    context = memberStatusOwner(callee, ctx);
    if (!context) return false;
  } else return false;
  const access = context;
  emitStatus(ctx, {
    framework: 'elysia',
    node: call,
    // Rendered with the request's `set`: without the context in sight, any header set before it may reach it.
    delivery: access ? 'send' : 'error',
    status,
    statusPhrases: true,
    response: access?.ref,
    addHeader: access ? (name, value) => setHeaderBefore(call, access, name, value, ctx) : undefined,
  });
  return true;
}

/**
 * The context whose status function a local name is, whatever it is called:
 * destructured (`{ status }`, `{ status: reply }`) or held in a `const`
 * (`const reply = status`, `const reply = ctx.status`).
 */
function statusFunctionOwner(callee: ts.Identifier, ctx: ModelContext, depth = 0): ContextAccess | undefined {
  const held = constInitializer(callee, ctx);
  if (!held) return contextBinding(callee, undefined, ctx);
  const node = skipOuterExpressions(held);
  if (depth >= MAX_ALIASES) return undefined;
  if (ts.isIdentifier(node)) return statusFunctionOwner(node, ctx, depth + 1);
  return ts.isPropertyAccessExpression(node) && STATUS_FUNCTIONS.has(node.name.text) ? memberStatusOwner(node, ctx) : undefined;
}

/** `ctx.status`: the context parameter it is read from. */
function memberStatusOwner(member: ts.PropertyAccessExpression, ctx: ModelContext): ContextAccess | undefined {
  const owner = skipOuterExpressions(member.expression);
  return ts.isIdentifier(owner) ? contextParameter(owner, ctx) : undefined;
}

/** What a `const` holds, for a name declared as one in this file. */
function constInitializer(name: ts.Identifier, ctx: ModelContext): ts.Expression | undefined {
  const declaration = ctx.scopes.lookup(name.text, name);
  return declaration?.kind === 'variable' && declaration.isConst ? declaration.initializer : undefined;
}

/**
 * The handler context that binds `identifier` by destructuring: the one that
 * binds `property` to it (`{ set }`), or with no property, a status function
 * (`{ status }`, `{ error }`).
 */
function contextBinding(identifier: ts.Identifier, property: string | undefined, ctx: ModelContext): ContextAccess | undefined {
  // A name declared nearer (a variable, a parameter of its own) is not the context's.
  if (ctx.scopes.lookup(identifier.text, identifier)) return undefined;
  for (let current = identifier.parent; current; current = current.parent) {
    if (!isFunctionLike(current)) continue;
    const pattern = current.parameters[0]?.name;
    if (!pattern || !ts.isObjectBindingPattern(pattern)) continue;
    const keys = property ? [property] : [...STATUS_FUNCTIONS];
    if (keys.some((key) => boundName(pattern, key) === identifier.text)) return patternAccess(pattern);
  }
  return undefined;
}

function patternAccess(pattern: ts.ObjectBindingPattern): ContextAccess {
  const set = boundName(pattern, 'set');
  return { kind: 'pattern', pattern, set, ref: { key: set ?? 'set', declaration: undefined } };
}

/** A parameter that is a handler's whole context (`(ctx) => ctx.status(401)`): the first one of its function. */
function contextParameter(identifier: ts.Identifier, ctx: ModelContext): ContextAccess | undefined {
  if (NOT_CONTEXT.test(identifier.text)) return undefined;
  const declaration = ctx.scopes.lookup(identifier.text, identifier);
  if (declaration?.kind !== 'parameter' || declaration.index !== 0) return undefined;
  const ref = ctx.reference(identifier);
  return ref && { kind: 'parameter', name: identifier.text, ref };
}

/** The context of the nearest enclosing function that takes one, for an imported `status()`. */
function contextInScope(node: ts.Node, ctx: ModelContext): ContextAccess | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (!isFunctionLike(current)) continue;
    const name = current.parameters[0]?.name;
    if (!name) continue;
    if (ts.isObjectBindingPattern(name) && boundName(name, 'set') !== undefined) return patternAccess(name);
    if (ts.isIdentifier(name) && /^_*(ctx|context|c)$/.test(name.text)) return contextParameter(name, ctx);
  }
  return undefined;
}

/** `set.headers['www-authenticate'] = …;` before the statement, destructuring `set` where the handler destructures its context. */
function setHeaderBefore(node: ts.Node, context: ContextAccess, name: string, value: string, ctx: ModelContext): TextEdit[] | undefined {
  if (context.kind === 'parameter') return ctx.insertStatementBefore(node, headerStatement(`${context.name}.set`, name, value, ctx));
  const statement = ctx.insertStatementBefore(node, headerStatement(context.set ?? 'set', name, value, ctx));
  if (!statement || context.set) return statement;
  const binding = addBinding(context.pattern, 'set', ctx);
  return binding && [...binding, ...statement];
}

/** Elysia's headers are a plain record, spelled in lower case by its own types and docs. */
function headerStatement(set: string, name: string, value: string, ctx: ModelContext): string {
  return `${set}.headers[${ctx.quote(name.toLowerCase())}] = ${ctx.quote(value)};`;
}
