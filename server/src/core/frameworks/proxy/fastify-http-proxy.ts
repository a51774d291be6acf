import ts from 'typescript';
import { skipOuterExpressions } from '../../ast';
import type { ModelContext } from '../../model/context';
import { returnedExpressions } from '../../model/forwarding';
import type { FrameworkModule } from '../framework';
import { memberAccess, objectLiteralOf, optionFunction, optionRemoteBuilder, optionValue, parameterText, UNSET_VALUES } from '../forward';

const PROXY_PLUGINS = new Set(['@fastify/http-proxy', 'fastify-http-proxy']);
const REPLY_FROM = new Set(['@fastify/reply-from', 'fastify-reply-from', ...PROXY_PLUGINS]);

/**
 * @fastify/http-proxy (`fastify.register(proxy, { replyOptions: { rewriteRequestHeaders } })`)
 * and @fastify/reply-from (`reply.from(url, { rewriteRequestHeaders })`): the
 * hook receives the incoming headers and returns the ones sent upstream.
 */
export const fastifyHttpProxy: FrameworkModule = {
  name: 'fastify-http-proxy',
  kinds: [ts.SyntaxKind.CallExpression],
  vocabulary: { modules: [...REPLY_FROM] },
  recognize(node, ctx) {
    if (!ts.isCallExpression(node)) return false;
    const callee = skipOuterExpressions(node.expression);
    if (!ts.isPropertyAccessExpression(callee)) return false;
    if (callee.name.text === 'register') return register(node, ctx);
    if (callee.name.text === 'from' && ctx.usesModule((m) => REPLY_FROM.has(m))) {
      return rewrite(node, objectLiteralOf(node.arguments[1], ctx), ctx);
    }
    return false;
  },
};

function register(call: ts.CallExpression, ctx: ModelContext): boolean {
  const plugin = call.arguments[0] && skipOuterExpressions(call.arguments[0]);
  if (!plugin || !ts.isIdentifier(plugin)) return false;
  const imported = ctx.scopes.importOf(plugin.text, plugin);
  if (!imported || !PROXY_PLUGINS.has(imported.module)) return false;
  const options = objectLiteralOf(call.arguments[1], ctx);
  return rewrite(call, objectLiteralOf(optionValue(options, 'replyOptions'), ctx), ctx);
}

/** One forwarding site per value the hook returns; without a hook the incoming headers go on untouched. */
function rewrite(call: ts.CallExpression, options: ts.ObjectLiteralExpression | undefined, ctx: ModelContext): boolean {
  const hook = options && optionFunction(options, 'rewriteRequestHeaders', ctx);
  if (!hook) return options ? remoteRewrite(call, options, ctx) : false;
  const incoming = parameterText(hook, 1);
  for (const expression of returnedExpressions(hook)) {
    ctx.model.forwards.push({
      library: 'fastify',
      // @fastify/reply-from lib/request.js sends through undici unless told to use `http`; it removes headers itself by setting them `undefined`.
      unsetValue: UNSET_VALUES.undiciRequest,
      node: call,
      headers: { kind: 'expression', expression },
      hooks: [],
      request: undefined,
      readIncoming: incoming ? (header) => `${incoming}${memberAccess(header, ctx)}` : undefined,
    });
  }
  return true;
}

/** `rewriteRequestHeaders: forwardHeaders` imported from another file: the headers it returns, as the project index read them there. */
function remoteRewrite(call: ts.CallExpression, options: ts.ObjectLiteralExpression, ctx: ModelContext): boolean {
  const remote = optionRemoteBuilder(options, 'rewriteRequestHeaders', ctx);
  if (!remote) return false;
  ctx.model.forwards.push({
    library: 'fastify',
    unsetValue: UNSET_VALUES.undiciRequest,
    node: call,
    headers: { kind: 'incoming', added: undefined },
    hooks: [],
    request: undefined,
    readIncoming: undefined,
    remoteHooks: [remote],
  });
  return true;
}
