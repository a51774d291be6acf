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
  statusNames: Object.keys(SENSIBLE),
};

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
