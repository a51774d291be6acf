import ts from 'typescript';
import type { FrameworkModule } from '../framework';
import { calleeImport, importsAny } from '../forward';
import { forwardOutbound } from './pass-through';

const MODULES = new Set(['undici']);

/** undici's `request(url, { method, headers, body })`; its `fetch` is the Fetch API's. */
export const undici: FrameworkModule = {
  name: 'undici',
  kinds: [ts.SyntaxKind.CallExpression],
  vocabulary: { modules: [...MODULES] },
  appliesTo: (ctx) => importsAny(ctx, MODULES),
  recognize(node, ctx) {
    if (!ts.isCallExpression(node)) return false;
    const imported = calleeImport(node, ctx, MODULES);
    if (imported?.module !== 'undici' || (imported.member ?? imported.imported) !== 'request') return false;
    return forwardOutbound(ctx, { library: 'undici', call: node, target: node.arguments[0], options: node.arguments[1], optionsIndex: 1 });
  },
};
