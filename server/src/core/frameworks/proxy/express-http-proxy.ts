import ts from 'typescript';
import type { OutgoingHeaders } from '../../model/concepts';
import type { ModelContext } from '../../model/context';
import { propertyWritesTo } from '../../model/forwarding';
import type { FrameworkModule } from '../framework';
import { calleeImport, importsAny, nodeHeaderReader, objectLiteralOf, optionFunction, optionRemoteHook, parameterText, UNSET_VALUES } from '../forward';

const MODULES = new Set(['express-http-proxy']);

/**
 * express-http-proxy: `proxy(host, { proxyReqOptDecorator(proxyReqOpts, srcReq) })`.
 * The options start with the incoming headers; the decorator may edit them or
 * replace them (`proxyReqOpts.headers = {…}`).
 */
export const expressHttpProxy: FrameworkModule = {
  name: 'express-http-proxy',
  kinds: [ts.SyntaxKind.CallExpression],
  vocabulary: { modules: [...MODULES] },
  appliesTo: (ctx) => importsAny(ctx, MODULES),
  recognize(node, ctx) {
    if (!ts.isCallExpression(node)) return false;
    const imported = calleeImport(node, ctx, MODULES);
    if (imported?.module !== 'express-http-proxy' || imported.imported !== 'default' || imported.member) return false;
    const options = objectLiteralOf(node.arguments[1], ctx);
    const decorator = options && optionFunction(options, 'proxyReqOptDecorator', ctx);
    // `proxyReqOptDecorator: addUserContext` imported from another file: what it takes off the options' headers there.
    const remote = options && !decorator ? optionRemoteHook(options, 'proxyReqOptDecorator', ctx) : undefined;
    const source = decorator && parameterText(decorator, 1);
    ctx.model.forwards.push({
      library: 'express-http-proxy',
      unsetValue: UNSET_VALUES.nodeHttp,
      node,
      headers: decorator ? decoratedHeaders(decorator, ctx) : { kind: 'incoming', added: undefined },
      hooks: decorator ? [decorator] : [],
      request: undefined,
      readIncoming: source ? nodeHeaderReader(source, ctx) : undefined,
      remoteHooks: remote ? [remote] : [],
    });
    return true;
  },
};

/** The last `proxyReqOpts.headers = …` in the decorator, if it replaces the headers. */
function decoratedHeaders(decorator: ts.FunctionLikeDeclaration, ctx: ModelContext): OutgoingHeaders {
  const options = decorator.parameters[0];
  const replacement = propertyWritesTo(options, ctx).filter((w) => w.name === 'headers' && w.op === 'set').pop();
  if (replacement && ts.isBinaryExpression(replacement.node)) return { kind: 'expression', expression: replacement.node.right };
  return { kind: 'incoming', added: undefined };
}
