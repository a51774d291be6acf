import ts from 'typescript';
import { skipOuterExpressions } from '../ast';
import type { ResponseRef } from '../model/concepts';
import type { ModelContext } from '../model/context';
import { fastifyMount } from './mounts';
import { calledMember, chainInsert, chainSends, emitNamed, emitStatus, firstParameterName, isCallbackOf, methodCall, replaceNode, type FrameworkModule } from './framework';

/** @fastify/sensible's reply shorthands and `fastify.httpErrors` factories. */
const SENSIBLE: Record<string, number> = { unauthorized: 401, forbidden: 403 };
const SENSIBLE_FOR: Record<401 | 403, string> = { 401: 'unauthorized', 403: 'forbidden' };

/** Fastify: `reply.code(401)`, `reply.status(401)`, `reply.unauthorized()`, `fastify.httpErrors.unauthorized()`. */
export const fastify: FrameworkModule = {
  name: 'fastify',
  kinds: [ts.SyntaxKind.CallExpression],
  errorHandler(fn) {
    const error = isCallbackOf(fn, 'setErrorHandler') ? firstParameterName(fn) : undefined;
    return error && { framework: 'fastify', error, catches: [] };
  },
  mount: (call, ctx) => fastifyMount(call, ctx, () => false),
  recognize(node, ctx) {
    const method = calledMember(node);
    if (method === undefined) return false;
    if (method === 'send') return jwtErrorSent(node as ts.CallExpression, ctx);
    const isSensible = method in SENSIBLE;
    if (!isSensible && method !== 'code' && method !== 'status') return false;
    const call = methodCall(node)!;
    const receiver = call.receiver;
    if (isSensible) return sensible(call.call, receiver, method, ctx);
    if (call.call.arguments.length !== 1) return false;
    const reply = fastifyReply(receiver, ctx);
    if (!reply) return false;
    const base = ctx.chainBase(receiver);
    emitStatus(ctx, {
      framework: 'fastify',
      node: call.call,
      delivery: chainSends(call.call) ? 'send' : 'status',
      status: call.call.arguments[0],
      response: reply,
      headerSetter: 'header',
      addHeader: (name, value) => chainInsert(ctx, base, 'header', name, value),
    });
    return true;
  },
  // `request.jwtVerify()` fails with a 401 of its own: a file that sends its error names no status otherwise.
  statusNames: [...Object.keys(SENSIBLE), 'jwtVerify'],
};

/**
 * `try { await request.jwtVerify() } catch (err) { reply.send(err) }`, the
 * `authenticate` decorator of @fastify/jwt's README: its errors carry
 * statusCode 401 (`FST_JWT_NO_AUTHORIZATION_IN_HEADER`, `…_TOKEN_EXPIRED`,
 * `…_TOKEN_INVALID`, index.js) and no headers, and Fastify's reply sends an
 * error with its statusCode alone.
 */
function jwtErrorSent(call: ts.CallExpression, ctx: ModelContext): boolean {
  const [arg] = call.arguments;
  const callee = skipOuterExpressions(call.expression) as ts.PropertyAccessExpression;
  const receiver = skipOuterExpressions(callee.expression);
  if (call.arguments.length !== 1 || !ts.isIdentifier(skipOuterExpressions(arg)) || !ts.isIdentifier(receiver)) return false;
  const error = skipOuterExpressions(arg) as ts.Identifier;
  const clause = catchOf(call, error.text);
  if (!clause || !callsJwtVerify(clause.parent.tryBlock)) return false;
  // `jwtVerify` is @fastify/jwt's: whatever the reply is called (`res`), in a file of Fastify's it is one.
  const reply = fastifyReply(receiver, ctx) ?? (ctx.usesModule(isFastifyModule) ? ctx.responseRef(receiver) : undefined);
  if (!reply) return false;
  emitNamed(ctx, {
    framework: 'fastify',
    node: call,
    delivery: 'send',
    site: { value: 401, node: error, form: 'exception-class' },
    // Sent as an error, the reply hands it to the instance's error handler first (`setErrorHandler`), which may add the challenge.
    construction: ctx.project ? { chain: ['@fastify/jwt#FastifyError', '#global#Error'], props: { statusCode: { kind: 'number', value: 401 } }, framework: undefined, open: false } : undefined,
    response: reply,
    headerSetter: 'header',
    addHeader: (name, value) => chainInsert(ctx, receiver, 'header', name, value),
  });
  return true;
}

/** The `catch (name)` clause `node` sits in, when `name` is its variable and nothing nearer rebinds it. */
function catchOf(node: ts.Node, name: string): ts.CatchClause | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isCatchClause(current)) {
      const variable = current.variableDeclaration?.name;
      return variable && ts.isIdentifier(variable) && variable.text === name ? current : undefined;
    }
    if (ts.isFunctionLike(current)) return undefined;
  }
  return undefined;
}

/** Whether a block calls `<request>.jwtVerify(…)` outside nested functions. */
function callsJwtVerify(block: ts.Block): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node)) return;
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'jwtVerify') found = true;
    else ts.forEachChild(node, visit);
  };
  visit(block);
  return found;
}

function sensible(call: ts.CallExpression, receiver: ts.Expression, method: string, ctx: ModelContext): boolean {
  const owner = skipOuterExpressions(receiver);
  const name = (skipOuterExpressions(call.expression) as ts.PropertyAccessExpression).name;
  // `reply.forbidden(msg)` ↔ `reply.unauthorized(msg)`: the shorthands take the same arguments.
  const swap = (to: 401 | 403) => ({ edits: [replaceNode(ctx, name, SENSIBLE_FOR[to])], challenged: false });
  const site = { value: SENSIBLE[method], node: name, form: 'method' as const, swap };
  if (ts.isPropertyAccessExpression(owner) && owner.name.text === 'httpErrors') {
    emitNamed(ctx, { framework: 'fastify', node: call, delivery: 'error', site });
    return true;
  }
  const reply = fastifyReply(receiver, ctx);
  if (!reply) return false;
  const base = ctx.chainBase(receiver);
  emitNamed(ctx, {
    framework: 'fastify',
    node: call,
    delivery: 'send',
    site,
    response: reply,
    headerSetter: 'header',
    addHeader: (name, value) => chainInsert(ctx, base, 'header', name, value),
  });
  return true;
}

/** A Fastify reply: named `reply`, typed `FastifyReply`, or any response in a file that uses Fastify. */
function fastifyReply(receiver: ts.Expression, ctx: ModelContext): ResponseRef | undefined {
  const ref = ctx.responseRef(receiver);
  if (!ref) return undefined;
  if (/^_*(reply|rep)$/i.test(ref.key)) return ref;
  // Before the parameter's type, whose test builds its text.
  if (ctx.usesModule(isFastifyModule) && !/^_*(res|ctx|c|h)$/.test(ref.key)) return ref;
  const declaration = ref.declaration;
  return declaration && ts.isParameter(declaration) && declaration.type && /FastifyReply/.test(declaration.type.getText(ctx.sourceFile)) ? ref : undefined;
}

const isFastifyModule = (m: string) => m === 'fastify' || m.startsWith('@fastify/') || m === 'fastify-plugin';
