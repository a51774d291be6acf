import ts from 'typescript';
import { skipOuterExpressions, stringValue } from '../../ast';
import type { ModelContext } from '../../model/context';
import type { FrameworkModule } from '../framework';
import { calleeImport, importsAny } from '../forward';
import { forwardOutbound } from './pass-through';

const MODULES = new Set(['superagent']);
const METHODS = new Set(['get', 'post', 'put', 'patch', 'del', 'delete', 'head', 'options']);
/** Chained calls that set headers, and those that carry the body or query on. */
const SETTERS = new Set(['set', 'auth']);
const DATA = new Set(['send', 'query']);
/** Chained calls that neither set headers nor read as data: the chain goes on through them. */
const CHAINABLE = new Set(['type', 'accept', 'timeout', 'retry', 'redirects', 'withCredentials', 'buffer', 'parse', 'responseType', 'ok', 'field', 'attach', 'agent', 'ca', 'cert', 'key', 'disableTLSCerts', 'trustLocalhost', 'use']);

/**
 * superagent: `superagent.get(url)`, `superagent(method, url)`, with headers
 * set by chained `.set(name, value)`, `.set({…})` and `.auth(…)`, and the body
 * and query by `.send(…)` and `.query(…)`. A request held in a variable may be
 * given headers anywhere: left alone.
 */
export const superagent: FrameworkModule = {
  name: 'superagent',
  vocabulary: { modules: [...MODULES] },
  kinds: [ts.SyntaxKind.CallExpression],
  appliesTo: (ctx) => importsAny(ctx, MODULES),
  recognize(node, ctx) {
    if (!ts.isCallExpression(node)) return false;
    const target = requestTarget(node, ctx);
    if (!target) return false;
    const chain = chainOf(node);
    if (!chain) return false;
    return forwardOutbound(ctx, {
      library: 'superagent',
      call: node,
      target,
      options: undefined,
      optionsIndex: -1,
      data: chain.data,
      headers: { kind: 'chained', calls: chain.setters, end: node },
    });
  },
};

/** The URL of a request made with superagent's factory: `superagent.get(url)`, `superagent('POST', url)`, `superagent(url)`. */
function requestTarget(call: ts.CallExpression, ctx: ModelContext): ts.Expression | undefined {
  const imported = calleeImport(call, ctx, MODULES);
  if (imported?.module !== 'superagent' || imported.imported !== 'default') return undefined;
  const [first, second] = call.arguments;
  if (imported.member !== undefined) return METHODS.has(imported.member) ? first : undefined;
  if (second) return stringValue(first) !== undefined || isMethodRead(first) ? second : undefined;
  return first;
}

function isMethodRead(node: ts.Expression | undefined): boolean {
  const inner = node && skipOuterExpressions(node);
  return !!inner && ts.isPropertyAccessExpression(inner) && inner.name.text === 'method';
}

/** The calls chained on a request up to where it is sent; undefined when the request escapes into a variable. */
function chainOf(call: ts.CallExpression): { setters: ts.CallExpression[]; data: ts.Expression | undefined } | undefined {
  const setters: ts.CallExpression[] = [];
  let data: ts.Expression | undefined;
  let current: ts.Expression = call;
  for (;;) {
    const access = current.parent;
    if (!ts.isPropertyAccessExpression(access) || access.expression !== current || !ts.isCallExpression(access.parent) || access.parent.expression !== access) break;
    const name = access.name.text;
    const next = access.parent;
    if (SETTERS.has(name)) setters.push(next);
    else if (DATA.has(name)) data ??= next.arguments[0];
    else if (!CHAINABLE.has(name)) break;
    current = next;
  }
  const parent = skipParens(current).parent;
  if (ts.isVariableDeclaration(parent) || (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken)) return undefined;
  return { setters, data };
}

function skipParens(node: ts.Expression): ts.Expression {
  let current = node;
  while (ts.isParenthesizedExpression(current.parent)) current = current.parent;
  return current;
}
