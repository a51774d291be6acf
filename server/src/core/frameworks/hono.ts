import ts from 'typescript';
import { objectPropertyValue, skipOuterExpressions, stringValue } from '../ast';
import type { ResponseRef } from '../model/concepts';
import type { ModelContext } from '../model/context';
import { calledMember, emitStatus, firstParameterName, isCallbackOf, methodCall, NO_HEADERS, type FrameworkModule } from './framework';

/** Context methods that build the response: `(body, status | init, headers)`. */
const RESPONDERS = new Set(['json', 'text', 'body', 'html', 'newResponse']);

/**
 * Hono: `c.json(body, 401, headers)`, `c.status(401)`, and `HTTPException`,
 * whose response is built from its own `res` only: headers set with
 * `c.header()` before the throw do not reach the client.
 */
export const hono: FrameworkModule = {
  name: 'hono',
  kinds: [ts.SyntaxKind.CallExpression, ts.SyntaxKind.NewExpression],
  errorHandler(fn, ctx) {
    const error = isCallbackOf(fn, 'onError') || declaredErrorHandler(fn, ctx) ? firstParameterName(fn) : undefined;
    return error && { framework: 'hono', error, catches: [] };
  },
  recognize(node, ctx) {
    if (ts.isNewExpression(node)) return httpException(node, ctx);
    const method = calledMember(node);
    if (method === undefined || (method !== 'status' && !RESPONDERS.has(method))) return false;
    const call = methodCall(node)!;
    const context = honoContext(call.receiver, ctx);
    if (!context) return false;
    if (method === 'status') return statusCall(call.call, context, ctx);
    return responder(call.call, context, ctx);
  },
};

const CONTEXT_NAME = /^_*(ctx|context|c)$/;

/**
 * A handler written apart from its `app.onError(errorHandler)`: typed as
 * Hono's `ErrorHandler`, or taking `(err, c: Context)`, the error first and
 * the context second, which no route or middleware of Hono does.
 */
function declaredErrorHandler(fn: ts.FunctionLikeDeclaration, ctx: ModelContext): boolean {
  const holder = fn.parent;
  if (ts.isVariableDeclaration(holder) && holder.initializer === fn && holder.type && isHonoType(holder.type, 'ErrorHandler', ctx)) return true;
  const [, context] = fn.parameters;
  return fn.parameters.length === 2 && !!context.type && isHonoType(context.type, 'Context', ctx) && !(fn.parameters[0].type && isHonoType(fn.parameters[0].type, 'Context', ctx));
}

function isHonoType(type: ts.TypeNode, name: string, ctx: ModelContext): boolean {
  if (!ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName)) return false;
  const imported = ctx.scopes.importOf(type.typeName.text, type.typeName);
  return !!imported && imported.imported === name && isHonoModule(imported.module);
}
const isHonoModule = (m: string) => m === 'hono' || m.startsWith('hono/') || m.startsWith('@hono/');

function honoContext(receiver: ts.Expression, ctx: ModelContext): ResponseRef | undefined {
  // A Hono context is a name like `c`: `res.json()` and `this.reply.status()`,
  // far more common, are passed over before their reference is resolved.
  const name = rootName(ctx.chainBase(receiver));
  if (name === undefined || !CONTEXT_NAME.test(name)) return undefined;
  const ref = ctx.responseRef(receiver);
  if (!ref) return undefined;
  if (ref.key === 'c') return ref;
  return CONTEXT_NAME.test(ref.key) && ctx.usesModule(isHonoModule) ? ref : undefined;
}

/** The name a member chain starts from: `c.res.headers` → `c`; undefined for `this.x` or a call's result. */
function rootName(expression: ts.Expression): string | undefined {
  let node = skipOuterExpressions(expression);
  while (ts.isPropertyAccessExpression(node)) node = skipOuterExpressions(node.expression);
  return ts.isIdentifier(node) ? node.text : undefined;
}

function statusCall(call: ts.CallExpression, response: ResponseRef, ctx: ModelContext): boolean {
  if (call.arguments.length !== 1) return false;
  emitStatus(ctx, {
    framework: 'hono',
    node: call,
    delivery: 'status',
    status: call.arguments[0],
    response,
    headerSetter: 'header',
    addHeader: (name, value) => ctx.insertStatementBefore(call, `${response.key}.header(${ctx.quote(name)}, ${ctx.quote(value)});`),
  });
  return true;
}

function responder(call: ts.CallExpression, response: ResponseRef, ctx: ModelContext): boolean {
  const second = call.arguments[1];
  if (!second) return false;
  const init = skipOuterExpressions(second);
  const status = ts.isObjectLiteralExpression(init) ? objectPropertyValue(init, 'status') : second;
  if (!status) return false;
  const headersArg = ts.isObjectLiteralExpression(init) ? objectPropertyValue(init, 'headers') : call.arguments[2];
  emitStatus(ctx, {
    framework: 'hono',
    node: call,
    delivery: 'send',
    status,
    response,
    headerSetter: 'header',
    carried: ctx.headerBag(headersArg),
    addHeader: (name, value) => {
      if (ts.isObjectLiteralExpression(init)) return ctx.addHeaderToInit(init, name, value);
      if (!headersArg) return ctx.appendArgument(call, ctx.headerObject(name, value));
      const literal = skipOuterExpressions(headersArg);
      return ts.isObjectLiteralExpression(literal) ? ctx.addProperty(literal, name, ctx.quote(value)) : undefined;
    },
  });
  return true;
}

function httpException(node: ts.NewExpression, ctx: ModelContext): boolean {
  const callee = skipOuterExpressions(node.expression);
  if (!ts.isIdentifier(callee)) return false;
  const imported = ctx.scopes.importOf(callee.text, callee);
  // Hono's own middleware imports it relatively ('../../http-exception').
  const isHono = imported
    ? imported.imported === 'HTTPException' && (imported.module.startsWith('hono') || /(^|\/)http-exception(\.ts)?$/.test(imported.module))
    : callee.text === 'HTTPException';
  const status = node.arguments?.[0];
  if (!isHono || !status) return false;
  const options = node.arguments?.[1] && skipOuterExpressions(node.arguments[1]);
  const optionsLiteral = options && ts.isObjectLiteralExpression(options) ? options : undefined;
  const res = optionsLiteral && objectPropertyValue(optionsLiteral, 'res');
  emitStatus(ctx, {
    framework: 'hono',
    node,
    delivery: 'error',
    carriedOnly: true,
    status,
    carried: options && !optionsLiteral ? { names: new Set(), unknown: true } : res ? responseHeaders(res, ctx) : NO_HEADERS,
    addHeader: (name, value) => {
      if (res) return undefined;
      const message = optionsLiteral && objectPropertyValue(optionsLiteral, 'message');
      const body = message && stringValue(message) !== undefined ? message.getText(ctx.sourceFile) : ctx.quote('Unauthorized');
      const entry = `new Response(${body}, { headers: ${ctx.headerObject(name, value)} })`;
      return optionsLiteral ? ctx.addProperty(optionsLiteral, 'res', entry) : ctx.appendArgument(node, `{ res: ${entry} }`);
    },
  });
  return true;
}

/** The headers of `new Response(body, { headers })`; unknown for any other expression. */
function responseHeaders(res: ts.Expression, ctx: ModelContext) {
  const node = skipOuterExpressions(res);
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Response') {
    const init = node.arguments?.[1] && skipOuterExpressions(node.arguments[1]);
    if (!init) return NO_HEADERS;
    if (ts.isObjectLiteralExpression(init)) return ctx.headerBag(objectPropertyValue(init, 'headers'));
  }
  return { names: new Set<string>(), unknown: true };
}
