import ts from 'typescript';
import { skipOuterExpressions } from '../../ast';
import type { ModelContext } from '../../model/context';
import type { FrameworkModule } from '../framework';
import { forwardOutbound } from './pass-through';
import { UNSET_VALUES } from '../forward';

const MODULES = new Set(['ofetch']);
/** Nitro's server directory, where `$fetch` is a global. */
const NITRO_FILE = /(^|[\\/])server[\\/]/;

/**
 * ofetch, Nuxt's and Nitro's `$fetch`: `$fetch(url, { method, headers, body, query })`,
 * `$fetch.raw(url, options)`. Its `headers` are the only ones sent.
 */
export const ofetch: FrameworkModule = {
  name: 'ofetch',
  // Only calls spelled `$fetch` or `ofetch` are claimed.
  vocabulary: { names: ['$fetch', 'ofetch'] },
  kinds: [ts.SyntaxKind.CallExpression],
  appliesTo: (ctx) => NITRO_FILE.test(ctx.sourceFile.fileName) || ctx.usesModule((m) => MODULES.has(m) || m === '#imports' || m === 'nuxt/app'),
  recognize(node, ctx) {
    if (!ts.isCallExpression(node) || !isOfetch(node, ctx)) return false;
    const input = node.arguments[0];
    return !!input && forwardOutbound(ctx, { library: 'ofetch', unsetValue: UNSET_VALUES.ofetch, call: node, target: input, options: node.arguments[1], optionsIndex: 1 });
  },
};

function isOfetch(call: ts.CallExpression, ctx: ModelContext): boolean {
  let callee = skipOuterExpressions(call.expression);
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'raw') callee = skipOuterExpressions(callee.expression);
  if (!ts.isIdentifier(callee) || (callee.text !== '$fetch' && callee.text !== 'ofetch')) return false;
  const declaration = ctx.scopes.lookup(callee.text, callee);
  if (!declaration) return callee.text === '$fetch';
  return declaration.kind === 'import' && (MODULES.has(declaration.module) || declaration.module === '#imports');
}
