import ts from 'typescript';
import type { ModelContext } from '../../model/context';
import type { FrameworkModule } from '../framework';
import { calleeImport, importsAny } from '../forward';
import { forwardOutbound, loneArgument, type OutboundCall } from './pass-through';

const MODULES = new Set(['axios']);
const WITHOUT_DATA = new Set(['get', 'delete', 'head', 'options']);
const WITH_DATA = new Set(['post', 'put', 'patch', 'postForm', 'putForm', 'patchForm']);

/**
 * axios's default instance: `axios(config)`, `axios(url, config)`,
 * `axios.request(config)`, `axios.get(url, config)`, `axios.post(url, data, config)`.
 * Instances from `axios.create` are left alone: their defaults may carry the credential.
 */
export const axios: FrameworkModule = {
  name: 'axios',
  kinds: [ts.SyntaxKind.CallExpression],
  vocabulary: { modules: [...MODULES] },
  appliesTo: (ctx) => importsAny(ctx, MODULES),
  recognize(node, ctx) {
    if (!ts.isCallExpression(node)) return false;
    const imported = calleeImport(node, ctx, MODULES);
    if (imported?.module !== 'axios' || imported.imported !== 'default') return false;
    const outbound = axiosCall(node, imported.member, ctx);
    return !!outbound && forwardOutbound(ctx, outbound);
  },
};

function axiosCall(call: ts.CallExpression, method: string | undefined, ctx: ModelContext): OutboundCall | undefined {
  const args = call.arguments;
  const base = { library: 'axios', call };
  if (method === 'request') return { ...base, target: undefined, options: args[0], optionsIndex: 0 };
  if (method === undefined) {
    if (!args[0]) return undefined;
    if (args.length > 1) return { ...base, target: args[0], options: args[1], optionsIndex: 1 };
    const lone = loneArgument(args[0], ctx);
    if (lone === 'options') return { ...base, target: undefined, options: args[0], optionsIndex: 0 };
    return lone === 'url' ? { ...base, target: args[0], options: undefined, optionsIndex: 1 } : undefined;
  }
  if (WITHOUT_DATA.has(method)) return { ...base, target: args[0], options: args[1], optionsIndex: 1 };
  if (WITH_DATA.has(method)) return { ...base, target: args[0], options: args[2], optionsIndex: 2, data: args[1] };
  return undefined;
}
