import ts from 'typescript';
import { objectPropertyValue, skipOuterExpressions, stringValue } from '../ast';
import type { Mount, MountStep } from '../model/concepts';
import type { ModelContext } from '../model/context';

/** Router methods that mount a route's middleware chain (Express, Koa's routers). */
const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'options', 'head', 'use']);

/** Whether a library middleware written as a step (`passport.authenticate('jwt')`) authenticates the caller. */
export type LibraryAuthenticator = (step: ts.Expression, ctx: ModelContext) => boolean;

/**
 * `router.get('/', protect, admin, handler)`, `router.route('/').post(protect, h)`,
 * `app.use('/admin', protect, adminRouter)`, `router.use(protect)`: the
 * functions mounted, in the order they run. A route's path comes first;
 * arrays of middleware are spread, as Express and Koa's routers spread them.
 */
export function routerMount(call: ts.CallExpression, ctx: ModelContext, authenticates: LibraryAuthenticator): Mount | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !ROUTE_METHODS.has(callee.name.text)) return undefined;
  const args = call.arguments;
  const first = args[0];
  if (!first) return undefined;
  const isUse = callee.name.text === 'use';
  // `router.route('/:id').get(…).put(…)`: the path is the route's.
  const route = isUse ? undefined : routeOf(callee.expression);
  const path = routePath(route ?? first);
  // A verb needs its path (`map.get(key)` is no route); `use` may mount for every path.
  if (path === undefined && !isUse) return undefined;
  const steps = stepsOf(path === undefined || route ? args : args.slice(1), ctx, authenticates);
  if (!steps) return undefined;
  // `router.use(/^\/api/, auth)`: a path not known statically scopes its steps to routes this file cannot tell.
  return { node: call, router: routerOf(callee.expression), path: typeof path === 'string' ? path : undefined, steps, routerWide: isUse && path !== null };
}

/** The path of `router.route(path)`, when a receiver is one or a verb chained on one. */
function routeOf(receiver: ts.Expression): ts.Expression | undefined {
  for (let node = skipOuterExpressions(receiver); ts.isCallExpression(node); ) {
    const callee = skipOuterExpressions(node.expression);
    if (!ts.isPropertyAccessExpression(callee)) return undefined;
    if (callee.name.text === 'route') return node.arguments[0];
    if (!ROUTE_METHODS.has(callee.name.text)) return undefined;
    node = skipOuterExpressions(callee.expression);
  }
  return undefined;
}

/** A path argument: its text, `null` for one not known statically (a regex, an array of paths); undefined when it is no path. */
function routePath(node: ts.Expression): string | null | undefined {
  const text = stringValue(node);
  if (text !== undefined) return text.startsWith('/') || text === '*' ? text : undefined;
  const inner = skipOuterExpressions(node);
  if (ts.isRegularExpressionLiteral(inner)) return null;
  if (ts.isArrayLiteralExpression(inner) && inner.elements.length > 0 && inner.elements.every((e) => stringValue(e) !== undefined)) return null;
  return undefined;
}

/** The steps written, or undefined when an argument is no middleware (a route's options object, a number). */
function stepsOf(written: readonly ts.Expression[], ctx: ModelContext, authenticates: LibraryAuthenticator): MountStep[] | undefined {
  const steps: MountStep[] = [];
  for (const arg of written) {
    const node = skipOuterExpressions(arg) as ts.Expression;
    const elements = ts.isArrayLiteralExpression(node) ? node.elements : [node];
    for (const element of elements) {
      const expression = skipOuterExpressions(element) as ts.Expression;
      if (!isMiddleware(expression)) return undefined;
      steps.push({ expression, authenticates: ts.isCallExpression(expression) && authenticates(expression, ctx) });
    }
  }
  return steps.length > 0 ? steps : undefined;
}

function isMiddleware(node: ts.Expression): boolean {
  return ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) || ts.isCallExpression(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node);
}

/** The router a chain of route calls starts from: `router` of `router.route('/').get(…)`. */
function routerOf(receiver: ts.Expression): ts.Identifier | undefined {
  let node = skipOuterExpressions(receiver) as ts.Expression;
  while (ts.isCallExpression(node) && ts.isPropertyAccessExpression(skipOuterExpressions(node.expression))) {
    node = skipOuterExpressions((skipOuterExpressions(node.expression) as ts.PropertyAccessExpression).expression) as ts.Expression;
  }
  return ts.isIdentifier(node) ? node : undefined;
}

/**
 * A call of a library's middleware factory: `passport.authenticate('jwt')`
 * (any strategy but `anonymous`), or a named import of `module` among `names`
 * (`expressjwt({ … })` of express-jwt).
 */
export function passportOrImported(step: ts.Expression, ctx: ModelContext, factories: Record<string, readonly string[]>, passportModules: readonly string[]): boolean {
  const call = step as ts.CallExpression;
  const callee = skipOuterExpressions(call.expression);
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'authenticate' && ts.isIdentifier(callee.expression)) {
    const from = ctx.scopes.importOf(callee.expression.text, callee);
    if (!from || !passportModules.includes(from.module)) return false;
    const strategy = skipOuterExpressions(call.arguments[0] ?? callee) as ts.Expression;
    const strategies = ts.isArrayLiteralExpression(strategy) ? strategy.elements.map((e) => stringValue(e)) : [stringValue(strategy)];
    return strategies.length > 0 && strategies.every((name) => name !== undefined && name !== 'anonymous');
  }
  if (!ts.isIdentifier(callee)) return false;
  const from = ctx.scopes.importOf(callee.text, callee);
  return !!from && (factories[from.module]?.includes(from.imported) ?? false);
}

/** Fastify's request hooks that run before the handler, in the order Fastify runs them. */
const FASTIFY_HOOKS = ['onRequest', 'preParsing', 'preValidation', 'preHandler'];

/**
 * Fastify: `fastify.get('/', { onRequest: [authenticate], preHandler: [isAdmin] }, handler)`,
 * `fastify.route({ url, preHandler, handler })`, and `fastify.addHook('onRequest', authenticate)`,
 * whose hook runs before every route registered after it on the instance.
 */
export function fastifyMount(call: ts.CallExpression, ctx: ModelContext, authenticates: LibraryAuthenticator): Mount | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  const router = routerOf(callee.expression);
  if (method === 'decorate') {
    const [name, fn] = call.arguments;
    const decorates = stringValue(name);
    const target = fn && skipOuterExpressions(fn);
    if (decorates === undefined || !target || !(ts.isArrowFunction(target) || ts.isFunctionExpression(target))) return undefined;
    return { node: call, router, path: undefined, steps: [{ expression: target as ts.Expression, authenticates: false }], routerWide: false, decorates };
  }
  if (method === 'addHook') {
    const [name, hook] = call.arguments;
    if (!FASTIFY_HOOKS.includes(stringValue(name) ?? '') || !hook) return undefined;
    const steps = stepsOf([hook], ctx, authenticates);
    return steps && { node: call, router, path: undefined, steps: steps.map((step) => withDecoration(step, ctx)), routerWide: true };
  }
  const isRoute = method === 'route';
  if (!isRoute && (!ROUTE_METHODS.has(method) || method === 'use' || routePath(call.arguments[0] ?? call) === undefined)) return undefined;
  const options = skipOuterExpressions(call.arguments[isRoute ? 0 : 1] ?? call);
  if (!ts.isObjectLiteralExpression(options)) return undefined;
  const written = FASTIFY_HOOKS.map((hook) => objectPropertyValue(options, hook)).filter((value): value is ts.Expression => !!value);
  const handler = isRoute ? objectPropertyValue(options, 'handler') : call.arguments[2] ?? objectPropertyValue(options, 'handler');
  if (written.length === 0 || !handler) return undefined;
  const steps = stepsOf([...written, handler], ctx, authenticates);
  const url = isRoute ? objectPropertyValue(options, 'url') : call.arguments[0];
  return steps && { node: call, router, path: stringValue(url), steps: steps.map((step) => withDecoration(step, ctx)), routerWide: false };
}

/**
 * `fastify.authenticate` where `fastify` is the plugin's instance (a
 * parameter): the function some plugin gave the instance with
 * `fastify.decorate('authenticate', fn)`, in whatever file.
 */
function withDecoration(step: MountStep, ctx: ModelContext): MountStep {
  const node = step.expression;
  if (!ts.isPropertyAccessExpression(node) || !ts.isIdentifier(node.expression)) return step;
  const instance = ctx.scopes.lookup(node.expression.text, node.expression);
  return instance?.kind === 'parameter' ? { ...step, decoration: node.name.text } : step;
}
