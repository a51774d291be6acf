import ts from 'typescript';
import { skipOuterExpressions } from '../ast';
import type { ModelContext } from '../model/context';
import { hookOutgoing, returnedOutgoing, type Outgoing } from '../model/forwarding';
import { spanOf, type Declarations } from './declarations';
import type { HeaderFacts, OutgoingFact } from './facts';

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
      if (!hook && !returns) continue;
      const headers: HeaderFacts = {};
      if (hook) headers.hook = outgoingFact(hook, sourceFile);
      if (returns) headers.returns = outgoingFact(returns, sourceFile);
      fact.headers = headers;
    }
  }
}

/** `function f() {}` and `const f = () => …` at the top of the module (exported or not: `module.exports = { f }` names them too). */
function topLevelFunctions(statement: ts.Statement): [string, ts.FunctionLikeDeclaration][] {
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
