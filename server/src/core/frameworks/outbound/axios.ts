import ts from 'typescript';
import { skipOuterExpressions } from '../../ast';
import type { FrameworkModule } from '../framework';
import { calleeImport } from '../forward';
import { forwardOutbound, type OutboundCall } from './pass-through';

const WITHOUT_DATA = new Set(['get', 'delete', 'head', 'options']);
const WITH_DATA = new Set(['post', 'put', 'patch', 'postForm', 'putForm', 'patchForm']);

/**
 * axios's default instance: `axios(config)`, `axios(url, config)`,
 * `axios.request(config)`, `axios.get(url, config)`, `axios.post(url, data, config)`.
 * Instances from `axios.create` are left alone: their defaults may carry the credential.
 */
export const axios: FrameworkModule = {
  name: 'axios',
  recognize(node, ctx) {
    if (!ts.isCallExpression(node)) return false;
    const imported = calleeImport(node, ctx);
    if (imported?.module !== 'axios' || imported.imported !== 'default') return false;
    const outbound = axiosCall(node, imported.member);
    return !!outbound && forwardOutbound(ctx, outbound);
  },
};

function axiosCall(call: ts.CallExpression, method: string | undefined): OutboundCall | undefined {
  const args = call.arguments;
  const base = { library: 'axios', call };
  if (method === undefined || method === 'request') {
    const first = args[0] && skipOuterExpressions(args[0]);
    if (!first) return undefined;
    if (ts.isObjectLiteralExpression(first) || method === 'request') return { ...base, target: undefined, options: args[0], optionsIndex: 0 };
    return { ...base, target: args[0], options: args[1], optionsIndex: 1 };
  }
  if (WITHOUT_DATA.has(method)) return { ...base, target: args[0], options: args[1], optionsIndex: 1 };
  if (WITH_DATA.has(method)) return { ...base, target: args[0], options: args[2], optionsIndex: 2 };
  return undefined;
}
