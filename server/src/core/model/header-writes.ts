import ts from 'typescript';
import { calleeObject, memberName, propertyNameText, skipOuterExpressions, stringValue } from '../ast';
import type { ModelContext } from './context';

/** Methods that set one header from (name, value): Express, node:http, Koa, Fastify, Hono, hapi, Headers. */
const SET_ONE = new Set(['set', 'setHeader', 'header', 'append', 'appendHeader']);
/** Methods that set several headers from an object. */
const SET_MANY = new Set(['set', 'header', 'headers', 'setHeaders']);
/** Methods that remove a header by name: node:http, Koa's `ctx.remove`, Headers#delete. */
const REMOVE = new Set(['removeHeader', 'remove', 'delete']);
/** Every method above: the model's walk offers each call in the file, and most are none of them. */
const WRITERS = new Set([...SET_ONE, ...SET_MANY, ...REMOVE]);

/** Functions that take the response first (h3's `setResponseHeader(event, name, value)` and its v1 aliases). */
const FUNCTION_SET_ONE = new Set(['setResponseHeader', 'appendResponseHeader', 'setHeader', 'appendHeader']);
const FUNCTION_SET_MANY = new Set(['setResponseHeaders', 'appendResponseHeaders', 'setHeaders', 'appendHeaders']);
const FUNCTION_REMOVE = new Set(['removeResponseHeader']);
/** A function destructured from the request it sets headers for (SvelteKit's `setHeaders({ … })`). */
const BOUND_SET_MANY = 'setHeaders';

/**
 * Records every header set or removed on a response or Headers object, whatever
 * the framework: the spellings are shared, and the target says which response.
 */
export function recordHeaderWrite(node: ts.Node, ctx: ModelContext): void {
  if (ts.isCallExpression(node)) recordCall(node, ctx);
  else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) recordAssignment(node, ctx);
  else if (ts.isDeleteExpression(node)) recordDelete(node, ctx);
}

function recordCall(call: ts.CallExpression, ctx: ModelContext): void {
  const callee = skipOuterExpressions(call.expression);
  if (ts.isIdentifier(callee)) {
    recordFunctionCall(call, callee, ctx);
    return;
  }
  if (!ts.isPropertyAccessExpression(callee)) return;
  if (callee.name.text === 'assign' && ts.isIdentifier(callee.expression) && callee.expression.text === 'Object') {
    recordAssign(call, ctx);
    return;
  }
  const method = callee.name.text;
  const first = call.arguments[0];
  if (!first || !WRITERS.has(method)) return;
  const name = stringValue(first);
  const receiver = calleeObject(call);
  if (!receiver) return;
  if (name !== undefined && REMOVE.has(method)) {
    add(ctx, receiver, name, 'remove', call);
    return;
  }
  if (name !== undefined && SET_ONE.has(method) && call.arguments.length >= 2) {
    add(ctx, receiver, name, 'set', call, call.arguments[1]);
    return;
  }
  const object = skipOuterExpressions(first);
  if (SET_MANY.has(method) && call.arguments.length === 1 && ts.isObjectLiteralExpression(object)) {
    for (const property of object.properties) {
      const key = property.name && propertyNameText(property.name);
      if (key !== undefined) add(ctx, receiver, key, 'set', call, propertyValue(property));
    }
  }
}

/** `setResponseHeader(event, name, value)`, `setResponseHeaders(event, { … })`, `removeResponseHeader(event, name)`, `setHeaders({ … })` */
function recordFunctionCall(call: ts.CallExpression, callee: ts.Identifier, ctx: ModelContext): void {
  const fn = callee.text;
  const args = call.arguments;
  if (fn === BOUND_SET_MANY && args.length === 1) {
    addKeys(ctx, callee, args[0], call);
    return;
  }
  const target = args[0];
  if (!target || !(FUNCTION_SET_ONE.has(fn) || FUNCTION_SET_MANY.has(fn) || FUNCTION_REMOVE.has(fn))) return;
  const name = stringValue(args[1]);
  if (FUNCTION_SET_ONE.has(fn) && args.length >= 3 && name !== undefined) add(ctx, target, name, 'set', call);
  else if (FUNCTION_REMOVE.has(fn) && args.length === 2 && name !== undefined) add(ctx, target, name, 'remove', call);
  else if (FUNCTION_SET_MANY.has(fn) && args.length === 2) addKeys(ctx, target, args[1], call);
}

/** `Object.assign(set.headers, { … })` */
function recordAssign(call: ts.CallExpression, ctx: ModelContext): void {
  const [target, ...sources] = call.arguments;
  const holder = target && skipOuterExpressions(target);
  if (!holder || memberName(holder) !== 'headers') return;
  for (const source of sources) addKeys(ctx, holder as ts.Expression, source, call);
}

/** Records a set of each key of an object literal of headers. */
function addKeys(ctx: ModelContext, receiver: ts.Expression, headers: ts.Expression, node: ts.Node): void {
  const object = skipOuterExpressions(headers);
  if (!ts.isObjectLiteralExpression(object)) return;
  for (const property of object.properties) {
    const key = property.name && propertyNameText(property.name);
    if (key !== undefined) add(ctx, receiver, key, 'set', node);
  }
}

/** `res.headers['www-authenticate'] = …`, and `set.headers = { … }` (Elysia), which sets each of its keys. */
function recordAssignment(assignment: ts.BinaryExpression, ctx: ModelContext): void {
  const left = skipOuterExpressions(assignment.left);
  const name = memberName(left);
  if (name === undefined || !(ts.isPropertyAccessExpression(left) || ts.isElementAccessExpression(left))) return;
  if (name === 'headers') {
    addKeys(ctx, left, assignment.right, assignment);
    return;
  }
  const holder = skipOuterExpressions(left.expression);
  if (memberName(holder) !== 'headers') return;
  add(ctx, holder as ts.Expression, name, 'set', assignment, assignment.right);
}

/** `delete res.headers['www-authenticate']` */
function recordDelete(node: ts.DeleteExpression, ctx: ModelContext): void {
  const target = skipOuterExpressions(node.expression);
  const name = memberName(target);
  if (name === undefined || !(ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target))) return;
  const holder = skipOuterExpressions(target.expression);
  if (memberName(holder) !== 'headers') return;
  add(ctx, holder as ts.Expression, name, 'remove', node);
}

function add(ctx: ModelContext, receiver: ts.Expression, name: string, op: 'set' | 'remove', node: ts.Node, value?: ts.Expression): void {
  const target = ctx.reference(receiver);
  if (target) ctx.model.headerWrites.push({ name: name.toLowerCase(), op, target, node, value });
}

/** The value of an object literal's property: its initializer, or the name a shorthand stands for. */
export function propertyValue(property: ts.ObjectLiteralElementLike): ts.Expression | undefined {
  if (ts.isPropertyAssignment(property)) return property.initializer;
  if (ts.isShorthandPropertyAssignment(property)) return property.name;
  return undefined;
}
