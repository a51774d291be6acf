import ts from 'typescript';
import type { HeaderBag } from '../model/concepts';
import type { SendFact } from '../project/facts';
import type { ModelContext } from '../model/context';
import type { FrameworkModule } from './framework';

const CHALLENGED: HeaderBag = { names: new Set(['www-authenticate']), unknown: false };
const NONE: HeaderBag = { names: new Set(), unknown: false };

/**
 * Calls of a helper another project file declares that sends the status its
 * caller passes (`sendError(res, 401, msg)`, `return errorResponse(401, 'x')`):
 * the call decides the status, the helper's body whether a challenge goes with it.
 * Same-file helpers are followed by the model itself.
 */
export const projectHelpers: FrameworkModule = {
  name: 'project-helpers',
  kinds: [ts.SyntaxKind.CallExpression],
  appliesTo: (ctx) => ctx.project !== undefined,
  recognize(node, ctx) {
    if (!ts.isCallExpression(node) || node.arguments.length === 0) return false;
    const helper = ctx.importedFunction(node.expression);
    const sends = helper?.fact.sends;
    if (!helper || !sends) return false;
    const arg = node.arguments[sends.statusParam];
    if (!arg || ts.isSpreadElement(arg)) return false;
    const resolution = ctx.status(arg);
    const responseArg = sends.responseParam === undefined ? undefined : node.arguments[sends.responseParam];
    const response = responseArg ? ctx.reference(responseArg) : undefined;
    const setter = sends.headerSetter;
    ctx.emit({
      framework: sends.framework,
      node,
      delivery: sends.delivery,
      carriedOnly: sends.carriedOnly,
      sites: resolution.kind === 'sites' ? resolution.sites : [],
      statusParameter: resolution.kind === 'parameter' ? { fn: resolution.fn, index: resolution.index } : undefined,
      response,
      carried: sends.challenge ? CHALLENGED : NONE,
      headerSetter: setter,
      addHeader: fixBefore(node, sends, response?.key, ctx),
      helperElsewhere: { file: helper.file, name: helper.fact.name, sendAt: sends.at },
    });
    return true;
  },
};

/** Setting the header on the caller's response before the call: the helper sends on that response. */
function fixBefore(call: ts.CallExpression, sends: SendFact, responseKey: string | undefined, ctx: ModelContext) {
  const setter = sends.headerSetter;
  if (!responseKey || !setter || responseKey.includes(':') || sends.carriedOnly) return undefined;
  return (name: string, value: string) => ctx.insertStatementBefore(call, `${responseKey}.${setter}(${ctx.quote(name)}, ${ctx.quote(value)});`);
}
