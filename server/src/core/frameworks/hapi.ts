import ts from 'typescript';
import { skipOuterExpressions, stringValue } from '../ast';
import type { ModelContext } from '../model/context';
import { calledMember, chainInsert, emitStatus, methodCall, type FrameworkModule } from './framework';

/** hapi: `h.response(body).code(401)`, with `.header(name, value)` anywhere in the chain. */
export const hapi: FrameworkModule = {
  name: 'hapi',
  kinds: [ts.SyntaxKind.CallExpression],
  recognize(node, ctx) {
    if (calledMember(node) !== 'code') return false;
    const call = methodCall(node)!;
    if (call.call.arguments.length !== 1) return false;
    if (!chainStartsAtToolkit(call.receiver, ctx)) return false;
    emitStatus(ctx, {
      framework: 'hapi',
      node: call.call,
      delivery: 'send',
      status: call.call.arguments[0],
      carried: { names: chainHeaders(call.call), unknown: false },
      addHeader: (name, value) => chainInsert(ctx, call.call, 'header', name, value),
    });
    return true;
  },
};

/** The chain starts with `h.response(…)` on the handler's response toolkit. */
function chainStartsAtToolkit(receiver: ts.Expression, ctx: ModelContext): boolean {
  let node = skipOuterExpressions(receiver);
  while (ts.isCallExpression(node)) {
    const callee = skipOuterExpressions(node.expression);
    if (!ts.isPropertyAccessExpression(callee)) return false;
    if (callee.name.text === 'response') {
      const toolkit = skipOuterExpressions(callee.expression);
      if (!ts.isIdentifier(toolkit)) return false;
      if (toolkit.text === 'h') return true;
      const declaration = ctx.scopes.lookup(toolkit.text, toolkit);
      return declaration?.kind === 'parameter' && !!declaration.node.type && /ResponseToolkit/.test(declaration.node.type.getText(ctx.sourceFile));
    }
    node = skipOuterExpressions(callee.expression);
  }
  return false;
}

/** Header names set with `.header(name, value)` on the same chain, before or after the call. */
function chainHeaders(call: ts.CallExpression): Set<string> {
  const names = new Set<string>();
  let top: ts.Node = call;
  while (ts.isPropertyAccessExpression(top.parent) && ts.isCallExpression(top.parent.parent)) top = top.parent.parent;
  for (let node = skipOuterExpressions(top); ts.isCallExpression(node); ) {
    const callee = skipOuterExpressions(node.expression);
    if (!ts.isPropertyAccessExpression(callee)) break;
    const name = callee.name.text === 'header' ? stringValue(node.arguments[0]) : undefined;
    if (name) names.add(name.toLowerCase());
    node = skipOuterExpressions(callee.expression);
  }
  return names;
}
