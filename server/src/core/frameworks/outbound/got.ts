import ts from 'typescript';
import type { FrameworkModule } from '../framework';
import { calleeImport, importsAny } from '../forward';
import { forwardOutbound, loneArgument } from './pass-through';

const MODULES = new Set(['got']);
const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'stream']);

/** got: `got(url, options)`, `got(options)`, `got.post(url, options)`, `got.stream(url, options)`. */
export const got: FrameworkModule = {
  name: 'got',
  kinds: [ts.SyntaxKind.CallExpression],
  vocabulary: { modules: [...MODULES] },
  appliesTo: (ctx) => importsAny(ctx, MODULES),
  recognize(node, ctx) {
    if (!ts.isCallExpression(node)) return false;
    const imported = calleeImport(node, ctx, MODULES);
    if (imported?.module !== 'got' || imported.imported !== 'default') return false;
    if (imported.member !== undefined && !METHODS.has(imported.member)) return false;
    const [first, second] = node.arguments;
    if (!first) return false;
    const lone = second ? 'url' : loneArgument(first, ctx);
    if (lone === 'options') return forwardOutbound(ctx, { library: 'got', call: node, target: undefined, options: first, optionsIndex: 0 });
    return lone === 'url' && forwardOutbound(ctx, { library: 'got', call: node, target: first, options: second, optionsIndex: 1 });
  },
};
