import ts from 'typescript';
import { objectPropertyValue, skipOuterExpressions } from '../ast';
import type { ModelContext } from '../model/context';
import { emitStatus, NO_HEADERS, type FrameworkModule } from './framework';
import { assignedVariable } from './web';

const isIttyModule = (m: string) => m === 'itty-router' || m.startsWith('itty-router/');
/** Formatters built by `createResponse`: `(body, init)`, the init a ResponseInit whose headers are kept. */
const FORMATTERS = new Set(['json', 'text', 'html', 'jpeg', 'png', 'webp']);

/**
 * itty-router (v4, v5): `status(401, init)` and the formatters (`json(body, {
 * status, headers })`) build a Response with the init's headers; `error(401,
 * body)` builds a JSON Response from the status and body alone, and a thrown
 * `StatusError(401)` reaches the router's `catch: error`, which does the same
 * (`src/error.ts`, `src/status.ts`, `src/createResponse.ts`).
 */
export const ittyRouter: FrameworkModule = {
  name: 'itty-router',
  kinds: [ts.SyntaxKind.CallExpression, ts.SyntaxKind.NewExpression],
  appliesTo: (ctx) => ctx.usesModule(isIttyModule),
  recognize(node, ctx) {
    if (ts.isBinaryExpression(node)) return false;
    const callee = skipOuterExpressions(node.expression);
    if (!ts.isIdentifier(callee)) return false;
    const imported = ctx.scopes.importOf(callee.text, callee);
    if (!imported || !isIttyModule(imported.module)) return false;
    if (ts.isNewExpression(node)) return imported.imported === 'StatusError' && statusError(node, ctx);
    if (imported.imported === 'error') return error(node, ctx);
    if (imported.imported === 'status') return status(node, ctx);
    return FORMATTERS.has(imported.imported) && formatter(node, ctx);
  },
};

/** `error()` and the router's `catch: error` build the response from a status and body, with no headers. */
const remedy = (built: string) => (challenge: string) =>
  `${built} builds the response from the status and body alone: return \`status(401, { headers: { 'WWW-Authenticate': '${challenge}' } })\` ` +
  'or `json(body, { status: 401, headers })` instead.';

/** `error(401, body)`; `error(err)` takes its status from the error, seen where the error is made. */
function error(call: ts.CallExpression, ctx: ModelContext): boolean {
  const [statusArg] = call.arguments;
  if (!statusArg) return false;
  emitStatus(ctx, { framework: 'itty-router', node: call, delivery: 'response', status: statusArg, responseVariable: assignedVariable(call, ctx), remedy: remedy("itty-router's `error()`") });
  return true;
}

function statusError(node: ts.NewExpression, ctx: ModelContext): boolean {
  const statusArg = node.arguments?.[0];
  if (!statusArg) return false;
  emitStatus(ctx, { framework: 'itty-router', node, delivery: 'error', carriedOnly: true, status: statusArg, remedy: remedy("A thrown `StatusError` reaches the router's `catch: error`, which") });
  return true;
}

/** `status(401)`, `status(401, { headers })`. */
function status(call: ts.CallExpression, ctx: ModelContext): boolean {
  const [statusArg, initArg] = call.arguments;
  if (!statusArg) return false;
  const init = initArg && skipOuterExpressions(initArg);
  const literal = init && ts.isObjectLiteralExpression(init) ? init : undefined;
  emitStatus(ctx, {
    framework: 'itty-router',
    node: call,
    delivery: 'response',
    status: statusArg,
    responseVariable: assignedVariable(call, ctx),
    carried: literal ? ctx.headerBag(objectPropertyValue(literal, 'headers')) : init ? { names: new Set(), unknown: true } : NO_HEADERS,
    addHeader: (name, value) => (literal ? ctx.addHeaderToInit(literal, name, value) : init ? undefined : ctx.appendArgument(call, `{ headers: ${ctx.headerObject(name, value)} }`)),
  });
  return true;
}

/** `json(body, { status: 401, headers })`. */
function formatter(call: ts.CallExpression, ctx: ModelContext): boolean {
  const initArg = call.arguments[1];
  const init = initArg && skipOuterExpressions(initArg);
  if (!init || !ts.isObjectLiteralExpression(init)) return false;
  const statusArg = objectPropertyValue(init, 'status');
  if (!statusArg) return false;
  emitStatus(ctx, {
    framework: 'itty-router',
    node: call,
    delivery: 'response',
    status: statusArg,
    responseVariable: assignedVariable(call, ctx),
    carried: ctx.headerBag(objectPropertyValue(init, 'headers')),
    addHeader: (name, value) => ctx.addHeaderToInit(init, name, value),
  });
  return true;
}
