import ts from 'typescript';
import { enclosingFunction, isFunctionLike, skipOuterExpressions } from '../../ast';
import type { ModelContext } from '../../model/context';
import type { FrameworkModule } from '../framework';
import { calleeImport, importsAny, objectLiteralOf, optionValue, UNSET_VALUES } from '../forward';
import { forwardOutbound, loneArgument } from './pass-through';

/** The deprecated `request` client, its promise wrappers and its maintained forks, which share its API. */
const MODULES = new Set(['request', 'request-promise', 'request-promise-native', '@cypress/request', 'postman-request']);
const METHODS = new Set(['get', 'post', 'put', 'patch', 'del', 'delete', 'head', 'options']);

/**
 * request: `request(options, callback)`, `request(url, options, callback)`,
 * `request.post(url | options, …)`. The URL option is `uri` or `url`.
 */
export const requestClient: FrameworkModule = {
  name: 'request',
  kinds: [ts.SyntaxKind.CallExpression],
  vocabulary: { modules: [...MODULES] },
  appliesTo: (ctx) => importsAny(ctx, MODULES),
  recognize(node, ctx) {
    if (!ts.isCallExpression(node)) return false;
    const imported = calleeImport(node, ctx, MODULES);
    if (!imported || !MODULES.has(imported.module) || imported.imported !== 'default') return false;
    if (imported.member !== undefined && !METHODS.has(imported.member)) return false;
    if (pipedInto(node, ctx)) return false;
    // The callback is not options.
    const [first, second] = node.arguments.filter((arg) => !isFunctionLike(skipOuterExpressions(arg)));
    if (!first) return false;
    const lone = second ? 'url' : loneArgument(first, ctx);
    const call = { library: 'request', unsetValue: UNSET_VALUES.request, call: node };
    if (lone === 'options') {
      const options = objectLiteralOf(first, ctx);
      return forwardOutbound(ctx, { ...call, target: optionValue(options, 'uri'), options: first, optionsIndex: 0 });
    }
    return lone === 'url' && forwardOutbound(ctx, { ...call, target: first, options: second, optionsIndex: 1 });
  },
};

/**
 * `req.pipe(request(url))`, or a request held in a variable that something is
 * piped into: request copies the headers of the stream piped in (lib/request.js,
 * its `pipe` listener), so the incoming ones go on with the options' own.
 */
function pipedInto(call: ts.CallExpression, ctx: ModelContext): boolean {
  const isPipeOf = (node: ts.Node, arg: ts.Node) =>
    ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'pipe' && node.arguments.some((a) => skipOuterExpressions(a) === arg);
  let outer: ts.Node = call;
  while (outer.parent && skipOuterExpressions(outer.parent as ts.Expression) === skipOuterExpressions(call)) outer = outer.parent;
  if (outer.parent && isPipeOf(outer.parent, outer)) return true;
  const holder = outer.parent;
  if (!holder || !ts.isVariableDeclaration(holder) || !ts.isIdentifier(holder.name)) return false;
  const name = holder.name.text;
  const scope = enclosingFunction(call) ?? ctx.sourceFile;
  let piped = false;
  const visit = (node: ts.Node): void => {
    if (piped) return;
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'pipe') {
      piped = node.arguments.some((arg) => {
        const value = skipOuterExpressions(arg);
        return ts.isIdentifier(value) && value.text === name;
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return piped;
}
