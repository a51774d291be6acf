import ts from 'typescript';
import { enclosingFunction } from '../../ast';
import type { FrameworkModule } from '../framework';
import { calleeImport, importsAny, objectLiteralOf, optionValue } from '../forward';

const MODULES = new Set(['next/server']);

/**
 * Next.js middleware: `NextResponse.rewrite(url, { request: { headers } })`
 * sends the request on to `url` with the headers given in place of the
 * incoming ones; without `request.headers` the incoming ones go on.
 */
export const nextRewrite: FrameworkModule = {
  name: 'next-rewrite',
  kinds: [ts.SyntaxKind.CallExpression],
  vocabulary: { modules: [...MODULES] },
  appliesTo: (ctx) => importsAny(ctx, MODULES),
  recognize(node, ctx) {
    if (!ts.isCallExpression(node)) return false;
    const imported = calleeImport(node, ctx, MODULES);
    if (imported?.module !== 'next/server' || imported.imported !== 'NextResponse' || imported.member !== 'rewrite') return false;
    const init = objectLiteralOf(node.arguments[1], ctx);
    const headers = optionValue(objectLiteralOf(optionValue(init, 'request'), ctx), 'headers');
    if (!headers) return false;
    const incoming = enclosingFunction(node)?.parameters[0]?.name;
    const name = incoming && ts.isIdentifier(incoming) ? incoming.text : undefined;
    ctx.model.forwards.push({
      library: 'NextResponse.rewrite',
      node,
      headers: { kind: 'expression', expression: headers },
      hooks: [],
      request: undefined,
      readIncoming: name ? (header) => `${name}.headers.get(${ctx.quote(header)})` : undefined,
      incomingValue: name ? (header) => `${name}.headers.get(${ctx.quote(header)}) ?? ''` : undefined,
    });
    return true;
  },
};
