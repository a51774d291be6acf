import ts from 'typescript';
import { skipOuterExpressions } from '../../ast';
import type { FrameworkModule } from '../framework';
import { calleeImport } from '../forward';
import { forwardOutbound } from './pass-through';

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'stream']);

/** got: `got(url, options)`, `got(options)`, `got.post(url, options)`, `got.stream(url, options)`. */
export const got: FrameworkModule = {
  name: 'got',
  recognize(node, ctx) {
    if (!ts.isCallExpression(node)) return false;
    const imported = calleeImport(node, ctx);
    if (imported?.module !== 'got' || imported.imported !== 'default') return false;
    if (imported.member !== undefined && !METHODS.has(imported.member)) return false;
    const first = node.arguments[0] && skipOuterExpressions(node.arguments[0]);
    if (!first) return false;
    if (ts.isObjectLiteralExpression(first)) {
      return forwardOutbound(ctx, { library: 'got', call: node, target: undefined, options: first, optionsIndex: 0 });
    }
    return forwardOutbound(ctx, { library: 'got', call: node, target: node.arguments[0], options: node.arguments[1], optionsIndex: 1 });
  },
};
