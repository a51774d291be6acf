import ts from 'typescript';
import { propertyNameText } from '../../ast';
import type { ModelContext } from '../../model/context';
import type { FrameworkModule } from '../framework';
import { forwardProxy, optionValue, proxyReqListener } from '../forward';

const CONFIG_FILE = /(^|[\\/])vite\.config\.[cm]?[jt]s$/;

/**
 * Vite's dev-server proxy (`server.proxy` and `preview.proxy` entries are
 * http-proxy options): `configure: (proxy) => proxy.on('proxyReq', …)` edits
 * each outgoing request; the entry's `headers` are added to it.
 */
export const vite: FrameworkModule = {
  name: 'vite',
  kinds: [ts.SyntaxKind.CallExpression],
  vocabulary: { modules: ['vite'], words: ['vite.config'] },
  appliesTo: (ctx) => CONFIG_FILE.test(ctx.sourceFile.fileName) || ctx.usesModule((m) => m === 'vite'),
  recognize(node, ctx) {
    if (!ts.isCallExpression(node)) return false;
    const listener = proxyReqListener(node, ctx);
    if (!listener) return false;
    const entry = proxyEntryConfigured(node, ctx);
    if (!entry) return false;
    forwardProxy(ctx, 'vite', node, [listener], optionValue(entry, 'headers'));
    return true;
  },
};

/** The `server.proxy` entry whose `configure(proxy)` function registers this listener on `proxy`. */
function proxyEntryConfigured(call: ts.CallExpression, ctx: ModelContext): ts.ObjectLiteralExpression | undefined {
  const receiver = (call.expression as ts.PropertyAccessExpression).expression;
  if (!ts.isIdentifier(receiver)) return undefined;
  const declaration = ctx.scopes.lookup(receiver.text, receiver);
  if (declaration?.kind !== 'parameter' || declaration.index !== 0) return undefined;
  const configure = declaration.fn;
  const property = ts.isMethodDeclaration(configure) ? configure : configure.parent;
  if (!(ts.isPropertyAssignment(property) || ts.isMethodDeclaration(property)) || propertyNameText(property.name) !== 'configure') return undefined;
  const entry = property.parent;
  const table = entry.parent?.parent;
  const holder = table?.parent;
  if (!ts.isObjectLiteralExpression(entry) || !table || !ts.isObjectLiteralExpression(table)) return undefined;
  return holder && ts.isPropertyAssignment(holder) && propertyNameText(holder.name) === 'proxy' ? entry : undefined;
}
