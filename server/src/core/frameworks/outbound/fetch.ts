import path from 'path';
import ts from 'typescript';
import { calleeName, isFunctionLike, skipOuterExpressions } from '../../ast';
import type { RemoteHook } from '../../model/concepts';
import type { ModelContext } from '../../model/context';
import type { FrameworkModule } from '../framework';
import { calleeImport, objectLiteralOf, optionValue, UNSET_VALUES } from '../forward';
import { forwardOutbound, isSvelteKitEvent, SVELTEKIT_ENDPOINT } from './pass-through';

/** Modules whose `fetch` is the Fetch API's. */
const FETCH_MODULES = new Set(['node-fetch', 'undici', 'cross-fetch', 'isomorphic-fetch', '@whatwg-node/fetch']);
const GLOBALS = new Set(['globalThis', 'window', 'self', 'global']);

/** The Fetch API, global or imported: `fetch(input, { method, headers, body })`. */
export const fetchApi: FrameworkModule = {
  name: 'fetch',
  kinds: [ts.SyntaxKind.CallExpression],
  vocabulary: { names: ['fetch'] },
  recognize(node, ctx) {
    if (!ts.isCallExpression(node) || calleeName(node) !== 'fetch') return false;
    const eventFetch = isSvelteKitFetch(node, ctx);
    if (!eventFetch && !isFetch(node, ctx)) return false;
    const input = node.arguments[0];
    if (!input) return false;
    const remoteHooks = eventFetch ? handleFetchHooks(node, ctx) : undefined;
    const request = requestBuilt(input, ctx);
    if (request === 'copied') return false;
    // A `Request` made elsewhere carries its own headers, which an init without `headers` leaves as they are.
    if (!request && !optionValue(objectLiteralOf(node.arguments[1], ctx), 'headers') && mayBeRequest(input, ctx, 0)) return false;
    if (!request) return forwardOutbound(ctx, { library: 'fetch', unsetValue: UNSET_VALUES.fetch, call: node, target: input, options: node.arguments[1], optionsIndex: 1, remoteHooks });
    // `fetch(new Request(url, init))`: the Request's init decides the headers; options cannot be appended to it.
    const [target, init] = request.arguments ?? [];
    return forwardOutbound(ctx, { library: 'fetch', unsetValue: UNSET_VALUES.fetch, call: node, target, options: init, optionsIndex: -1, remoteHooks });
  },
};

/**
 * The `new Request(url, init)` fetched, inline or held in a constant. One made
 * from the incoming request (`new Request(url, req)`) or from options not
 * written out carries headers not read here: `copied`.
 */
function requestBuilt(input: ts.Expression, ctx: ModelContext): ts.NewExpression | 'copied' | undefined {
  let node = skipOuterExpressions(input);
  if (ts.isIdentifier(node)) {
    const declaration = ctx.scopes.lookup(node.text, node);
    if (declaration?.kind !== 'variable' || !declaration.isConst || !declaration.initializer) return undefined;
    node = skipOuterExpressions(declaration.initializer);
  }
  if (!ts.isNewExpression(node) || calleeName(node) !== 'Request') return undefined;
  const init = node.arguments?.[1];
  return init && objectLiteralOf(init, ctx) ? node : 'copied';
}

/** Calls whose result is a URL or its text: `url.toString()`, `path.join('/')`, `new URL(…).href`, ufo's `joinURL(…)`. */
const URL_RESULTS = /^(toString|replace|replaceAll|join|concat|slice|substring|trim|format|encodeURI|encodeURIComponent|String|URL|joinURL|withQuery|withBase|resolve|url|href)$|url$|path$|href$/i;

/**
 * Whether fetch's input may be a `Request` rather than a URL: the value of a
 * call that builds neither a URL nor its text (`normalize_fetch_input(info,
 * init)`, `buildRequest(req)`), or a constant holding one. Strings, templates,
 * `new URL(…)`, members (`req.url`) and parameters are taken as URLs.
 */
function mayBeRequest(input: ts.Expression, ctx: ModelContext, depth: number): boolean {
  const node = skipOuterExpressions(input);
  if (ts.isIdentifier(node)) {
    const declaration = ctx.scopes.lookup(node.text, node);
    return depth < 2 && declaration?.kind === 'variable' && declaration.isConst && !!declaration.initializer && mayBeRequest(declaration.initializer, ctx, depth + 1);
  }
  if (ts.isAwaitExpression(node)) return mayBeRequest(node.expression, ctx, depth);
  return ts.isCallExpression(node) && !URL_RESULTS.test(calleeName(node) ?? '');
}

function isFetch(call: ts.CallExpression, ctx: ModelContext): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (ts.isIdentifier(callee)) {
    const declaration = ctx.scopes.lookup(callee.text, callee);
    return !declaration || (declaration.kind === 'import' && FETCH_MODULES.has(declaration.module));
  }
  const imported = calleeImport(call, ctx, FETCH_MODULES);
  if (imported) return FETCH_MODULES.has(imported.module);
  return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && GLOBALS.has(callee.expression.text);
}

/**
 * SvelteKit's server `fetch`, taken from a `+server` endpoint's event
 * (`({ fetch, request }) => …`, `event.fetch(…)`): every request it makes
 * goes through the app's `handleFetch` hook before it leaves.
 */
function isSvelteKitFetch(call: ts.CallExpression, ctx: ModelContext): boolean {
  if (!SVELTEKIT_ENDPOINT.test(ctx.sourceFile.fileName)) return false;
  const callee = skipOuterExpressions(call.expression);
  if (ts.isPropertyAccessExpression(callee)) return isSvelteKitEvent(callee.expression, ctx);
  if (!ts.isIdentifier(callee)) return false;
  for (let node: ts.Node | undefined = call.parent; node; node = node.parent) {
    if (!isFunctionLike(node)) continue;
    const event = node.parameters[0]?.name;
    if (event && ts.isObjectBindingPattern(event) && event.elements.some((element) => !element.propertyName && ts.isIdentifier(element.name) && element.name.text === callee.text)) {
      return callee.text === 'fetch';
    }
  }
  return false;
}

/** The app's `handleFetch` (`src/hooks.server.ts`, beside `src/routes`), as the project index read it, when it edits the request's headers. */
function handleFetchHooks(call: ts.CallExpression, ctx: ModelContext): RemoteHook[] | undefined {
  const file = ctx.sourceFile.fileName;
  const routes = /[\\/]src[\\/]routes[\\/]/.exec(file);
  if (!ctx.project || !routes) return undefined;
  const hooks = path.join(file.slice(0, routes.index), 'src', 'hooks.server');
  const specifier = path.relative(path.dirname(file), hooks).split(path.sep).join('/');
  const found = ctx.project.functionFact({ kind: 'ref', module: specifier.startsWith('.') ? specifier : `./${specifier}`, name: 'handleFetch', path: [] });
  const fact = found?.fact.headers?.fetchHook;
  return found && fact ? [{ node: call.expression, fact, elsewhere: { file: found.file, name: 'handleFetch', at: found.fact.at } }] : undefined;
}
