import ts from 'typescript';
import { skipOuterExpressions } from '../../ast';
import type { ModelContext } from '../../model/context';
import type { FrameworkModule } from '../framework';
import { calleeImport, importsAny, objectLiteralOf, optionValue } from '../forward';
import { forwardOutbound, loneArgument, type ClientDefaults, type OutboundCall } from './pass-through';

const MODULES = new Set(['axios', '@nestjs/axios']);
const WITHOUT_DATA = new Set(['get', 'delete', 'head', 'options']);
const WITH_DATA = new Set(['post', 'put', 'patch', 'postForm', 'putForm', 'patchForm']);
/** Where NestJS's `HttpService` is imported from (`@nestjs/common` before Nest 8). */
const NEST_HTTP = new Set(['@nestjs/axios', '@nestjs/common']);

/**
 * axios: its default instance (`axios(config)`, `axios(url, config)`,
 * `axios.request(config)`, `axios.get(url, config)`, `axios.post(url, data, config)`),
 * an instance made in this file by `axios.create(config)` whose defaults are
 * written out and never added to (no interceptors, no `defaults` writes), and
 * NestJS's `HttpService` (`this.httpService.get(…)`, `.axiosRef.get(…)`), which
 * wraps axios. An instance made elsewhere may carry the credential: left alone.
 */
export const axios: FrameworkModule = {
  name: 'axios',
  kinds: [ts.SyntaxKind.CallExpression],
  // NestJS's HttpService may be imported from `@nestjs/common` (before Nest 8), which every Nest file imports: its name is what marks the file.
  vocabulary: { modules: [...MODULES], words: ['HttpService'] },
  appliesTo: (ctx) => importsAny(ctx, MODULES),
  recognize(node, ctx) {
    if (!ts.isCallExpression(node)) return false;
    const imported = calleeImport(node, ctx, MODULES);
    if (imported) {
      if (imported.module !== 'axios' || imported.imported !== 'default') return false;
      const outbound = axiosCall(node, imported.member, 'axios', ctx);
      return !!outbound && forwardOutbound(ctx, outbound);
    }
    const client = clientOf(node, ctx);
    if (!client) return false;
    const outbound = axiosCall(node, client.method, client.library, ctx);
    return !!outbound && forwardOutbound(ctx, { ...outbound, defaults: client.defaults });
  },
};

function axiosCall(call: ts.CallExpression, method: string | undefined, library: string, ctx: ModelContext): OutboundCall | undefined {
  const args = call.arguments;
  const base = { library, call };
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

interface Client {
  library: string;
  method: string | undefined;
  defaults: ClientDefaults | undefined;
}

/** `api.get(…)` on a `const api = axios.create(…)` of this file, or `this.httpService.get(…)` on NestJS's HttpService. */
function clientOf(call: ts.CallExpression, ctx: ModelContext): Client | undefined {
  const callee = skipOuterExpressions(call.expression);
  const owner = ts.isPropertyAccessExpression(callee) ? skipOuterExpressions(callee.expression) : callee;
  const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  if (ts.isIdentifier(owner)) {
    const defaults = instanceDefaults(owner, ctx);
    return defaults && { library: 'axios instance', method, defaults };
  }
  if (!method || !ts.isPropertyAccessExpression(owner)) return undefined;
  // `this.httpService.axiosRef.get(…)` is the same axios instance.
  const service = owner.name.text === 'axiosRef' ? skipOuterExpressions(owner.expression) : owner;
  return isNestHttpService(service, ctx) ? { library: 'NestJS HttpService', method, defaults: undefined } : undefined;
}

/** The written-out defaults of `const api = axios.create({ baseURL, headers })`, when nothing else adds to them. */
function instanceDefaults(owner: ts.Identifier, ctx: ModelContext): ClientDefaults | undefined {
  const declaration = ctx.scopes.lookup(owner.text, owner);
  if (declaration?.kind !== 'variable' || !declaration.isConst || !declaration.initializer) return undefined;
  const init = skipOuterExpressions(declaration.initializer);
  if (!ts.isCallExpression(init)) return undefined;
  const imported = calleeImport(init, ctx, MODULES);
  if (imported?.module !== 'axios' || imported.member !== 'create') return undefined;
  const config = init.arguments[0];
  const options = objectLiteralOf(config, ctx);
  if (config && !options) return undefined;
  // Interceptors and `defaults` writes may add a credential to every request.
  if (new RegExp(`\\b${owner.text}\\s*\\.\\s*(interceptors|defaults)\\b`).test(ctx.text)) return undefined;
  return { base: optionValue(options, 'baseURL'), headers: optionValue(options, 'headers') };
}

/** `this.httpService`, where the class's constructor takes it typed as NestJS's HttpService. */
function isNestHttpService(node: ts.Node, ctx: ModelContext): boolean {
  if (!ts.isPropertyAccessExpression(node) || node.expression.kind !== ts.SyntaxKind.ThisKeyword) return false;
  const name = node.name.text;
  let cls: ts.Node | undefined = node.parent;
  while (cls && !ts.isClassLike(cls)) cls = cls.parent;
  if (!cls) return false;
  for (const member of (cls as ts.ClassLikeDeclaration).members) {
    const typed =
      ts.isConstructorDeclaration(member) ? member.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === name)?.type
      : ts.isPropertyDeclaration(member) && ts.isIdentifier(member.name) && member.name.text === name ? member.type
      : undefined;
    if (typed && ts.isTypeReferenceNode(typed) && ts.isIdentifier(typed.typeName)) {
      const imported = ctx.scopes.importOf(typed.typeName.text, typed);
      return !!imported && NEST_HTTP.has(imported.module) && imported.imported === 'HttpService';
    }
  }
  return false;
}
