import ts from 'typescript';
import { skipOuterExpressions } from '../../ast';
import type { ModelContext } from '../../model/context';
import type { FrameworkModule } from '../framework';
import { calleeImport, importsAny, objectLiteralOf, optionValue } from '../forward';
import { forwardOutbound, type ClientDefaults } from './pass-through';

const MODULES = new Set(['ky']);
const METHODS = new Set(['get', 'post', 'put', 'patch', 'head', 'delete']);
const FACTORIES = new Set(['create', 'extend']);

/**
 * ky: `ky(input, options)`, `ky.get(input, options)`, …, and instances made
 * in this file by `ky.create(defaults)` or `ky.extend(defaults)` (their
 * `headers` are sent under each call's; `hooks` may set any, so an instance
 * with hooks is left alone, as is one made elsewhere).
 */
export const ky: FrameworkModule = {
  name: 'ky',
  vocabulary: { modules: [...MODULES] },
  kinds: [ts.SyntaxKind.CallExpression],
  appliesTo: (ctx) => importsAny(ctx, MODULES),
  recognize(node, ctx) {
    if (!ts.isCallExpression(node)) return false;
    const client = kyClient(node, ctx);
    if (!client) return false;
    const [input, options] = node.arguments;
    if (!input) return false;
    return forwardOutbound(ctx, { library: 'ky', call: node, target: input, options, optionsIndex: 1, defaults: client.defaults });
  },
};

function kyClient(call: ts.CallExpression, ctx: ModelContext): { defaults: ClientDefaults | undefined } | undefined {
  const imported = calleeImport(call, ctx, MODULES);
  if (imported) {
    if (imported.module !== 'ky' || imported.imported !== 'default') return undefined;
    return imported.member === undefined || METHODS.has(imported.member) ? { defaults: undefined } : undefined;
  }
  const callee = skipOuterExpressions(call.expression);
  const owner = ts.isPropertyAccessExpression(callee) ? skipOuterExpressions(callee.expression) : callee;
  if (ts.isPropertyAccessExpression(callee) && !METHODS.has(callee.name.text)) return undefined;
  if (!ts.isIdentifier(owner)) return undefined;
  const defaults = instanceDefaults(owner, ctx);
  return defaults && { defaults };
}

/** `const api = ky.create({ prefixUrl, headers })`: its written-out defaults. */
function instanceDefaults(owner: ts.Identifier, ctx: ModelContext): ClientDefaults | undefined {
  const declaration = ctx.scopes.lookup(owner.text, owner);
  if (declaration?.kind !== 'variable' || !declaration.isConst || !declaration.initializer) return undefined;
  const init = skipOuterExpressions(declaration.initializer);
  if (!ts.isCallExpression(init)) return undefined;
  const imported = calleeImport(init, ctx, MODULES);
  if (imported?.module !== 'ky' || imported.imported !== 'default' || !FACTORIES.has(imported.member ?? '')) return undefined;
  const config = init.arguments[0];
  const options = objectLiteralOf(config, ctx);
  if (config && !options) return undefined;
  if (optionValue(options, 'hooks')) return undefined;
  return { base: optionValue(options, 'prefixUrl') ?? optionValue(options, 'prefix'), headers: optionValue(options, 'headers') };
}
