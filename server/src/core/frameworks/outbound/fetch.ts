import ts from 'typescript';
import { calleeName, skipOuterExpressions } from '../../ast';
import type { ModelContext } from '../../model/context';
import type { FrameworkModule } from '../framework';
import { calleeImport } from '../forward';
import { forwardOutbound } from './pass-through';

/** Modules whose `fetch` is the Fetch API's. */
const FETCH_MODULES = new Set(['node-fetch', 'undici', 'cross-fetch', 'isomorphic-fetch', '@whatwg-node/fetch']);
const GLOBALS = new Set(['globalThis', 'window', 'self', 'global']);

/** The Fetch API, global or imported: `fetch(input, { method, headers, body })`. */
export const fetchApi: FrameworkModule = {
  name: 'fetch',
  kinds: [ts.SyntaxKind.CallExpression],
  recognize(node, ctx) {
    if (!ts.isCallExpression(node) || calleeName(node) !== 'fetch' || !isFetch(node, ctx)) return false;
    const input = node.arguments[0];
    // `fetch(new Request(url, request))` carries the headers of the request it copies.
    if (!input || ts.isNewExpression(skipOuterExpressions(input))) return false;
    return forwardOutbound(ctx, { library: 'fetch', call: node, target: input, options: node.arguments[1], optionsIndex: 1 });
  },
};

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
