import ts from 'typescript';
import { skipOuterExpressions } from '../ast';
import type { Construction } from '../project/index';
import type { ModelContext } from '../model/context';
import { emitStatus, NO_HEADERS } from './framework';

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
      emit(ctx, node, target.expression, headers, next, framework, framework === 'koa');
      return true;
    } else if (ts.isReturnStatement(next) || ts.isThrowStatement(next)) return false;
  }
  return false;
}

const HEADERS = new Set(['headers']);

function emit(
  ctx: ModelContext,
  node: ts.BinaryExpression,
  error: ts.Identifier,
  headers: ts.Expression | undefined,
  sink: ts.Statement,
  framework: string,
  carriedOnly: boolean,
): void {
  const literal = headers && skipOuterExpressions(headers);
  const fresh = builtInErrorDeclared(error, node);
  const fixable = !headers ? fresh && !isTypeScript(ctx) : literal && ts.isObjectLiteralExpression(literal);
  emitStatus(ctx, {
    framework,
    node,
    delivery: 'error',
    carriedOnly,
    status: node.right,
    carried: headers ? ctx.headerBag(headers) : NO_HEADERS,
    construction: fresh && ctx.project ? builtInConstruction(fresh, node) : ctx.project ? caughtConstruction(node) : undefined,
    addHeader: fixable
      ? (name, value) =>
          literal && ts.isObjectLiteralExpression(literal)
            ? ctx.addProperty(literal, name, ctx.quote(value))
            : ctx.insertStatementBefore(sink, `${error.text}.headers = ${ctx.headerObject(name, value)};`)
      : undefined,
    remedy: fixable
      ? undefined
      : (challenge) =>
          `Set \`${error.text}.headers = { 'WWW-Authenticate': '${challenge}' }\` before throwing it; no fix is offered, since the error may already carry headers or its type may not declare them.`,
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
function builtInConstruction(init: ts.NewExpression, node: ts.BinaryExpression): Construction {
  return { chain: [`#global#${(init.expression as ts.Identifier).text}`, '#global#Error'], props: statusProps(node), framework: undefined, open: false };
}

/** An error of unknown class (a caught one): only catch-all handlers are known to answer it. */
function caughtConstruction(node: ts.BinaryExpression): Construction {
  return { chain: ['#global#Error'], props: statusProps(node), framework: undefined, open: true };
}

function statusProps(node: ts.BinaryExpression): Construction['props'] {
  const value = skipOuterExpressions(node.right);
  const name = (node.left as ts.PropertyAccessExpression).name.text;
  return ts.isNumericLiteral(value) ? { [name]: { kind: 'number', value: Number(value.text) } } : {};
}
