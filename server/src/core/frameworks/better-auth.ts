import ts from 'typescript';
import { isFunctionLike, skipOuterExpressions, stringValue } from '../ast';
import type { HeaderBag } from '../model/concepts';
import type { ModelContext } from '../model/context';
import { asSwap, emitNamed, emitStatus, NO_HEADERS, type FrameworkModule } from './framework';

const isBetterAuthModule = (m: string) => m === 'better-call' || m === 'better-auth' || m.startsWith('better-auth/') || m.startsWith('@better-auth/');
/** better-call's `statusCodes` names for the two statuses (`src/error.ts`). */
const CODES: Record<string, 401 | 403> = { UNAUTHORIZED: 401, FORBIDDEN: 403 };
const CODE_FOR: Record<401 | 403, string> = { 401: 'UNAUTHORIZED', 403: 'FORBIDDEN' };
/** Static factories of better-auth's APIError (`@better-auth/core/error`), which take no headers. */
const FACTORIES = new Set(['from', 'fromStatus']);
/** The functions whose handler's context has `error(status, body, headers)`. */
const ENDPOINT_FACTORIES = new Set(['createAuthEndpoint', 'createAuthMiddleware', 'createEndpoint', 'createMiddleware']);
const COVERED: HeaderBag = { names: new Set(['www-authenticate']), unknown: false };

/**
 * better-auth and better-call: `throw new APIError('UNAUTHORIZED', body,
 * headers)`, `APIError.from('UNAUTHORIZED', …)` and an endpoint's
 * `ctx.error('UNAUTHORIZED', body, headers)` answer with the status better-call's
 * `statusCodes` maps the name to, and only the error's headers and those the
 * endpoint set with `ctx.setHeader` (better-call `src/to-response.ts`,
 * better-auth `src/api/dispatch.ts` mergeAPIErrorHeaders): neither adds a challenge.
 */
export const betterAuth: FrameworkModule = {
  name: 'better-auth',
  kinds: [ts.SyntaxKind.NewExpression, ts.SyntaxKind.CallExpression],
  appliesTo: (ctx) => ctx.usesModule(isBetterAuthModule),
  recognize(node, ctx) {
    if (ts.isNewExpression(node)) return isApiErrorClass(node.expression, ctx) && apiError(node, node.arguments ?? [], true, ctx);
    if (!ts.isCallExpression(node)) return false;
    const callee = skipOuterExpressions(node.expression);
    if (!ts.isPropertyAccessExpression(callee)) return false;
    if (FACTORIES.has(callee.name.text)) return isApiErrorClass(callee.expression, ctx) && apiError(node, node.arguments, false, ctx);
    return callee.name.text === 'error' && isEndpointContext(callee.expression, ctx) && apiError(node, node.arguments, true, ctx);
  },
  statusNames: Object.keys(CODES),
};

function isApiErrorClass(expression: ts.Expression, ctx: ModelContext): boolean {
  const callee = skipOuterExpressions(expression);
  if (!ts.isIdentifier(callee)) return false;
  const imported = ctx.scopes.importOf(callee.text, callee);
  return !!imported && imported.imported === 'APIError' && isBetterAuthModule(imported.module);
}

/** `ctx` of `createAuthEndpoint(path, options, async (ctx) => …)` or `createAuthMiddleware(async (ctx) => …)`. */
function isEndpointContext(expression: ts.Expression, ctx: ModelContext): boolean {
  const node = skipOuterExpressions(expression);
  if (!ts.isIdentifier(node)) return false;
  const declaration = ctx.scopes.lookup(node.text, node);
  if (declaration?.kind !== 'parameter' || declaration.index !== 0) return false;
  const call = declaration.fn.parent;
  if (!ts.isCallExpression(call) || call.arguments[call.arguments.length - 1] !== declaration.fn) return false;
  const factory = skipOuterExpressions(call.expression);
  if (!ts.isIdentifier(factory) || !ENDPOINT_FACTORIES.has(factory.text)) return false;
  const imported = ctx.scopes.importOf(factory.text, factory);
  return !!imported && isBetterAuthModule(imported.module);
}

/**
 * Whether better-auth answers the request with an error raised here: in an
 * endpoint or middleware (`createAuthEndpoint`, `createAuthMiddleware`) or in
 * the options given to `betterAuth({ … })` (its hooks, database hooks). An
 * APIError thrown by the app's own code (a server function, a loader) reaches
 * whatever runs that code, which need not answer with its status.
 */
function answeredByBetterAuth(node: ts.Node, ctx: ModelContext): boolean {
  for (let current = node.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if (!ts.isCallExpression(current)) continue;
    const callee = skipOuterExpressions(current.expression);
    if (!ts.isIdentifier(callee) || (!ENDPOINT_FACTORIES.has(callee.text) && callee.text !== 'betterAuth')) continue;
    const imported = ctx.scopes.importOf(callee.text, callee);
    if (imported && isBetterAuthModule(imported.module)) return true;
  }
  return false;
}

function apiError(node: ts.NewExpression | ts.CallExpression, args: readonly ts.Expression[], takesHeaders: boolean, ctx: ModelContext): boolean {
  const [statusArg, bodyArg, headersArg] = args;
  if (!statusArg || !answeredByBetterAuth(node, ctx)) return false;
  const carried = headersArg ? ctx.headerBag(headersArg) : setsChallengeHeader(node, ctx) ? COVERED : NO_HEADERS;
  const headers = headersArg && skipOuterExpressions(headersArg);
  const addHeader = takesHeaders
    ? (name: string, value: string) => {
        if (headers) return ts.isObjectLiteralExpression(headers) ? ctx.addProperty(headers, name, ctx.quote(value)) : undefined;
        return ctx.appendArgument(node, `${bodyArg ? '' : 'undefined, '}${ctx.headerObject(name, value)}`);
      }
    : undefined;
  const remedy = takesHeaders
    ? (challenge: string) => `Pass \`{ 'WWW-Authenticate': '${challenge}' }\` as the error's headers (its third argument), or set it with \`ctx.setHeader\` before throwing.`
    : (challenge: string) => `\`APIError.${(skipOuterExpressions(node.expression) as ts.PropertyAccessExpression).name.text}\` takes no headers: throw \`new APIError(…, body, { 'WWW-Authenticate': '${challenge}' })\` instead.`;
  const literal = skipOuterExpressions(statusArg);
  const name = stringValue(literal);
  if (name === undefined) {
    emitStatus(ctx, { framework: 'better-auth', node, delivery: 'error', carriedOnly: true, status: statusArg, carried, addHeader, remedy });
    return true;
  }
  if (!(name in CODES)) return false;
  emitNamed(ctx, {
    framework: 'better-auth',
    node,
    delivery: 'error',
    carriedOnly: true,
    carried,
    addHeader,
    remedy,
    site: {
      value: CODES[name],
      node: literal,
      form: 'literal',
      swap: (to) => asSwap([{ start: literal.getStart(ctx.sourceFile), end: literal.getEnd(), text: ctx.quote(CODE_FOR[to]) }]),
    },
  });
  return true;
}

/** `ctx.setHeader('WWW-Authenticate', …)` in the function the error is made in: better-auth sends the endpoint's headers with its errors. */
function setsChallengeHeader(node: ts.Node, ctx: ModelContext): boolean {
  let fn: ts.Node | undefined = node.parent;
  while (fn && !isFunctionLike(fn)) fn = fn.parent;
  if (!fn || !/www-authenticate/i.test(fn.getText(ctx.sourceFile))) return false;
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression) && current.expression.name.text === 'setHeader') {
      const header = current.arguments[0] && stringValue(skipOuterExpressions(current.arguments[0]));
      if (header?.toLowerCase() === 'www-authenticate') found = true;
    }
    ts.forEachChild(current, visit);
  };
  visit(fn);
  return found;
}
