import ts from 'typescript';
import { objectPropertyValue, skipOuterExpressions } from '../ast';
import type { HeaderBag } from '../model/concepts';
import type { ModelContext } from '../model/context';
import type { TextEdit } from '../types';
import { emitStatus, type FrameworkModule } from './framework';

/** Where `GraphQLError` comes from: graphql-js, and the servers that re-export it. */
const ERROR_MODULES = new Set(['graphql', 'graphql/error', 'graphql-yoga', '@graphql-yoga/node', '@apollo/server']);
const YOGA_FACTORY = 'createGraphQLError';
const isYoga = (m: string) => m === 'graphql-yoga' || m.startsWith('@graphql-yoga/');
const isApollo = (m: string) => m === '@apollo/server' || m.startsWith('@apollo/server/');

/**
 * A GraphQL error that sets the HTTP response: `new GraphQLError(msg, {
 * extensions: { http: { status: 401, headers } } })`, which Apollo Server 4
 * and GraphQL Yoga answer with that status and those headers only, from a
 * resolver or the context function alike. Apollo reads `headers` as a `Map`,
 * Yoga as an object; without `http` both answer 200, which is no 401 at all.
 */
export const graphql: FrameworkModule = {
  name: 'graphql',
  kinds: [ts.SyntaxKind.NewExpression, ts.SyntaxKind.CallExpression],
  appliesTo: (ctx) => [...ERROR_MODULES].some((module) => ctx.scopes.mayImport(module)),
  recognize(node, ctx) {
    if (!ts.isNewExpression(node) && !ts.isCallExpression(node)) return false;
    const callee = skipOuterExpressions(node.expression);
    if (!ts.isIdentifier(callee) || !isGraphqlError(callee, ts.isNewExpression(node), ctx)) return false;
    const http = httpExtension(node.arguments?.[1]);
    const status = http && objectPropertyValue(http, 'status');
    if (!http || !status) return false;
    const headers = objectPropertyValue(http, 'headers');
    emitStatus(ctx, {
      framework: 'graphql',
      node,
      delivery: 'error',
      status,
      carried: headers ? headerBagOf(headers, ctx) : undefined,
      addHeader: (name, value) => addHeader(http, headers, name, value, ctx),
      remedy: (challenge) => `Apollo Server and GraphQL Yoga send only the headers of \`extensions.http.headers\`: add \`WWW-Authenticate: ${challenge}\` there.`,
    });
    return true;
  },
};

/** `GraphQLError` of graphql-js (or a server's re-export), or Yoga's `createGraphQLError(…)`. */
function isGraphqlError(callee: ts.Identifier, constructed: boolean, ctx: ModelContext): boolean {
  const imported = ctx.scopes.importOf(callee.text, callee);
  if (!imported) return false;
  if (constructed) return imported.imported === 'GraphQLError' && ERROR_MODULES.has(imported.module);
  return imported.imported === YOGA_FACTORY && isYoga(imported.module);
}

/** The `http` object literal of the options' `extensions`, when written in place. */
function httpExtension(options: ts.Expression | undefined): ts.ObjectLiteralExpression | undefined {
  const literal = options && skipOuterExpressions(options);
  if (!literal || !ts.isObjectLiteralExpression(literal)) return undefined;
  const extensions = objectPropertyValue(literal, 'extensions');
  const extensionsLiteral = extensions && skipOuterExpressions(extensions);
  if (!extensionsLiteral || !ts.isObjectLiteralExpression(extensionsLiteral)) return undefined;
  const http = objectPropertyValue(extensionsLiteral, 'http');
  const httpLiteral = http && skipOuterExpressions(http);
  return httpLiteral && ts.isObjectLiteralExpression(httpLiteral) ? httpLiteral : undefined;
}

/** Apollo's `new Map([[name, value]])` holds its entries as tuples; an object or anything else reads as any header bag does. */
function headerBagOf(headers: ts.Expression, ctx: ModelContext): HeaderBag {
  const node = skipOuterExpressions(headers);
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Map') return ctx.headerBag(node.arguments?.[0]);
  return ctx.headerBag(headers);
}

/**
 * The challenge among the error's headers, in the form its server reads:
 * an entry of the object (Yoga) or `Map` (Apollo) already there, or a new
 * `headers` for the server the file imports. No edit when neither is known.
 */
function addHeader(http: ts.ObjectLiteralExpression, headers: ts.Expression | undefined, name: string, value: string, ctx: ModelContext): TextEdit[] | undefined {
  if (headers) {
    const node = skipOuterExpressions(headers);
    if (ts.isObjectLiteralExpression(node)) return ctx.addProperty(node, name, ctx.quote(value));
    const entries = ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Map' ? node.arguments?.[0] : undefined;
    const list = entries && skipOuterExpressions(entries);
    if (!list || !ts.isArrayLiteralExpression(list)) return undefined;
    const at = list.elements.length > 0 ? list.elements[list.elements.length - 1].getEnd() : list.getStart(ctx.sourceFile) + 1;
    const separator = list.elements.length > 0 ? ', ' : '';
    return [{ start: at, end: at, text: `${separator}[${ctx.quote(name)}, ${ctx.quote(value)}]` }];
  }
  if (ctx.usesModule(isApollo)) return ctx.addProperty(http, 'headers', `new Map([[${ctx.quote(name)}, ${ctx.quote(value)}]])`);
  if (ctx.usesModule(isYoga)) return ctx.addProperty(http, 'headers', ctx.headerObject(name, value));
  return undefined;
}
