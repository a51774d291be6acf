import ts from 'typescript';
import { enclosingFunction, skipOuterExpressions } from '../ast';
import type { Construction } from '../project/index';
import type { ModelContext } from '../model/context';
import { isExpressModule } from './express';
import { emitStatus, NO_HEADERS, type FrameworkModule } from './framework';
import { isKoaModule } from './koa';

const STATUS_PROPERTIES = new Set(['status', 'statusCode']);
const BUILT_IN_ERRORS = new Set(['Error', 'TypeError', 'RangeError']);

/**
 * `error.status = 401` (or `statusCode`) on an error that a later statement of
 * the same block throws: `throw error`, `ctx.throw(error)`, `next(error)`,
 * `return Promise.reject(error)`. Koa's and Express's error handlers answer with
 * the error's status and its `headers`, so the challenge must travel in `error.headers`.
 */
export function assignedErrorStatus(node: ts.Node, ctx: ModelContext, framework: 'koa' | 'express', usesFramework: boolean): boolean {
  if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return false;
  const target = node.left;
  if (!ts.isPropertyAccessExpression(target) || !STATUS_PROPERTIES.has(target.name.text) || !ts.isIdentifier(target.expression)) return false;
  const statement = node.parent;
  if (!ts.isExpressionStatement(statement) || !ts.isBlock(statement.parent)) return false;
  const error = target.expression.text;
  const siblings = statement.parent.statements;
  const at = siblings.indexOf(statement);
  let headers = headersBefore(siblings.slice(0, at), error);
  for (const next of siblings.slice(at + 1)) {
    if (assignedProperty(next, error, STATUS_PROPERTIES)) return false;
    const assigned = assignedProperty(next, error, HEADERS);
    if (assigned) headers = assigned;
    else if (throwsError(next, error, ctx)) {
      const sink = sinkOf(next);
      // `ctx.throw` is Koa's own; Koa's `next` takes no error; elsewhere the file must use the framework.
      const ours =
        framework === 'koa'
          ? sink === 'ctx.throw' || (usesFramework && sink !== 'next')
          : sink !== 'ctx.throw' && (usesFramework || (sink === 'next' && middlewareNext(node, ctx)));
      if (!ours) return false;
      const fresh = builtInErrorDeclared(target.expression, node);
      emit(ctx, { node, status: node.right, property: target.name.text, fresh, errorText: error, headers, fixAt: { before: next, error } }, framework, framework === 'koa');
      return true;
    } else if (ts.isReturnStatement(next) || ts.isThrowStatement(next)) return false;
  }
  return false;
}

const HEADERS = new Set(['headers']);

/**
 * `Object.assign(new Error(msg), { statusCode: 401 })` thrown or passed to
 * `next()`, directly, through a `const`, or `Object.assign(err, { status: 401 })`
 * before `throw err`: the status assigned in one call, with the `headers` it
 * may copy too. Koa's and Express's handlers answer it as an assigned status.
 */
export const assignedErrors: FrameworkModule = {
  name: 'assigned-errors',
  kinds: [ts.SyntaxKind.CallExpression],
  recognize(node, ctx) {
    if (!ts.isCallExpression(node) || node.arguments.length < 2 || !isObjectAssign(node.expression)) return false;
    const koa = ctx.usesModule(isKoaModule);
    return assignedErrorObject(node, ctx, koa ? 'koa' : 'express', koa || ctx.usesModule(isExpressModule));
  },
};

function isObjectAssign(callee: ts.Expression): boolean {
  const node = skipOuterExpressions(callee);
  return ts.isPropertyAccessExpression(node) && node.name.text === 'assign' && ts.isIdentifier(node.expression) && node.expression.text === 'Object';
}

function assignedErrorObject(call: ts.CallExpression, ctx: ModelContext, framework: 'koa' | 'express', usesFramework: boolean): boolean {
  const [target, ...sources] = call.arguments.map((arg) => skipOuterExpressions(arg) as ts.Expression);
  const source = sources.find((arg): arg is ts.ObjectLiteralExpression => ts.isObjectLiteralExpression(arg) && statusEntry(arg) !== undefined);
  const entry = source && statusEntry(source);
  // A throw at a module's top level stops the module loading; no request is answered by it.
  if (!source || !entry || !enclosingFunction(call)) return false;
  const fresh = ts.isNewExpression(target) && ts.isIdentifier(target.expression) && BUILT_IN_ERRORS.has(target.expression.text) ? target : undefined;
  if (!fresh && !ts.isIdentifier(target)) return false;
  const flow = errorFlow(call, target, ctx);
  if (!flow) return false;
  const sink = sinkOf(flow.sink);
  const ours =
    framework === 'koa' ? sink === 'ctx.throw' || (usesFramework && sink !== 'next') : sink !== 'ctx.throw' && (usesFramework || (sink === 'next' && middlewareNext(call, ctx)));
  if (!ours) return false;
  const headers = sources.reduce<ts.Expression | undefined>((found, arg) => (ts.isObjectLiteralExpression(arg) ? objectEntry(arg, HEADERS) ?? found : found), flow.headers);
  const errorText = flow.error ?? (ts.isIdentifier(target) ? target.text : 'error');
  emit(ctx, { node: call, status: entry.value, property: entry.name, fresh: fresh ?? (ts.isIdentifier(target) ? builtInErrorDeclared(target, call) : undefined), errorText, headers, fixAt: { literal: source } }, framework, framework === 'koa');
  return true;
}

/** `status: 401` or `statusCode: 401` of an object literal. */
function statusEntry(object: ts.ObjectLiteralExpression): { name: string; value: ts.Expression } | undefined {
  for (const property of object.properties) {
    if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && STATUS_PROPERTIES.has(property.name.text)) return { name: property.name.text, value: property.initializer };
  }
  return undefined;
}

function objectEntry(object: ts.ObjectLiteralExpression, names: Set<string>): ts.Expression | undefined {
  for (const property of object.properties) {
    if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && names.has(property.name.text)) return property.initializer;
  }
  return undefined;
}

/**
 * Where the error `Object.assign` returns or fills goes: the statement that
 * throws it (or passes it on), with the name it is held in and the headers
 * set on it in between; undefined when it goes nowhere an error handler sees.
 */
function errorFlow(call: ts.CallExpression, target: ts.Expression, ctx: ModelContext): { sink: ts.Statement; error: string | undefined; headers: ts.Expression | undefined } | undefined {
  let parent = call.parent;
  while (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isAwaitExpression(parent)) parent = parent.parent;
  // `throw Object.assign(…)`, `next(Object.assign(…))`, `return Promise.reject(Object.assign(…))`
  const statement = ts.isCallExpression(parent) ? parent.parent : parent;
  const direct = ts.isThrowStatement(parent) ? parent : ts.isCallExpression(parent) && (ts.isExpressionStatement(statement) || ts.isReturnStatement(statement)) ? statement : undefined;
  if (direct && throwsValue(direct, call, ctx)) return { sink: direct, error: undefined, headers: undefined };
  // `const err = Object.assign(new Error(msg), { status: 401 })`, or `Object.assign(err, { status: 401 });`, then `next(err)`.
  let name: string | undefined;
  let held: ts.Statement | undefined;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name) && ts.isVariableDeclarationList(parent.parent) && ts.isVariableStatement(parent.parent.parent)) {
    name = parent.name.text;
    held = parent.parent.parent;
  } else if (ts.isExpressionStatement(parent) && ts.isIdentifier(target)) {
    name = target.text;
    held = parent;
  }
  if (!name || !held || !ts.isBlock(held.parent)) return undefined;
  const siblings = held.parent.statements;
  let headers: ts.Expression | undefined;
  for (const next of siblings.slice(siblings.indexOf(held) + 1)) {
    if (assignedProperty(next, name, STATUS_PROPERTIES)) return undefined;
    const assigned = assignedProperty(next, name, HEADERS);
    if (assigned) headers = assigned;
    else if (throwsError(next, name, ctx)) return { sink: next, error: name, headers };
    else if (ts.isReturnStatement(next) || ts.isThrowStatement(next)) return undefined;
  }
  return undefined;
}

/** Whether a statement throws or passes on `value` itself: `throw value`, `next(value)`, `ctx.throw(value)`, `Promise.reject(value)`. */
function throwsValue(statement: ts.Statement, value: ts.Expression, ctx: ModelContext): boolean {
  const is = (e: ts.Expression | undefined) => !!e && skipOuterExpressions(e) === value;
  if (ts.isThrowStatement(statement)) return is(statement.expression);
  const expression = ts.isReturnStatement(statement) ? statement.expression : ts.isExpressionStatement(statement) ? statement.expression : undefined;
  const call = expression && skipOuterExpressions(ts.isAwaitExpression(expression) ? expression.expression : expression);
  if (!call || !ts.isCallExpression(call) || call.arguments.length !== 1 || !is(call.arguments[0])) return false;
  return calleeTakesError(call, ctx);
}

/** An error given its status on its way to a throw (`sink`), and where it is given the status. */
interface AssignedStatus {
  /** The assignment or `Object.assign(…)` call: the finding's place. */
  node: ts.Expression;
  status: ts.Expression;
  /** The property the status is set on (`status`, `statusCode`). */
  property: string;
  /** The built-in error it is set on, when a `new Error(…)` this code makes: one that carries no headers yet. */
  fresh: ts.NewExpression | undefined;
  /** What the challenge would be set on, for the remedy's text. */
  errorText: string;
  headers: ts.Expression | undefined;
  /** Where a fix sets the error's headers: a statement to insert before, or the object literal `Object.assign` copies from. */
  fixAt: { before: ts.Statement; error: string } | { literal: ts.ObjectLiteralExpression };
}

function emit(ctx: ModelContext, assigned: AssignedStatus, framework: string, carriedOnly: boolean): void {
  const { node, headers, fresh, fixAt } = assigned;
  const literal = headers && skipOuterExpressions(headers);
  const fixable = 'literal' in fixAt ? !headers || (literal && ts.isObjectLiteralExpression(literal)) : !headers ? fresh && !isTypeScript(ctx) : literal && ts.isObjectLiteralExpression(literal);
  const props = statusProps(assigned);
  emitStatus(ctx, {
    framework,
    node,
    delivery: 'error',
    carriedOnly,
    status: assigned.status,
    carried: headers ? ctx.headerBag(headers) : NO_HEADERS,
    construction: fresh && ctx.project ? builtInConstruction(fresh, props) : ctx.project ? caughtConstruction(props) : undefined,
    addHeader: fixable
      ? (name, value) => {
          // `Object.assign`'s result has the type of every object it copies from, so a `headers` entry there type-checks.
          if ('literal' in fixAt) return ctx.addHeaderToInit(fixAt.literal, name, value);
          return literal && ts.isObjectLiteralExpression(literal)
            ? ctx.addProperty(literal, name, ctx.quote(value))
            : ctx.insertStatementBefore(fixAt.before, `${fixAt.error}.headers = ${ctx.headerObject(name, value)};`);
        }
      : undefined,
    remedy: fixable
      ? undefined
      : (challenge) =>
          `Set \`${assigned.errorText}.headers = { 'WWW-Authenticate': '${challenge}' }\` before throwing it; no fix is offered, since the error may already carry headers or its type may not declare them.`,
  });
}

/** `error.<name> = value` as a statement of its own. */
function assignedProperty(statement: ts.Statement, error: string, names: Set<string>): ts.Expression | undefined {
  if (!ts.isExpressionStatement(statement)) return undefined;
  const expression = statement.expression;
  if (!ts.isBinaryExpression(expression) || expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return undefined;
  const left = expression.left;
  const hit = ts.isPropertyAccessExpression(left) && names.has(left.name.text) && ts.isIdentifier(left.expression) && left.expression.text === error;
  return hit ? expression.right : undefined;
}

function headersBefore(statements: readonly ts.Statement[], error: string): ts.Expression | undefined {
  let headers: ts.Expression | undefined;
  for (const statement of statements) headers = assignedProperty(statement, error, HEADERS) ?? headers;
  return headers;
}

/** `throw error`, `ctx.throw(error)`, `next(error)`, `return Promise.reject(error)`, each possibly returned or awaited. */
function throwsError(statement: ts.Statement, error: string, ctx: ModelContext): boolean {
  const isError = (e: ts.Expression | undefined) => !!e && ts.isIdentifier(skipOuterExpressions(e)) && (skipOuterExpressions(e) as ts.Identifier).text === error;
  if (ts.isThrowStatement(statement)) return isError(statement.expression);
  const expression = ts.isReturnStatement(statement) ? statement.expression : ts.isExpressionStatement(statement) ? statement.expression : undefined;
  const call = expression && skipOuterExpressions(ts.isAwaitExpression(expression) ? expression.expression : expression);
  if (!call || !ts.isCallExpression(call) || call.arguments.length !== 1 || !isError(call.arguments[0])) return false;
  return calleeTakesError(call, ctx);
}

/** `next(…)`, `ctx.throw(…)`, `Promise.reject(…)`: a call that hands its argument to the error handler. */
function calleeTakesError(call: ts.CallExpression, ctx: ModelContext): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (ts.isIdentifier(callee)) return callee.text === 'next';
  if (!ts.isPropertyAccessExpression(callee)) return false;
  if (callee.name.text === 'throw') return !!ctx.responseRef(callee.expression);
  return callee.name.text === 'reject' && ts.isIdentifier(callee.expression) && callee.expression.text === 'Promise';
}

/** The `next` of a function that also takes a response (`(req, res, next)`): Express's or Connect's, in a file that need not import either. */
function middlewareNext(from: ts.Node, ctx: ModelContext): boolean {
  let fn: ts.Node | undefined = from.parent;
  while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
  if (!fn || !ts.isFunctionLike(fn)) return false;
  const names = fn.parameters.map((p) => p.name).filter(ts.isIdentifier);
  return names.some((n) => n.text === 'next') && names.some((n) => !!ctx.responseRef(n));
}

function sinkOf(statement: ts.Statement): 'throw' | 'next' | 'ctx.throw' | 'reject' {
  if (ts.isThrowStatement(statement)) return 'throw';
  const expression = (statement as ts.ExpressionStatement | ts.ReturnStatement).expression!;
  const call = skipOuterExpressions(ts.isAwaitExpression(expression) ? expression.expression : expression) as ts.CallExpression;
  const callee = skipOuterExpressions(call.expression);
  if (ts.isIdentifier(callee)) return 'next';
  return (callee as ts.PropertyAccessExpression).name.text === 'throw' ? 'ctx.throw' : 'reject';
}

/** `const error = new Error(…)` declared in the function the assignment is in: an error that carries no headers yet. */
function builtInErrorDeclared(error: ts.Identifier, from: ts.Node): ts.NewExpression | undefined {
  for (let node: ts.Node | undefined = from.parent; node && !ts.isSourceFile(node); node = node.parent) {
    if (!ts.isBlock(node)) continue;
    for (const statement of node.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (!ts.isIdentifier(declaration.name) || declaration.name.text !== error.text || !declaration.initializer) continue;
        const init = skipOuterExpressions(declaration.initializer);
        return ts.isNewExpression(init) && ts.isIdentifier(init.expression) && BUILT_IN_ERRORS.has(init.expression.text) ? init : undefined;
      }
    }
    if (ts.isFunctionLike(node.parent)) return undefined;
  }
  return undefined;
}

function isTypeScript(ctx: ModelContext): boolean {
  return /\.[cm]?tsx?$/.test(ctx.sourceFile.fileName);
}

/** A built-in error given its status by assignment: every catch-all error handler of the package answers it. */
function builtInConstruction(init: ts.NewExpression, props: Construction['props']): Construction {
  return { chain: [`#global#${(init.expression as ts.Identifier).text}`, '#global#Error'], props, framework: undefined, open: false };
}

/** An error of unknown class (a caught one): only catch-all handlers are known to answer it. */
function caughtConstruction(props: Construction['props']): Construction {
  return { chain: ['#global#Error'], props, framework: undefined, open: true };
}

function statusProps({ status, property }: AssignedStatus): Construction['props'] {
  const value = skipOuterExpressions(status);
  return ts.isNumericLiteral(value) ? { [property]: { kind: 'number', value: Number(value.text) } } : {};
}
