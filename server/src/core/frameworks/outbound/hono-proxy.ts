import ts from 'typescript';
import type { FrameworkModule } from '../framework';
import { calleeImport, importsAny, objectLiteralOf, optionValue } from '../forward';
import { forwardOutbound } from './pass-through';

const MODULES = new Set(['hono/proxy']);

/**
 * Hono's proxy helper, a fetch wrapper: `proxy(url, { ...c.req, headers })`.
 * Its `headers` are sent as given (an `undefined` value drops one); with
 * `raw: c.req.raw` and no `headers` it copies the incoming request's.
 */
export const honoProxy: FrameworkModule = {
  name: 'hono/proxy',
  kinds: [ts.SyntaxKind.CallExpression],
  vocabulary: { modules: [...MODULES] },
  appliesTo: (ctx) => importsAny(ctx, MODULES),
  recognize(node, ctx) {
    if (!ts.isCallExpression(node)) return false;
    const imported = calleeImport(node, ctx, MODULES);
    if (imported?.module !== 'hono/proxy' || imported.imported !== 'proxy' || imported.member) return false;
    const options = objectLiteralOf(node.arguments[1], ctx);
    if (optionValue(options, 'raw') && !optionValue(options, 'headers')) return false;
    return forwardOutbound(ctx, { library: 'hono/proxy', call: node, target: node.arguments[0], options: node.arguments[1], optionsIndex: 1 });
  },
};
