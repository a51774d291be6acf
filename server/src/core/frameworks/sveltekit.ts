import ts from 'typescript';
import { functionName, isFunctionLike, skipOuterExpressions } from '../ast';
import type { ResponseRef } from '../model/concepts';
import type { ModelContext } from '../model/context';
import type { TextEdit } from '../types';
import { addBinding, boundName, emitStatus, type FrameworkModule } from './framework';
import { emitResponse, isResponseConstruction } from './web';

const KIT = '@sveltejs/kit';
/** Files SvelteKit runs on the server for a route: endpoints, server loads and actions, universal loads. */
const ROUTE_FILE = /(^|[\\/])\+(server|page\.server|layout\.server|page|layout)\.[cm]?[jt]s$/;
const HOOKS_FILE = /(^|[\\/])hooks\.server\.[cm]?[jt]s$/;
/** Members of a RequestEvent or LoadEvent: a parameter destructuring one of them is the event. */
const EVENT_KEYS = new Set([
  'locals', 'request', 'params', 'url', 'cookies', 'fetch', 'setHeaders', 'platform', 'getClientAddress', 'route', 'parent',
  'depends', 'isDataRequest', 'isSubRequest', 'untrack',
]);
/** Not `e`, which is as often an error in a `catch` callback. */
const EVENT_NAME = /^_*(event|evt|ev|requestEvent|loadEvent)$/;
const EVENT_TYPE = /\b\w*Event\b/;

/** How a handler reaches its event's `setHeaders`. */
type EventAccess =
  | { kind: 'parameter'; name: string; ref: ResponseRef }
  | { kind: 'pattern'; pattern: ts.ObjectBindingPattern; local: string | undefined; ref: ResponseRef };

/**
 * SvelteKit 2: `error(401, body)` throws an HttpError that carries no headers,
 * `fail(401, data)` answers a form action, and `json()`/`text()` build a
 * Response. Headers set with `setHeaders()` on the request are applied to
 * whatever `resolve()` returns, the error page included, but an error thrown
 * in the `handle` hook is answered outside `resolve()`, with none of them.
 */
export const sveltekit: FrameworkModule = {
  name: 'sveltekit',
  kinds: [ts.SyntaxKind.CallExpression, ts.SyntaxKind.NewExpression],
  appliesTo: (ctx) => ctx.scopes.mayImport(KIT) || isKitFile(ctx),
  recognize(node, ctx) {
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      if (ts.isIdentifier(callee)) {
        const imported = ctx.scopes.importOf(callee.text, callee);
        if (imported?.module !== KIT) return false;
        if (imported.imported === 'error' || imported.imported === 'fail') return thrownStatus(node, ctx);
        if (imported.imported === 'json' || imported.imported === 'text') return emitResponse(ctx, node, 'sveltekit', headersOf(node, ctx));
        return false;
      }
    }
    if (!ts.isCallExpression(node) && !ts.isNewExpression(node)) return false;
    if (!isResponseConstruction(node)) return false;
    // Only where setHeaders reaches the Response: elsewhere the web model reads it alike.
    const ref = headersOf(node, ctx);
    return !!ref && emitResponse(ctx, node, 'sveltekit', ref);
  },
};

function isKitFile(ctx: ModelContext): boolean {
  const path = ctx.sourceFile.fileName;
  return ROUTE_FILE.test(path) || HOOKS_FILE.test(path);
}

const isHooksFile = (ctx: ModelContext) => HOOKS_FILE.test(ctx.sourceFile.fileName);

/** The `setHeaders` that reaches a response built at `node`: none in the `handle` hook, which answers outside `resolve()`. */
function headersOf(node: ts.Node, ctx: ModelContext): ResponseRef | undefined {
  return isHooksFile(ctx) ? undefined : eventAccess(node, ctx)?.ref;
}

/** `error(status, body)` and `fail(status, data)` */
function thrownStatus(call: ts.CallExpression, ctx: ModelContext): boolean {
  const status = call.arguments[0];
  if (!status) return false;
  if (isHooksFile(ctx)) {
    emitStatus(ctx, {
      framework: 'sveltekit',
      node: call,
      delivery: 'error',
      carriedOnly: true,
      headerless: true,
      status,
      addHeader: (name, value) => returnResponseInstead(call, name, value, ctx),
    });
    return true;
  }
  const event = eventAccess(call, ctx);
  emitStatus(ctx, {
    framework: 'sveltekit',
    node: call,
    // setHeaders on the event applies to the error page; without the event in sight, any header set before it may.
    delivery: event ? 'send' : 'error',
    status,
    response: event?.ref,
    addHeader: event ? (name, value) => setHeadersBefore(call, event, name, value, ctx) : undefined,
  });
  return true;
}

/** The event parameter of the nearest enclosing function that takes one: a handler, a load, an action, or a helper given the event. */
function eventAccess(node: ts.Node, ctx: ModelContext): EventAccess | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (!isFunctionLike(current)) continue;
    const param = current.parameters[0];
    if (!param) continue;
    if (ts.isIdentifier(param.name)) {
      const type = param.type?.getText(ctx.sourceFile);
      if (!EVENT_NAME.test(param.name.text) && !(type && EVENT_TYPE.test(type))) continue;
      const ref = ctx.reference(param.name);
      if (ref) return { kind: 'parameter', name: param.name.text, ref };
      continue;
    }
    if (!ts.isObjectBindingPattern(param.name)) continue;
    const pattern = param.name;
    if (!pattern.elements.some((element) => EVENT_KEYS.has(bindingKey(element) ?? ''))) continue;
    const local = boundName(pattern, 'setHeaders');
    return { kind: 'pattern', pattern, local, ref: { key: local ?? 'setHeaders', declaration: undefined } };
  }
  return undefined;
}

function bindingKey(element: ts.BindingElement): string | undefined {
  const key = element.propertyName ?? element.name;
  return ts.isIdentifier(key) ? key.text : undefined;
}

/** `event.setHeaders({ 'WWW-Authenticate': … });` before the statement, destructuring `setHeaders` where the handler destructures its event. */
function setHeadersBefore(node: ts.Node, event: EventAccess, name: string, value: string, ctx: ModelContext): TextEdit[] | undefined {
  const headers = ctx.headerObject(name, value);
  if (event.kind === 'parameter') return ctx.insertStatementBefore(node, `${event.name}.setHeaders(${headers});`);
  const statement = ctx.insertStatementBefore(node, `${event.local ?? 'setHeaders'}(${headers});`);
  if (!statement || event.local) return statement;
  // Only a route's own handler, load or action is handed the event: a callback that destructures `{ url }` is not.
  if (!isRouteEntry(event.pattern.parent.parent)) return undefined;
  const binding = addBinding(event.pattern, 'setHeaders', ctx);
  return binding && [...binding, ...statement];
}

/**
 * In the `handle` hook, `throw error(401, 'Sign in')` →
 * `return new Response('Sign in', { status: 401, headers: { … } })`. The
 * status is left in place (a swap to 401 edits it too), so the edits go
 * around it. Only in the hook itself, where a return ends the request.
 */
function returnResponseInstead(call: ts.CallExpression, name: string, value: string, ctx: ModelContext): TextEdit[] | undefined {
  const statement = call.parent;
  const direct = ts.isExpressionStatement(statement) || ts.isThrowStatement(statement) || ts.isReturnStatement(statement);
  if (!direct || skipOuterExpressions(statement.expression!) !== call || !inHandleHook(statement, ctx)) return undefined;
  const [status, body] = call.arguments;
  const built = responseStart(body, ctx);
  if (!built || call.arguments.length > 2) return undefined;
  const end = statement.getEnd();
  const semicolon = ctx.text[end - 1] === ';' ? ';' : '';
  return [
    { start: statement.getStart(ctx.sourceFile), end: status.getStart(ctx.sourceFile), text: `return ${built}, { status: ` },
    { start: status.getEnd(), end, text: `, headers: ${ctx.headerObject(name, value)} })${semicolon}` },
  ];
}

/** The Response that sends `error()`'s body as it was written: a message as text, an object as JSON. */
function responseStart(body: ts.Expression | undefined, ctx: ModelContext): string | undefined {
  if (!body) return 'new Response(null';
  const node = skipOuterExpressions(body);
  if (ts.isStringLiteralLike(node) || ts.isTemplateExpression(node)) return `new Response(${body.getText(ctx.sourceFile)}`;
  if (ts.isObjectLiteralExpression(node)) return `Response.json(${body.getText(ctx.sourceFile)}`;
  return undefined;
}

/** Whether a statement runs in the `handle` hook's own body (not in a function it calls). */
function inHandleHook(statement: ts.Node, ctx: ModelContext): boolean {
  let fn: ts.Node | undefined = statement.parent;
  while (fn && !isFunctionLike(fn)) fn = fn.parent;
  if (!fn) return false;
  const hook = fn as ts.FunctionLikeDeclaration;
  if (functionName(hook) === 'handle') return true;
  const declaration = hook.parent;
  if (ts.isVariableDeclaration(declaration) && declaration.type && /\bHandle\b/.test(declaration.type.getText(ctx.sourceFile))) return true;
  const first = hook.parameters[0]?.name;
  return !!first && ts.isObjectBindingPattern(first) && boundName(first, 'resolve') !== undefined;
}

/** A function SvelteKit calls with the event: an exported handler or load (`export const GET = …`), or an action in `actions`. */
function isRouteEntry(fn: ts.Node): boolean {
  let holder = fn.parent;
  while (holder && (ts.isSatisfiesExpression(holder) || ts.isAsExpression(holder) || ts.isParenthesizedExpression(holder))) holder = holder.parent;
  if (ts.isFunctionDeclaration(fn)) return ts.isSourceFile(fn.parent);
  if (ts.isVariableDeclaration(holder)) return ts.isSourceFile(holder.parent.parent.parent);
  const member = ts.isMethodDeclaration(fn) ? fn : ts.isPropertyAssignment(holder) ? holder : undefined;
  const object = member?.parent;
  if (!object || !ts.isObjectLiteralExpression(object)) return false;
  let declaration: ts.Node = object.parent;
  while (ts.isSatisfiesExpression(declaration) || ts.isAsExpression(declaration) || ts.isParenthesizedExpression(declaration)) declaration = declaration.parent;
  return ts.isVariableDeclaration(declaration) && ts.isIdentifier(declaration.name) && declaration.name.text === 'actions';
}
