import ts from 'typescript';
import { isFunctionLike, isStatementList, memberName, objectPropertyValue, skipOuterExpressions, stringValue } from '../ast';
import type { HeaderBag } from '../model/concepts';
import type { ModelContext } from '../model/context';
import type { TextEdit } from '../types';
import { emitStatus, NO_HEADERS, type FrameworkModule } from './framework';

/** Modules h3's helpers are imported from: h3 itself, and Nitro and Nuxt, which re-export them. */
const isH3Module = (m: string) => m === 'h3' || m === 'h3-nightly' || m.startsWith('nitropack') || m === 'nitro' || m.startsWith('nitro/') || m === '#imports';
/** Nitro's server directory (Nuxt's `server/api`, `server/middleware`, …), where h3's helpers are auto-imported. */
const NITRO_FILE = /(^|[\\/])server[\\/]/;
/** Handler factories called without an import in a standalone Nitro project's `routes/`, `api/` and `middleware/`. */
const AUTO_IMPORTED_DEFINERS = ['defineEventHandler', 'eventHandler', 'defineHandler'];
const EVENT_NAME = /^_*(event|e|evt|ev|h3Event)$/;
const EVENT_TYPE = /\b(H3Event|HTTPEvent)\b/;
/**
 * What only h3 v2 code writes: its error class, its handler factory, the web
 * request and response on the event, and Nitro 3. Without any, a file is
 * read as v1, which Nuxt 3 and 4 and Nitro 2 run.
 */
const V2_MARKERS = /\bHTTPError\b|\bdefineHandler\b|\.res\.(headers|errHeaders|status)\b|\.req\.headers\.get\(|from\s*['"]nitro(\/[^'"]*)?['"]/;
const SETTER = 'setResponseHeader';

interface FileFacts {
  /** Read when first asked: most files the module applies to are never asked. */
  v2: boolean | undefined;
  /** Helpers may be used without an import (Nitro's and Nuxt's auto-imports). */
  autoImports: boolean;
}

const factsByFile = new WeakMap<ts.SourceFile, FileFacts>();

function facts(ctx: ModelContext): FileFacts {
  let found = factsByFile.get(ctx.sourceFile);
  if (!found) {
    const definers = AUTO_IMPORTED_DEFINERS.some((name) => (ctx.model.callsByName.get(name) ?? []).some((call) => !ctx.scopes.lookup(name, call)));
    found = { v2: undefined, autoImports: NITRO_FILE.test(ctx.sourceFile.fileName) || definers };
    factsByFile.set(ctx.sourceFile, found);
  }
  return found;
}

/** Whether a file is written for h3 v2 (its proxy fixes read headers from `event.req`). */
export function isV2(ctx: ModelContext): boolean {
  const found = facts(ctx);
  found.v2 ??= V2_MARKERS.test(ctx.text);
  return found.v2;
}

/**
 * h3 (v1 `unjs/h3` 1.x under Nuxt 3/4 and Nitro 2; v2 `h3js/h3` under Nitro 3).
 * v1 answers a thrown `createError({ statusCode })` on the same Node response,
 * so headers set before it with `setResponseHeader(event, …)` are sent; the
 * error has no headers of its own. v2 builds an error response from the
 * error alone (`new HTTPError({ status, headers })`, `createError` alike)
 * plus `event.res.errHeaders`, ignoring `event.res.headers`.
 * `setResponseStatus(event, 401)` and `event.res.status = 401` set the status
 * of what the handler returns, which carries the event's headers.
 */
export const h3: FrameworkModule = {
  name: 'h3',
  kinds: [ts.SyntaxKind.CallExpression, ts.SyntaxKind.NewExpression, ts.SyntaxKind.BinaryExpression],
  appliesTo: (ctx) => ctx.usesModule(isH3Module) || facts(ctx).autoImports,
  recognize(node, ctx) {
    if (ts.isBinaryExpression(node)) return statusAssignment(node, ctx);
    const callee = skipOuterExpressions(node.expression);
    if (ts.isNewExpression(node)) {
      if (!ts.isIdentifier(callee) || h3Name(callee, ctx) !== 'HTTPError') return false;
      const [first, second] = node.arguments ?? [];
      return first !== undefined && httpError(node, stringValue(first) !== undefined ? second : first, ctx);
    }
    if (ts.isPropertyAccessExpression(callee)) {
      return callee.name.text === 'status' && ts.isIdentifier(callee.expression) && h3Name(callee.expression, ctx) === 'HTTPError' && httpErrorStatus(node, ctx);
    }
    if (!ts.isIdentifier(callee)) return false;
    const name = callee.text;
    // Most calls name neither: test the spelling (or an import under another name) before resolving it.
    if (name !== 'createError' && name !== 'setResponseStatus' && !ctx.scopes.importOf(name, callee)) return false;
    const h3Export = h3Name(callee, ctx);
    if (h3Export === 'createError') return createError(node, ctx);
    if (h3Export === 'setResponseStatus') return setResponseStatus(node, ctx);
    return false;
  },
};

/** The h3 export an identifier stands for: imported from h3, Nitro or Nuxt, or auto-imported (not declared in the file). */
function h3Name(identifier: ts.Identifier, ctx: ModelContext): string | undefined {
  const imported = ctx.scopes.importOf(identifier.text, identifier);
  if (imported) return isH3Module(imported.module) ? imported.imported : undefined;
  return facts(ctx).autoImports && !ctx.scopes.lookup(identifier.text, identifier) ? identifier.text : undefined;
}

/** `createError({ statusCode: 401, … })`, also spelled `status` */
function createError(call: ts.CallExpression, ctx: ModelContext): boolean {
  const arg = call.arguments[0] && skipOuterExpressions(call.arguments[0]);
  if (!arg || !ts.isObjectLiteralExpression(arg)) return false;
  if (isV2(ctx)) return httpError(call, arg, ctx);
  const status = objectPropertyValue(arg, 'statusCode') ?? objectPropertyValue(arg, 'status');
  if (!status) return false;
  const headers = objectPropertyValue(arg, 'headers');
  emitStatus(ctx, {
    framework: 'h3',
    node: call,
    delivery: 'error',
    status,
    carried: headers ? ctx.headerBag(headers) : NO_HEADERS,
    // v1's error takes no headers (TypeScript refuses the property): the header is set on the event before the throw.
    addHeader: (name, value) => setHeaderBefore(call, name, value, ctx),
  });
  return true;
}

/** v2: `new HTTPError({ status, headers })`, `new HTTPError(message, details)`, and `createError` alike. */
function httpError(node: ts.CallExpression | ts.NewExpression, details: ts.Expression | undefined, ctx: ModelContext): boolean {
  const object = details && skipOuterExpressions(details);
  if (!object || !ts.isObjectLiteralExpression(object)) return false;
  const status = objectPropertyValue(object, 'status') ?? objectPropertyValue(object, 'statusCode');
  if (!status) return false;
  emitStatus(ctx, {
    framework: 'h3',
    node,
    delivery: 'error',
    carriedOnly: true,
    status,
    carried: withErrHeaders(ctx.headerBag(objectPropertyValue(object, 'headers')), node, ctx),
    addHeader: (name, value) => ctx.addHeaderToInit(object, name, value),
  });
  return true;
}

/** v2: `HTTPError.status(401, statusText, details)` */
function httpErrorStatus(call: ts.CallExpression, ctx: ModelContext): boolean {
  const [status, text, details] = call.arguments;
  if (!status) return false;
  const object = details && skipOuterExpressions(details);
  const literal = object && ts.isObjectLiteralExpression(object) ? object : undefined;
  const carried = details && !literal ? { names: new Set<string>(), unknown: true } : ctx.headerBag(literal && objectPropertyValue(literal, 'headers'));
  emitStatus(ctx, {
    framework: 'h3',
    node: call,
    delivery: 'error',
    carriedOnly: true,
    status,
    carried: withErrHeaders(carried, call, ctx),
    addHeader: (name, value) => {
      if (literal) return ctx.addHeaderToInit(literal, name, value);
      if (details) return undefined;
      return ctx.appendArgument(call, `${text ? '' : 'undefined, '}{ headers: ${ctx.headerObject(name, value)} }`);
    },
  });
  return true;
}

/** `setResponseStatus(event, 401)`: the status of what the handler returns, with the headers set on the event. */
function setResponseStatus(call: ts.CallExpression, ctx: ModelContext): boolean {
  const [event, status] = call.arguments;
  const response = event && ctx.reference(event);
  if (!status || !response) return false;
  emitStatus(ctx, {
    framework: 'h3',
    node: call,
    delivery: 'status',
    status,
    response,
    addHeader: (name, value) => setHeaderBefore(call, name, value, ctx, event.getText(ctx.sourceFile)),
  });
  return true;
}

/** `event.res.status = 401` (v2), `event.node.res.statusCode = 401` and `event.res.statusCode = 401` (v1's Node response). */
function statusAssignment(node: ts.BinaryExpression, ctx: ModelContext): boolean {
  if (node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return false;
  const left = skipOuterExpressions(node.left);
  const property = ts.isPropertyAccessExpression(left) ? left.name.text : undefined;
  if (property !== 'status' && property !== 'statusCode') return false;
  const receiver = skipOuterExpressions((left as ts.PropertyAccessExpression).expression);
  if (memberName(receiver) !== 'res') return false;
  const holder = skipOuterExpressions((receiver as ts.PropertyAccessExpression).expression);
  const event = memberName(holder) === 'node' ? skipOuterExpressions((holder as ts.PropertyAccessExpression).expression) : holder;
  if (!ts.isIdentifier(event) || !isEvent(event, ctx)) return false;
  const response = ctx.reference(event);
  if (!response) return false;
  const target = receiver.getText(ctx.sourceFile);
  const setter = property === 'status' ? `${target}.headers.set` : `${target}.setHeader`;
  emitStatus(ctx, {
    framework: 'h3',
    node,
    delivery: 'status',
    status: node.right,
    response,
    addHeader: (name, value) => ctx.insertStatementBefore(node, `${setter}(${ctx.quote(name)}, ${ctx.quote(value)});`),
  });
  return true;
}

function isEvent(identifier: ts.Identifier, ctx: ModelContext): boolean {
  if (EVENT_NAME.test(identifier.text)) return true;
  const declaration = ctx.scopes.lookup(identifier.text, identifier);
  const type = declaration?.kind === 'parameter' ? declaration.node.type : undefined;
  return !!type && EVENT_TYPE.test(type.getText(ctx.sourceFile));
}

/** The event parameter of the nearest enclosing function that takes one. */
function eventInScope(node: ts.Node, ctx: ModelContext): string | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (!isFunctionLike(current)) continue;
    const param = current.parameters[0];
    if (param && ts.isIdentifier(param.name) && isEvent(param.name, ctx)) return param.name.text;
  }
  return undefined;
}

/** `setResponseHeader(event, 'WWW-Authenticate', …);` before the statement, importing the helper where the file imports h3's. */
function setHeaderBefore(node: ts.Node, name: string, value: string, ctx: ModelContext, eventText = eventInScope(node, ctx)): TextEdit[] | undefined {
  if (!eventText) return undefined;
  const setter = setterName(ctx);
  if (!setter) return undefined;
  const statement = ctx.insertStatementBefore(node, `${setter.name}(${eventText}, ${ctx.quote(name)}, ${ctx.quote(value)});`);
  return statement && [...(setter.importEdit ? [setter.importEdit] : []), ...statement];
}

/** The local name of `setResponseHeader`: imported already, added to the file's import from h3, or auto-imported. */
function setterName(ctx: ModelContext): { name: string; importEdit?: TextEdit } | undefined {
  let target: ts.NamedImports | undefined;
  for (const statement of ctx.sourceFile.statements) {
    if (!ts.isImportDeclaration(statement)) continue;
    const module = stringValue(statement.moduleSpecifier);
    const clause = statement.importClause;
    const bindings = clause?.namedBindings;
    if (!module || !isH3Module(module) || !bindings || !ts.isNamedImports(bindings)) continue;
    const element = bindings.elements.find((e) => ['setResponseHeader', 'setHeader'].includes((e.propertyName ?? e.name).text) && !e.isTypeOnly);
    if (element && !clause.isTypeOnly) return { name: element.name.text };
    if (!clause.isTypeOnly && (!target || module === 'h3')) target = bindings;
  }
  if (ctx.scopes.lookup(SETTER, ctx.sourceFile)) return undefined;
  if (target) return { name: SETTER, importEdit: importSpecifier(target, ctx) };
  return facts(ctx).autoImports ? { name: SETTER } : undefined;
}

function importSpecifier(bindings: ts.NamedImports, ctx: ModelContext): TextEdit {
  const elements = bindings.elements;
  if (elements.length === 0) return { start: bindings.getStart(ctx.sourceFile) + 1, end: bindings.getEnd() - 1, text: ` ${SETTER} ` };
  const last = elements[elements.length - 1];
  const at = elements.hasTrailingComma ? ctx.text.indexOf(',', last.getEnd()) + 1 : last.getEnd();
  return { start: at, end: at, text: elements.hasTrailingComma ? ` ${SETTER},` : `, ${SETTER}` };
}

/** v2's `event.res.errHeaders.set(name, …)` before the error, in the blocks around it: those reach an error response. */
function withErrHeaders(bag: HeaderBag, node: ts.Node, ctx: ModelContext): HeaderBag {
  if (bag.unknown || !isV2(ctx)) return bag;
  const names = new Set(bag.names);
  for (let child: ts.Node = node; child.parent; child = child.parent) {
    const list = child.parent;
    if (isFunctionLike(list)) break;
    if (!isStatementList(list)) continue;
    for (const statement of list.statements) {
      if (statement.pos >= child.pos) break;
      const name = errHeaderWritten(statement);
      if (name) names.add(name);
    }
  }
  return { names, unknown: false };
}

function errHeaderWritten(statement: ts.Statement): string | undefined {
  if (!ts.isExpressionStatement(statement)) return undefined;
  const call = skipOuterExpressions(statement.expression);
  if (!ts.isCallExpression(call)) return undefined;
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !['set', 'append'].includes(callee.name.text)) return undefined;
  if (memberName(skipOuterExpressions(callee.expression)) !== 'errHeaders') return undefined;
  return stringValue(call.arguments[0])?.toLowerCase();
}
