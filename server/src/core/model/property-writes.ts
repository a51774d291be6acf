import ts from 'typescript';
import { memberName, skipOuterExpressions } from '../ast';
import type { ModelContext } from './context';

/**
 * Records writes to properties of plain variables (`headers.authorization = …`,
 * `out[name] = value`, `delete headers.authorization`), met during the one walk:
 * forwarded header objects are often built or trimmed this way.
 */
export function recordPropertyWrite(node: ts.Node, ctx: ModelContext): void {
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) add(node.left, 'set', node, ctx);
  else if (ts.isDeleteExpression(node)) add(node.expression, 'remove', node, ctx);
}

function add(target: ts.Expression, op: 'set' | 'remove', node: ts.Node, ctx: ModelContext): void {
  const access = skipOuterExpressions(target);
  if (!ts.isPropertyAccessExpression(access) && !ts.isElementAccessExpression(access)) return;
  const holder = skipOuterExpressions(access.expression);
  if (!ts.isIdentifier(holder)) return;
  const declaration = ctx.scopes.lookup(holder.text, holder);
  if (!declaration || (declaration.kind !== 'variable' && declaration.kind !== 'parameter')) return;
  const name = memberName(access);
  ctx.model.propertyWrites.push({
    declaration: declaration.node,
    name: name?.toLowerCase(),
    key: name === undefined && ts.isElementAccessExpression(access) ? access.argumentExpression : undefined,
    op,
    node,
  });
}
