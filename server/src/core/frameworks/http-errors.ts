import ts from 'typescript';
import { calleeObject, objectPropertyValue, skipOuterExpressions, stringValue } from '../ast';
import type { ModelContext } from '../model/context';
import { emitNamed, emitStatus, NO_HEADERS, replaceNode, type FrameworkModule } from './framework';
import { httpErrorArguments } from './http-error-args';

const MODULES = new Set(['http-errors', 'http-errors-enhanced']);
const HTTP_ASSERT = 'http-assert';
/** LoopBack 4 re-exports http-errors as `HttpErrors`; its reject action answers them with a JSON body and no header of theirs. */
const RE_EXPORTS: Record<string, string> = { '@loopback/rest': 'HttpErrors' };
/** Everything this module claims is called through a name imported from one of these. */
const CALLED_THROUGH = [...MODULES, HTTP_ASSERT, ...Object.keys(RE_EXPORTS)];
const NAMED: Record<string, number> = { Unauthorized: 401, Forbidden: 403 };
const NAME_FOR: Record<401 | 403, string> = { 401: 'Unauthorized', 403: 'Forbidden' };

/** http-errors: `createError(401, msg, { headers })`, `createError.Unauthorized()`, `new createError[401]()`. */
export const httpErrors: FrameworkModule = {
  name: 'http-errors',
  kinds: [ts.SyntaxKind.CallExpression, ts.SyntaxKind.NewExpression],
  appliesTo: (ctx) => CALLED_THROUGH.some((module) => ctx.scopes.mayImport(module)),
  recognize(node, ctx) {
    if (!ts.isCallExpression(node) && !ts.isNewExpression(node)) return false;
    const callee = skipOuterExpressions(node.expression);
    if (ts.isIdentifier(callee) && isHttpErrors(callee, ctx)) return factoryCall(node, ctx);
    if (ts.isCallExpression(node) && ts.isIdentifier(callee) && ctx.scopes.importOf(callee.text, callee)?.module === HTTP_ASSERT) return httpAssert(node, ctx);
    if (ts.isIdentifier(callee)) return namedImport(node, callee, ctx);
    const owner = calleeObject(node);
    if (!owner || !ts.isIdentifier(skipOuterExpressions(owner)) || !isHttpErrors(skipOuterExpressions(owner) as ts.Identifier, ctx)) return false;
    const member = ts.isPropertyAccessExpression(callee) ? callee.name : ts.isElementAccessExpression(callee) ? callee.argumentExpression : undefined;
    const memberText = member && (ts.isIdentifier(member) ? member.text : ts.isNumericLiteral(member) ? member.text : undefined);
    const value = memberText === undefined ? undefined : NAMED[memberText] ?? (Number(memberText) || undefined);
    if (!member || value === undefined) return false;
    emitNamed(ctx, {
      framework: 'http-errors',
      node,
      delivery: 'error',
      carriedOnly: discardsResponseHeaders(ctx),
      site: { value, node: member, form: 'exception-class', swap: (to) => ({ edits: [swapMember(member, to, ctx)], challenged: false }) },
    });
    return true;
  },
  statusNames: Object.keys(NAMED),
};

/**
 * `const { Unauthorized } = require('http-errors')` … `throw new Unauthorized()`.
 * No swap is offered: the other class is not imported, and adding it is an edit elsewhere in the file.
 */
function namedImport(node: ts.CallExpression | ts.NewExpression, callee: ts.Identifier, ctx: ModelContext): boolean {
  const imported = ctx.scopes.importOf(callee.text, callee);
  const value = imported && MODULES.has(imported.module) ? NAMED[imported.imported] : undefined;
  if (value === undefined) return false;
  emitNamed(ctx, {
    framework: 'http-errors',
    node,
    delivery: 'error',
    carriedOnly: discardsResponseHeaders(ctx),
    site: { value, node: callee, form: 'exception-class' },
  });
  return true;
}

/** `createError.Forbidden` → `createError.Unauthorized`, `createError[403]` → `createError[401]`, `createError['Forbidden']` alike. */
function swapMember(member: ts.Node, to: 401 | 403, ctx: ModelContext) {
  if (ts.isNumericLiteral(member)) return replaceNode(ctx, member, String(to));
  if (stringValue(member) !== undefined) return replaceNode(ctx, member, ctx.quote(NAME_FOR[to]));
  return replaceNode(ctx, member, NAME_FOR[to]);
}

function isHttpErrors(identifier: ts.Identifier, ctx: ModelContext): boolean {
  const imported = ctx.scopes.importOf(identifier.text, identifier);
  if (!imported) return false;
  if (RE_EXPORTS[imported.module] !== undefined) return imported.imported === RE_EXPORTS[imported.module];
  return MODULES.has(imported.module) && (imported.imported === 'default' || imported.imported === '*');
}

function factoryCall(node: ts.CallExpression | ts.NewExpression, ctx: ModelContext): boolean {
  const { status, props, opaqueProps } = httpErrorArguments(node.arguments ?? []);
  if (!status) return false;
  const headers = props && objectPropertyValue(props, 'headers');
  emitStatus(ctx, {
    framework: 'http-errors',
    node,
    delivery: 'error',
    carriedOnly: discardsResponseHeaders(ctx),
    status,
    carried: opaqueProps ? { names: new Set(), unknown: true } : headers ? ctx.headerBag(headers) : NO_HEADERS,
    addHeader: (name, value) =>
      props ? ctx.addHeaderToInit(props, name, value) : ctx.appendArgument(node, `{ headers: ${ctx.headerObject(name, value)} }`),
  });
  return true;
}

/** http-assert: `assert(value, status, message, props)` throws an http-errors error when `value` is falsy. */
function httpAssert(call: ts.CallExpression, ctx: ModelContext): boolean {
  const [value, status] = call.arguments;
  if (!value || !status) return false;
  const { props, opaqueProps } = httpErrorArguments(call.arguments.slice(2));
  const headers = props && objectPropertyValue(props, 'headers');
  emitStatus(ctx, {
    framework: 'http-errors',
    node: call,
    delivery: 'error',
    carriedOnly: discardsResponseHeaders(ctx),
    status,
    carried: opaqueProps ? { names: new Set(), unknown: true } : headers ? ctx.headerBag(headers) : NO_HEADERS,
    addHeader: (name, text) =>
      props ? ctx.addHeaderToInit(props, name, text) : ctx.appendArgument(call, `{ headers: ${ctx.headerObject(name, text)} }`),
    assertion: value,
  });
  return true;
}

/** Koa's error handler removes every header set on ctx before it writes the error's own. */
function discardsResponseHeaders(ctx: ModelContext): boolean {
  return ctx.usesModule((m) => m === 'koa' || m.startsWith('@koa/') || m.startsWith('koa-'));
}
