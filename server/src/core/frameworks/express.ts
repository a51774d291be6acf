import ts from 'typescript';
import { skipOuterExpressions } from '../ast';
import type { ModelContext } from '../model/context';
import { passportOrImported, routerMount, type LibraryAuthenticator } from './mounts';
import { calledMember, chainInsert, chainSends, emitStatus, methodCall, propertyAssignment, firstParameterName, type FrameworkModule } from './framework';

/**
 * Express and Connect, node:http, and Next.js API routes (pages/api): all send
 * through a node `ServerResponse`, optionally with Express's helpers.
 */
export const express: FrameworkModule = {
  name: 'express',
  kinds: [ts.SyntaxKind.CallExpression, ts.SyntaxKind.BinaryExpression],
  errorHandler(fn) {
    // Express and Connect tell error middleware from other middleware by its four parameters.
    const error = fn.parameters.length === 4 ? firstParameterName(fn) : undefined;
    return error && { framework: 'express', error, catches: [] };
  },
  mount: (call, ctx) => routerMount(call, ctx, expressAuthenticator),
  recognize(node, ctx) {
    const method = calledMember(node);
    if (method !== undefined) {
      if (method !== 'status' && method !== 'sendStatus' && method !== 'writeHead') return false;
      const call = methodCall(node)!;
      return method === 'writeHead' ? writeHead(call.call, call.receiver, ctx) : statusCall(call.call, call.receiver, method, ctx);
    }
    const assignment = propertyAssignment(node, 'statusCode');
    if (!assignment) return false;
    const response = ctx.responseRef(assignment.receiver);
    if (!response) return false;
    const target = response.key;
    emitStatus(ctx, {
      framework: 'node',
      node,
      delivery: 'status',
      status: assignment.value,
      response,
      headerSetter: 'setHeader',
      addHeader: (name, value) => ctx.insertStatementBefore(node, `${target}.setHeader(${ctx.quote(name)}, ${ctx.quote(value)});`),
    });
    return true;
  },
};

/** `res.status(401)…` and `res.sendStatus(401)` */
function statusCall(call: ts.CallExpression, receiver: ts.Expression, method: string, ctx: ModelContext): boolean {
  if (call.arguments.length !== 1) return false;
  const response = ctx.responseRef(receiver);
  if (!response) return false;
  const base = ctx.chainBase(receiver);
  // Express has `res.set`; a bare ServerResponse (Next.js API routes) only `setHeader`, which also chains.
  const setter = ctx.usesModule(isExpressModule) ? 'set' : 'setHeader';
  emitStatus(ctx, {
    framework: 'express',
    node: call,
    delivery: method === 'sendStatus' || chainSends(call) ? 'send' : 'status',
    status: call.arguments[0],
    response,
    headerSetter: setter,
    addHeader: (name, value) => chainInsert(ctx, base, setter, name, value),
  });
  return true;
}

const isExpressModule = (m: string) => m === 'express' || m === 'connect' || m.startsWith('express-');

/** `res.writeHead(401[, reason][, headers])` */
function writeHead(call: ts.CallExpression, receiver: ts.Expression, ctx: ModelContext): boolean {
  const response = ctx.responseRef(receiver);
  if (!response || call.arguments.length === 0) return false;
  const headersArg = call.arguments.find((arg, index) => index > 0 && !isReasonPhrase(arg));
  emitStatus(ctx, {
    framework: 'node',
    node: call,
    delivery: 'send',
    status: call.arguments[0],
    response,
    headerSetter: 'setHeader',
    carried: ctx.headerBag(headersArg),
    addHeader: (name, value) => {
      if (!headersArg) return ctx.appendArgument(call, ctx.headerObject(name, value));
      const literal = skipOuterExpressions(headersArg);
      if (ts.isObjectLiteralExpression(literal)) return ctx.addProperty(literal, name, ctx.quote(value));
      return undefined;
    },
  });
  return true;
}

function isReasonPhrase(node: ts.Expression): boolean {
  const inner = skipOuterExpressions(node);
  return ts.isStringLiteral(inner) || ts.isNoSubstitutionTemplateLiteral(inner) || ts.isTemplateExpression(inner);
}

/** Middleware factories of authentication libraries for Express, by module: `expressjwt({ secret })`, `requiresAuth()`, `ensureLoggedIn()`. */
const AUTHENTICATING_FACTORIES: Record<string, readonly string[]> = {
  'express-jwt': ['expressjwt', 'jwt', 'default'],
  'express-oauth2-jwt-bearer': ['auth'],
  'express-openid-connect': ['requiresAuth'],
  'connect-ensure-login': ['ensureLoggedIn', 'ensureAuthenticated'],
  '@clerk/express': ['requireAuth'],
  '@clerk/clerk-sdk-node': ['ClerkExpressRequireAuth'],
};

const expressAuthenticator: LibraryAuthenticator = (step, ctx) => passportOrImported(step, ctx, AUTHENTICATING_FACTORIES, ['passport']);
