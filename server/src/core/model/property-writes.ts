import ts from 'typescript';
import { memberName, skipOuterExpressions, stringValue } from '../ast';
import type { ModelContext } from './context';

/** Methods that set or remove one header under a name given as an expression (`headers.set(key, value)`, `headers.delete(key)`). */
const SET_ONE = new Set(['set', 'append', 'setHeader']);
const REMOVE_ONE = new Set(['delete', 'removeHeader']);

/**
 * Records writes to properties of plain variables (`headers.authorization = …`,
 * `out[name] = value`, `delete headers.authorization`, `headers.set(key, value)`),
 * met during the one walk: forwarded header objects are often built or trimmed
 * this way. Header writes under a literal name are HeaderWrites. Names are not
 * looked up here: most files forward nothing, and most such writes are not to headers.
 */
export function recordPropertyWrite(node: ts.Node, ctx: ModelContext): void {
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) add(node.left, 'set', node, ctx);
  else if (ts.isDeleteExpression(node)) add(node.expression, 'remove', node, ctx);
  else if (ts.isCallExpression(node)) addComputedCall(node, ctx);
}

function addComputedCall(call: ts.CallExpression, ctx: ModelContext): void {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return;
  const method = callee.name.text;
  const op = SET_ONE.has(method) && call.arguments.length === 2 ? 'set' : REMOVE_ONE.has(method) && call.arguments.length === 1 ? 'remove' : undefined;
  if (!op) return;
  const key = call.arguments[0];
  const holder = skipOuterExpressions(callee.expression);
  if (stringValue(key) !== undefined || !ts.isIdentifier(holder)) return;
  ctx.model.propertyWrites.push({ holder, name: undefined, key, op, node: call });
}

function add(target: ts.Expression, op: 'set' | 'remove', node: ts.Node, ctx: ModelContext): void {
  const access = skipOuterExpressions(target);
  if (!ts.isPropertyAccessExpression(access) && !ts.isElementAccessExpression(access)) return;
  const holder = skipOuterExpressions(access.expression);
  if (!ts.isIdentifier(holder)) return;
  const name = memberName(access);
  ctx.model.propertyWrites.push({
    holder,
    name: name?.toLowerCase(),
    key: name === undefined && ts.isElementAccessExpression(access) ? access.argumentExpression : undefined,
    op,
    node,
  });
}
