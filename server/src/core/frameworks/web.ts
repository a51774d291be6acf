import ts from 'typescript';
import { objectPropertyValue, skipOuterExpressions } from '../ast';
import type { ResponseRef } from '../model/concepts';
import type { ModelContext } from '../model/context';
import { emitStatus, type FrameworkModule } from './framework';

const RESPONSE_CLASSES = new Set(['Response', 'NextResponse']);

/**
 * The Fetch API's Response, as returned by Next.js route handlers and
 * middleware, Cloudflare Workers, Deno, Bun and SvelteKit:
 * `new Response(body, { status, headers })`, `Response.json(body, init)`,
 * `NextResponse.json(body, init)`.
 */
export const web: FrameworkModule = {
  name: 'web',
  kinds: [ts.SyntaxKind.CallExpression, ts.SyntaxKind.NewExpression],
  recognize(node, ctx) {
    if (!ts.isNewExpression(node) && !ts.isCallExpression(node)) return false;
    return isResponseConstruction(node) && emitResponse(ctx, node, 'web');
  },
};

/**
 * Records a Response built from `(body, init)` with a status in `init`.
 * `headersOf` is what else sets headers on it before it is sent (SvelteKit's
 * `setHeaders` on the request it answers).
 */
export function emitResponse(ctx: ModelContext, node: ts.NewExpression | ts.CallExpression, framework: string, headersOf?: ResponseRef): boolean {
  const initArg = node.arguments?.[1];
  const init = initArg && skipOuterExpressions(initArg);
  if (!init || !ts.isObjectLiteralExpression(init)) return false;
  const status = objectPropertyValue(init, 'status');
  if (!status) return false;
  emitStatus(ctx, {
    framework,
    node,
    delivery: 'response',
    status,
    response: headersOf,
    responseVariable: assignedVariable(node, ctx),
    carried: ctx.headerBag(objectPropertyValue(init, 'headers')),
    addHeader: (name, value) => ctx.addHeaderToInit(init, name, value),
  });
  return true;
}

/** `new Response(…)`, `Response.json(…)`, and Next.js's `NextResponse` alike. */
export function isResponseConstruction(node: ts.NewExpression | ts.CallExpression): boolean {
  const callee = skipOuterExpressions(node.expression);
  if (ts.isNewExpression(node)) return ts.isIdentifier(callee) && RESPONSE_CLASSES.has(callee.text);
  return (
    ts.isPropertyAccessExpression(callee) &&
    callee.name.text === 'json' &&
    ts.isIdentifier(callee.expression) &&
    RESPONSE_CLASSES.has(callee.expression.text)
  );
}

/** `const res = NextResponse.json(…)`: headers may be set later with `res.headers.set(…)`. */
export function assignedVariable(node: ts.Node, ctx: ModelContext) {
  let parent = node.parent;
  while (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isAwaitExpression(parent)) parent = parent.parent;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return ctx.reference(parent.name);
  return undefined;
}
