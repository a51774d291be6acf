import ts from 'typescript';
import { skipOuterExpressions } from '../../ast';
import type { ModelContext } from '../../model/context';
import type { FrameworkModule } from '../framework';
import { isV2 } from '../h3';
import { objectLiteralOf, optionValue, UNSET_VALUES } from '../forward';
import { headerReader, headerValue, isH3Event, isHeadersObject, isThirdParty, usesH3 } from './pass-through';

const H3_MODULES = (m: string) => m === 'h3' || m.startsWith('nitropack') || m === 'nitro' || m.startsWith('nitro/') || m === '#imports';
/** `proxyRequest` forwards the incoming headers; `sendProxy` (v1) and `proxy` (v2) send only those given. */
const COPIES_INCOMING = new Set(['proxyRequest']);
const SENDS_GIVEN = new Set(['sendProxy', 'proxy']);
/** Auto-imported under Nitro without an import; `proxy` is too common a name to take unimported. */
const AUTO_IMPORTED = new Set(['proxyRequest', 'sendProxy']);

/**
 * h3's proxy helpers: `proxyRequest(event, target, { headers, fetchOptions, filterHeaders })`
 * sends the incoming headers (less hop-by-hop ones and `filterHeaders`) with
 * `headers` merged over them; `sendProxy(event, target, opts)` and
 * `proxy(event, target, opts)` send only `opts.headers` (or `fetchOptions.headers`).
 */
export const h3Proxy: FrameworkModule = {
  name: 'h3-proxy',
  // Called by name (auto-imported in Nitro) or imported, under any alias, from a module whose name holds none of these: the word itself is in the text.
  vocabulary: { words: ['proxy'] },
  kinds: [ts.SyntaxKind.CallExpression],
  appliesTo: usesH3,
  recognize(node, ctx) {
    if (!ts.isCallExpression(node)) return false;
    const name = h3Helper(node, ctx);
    const [event, target, opts] = node.arguments;
    if (!name || !event || !target || !isH3Event(event, ctx) || isThirdParty(target, ctx)) return false;
    const options = objectLiteralOf(opts, ctx);
    if (opts && !options) return false;
    const fetchOptions = objectLiteralOf(optionValue(options, 'fetchOptions'), ctx);
    const given = optionValue(options, 'headers') ?? optionValue(fetchOptions, 'headers');
    const base = { library: `h3 ${name}`, node, hooks: [], request: undefined, readIncoming: headerReader(event, ctx), incomingValue: headerValue(event, ctx) };
    if (COPIES_INCOMING.has(name)) {
      // `filterHeaders` is h3 v2's (h3js/h3 src/utils/proxy.ts, added in a 2.0 beta); v1's `proxyRequest` (unjs/h3 1.15) has no such
      // option and forwards the header whatever it lists. A file whose text shows neither version is taken as v1, and left alone.
      const filtered = isV2(ctx) ? optionValue(options, 'filterHeaders') : undefined;
      ctx.model.forwards.push({ ...base, headers: { kind: 'incoming', added: given }, filtered, unsetValue: UNSET_VALUES.h3ProxyRequest });
    } else {
      ctx.model.forwards.push({
        ...base,
        // The headers go to `fetch` as given.
        unsetValue: UNSET_VALUES.fetch,
        isHeadersObject: (expression) => isHeadersObject(expression, ctx),
        headers: given ? { kind: 'expression', expression: given } : { kind: 'none', init: options, call: node, appendable: !opts },
      });
    }
    return true;
  },
};

function h3Helper(call: ts.CallExpression, ctx: ModelContext): string | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isIdentifier(callee) || !(COPIES_INCOMING.has(callee.text) || SENDS_GIVEN.has(callee.text))) return undefined;
  const declaration = ctx.scopes.lookup(callee.text, callee);
  if (!declaration) return AUTO_IMPORTED.has(callee.text) ? callee.text : undefined;
  return declaration.kind === 'import' && H3_MODULES(declaration.module) ? declaration.imported : undefined;
}
