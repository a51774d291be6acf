import ts from 'typescript';
import { skipOuterExpressions, stringValue } from '../../ast';
import type { ModelContext } from '../../model/context';
import type { FrameworkModule } from '../framework';
import { calleeImport, forwardProxy, importsAny, nodeHeaderReader, objectLiteralOf, optionValue, proxyReqListener, remoteHook, UNSET_VALUES } from '../forward';

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
      forwardProxy(ctx, 'http-proxy', node, [listener], addedBeforeListeners(callee.expression, server, ctx));
      return true;
    }
    // `proxy.on('proxyReq', stripAuth)` with the listener imported from another file.
    const remote = isProxyReqEvent(node) ? remoteHook(node.arguments[1], ctx) : undefined;
    if (remote) {
      forwardProxy(ctx, 'http-proxy', node, [], addedBeforeListeners(callee.expression, server, ctx), [remote]);
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
  const options = objectLiteralOf(call.arguments[2], ctx);
  const serverOptions = objectLiteralOf(server.arguments[0], ctx);
  // `auth: 'user:pass'` sends the upstream Basic credentials of the server's own (lib/http-proxy/common.js sets `outgoing.auth`), in the caller's place.
  if (optionValue(options, 'auth') || optionValue(serverOptions, 'auth')) return true;
  const added = optionValue(options, 'headers') ?? optionValue(serverOptions, 'headers');
  ctx.model.forwards.push({
    library: 'http-proxy',
    // lib/http-proxy/common.js `setupOutgoing` merges `options.headers` over the incoming ones for `http.request`.
    unsetValue: UNSET_VALUES.nodeHttp,
    node: call,
    headers: { kind: 'incoming', added },
    hooks: [],
    request: declaration && 'node' in declaration ? declaration.node : undefined,
    readIncoming: nodeHeaderReader(request.text, ctx),
  });
  return true;
}

/**
 * The headers a `proxyReq` listener finds already set: lib/http-proxy/common.js
 * `setupOutgoing` merges `options.headers` (the server's, or those of the one
 * `proxy.web(req, res, { headers })` that forwards through it) before the
 * event fires, so a service token given there survives a removal in the listener.
 */
function addedBeforeListeners(proxy: ts.Expression, server: ts.CallExpression, ctx: ModelContext): ts.Expression | undefined {
  const fromServer = optionValue(objectLiteralOf(server.arguments[0], ctx), 'headers');
  if (fromServer) return fromServer;
  const name = skipOuterExpressions(proxy);
  const declaration = ts.isIdentifier(name) ? ctx.scopes.lookup(name.text, name) : undefined;
  if (declaration?.kind !== 'variable') return undefined;
  const webs = webCalls(ctx.sourceFile, declaration.node, ctx);
  return webs.length === 1 ? optionValue(objectLiteralOf(webs[0].arguments[2], ctx), 'headers') : undefined;
}

/** Every `proxy.web(…)` of the file on the proxy variable `declaration` declares. */
function webCalls(sourceFile: ts.SourceFile, declaration: ts.VariableDeclaration, ctx: ModelContext): ts.CallExpression[] {
  const found: ts.CallExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'web') {
        const owner = skipOuterExpressions(callee.expression);
        if (ts.isIdentifier(owner) && owner.text === declaration.name.getText(sourceFile)) {
          const resolved = ctx.scopes.lookup(owner.text, owner);
          if (resolved?.kind === 'variable' && resolved.node === declaration) found.push(node);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

function isProxyReqEvent(call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  return ts.isPropertyAccessExpression(callee) && callee.name.text === 'on' && stringValue(call.arguments[0]) === 'proxyReq' && call.arguments[1] !== undefined;
}

/** The `createProxyServer(…)` call a proxy variable, or a field of `this` the file sets once, holds. */
function proxyServer(expression: ts.Expression, ctx: ModelContext): ts.CallExpression | undefined {
  const node = skipOuterExpressions(expression);
  if (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword) return fieldServer(node.name.text, ctx);
  if (!ts.isIdentifier(node)) return undefined;
  const declaration = ctx.scopes.lookup(node.text, node);
  if (declaration?.kind !== 'variable' || !declaration.initializer) return undefined;
  return factoryCall(declaration.initializer, ctx);
}

function factoryCall(expression: ts.Expression, ctx: ModelContext): ts.CallExpression | undefined {
  const init = skipOuterExpressions(expression);
  if (!ts.isCallExpression(init)) return undefined;
  const imported = calleeImport(init, ctx, MODULES);
  if (!imported || !MODULES.has(imported.module)) return undefined;
  return FACTORIES.has(imported.member ?? imported.imported) ? init : undefined;
}

const fieldServers = new WeakMap<ts.SourceFile, Map<string, ts.CallExpression | null>>();

/**
 * `this.proxy = httpProxy.createProxyServer(…)` in a constructor (or `proxy = …`
 * as a class field): the server, when that is the one value the file gives the field.
 */
function fieldServer(name: string, ctx: ModelContext): ts.CallExpression | undefined {
  let servers = fieldServers.get(ctx.sourceFile);
  if (!servers) {
    servers = new Map();
    fieldServers.set(ctx.sourceFile, servers);
  }
  if (!servers.has(name)) servers.set(name, findFieldServer(name, ctx) ?? null);
  return servers.get(name) ?? undefined;
}

function findFieldServer(name: string, ctx: ModelContext): ts.CallExpression | undefined {
  const values: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = skipOuterExpressions(node.left);
      if (ts.isPropertyAccessExpression(left) && left.expression.kind === ts.SyntaxKind.ThisKeyword && left.name.text === name) values.push(node.right);
    } else if (ts.isPropertyDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name && node.initializer) {
      values.push(node.initializer);
    }
    ts.forEachChild(node, visit);
  };
  visit(ctx.sourceFile);
  return values.length === 1 ? factoryCall(values[0], ctx) : undefined;
}
