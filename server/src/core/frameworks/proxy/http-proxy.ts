import ts from 'typescript';
import { skipOuterExpressions } from '../../ast';
import type { ModelContext } from '../../model/context';
import type { FrameworkModule } from '../framework';
import { calleeImport, forwardProxy, importsAny, nodeHeaderReader, objectLiteralOf, optionValue, proxyReqListener } from '../forward';

const MODULES = new Set(['http-proxy', 'http-proxy-3']);
const FACTORIES = new Set(['createProxyServer', 'createProxy', 'createServer']);

/**
 * http-proxy (node-http-proxy): `proxy.web(req, res, options)` forwards the
 * incoming request with its headers, so edits to `req.headers` before it count;
 * `proxy.on('proxyReq', …)` edits every outgoing request of that proxy.
 */
export const httpProxy: FrameworkModule = {
  name: 'http-proxy',
  kinds: [ts.SyntaxKind.CallExpression],
  vocabulary: { modules: [...MODULES] },
  appliesTo: (ctx) => importsAny(ctx, MODULES),
  recognize(node, ctx) {
    if (!ts.isCallExpression(node) || !importsAny(ctx, MODULES)) return false;
    const callee = skipOuterExpressions(node.expression);
    if (!ts.isPropertyAccessExpression(callee)) return false;
    const server = proxyServer(callee.expression, ctx);
    if (!server) return false;
    const listener = proxyReqListener(node, ctx);
    if (listener) {
      forwardProxy(ctx, 'http-proxy', node, [listener], undefined);
      return true;
    }
    if (callee.name.text !== 'web') return false;
    return proxyWeb(node, server, ctx);
  },
};

function proxyWeb(call: ts.CallExpression, server: ts.CallExpression, ctx: ModelContext): boolean {
  const request = call.arguments[0] && skipOuterExpressions(call.arguments[0]);
  if (!request || !ts.isIdentifier(request)) return false;
  const declaration = ctx.scopes.lookup(request.text, request);
  const added = optionValue(objectLiteralOf(call.arguments[2], ctx), 'headers') ?? optionValue(objectLiteralOf(server.arguments[0], ctx), 'headers');
  ctx.model.forwards.push({
    library: 'http-proxy',
    node: call,
    headers: { kind: 'incoming', added },
    hooks: [],
    request: declaration && 'node' in declaration ? declaration.node : undefined,
    readIncoming: nodeHeaderReader(request.text, ctx),
  });
  return true;
}

/** The `createProxyServer(…)` call a proxy variable holds. */
function proxyServer(expression: ts.Expression, ctx: ModelContext): ts.CallExpression | undefined {
  const node = skipOuterExpressions(expression);
  if (!ts.isIdentifier(node)) return undefined;
  const declaration = ctx.scopes.lookup(node.text, node);
  if (declaration?.kind !== 'variable' || !declaration.initializer) return undefined;
  const init = skipOuterExpressions(declaration.initializer);
  if (!ts.isCallExpression(init)) return undefined;
  const imported = calleeImport(init, ctx, MODULES);
  if (!imported || !MODULES.has(imported.module)) return undefined;
  return FACTORIES.has(imported.member ?? imported.imported) ? init : undefined;
}
