import ts from 'typescript';
import { isFunctionLike, skipOuterExpressions } from '../ast';
import type { ResponseRef } from '../model/concepts';
import type { ModelContext } from '../model/context';
import { asSwap, calledMember, emitNamed, emitStatus, methodCall, NO_HEADERS, replaceNode, type FrameworkModule } from './framework';

const isStrapiModule = (m: string) => m.startsWith('@strapi/');
/** Strapi hands its instance to every controller, policy and middleware factory (`({ strapi }) => …`) and makes it a global. */
const STRAPI_INSTANCE = /\bstrapi\b/;
/** Where Strapi loads an API's controllers, policies and middlewares from (v4/v5 `src/api/x/…`, v3 `api/x/…`, a plugin's `server/…`). */
const STRAPI_LAYOUT = /(?:^|[\\/])(?:api|extensions|plugins)[\\/][^\\/]+[\\/](?:server[\\/](?:src[\\/])?)?(?:controllers|policies|middlewares)[\\/]/;
const SHORTHANDS: Record<string, 401 | 403> = { unauthorized: 401, forbidden: 403 };
/** `@strapi/utils`' errors, which Strapi's error middleware answers with these statuses (PolicyError is a ForbiddenError). */
const ERRORS: Record<string, 401 | 403> = { UnauthorizedError: 401, ForbiddenError: 403, PolicyError: 403 };

/**
 * Strapi 4 and 5, on Koa: `ctx.unauthorized(msg)` and `ctx.forbidden(msg)`
 * (packages/core/core/src/services/server/koa.ts sets the status and a JSON
 * body, no header), `ctx.send(body, 401)`, and `throw new errors.UnauthorizedError()`
 * of `@strapi/utils`, which the error middleware answers with the status and
 * a body only (services/errors.ts). Headers set on `ctx` before survive.
 */
export const strapi: FrameworkModule = {
  name: 'strapi',
  kinds: [ts.SyntaxKind.CallExpression, ts.SyntaxKind.NewExpression],
  appliesTo: (ctx) => usesStrapi(ctx),
  recognize(node, ctx) {
    if (ts.isNewExpression(node)) return strapiError(node, ctx);
    const method = calledMember(node);
    if (method === undefined || (!(method in SHORTHANDS) && method !== 'send')) return false;
    const call = methodCall(node)!;
    const context = koaContext(call.receiver, ctx);
    if (!context) return false;
    if (method === 'send') return send(call.call, call.receiver, context, ctx);
    return shorthand(call.call, call.receiver, context, method, ctx);
  },
  recognizeFile(ctx) {
    // Every policy isPolicy accepts is in code that uses Strapi: other files are not walked again.
    if (!usesStrapi(ctx)) return;
    const visit = (node: ts.Node): void => {
      if (isFunctionLike(node) && isPolicy(node, ctx)) policyDenials(node, ctx);
      else ts.forEachChild(node, visit);
    };
    visit(ctx.sourceFile);
  },
  // A policy denies with a `return false` that names no status: its signature and its context are what it holds.
  statusNames: [...Object.keys(SHORTHANDS), ...Object.keys(ERRORS), 'strapi', 'policyContext'],
};

const POLICY_DENIAL = { answer: "Strapi answers a policy's false", instead: 'throw `errors.UnauthorizedError` of @strapi/utils (401)' };

const POLICIES_FOLDER = /(?:^|[\\/])policies[\\/]/;

/**
 * A Strapi policy: `(policyContext, config, { strapi }) => …`, as Strapi
 * calls every policy, or a function exported from a `policies` folder in
 * code that uses Strapi (not the CASL-style `policies/post.ts` of other apps).
 */
function isPolicy(fn: ts.FunctionLikeDeclaration, ctx: ModelContext): boolean {
  const third = fn.parameters[2]?.name;
  if (third && ts.isObjectBindingPattern(third) && third.elements.some((e) => ts.isIdentifier(e.name) && e.name.text === 'strapi' && !e.propertyName)) return true;
  return POLICIES_FOLDER.test(ctx.sourceFile.fileName) && usesStrapi(ctx) && fn.parameters.length >= 1 && isExported(fn);
}

function isExported(fn: ts.FunctionLikeDeclaration): boolean {
  const parent = fn.parent;
  if (ts.isExportAssignment(parent)) return true;
  if (ts.isFunctionDeclaration(fn)) return !!fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  // `module.exports = (ctx) => …`
  return ts.isBinaryExpression(parent) && parent.right === fn && parent.left.getText(fn.getSourceFile()) === 'module.exports';
}

/**
 * A policy's result that is neither `true` nor `undefined` makes Strapi throw
 * a PolicyError, which its error middleware answers with 403 (services/server/policy.ts).
 * Read only where the result is plainly a boolean: `false`, a negation, `Boolean(…)`, a comparison.
 */
function policyDenials(fn: ts.FunctionLikeDeclaration, ctx: ModelContext): void {
  // Strapi calls a policy with the request's context first, whatever the policy names it.
  if (fn.parameters[0]) (ctx.model.requestParameters ??= new Set()).add(fn.parameters[0]);
  const visit = (node: ts.Node): void => {
    if (isFunctionLike(node)) return;
    if (ts.isReturnStatement(node) && node.expression && deniesWhenFalse(node.expression)) {
      ctx.emit({
        framework: 'strapi',
        node,
        delivery: 'error',
        carriedOnly: false,
        sites: [{ value: 403, node: skipOuterExpressions(node.expression), form: 'guard-denial', denial: POLICY_DENIAL }],
        carried: NO_HEADERS,
      });
    }
    ts.forEachChild(node, visit);
  };
  if (fn.body && ts.isBlock(fn.body)) visit(fn.body);
  else if (fn.body && deniesWhenFalse(fn.body as ts.Expression)) {
    const body = skipOuterExpressions(fn.body as ts.Expression);
    ctx.emit({ framework: 'strapi', node: body, delivery: 'error', carriedOnly: false, sites: [{ value: 403, node: body, form: 'guard-denial', denial: POLICY_DENIAL }], carried: NO_HEADERS });
  }
}

const COMPARISONS = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
  ts.SyntaxKind.LessThanToken,
  ts.SyntaxKind.GreaterThanToken,
  ts.SyntaxKind.LessThanEqualsToken,
  ts.SyntaxKind.GreaterThanEqualsToken,
  ts.SyntaxKind.InstanceOfKeyword,
  ts.SyntaxKind.InKeyword,
]);

function deniesWhenFalse(expression: ts.Expression): boolean {
  const node = skipOuterExpressions(expression);
  if (node.kind === ts.SyntaxKind.FalseKeyword) return true;
  if (ts.isPrefixUnaryExpression(node)) return node.operator === ts.SyntaxKind.ExclamationToken;
  if (ts.isBinaryExpression(node)) return COMPARISONS.has(node.operatorToken.kind);
  return ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Boolean';
}

function usesStrapi(ctx: ModelContext): boolean {
  return ctx.usesModule(isStrapiModule) || STRAPI_INSTANCE.test(ctx.text) || STRAPI_LAYOUT.test(ctx.sourceFile.fileName);
}

/** The request's Koa context, `ctx` or a policy's `policyContext`: a parameter of a function around the call, as Strapi passes it. */
function koaContext(receiver: ts.Expression, ctx: ModelContext): ResponseRef | undefined {
  const base = skipOuterExpressions(receiver);
  if (!ts.isIdentifier(base)) return undefined;
  const declaration = ctx.scopes.lookup(base.text, base);
  return declaration?.kind === 'parameter' ? ctx.responseRef(receiver) : undefined;
}

/** `ctx.unauthorized(msg)` → `ctx.forbidden(msg)` and back; the challenge goes on `ctx` before the call. */
function shorthand(call: ts.CallExpression, receiver: ts.Expression, response: ResponseRef, method: string, ctx: ModelContext): boolean {
  // The PolicyError that follows answers 403 over it: the denial is what goes out (and what is reported).
  if (deniedRightAfter(call, ctx)) return true;
  const methodName = (skipOuterExpressions(call.expression) as ts.PropertyAccessExpression).name;
  emitNamed(ctx, {
    framework: 'strapi',
    node: call,
    delivery: 'status',
    site: { value: SHORTHANDS[method], node: methodName, form: 'method', swap: (to) => asSwap([replaceNode(ctx, methodName, to === 401 ? 'unauthorized' : 'forbidden')]) },
    response,
    headerSetter: 'set',
    addHeader: (name, value) => ctx.insertStatementBefore(call, `${receiver.getText(ctx.sourceFile)}.set(${ctx.quote(name)}, ${ctx.quote(value)});`),
  });
  return true;
}

/** `policyContext.unauthorized(msg); return false;` in a policy. */
function deniedRightAfter(call: ts.CallExpression, ctx: ModelContext): boolean {
  const statement = call.parent;
  if (!ts.isExpressionStatement(statement) || !ts.isBlock(statement.parent)) return false;
  const statements = statement.parent.statements;
  const next = statements[statements.indexOf(statement) + 1];
  if (!next || !ts.isReturnStatement(next) || !next.expression || !deniesWhenFalse(next.expression)) return false;
  let fn: ts.Node | undefined = statement.parent.parent;
  while (fn && !isFunctionLike(fn)) fn = fn.parent;
  return !!fn && isPolicy(fn as ts.FunctionLikeDeclaration, ctx);
}

/** `ctx.send(body, 401)`: Strapi's `send` takes the status second. */
function send(call: ts.CallExpression, receiver: ts.Expression, response: ResponseRef, ctx: ModelContext): boolean {
  const status = call.arguments[1];
  if (!status || call.arguments.length !== 2) return false;
  emitStatus(ctx, {
    framework: 'strapi',
    node: call,
    delivery: 'status',
    status,
    response,
    headerSetter: 'set',
    addHeader: (name, value) => ctx.insertStatementBefore(call, `${receiver.getText(ctx.sourceFile)}.set(${ctx.quote(name)}, ${ctx.quote(value)});`),
  });
  return true;
}

/** `new errors.UnauthorizedError(msg)` with `errors` of `@strapi/utils`, or the class imported by name. */
function strapiError(node: ts.NewExpression, ctx: ModelContext): boolean {
  const callee = skipOuterExpressions(node.expression);
  const name = errorName(callee, ctx);
  const value = name === undefined ? undefined : ERRORS[name];
  if (value === undefined) return false;
  const written = callee.getText(ctx.sourceFile);
  emitNamed(ctx, {
    framework: 'strapi',
    node,
    delivery: 'error',
    site: { value, node: callee, form: 'exception-class' },
    remedy: (challenge) => `Strapi's error middleware answers \`${written}\` with its status and a body only: set \`WWW-Authenticate: ${challenge}\` on \`ctx\` before throwing it.`,
  });
  return true;
}

function errorName(callee: ts.Node, ctx: ModelContext): string | undefined {
  if (ts.isIdentifier(callee)) {
    const imported = ctx.scopes.importOf(callee.text, callee);
    return imported && isStrapiModule(imported.module) ? imported.imported : undefined;
  }
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const owner = skipOuterExpressions(callee.expression);
  if (!ts.isIdentifier(owner)) return undefined;
  const imported = ctx.scopes.importOf(owner.text, owner);
  return imported && isStrapiModule(imported.module) && imported.imported === 'errors' ? callee.name.text : undefined;
}
