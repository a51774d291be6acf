import ts from 'typescript';
import { isAncestorOf, skipOuterExpressions } from '../ast';
import type { ModelContext } from '../model/context';
import { fetchHookOutgoing, hookOutgoing, ownOutgoing, returnedOutgoing, type Outgoing } from '../model/forwarding';
import { spanOf, type Declarations } from './declarations';
import type { HeaderFacts, OutboundFact, OutgoingFact } from './facts';

/** SvelteKit's server hooks module (`src/hooks.server.ts`). */
const SVELTEKIT_HOOKS = /(^|[\\/])hooks\.server\.[cm]?[jt]s$/;

/**
 * Gives each top-level function of the file its part in forwarding, for
 * forwards in other files that name it: a proxy hook's removals from the
 * outgoing request it is given (`stripAuth(proxyReq)`), or the headers a
 * builder returns (`forwardHeaders(req)`).
 */
export function addHeaderFacts(ctx: ModelContext, declarations: Declarations): void {
  const sourceFile = ctx.sourceFile;
  for (const statement of sourceFile.statements) {
    for (const [name, fn] of topLevelFunctions(statement)) {
      const fact = declarations.declarations[name];
      if (fact?.kind !== 'function' || fact.at.start !== fn.getStart(sourceFile)) continue;
      const hook = hookOutgoing(fn, ctx);
      const returns = returnedOutgoing(fn, ctx);
      const outbound = outboundFact(fn, ctx);
      const fetchHook = name === 'handleFetch' && SVELTEKIT_HOOKS.test(sourceFile.fileName) ? fetchHookOutgoing(fn, ctx) : undefined;
      if (!hook && !returns && !outbound && !fetchHook) continue;
      const headers: HeaderFacts = {};
      if (hook) headers.hook = outgoingFact(hook, sourceFile);
      if (fetchHook) headers.fetchHook = outgoingFact(fetchHook, sourceFile);
      if (returns) headers.returns = outgoingFact(returns, sourceFile);
      if (outbound) headers.outbound = outbound;
      fact.headers = headers;
    }
  }
}

/** `function f() {}` and `const f = () => …` at the top of the module (exported or not: `module.exports = { f }` names them too). */
export function topLevelFunctions(statement: ts.Statement): [string, ts.FunctionLikeDeclaration][] {
  if (ts.isFunctionDeclaration(statement)) return statement.name && statement.body ? [[statement.name.text, statement]] : [];
  if (!ts.isVariableStatement(statement)) return [];
  const found: [string, ts.FunctionLikeDeclaration][] = [];
  for (const declaration of statement.declarationList.declarations) {
    const value = declaration.initializer && skipOuterExpressions(declaration.initializer);
    if (ts.isIdentifier(declaration.name) && value && (ts.isArrowFunction(value) || ts.isFunctionExpression(value))) found.push([declaration.name.text, value]);
  }
  return found;
}

function outgoingFact(outgoing: Outgoing, sourceFile: ts.SourceFile): OutgoingFact {
  return {
    names: [...outgoing.names],
    open: outgoing.open,
    removals: outgoing.removals.map((r) => ({ name: r.name, how: r.how, ...(r.value && { value: r.value }), at: spanOf(r.node, sourceFile) })),
    allowLists: outgoing.allowLists.map((list) => ({ names: [...list.names], at: spanOf(list.node, sourceFile) })),
    rebuilt: outgoing.rebuilt && spanOf(outgoing.rebuilt, sourceFile),
  };
}

/**
 * The outbound request `fn` makes from its parameters, when its URL is built
 * from one of them: the one request a wrapper such as `get(url, params, headers)` makes.
 * A function making several, or whose URL is fixed, is no such wrapper.
 */
export function outboundFact(fn: ts.FunctionLikeDeclaration, ctx: ModelContext): OutboundFact | undefined {
  const made = (ctx.model.outbound ?? []).filter((request) => isAncestorOf(fn, request.call));
  if (made.length !== 1) return undefined;
  const request = made[0];
  const target = parametersIn(request.target, fn, ctx);
  if (target.length === 0) return undefined;
  const headerParams = request.headers ? parametersIn([request.headers], fn, ctx) : [];
  return {
    library: request.library,
    target,
    data: parametersIn(request.data, fn, ctx),
    composed: request.composed,
    headerParams,
    noHeaders: !request.headers && !request.defaultHeaders,
    headers: outgoingFact(ownOutgoing(request.headers, request.defaultHeaders, request.call, fn, ctx), ctx.sourceFile),
    at: spanOf(request.call, ctx.sourceFile),
  };
}

/** The indexes of `fn`'s parameters that `expressions` read, through the constants they name (`const url = BASE + path`). */
function parametersIn(expressions: readonly ts.Expression[], fn: ts.FunctionLikeDeclaration, ctx: ModelContext): number[] {
  const found = new Set<number>();
  const seen = new Set<ts.Node>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) {
      const declaration = ctx.scopes.lookup(node.text, node);
      if (declaration?.kind === 'parameter' && declaration.fn === fn) found.add(declaration.index);
      else if (declaration?.kind === 'variable' && declaration.initializer && isAncestorOf(fn, declaration.node) && !seen.has(declaration.node)) {
        seen.add(declaration.node);
        visit(declaration.initializer);
      }
      return;
    }
    // `{ url }` shorthand names the binding too.
    if (ts.isShorthandPropertyAssignment(node)) return visit(node.name);
    if (ts.isPropertyAccessExpression(node)) return visit(node.expression);
    ts.forEachChild(node, visit);
  };
  for (const expression of expressions) visit(expression);
  return [...found].sort((a, b) => a - b);
}
