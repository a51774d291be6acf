import ts from 'typescript';
import { skipOuterExpressions } from '../ast';

/**
 * http-errors reads its arguments by type, in any order: a number is the
 * status, a string the message, an object the properties (`headers`, `expose`).
 * Koa's `ctx.throw` passes its arguments straight through.
 */
export function httpErrorArguments(args: readonly ts.Expression[]): { status?: ts.Expression; props?: ts.ObjectLiteralExpression; opaqueProps: boolean } {
  let status: ts.Expression | undefined;
  let props: ts.ObjectLiteralExpression | undefined;
  let opaqueProps = false;
  for (const arg of args) {
    const inner = skipOuterExpressions(arg);
    if (ts.isObjectLiteralExpression(inner)) props = inner;
    else if (isStringLike(inner)) continue;
    else if (!status) status = arg;
    else opaqueProps = true;
  }
  return { status, props, opaqueProps };
}

function isStringLike(node: ts.Node): boolean {
  return ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node) || (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken);
}
