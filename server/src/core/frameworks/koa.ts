import ts from 'typescript';
import { objectPropertyValue } from '../ast';
import type { ModelContext } from '../model/context';
import { calledMember, emitStatus, methodCall, NO_HEADERS, propertyAssignment, type FrameworkModule } from './framework';
import { assignedErrorStatus } from './assigned-error-status';
import { httpErrorArguments } from './http-error-args';
import { passportOrImported, routerMount, type LibraryAuthenticator } from './mounts';

/**
 * Koa: `ctx.status = 401` sends with the headers set on ctx, but `ctx.throw`
 * and `ctx.assert` raise an http-errors error, and Koa's error handler drops
 * every header set before it: there the header must travel in the error's `headers`.
 */
export const koa: FrameworkModule = {
  name: 'koa',
  kinds: [ts.SyntaxKind.BinaryExpression, ts.SyntaxKind.CallExpression],
  errorHandler(fn) {
    const error = caughtFromNext(fn);
    return error && { framework: 'koa', error, catches: [] };
  },
  // Koa's routers (@koa/router, koa-router) mount as Express's do; `app.use(auth)` runs before every later `use`.
  mount: (call, ctx) => (ctx.usesModule(isKoaModule) ? routerMount(call, ctx, koaAuthenticator) : undefined),
  recognize(node, ctx) {
    if (ts.isBinaryExpression(node)) {
      const assignment = propertyAssignment(node, 'status');
      const response = assignment && ctx.responseRef(assignment.receiver);
      if (!assignment || !response) return assignedErrorStatus(node, ctx, 'koa', ctx.usesModule(isKoaModule));
      const target = assignment.receiver.getText(ctx.sourceFile);
      emitStatus(ctx, {
        framework: 'koa',
        node,
        delivery: 'status',
        status: assignment.value,
        response,
        headerSetter: 'set',
        addHeader: (name, value) => ctx.insertStatementBefore(node, `${target}.set(${ctx.quote(name)}, ${ctx.quote(value)});`),
      });
      return true;
    }
    const method = calledMember(node);
    if (method !== 'throw' && method !== 'assert') return false;
    const call = methodCall(node)!;
    if (!ctx.responseRef(call.receiver)) return false;
    return call.method === 'throw' ? koaThrow(call.call, ctx) : koaAssert(call.call, ctx);
  },
};

function koaThrow(call: ts.CallExpression, ctx: ModelContext): boolean {
  const { status, props, opaqueProps } = httpErrorArguments(call.arguments);
  if (!status) return false;
  emitError(ctx, call, status, props, opaqueProps);
  return true;
}

/** `ctx.assert(value, status, message, props)` */
function koaAssert(call: ts.CallExpression, ctx: ModelContext): boolean {
  const status = call.arguments[1];
  if (!status) return false;
  const { props, opaqueProps } = httpErrorArguments(call.arguments.slice(2));
  emitError(ctx, call, status, props, opaqueProps, call.arguments[0]);
  return true;
}

function emitError(
  ctx: ModelContext,
  call: ts.CallExpression,
  status: ts.Expression,
  props: ts.ObjectLiteralExpression | undefined,
  opaqueProps: boolean,
  assertion?: ts.Expression,
): void {
  const headers = props && objectPropertyValue(props, 'headers');
  const carried = opaqueProps ? { names: new Set<string>(), unknown: true } : headers ? ctx.headerBag(headers) : NO_HEADERS;
  emitStatus(ctx, {
    framework: 'koa',
    node: call,
    delivery: 'error',
    carriedOnly: true,
    status,
    carried,
    assertion,
    addHeader: (name, value) =>
      props ? ctx.addHeaderToInit(props, name, value) : ctx.appendArgument(call, `{ headers: ${ctx.headerObject(name, value)} }`),
  });
}

/**
 * Koa's error-catching middleware: `async (ctx, next) => { try { await next() }
 * catch (err) { … } }`. The name the caught error is bound to.
 */
function caughtFromNext(fn: ts.FunctionLikeDeclaration): ts.Identifier | undefined {
  const body = fn.body;
  if (fn.parameters.length !== 2 || !body || !ts.isBlock(body)) return undefined;
  for (const statement of body.statements) {
    if (!ts.isTryStatement(statement) || !statement.catchClause) continue;
    const name = statement.catchClause.variableDeclaration?.name;
    if (name && ts.isIdentifier(name) && statement.tryBlock.statements.some(awaitsNext)) return name;
  }
  return undefined;
}

function awaitsNext(statement: ts.Statement): boolean {
  if (!ts.isExpressionStatement(statement)) return false;
  const expression = statement.expression;
  const call = ts.isAwaitExpression(expression) ? expression.expression : expression;
  return ts.isCallExpression(call) && ts.isIdentifier(call.expression) && call.expression.text === 'next';
}

export const isKoaModule = (m: string) => m === 'koa' || m === '@koa/router' || m === 'koa-router';

/** `jwt({ secret })` of koa-jwt, `passport.authenticate('jwt')` of koa-passport. */
const koaAuthenticator: LibraryAuthenticator = (step, ctx) => passportOrImported(step, ctx, { 'koa-jwt': ['default', 'jwt'] }, ['koa-passport', 'passport']);
