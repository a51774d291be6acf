import ts from 'typescript';
import { skipOuterExpressions } from '../../ast';
import type { FrameworkModule } from '../framework';
import { calleeImport, importsAny, objectLiteralOf } from '../forward';
import { forwardOutbound } from './pass-through';

const MODULES = new Set(['http', 'node:http', 'https', 'node:https']);
const METHODS = new Set(['request', 'get']);

/** node:http and node:https: `http.request(options, callback)`, `https.request(url, options, callback)`, `http.get(…)`. */
export const nodeHttp: FrameworkModule = {
  name: 'node-http',
  kinds: [ts.SyntaxKind.CallExpression],
  vocabulary: { modules: [...MODULES] },
  appliesTo: (ctx) => importsAny(ctx, MODULES),
  recognize(node, ctx) {
    if (!ts.isCallExpression(node)) return false;
    const imported = calleeImport(node, ctx, MODULES);
    if (!imported || !MODULES.has(imported.module) || !METHODS.has(imported.member ?? imported.imported)) return false;
    const args = node.arguments;
    const optionsFirst = objectLiteralOf(args[0], ctx) !== undefined;
    const options = optionsFirst ? args[0] : args[1] && !isCallback(args[1]) ? args[1] : undefined;
    return forwardOutbound(ctx, {
      library: 'node-http',
      call: node,
      target: optionsFirst ? undefined : args[0],
      options,
      // Options are added after the URL only when no callback follows it.
      optionsIndex: optionsFirst ? 0 : 1,
    });
  },
};

function isCallback(arg: ts.Expression): boolean {
  const node = skipOuterExpressions(arg);
  return ts.isArrowFunction(node) || ts.isFunctionExpression(node);
}
