import ts from 'typescript';
import { objectPropertyValue } from '../../ast';
import type { FrameworkModule } from '../framework';
import { calleeImport, forwardProxy, importsAny, objectLiteralOf, optionFunction, optionRemoteHook } from '../forward';
import { isVendorApi } from '../outbound/pass-through';

const MODULES = new Set(['http-proxy-middleware']);
/** The factories that build a proxy, across majors: v0's default export, v1–v2's and v3's named ones. */
const FACTORIES = new Set(['default', 'createProxyMiddleware', 'legacyCreateProxyMiddleware']);

/**
 * http-proxy-middleware: forwards the incoming headers (it is http-proxy
 * underneath), edited by `onProxyReq` (v2) or `on: { proxyReq }` (v3) and
 * extended by the `headers` option.
 */
export const httpProxyMiddleware: FrameworkModule = {
  name: 'http-proxy-middleware',
  kinds: [ts.SyntaxKind.CallExpression],
  vocabulary: { modules: [...MODULES] },
  appliesTo: (ctx) => importsAny(ctx, MODULES),
  recognize(node, ctx) {
    if (!ts.isCallExpression(node)) return false;
    const imported = calleeImport(node, ctx, MODULES);
    if (imported?.module !== 'http-proxy-middleware' || !FACTORIES.has(imported.member ?? imported.imported)) return false;
    const options = objectLiteralOf(node.arguments[node.arguments.length - 1], ctx);
    if (!options) return false;
    const target = objectPropertyValue(options, 'target');
    if (target && isVendorApi(target, ctx)) return true;
    const events = objectLiteralOf(objectPropertyValue(options, 'on'), ctx);
    const hooks = [optionFunction(options, 'onProxyReq', ctx), events && optionFunction(events, 'proxyReq', ctx)];
    const remote = [optionRemoteHook(options, 'onProxyReq', ctx), events && optionRemoteHook(events, 'proxyReq', ctx)];
    forwardProxy(
      ctx,
      'http-proxy-middleware',
      node,
      hooks.filter((hook) => hook !== undefined),
      objectPropertyValue(options, 'headers'),
      remote.filter((hook) => hook !== undefined),
    );
    return true;
  },
};
