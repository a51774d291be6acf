import ts from 'typescript';
import { assignedErrorStatus } from './assigned-error-status';
import { isFunctionLike, skipOuterExpressions } from '../ast';
import type { HeaderBag, StatusSite } from '../model/concepts';
import type { ModelContext } from '../model/context';
import { passportOrImported, routerMount, type LibraryAuthenticator } from './mounts';
import { calledMember, chainInsert, chainSends, emitNamed, emitStatus, methodCall, propertyAssignment, firstParameterName, type FrameworkModule } from './framework';

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
      if (method === 'send' || method === 'json') return statusFirstSend(methodCall(node)!, ctx);
      if (method !== 'status' && method !== 'sendStatus' && method !== 'writeHead') return false;
      const call = methodCall(node)!;
      return method === 'writeHead' ? writeHead(call.call, call.receiver, ctx) : statusCall(call.call, call.receiver, method, ctx);
    }
    const assignment = propertyAssignment(node, 'statusCode');
    const response = assignment && ctx.responseRef(assignment.receiver);
    if (!assignment || !response) return assignedErrorStatus(node, ctx, 'express', ctx.usesModule(isExpressModule));
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
  const parts = {
    framework: 'express',
    node: call,
    delivery: method === 'sendStatus' || chainSends(call) ? 'send' : 'status',
    status: call.arguments[0],
    response,
    headerSetter: setter,
    addHeader: (name: string, value: string) => chainInsert(ctx, base, setter, name, value),
  } as const;
  const named = statusByErrorName(call.arguments[0], call);
  if (named) emitNamed(ctx, { ...parts, site: named.site, carried: copiesHeaders(named.branch) ? UNKNOWN_HEADERS : undefined });
  else emitStatus(ctx, parts);
  return true;
}

/**
 * `res.send(401, body[, headers])` and `res.json(401, body[, headers])`:
 * restify's signature, and Express 4's deprecated one. Only a status written
 * as a 401 or 403 (a literal or a named constant) is read so: any other first
 * argument may be a body. Restify sets the headers of the third argument on
 * the response it sends.
 */
function statusFirstSend({ call, receiver }: { call: ts.CallExpression; receiver: ts.Expression }, ctx: ModelContext): boolean {
  const [status, , headers] = call.arguments;
  // Alone, a number is a body to Express 5 and Fastify; restify still reads it as the status.
  const alone = call.arguments.length === 1 && !ctx.usesModule(isRestifyModule);
  if (!status || alone || call.arguments.length > 3 || !namesAuthStatus(status, ctx)) return false;
  const response = ctx.responseRef(receiver);
  if (!response) return false;
  const base = ctx.chainBase(receiver);
  const setter = ctx.usesModule(isExpressModule) || ctx.usesModule(isRestifyModule) ? 'set' : 'setHeader';
  emitStatus(ctx, {
    framework: 'express',
    node: call,
    delivery: 'send',
    status,
    response,
    headerSetter: setter,
    carried: headers ? ctx.headerBag(headers) : undefined,
    addHeader: (name: string, value: string) => {
      const literal = headers && skipOuterExpressions(headers);
      if (!headers) return chainInsert(ctx, base, setter, name, value);
      return literal && ts.isObjectLiteralExpression(literal) ? ctx.addProperty(literal, name, ctx.quote(value)) : undefined;
    },
  });
  return true;
}

function namesAuthStatus(status: ts.Expression, ctx: ModelContext): boolean {
  const resolution = ctx.status(status);
  return resolution.kind === 'sites' && resolution.sites.length > 0 && resolution.sites.every((site) => site.value === 401 || site.value === 403);
}

const isRestifyModule = (m: string) => m === 'restify' || m === 'restify-errors';

const UNKNOWN_HEADERS: HeaderBag = { names: new Set(), unknown: true };
const BULK_SETTERS = new Set(['set', 'header', 'setHeaders']);

/** `res.set(err.headers)`: headers copied from a value this file cannot read, which may hold the challenge. */
function copiesHeaders(branch: ts.Node): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || isFunctionLike(node)) return;
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && BULK_SETTERS.has(node.expression.name.text) && node.arguments.length === 1) {
      const argument = skipOuterExpressions(node.arguments[0]);
      found = !ts.isObjectLiteralExpression(argument) && !ts.isStringLiteralLike(argument);
    }
    if (!found) ts.forEachChild(node, visit);
  };
  visit(branch);
  return found;
}

/**
 * Error names that tell the status: express-jwt's `UnauthorizedError` carries 401, and
 * http-errors (`createError(401)`, Koa's `ctx.throw`) names its errors for their status.
 */
const ERROR_NAMES: Record<string, number> = { UnauthorizedError: 401, ForbiddenError: 403 };

/**
 * `if (err.name === 'UnauthorizedError') return res.status(err.status).send(…)` in error
 * middleware: the error's own status, which its name fixes (express-jwt's documented handler).
 */
function statusByErrorName(status: ts.Expression, call: ts.CallExpression): { site: StatusSite; branch: ts.Node } | undefined {
  const read = skipOuterExpressions(status);
  if (!ts.isPropertyAccessExpression(read) || (read.name.text !== 'status' && read.name.text !== 'statusCode')) return undefined;
  const error = skipOuterExpressions(read.expression);
  if (!ts.isIdentifier(error)) return undefined;
  for (let node: ts.Node = call; node.parent; node = node.parent) {
    const parent = node.parent;
    if (isFunctionLike(parent)) return undefined;
    if (ts.isIfStatement(parent) && parent.thenStatement === node) {
      const value = testedName(parent.expression, error.text);
      if (value !== undefined) return isErrorMiddlewareOf(parent, error.text) ? { site: { value, node: status, form: 'constant' }, branch: node } : undefined;
    }
  }
  return undefined;
}

/** The status of the name `err.name === 'UnauthorizedError'` (or a conjunction holding it) tests the error for. */
function testedName(condition: ts.Expression, error: string): number | undefined {
  const test = skipOuterExpressions(condition);
  if (!ts.isBinaryExpression(test)) return undefined;
  const op = test.operatorToken.kind;
  if (op === ts.SyntaxKind.AmpersandAmpersandToken) return testedName(test.left, error) ?? testedName(test.right, error);
  if (op !== ts.SyntaxKind.EqualsEqualsEqualsToken && op !== ts.SyntaxKind.EqualsEqualsToken) return undefined;
  const sides = [skipOuterExpressions(test.left), skipOuterExpressions(test.right)];
  const name = sides.find(ts.isStringLiteralLike);
  const member = sides.find(ts.isPropertyAccessExpression);
  if (!name || !member || member.name.text !== 'name' || !Object.hasOwn(ERROR_NAMES, name.text)) return undefined;
  const receiver = skipOuterExpressions(member.expression);
  return ts.isIdentifier(receiver) && receiver.text === error ? ERROR_NAMES[name.text] : undefined;
}

/** Whether the function around `node` is Express error middleware whose error parameter is `error`. */
function isErrorMiddlewareOf(node: ts.Node, error: string): boolean {
  let fn: ts.Node | undefined = node.parent;
  while (fn && !isFunctionLike(fn)) fn = fn.parent;
  if (!fn || !isFunctionLike(fn) || fn.parameters.length !== 4) return false;
  const first = fn.parameters[0].name;
  return ts.isIdentifier(first) && first.text === error;
}

export const isExpressModule = (m: string) => m === 'express' || m === 'connect' || m.startsWith('express-');

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
