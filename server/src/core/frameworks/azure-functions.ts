import ts from 'typescript';
import { isFunctionLike, objectProperty, objectPropertyValue, propertyNameText, skipOuterExpressions } from '../ast';
import type { ResponseRef } from '../model/concepts';
import type { ModelContext } from '../model/context';
import { emitStatus, type FrameworkModule } from './framework';
import { addHeaderToObject, localFunction, namesImportedType, objectHeaders, returnedObjects } from './returned';
import { assignedVariable } from './web';

const AZURE = '@azure/functions';
/** v4's registrations: `app.http(name, { handler })`, and the shorthands taking the handler or the options. */
const REGISTRATIONS = new Set(['http', 'get', 'post', 'put', 'patch', 'deleteRequest']);
/** v4's HTTP request and response types: a function taking the one or returning the other is an HTTP handler. */
const HTTP_TYPES = new Set(['HttpRequest', 'HttpResponseInit', 'HttpResponse']);

/**
 * Azure Functions for Node. v4 (`app.http('name', { handler })`): the
 * handler returns an `HttpResponseInit` (`{ status, headers, jsonBody }`) or
 * an `HttpResponse` built from one, which the worker sends with those headers
 * and no others (`src/http/HttpResponse.ts`, `src/converters/toRpcHttp.ts` in
 * Azure/azure-functions-nodejs-library). v3: the function sets `context.res =
 * { status, headers, body }`. Neither adds a challenge to a 401 the code sends.
 */
export const azureFunctions: FrameworkModule = {
  name: 'azure-functions',
  kinds: [ts.SyntaxKind.NewExpression, ts.SyntaxKind.BinaryExpression],
  appliesTo: (ctx) => ctx.usesModule((m) => m === AZURE) || /\bcontext\.res\b/.test(ctx.sourceFile.text),
  recognize(node, ctx) {
    if (ts.isNewExpression(node)) return httpResponse(node, ctx);
    return ts.isBinaryExpression(node) && contextRes(node, ctx);
  },
  recognizeFile(ctx) {
    if (!ctx.usesModule((m) => m === AZURE) || !ctx.sourceFile.text.includes('status')) return;
    const emitted = new Set<ts.ObjectLiteralExpression>();
    for (const fn of handlers(ctx)) {
      for (const { object, variable } of returnedObjects(fn, ctx)) {
        if (emitted.has(object)) continue;
        emitted.add(object);
        emitObject(object, variable, ctx, false);
      }
    }
  },
};

/** `new HttpResponse({ status: 401, headers })` */
function httpResponse(node: ts.NewExpression, ctx: ModelContext): boolean {
  const callee = skipOuterExpressions(node.expression);
  if (!ts.isIdentifier(callee)) return false;
  const imported = ctx.scopes.importOf(callee.text, callee);
  if (imported?.module !== AZURE || imported.imported !== 'HttpResponse') return false;
  const init = node.arguments?.[0] && skipOuterExpressions(node.arguments[0]);
  if (!init || !ts.isObjectLiteralExpression(init)) return false;
  return emitObject(init, undefined, ctx, false, node);
}

/** v3: `context.res = { status: 401, body }` in a function given the invocation context first. */
function contextRes(node: ts.BinaryExpression, ctx: ModelContext): boolean {
  const left = skipOuterExpressions(node.left);
  if (!ts.isPropertyAccessExpression(left) || left.name.text !== 'res' || node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return false;
  const right = skipOuterExpressions(node.right);
  const holder = skipOuterExpressions(left.expression);
  if (!ts.isObjectLiteralExpression(right) || !ts.isIdentifier(holder)) return false;
  const declaration = ctx.scopes.lookup(holder.text, holder);
  if (declaration?.kind !== 'parameter' || declaration.index !== 0 || declaration.fn.parameters.length < 2) return false;
  if (!ctx.usesModule((m) => m === AZURE) && !isModuleExport(declaration.fn)) return false;
  // The assignment replaces the response: headers written to it afterwards are its own.
  return emitObject(right, ctx.reference(holder), ctx, true);
}

/** `module.exports = function (context, req) { … }`, `export default async function (context, req) { … }` */
function isModuleExport(fn: ts.FunctionLikeDeclaration): boolean {
  if (ts.isFunctionDeclaration(fn)) return !!ts.getModifiers(fn)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
  const parent = fn.parent;
  if (ts.isExportAssignment(parent)) return true;
  if (!ts.isBinaryExpression(parent) || parent.right !== fn) return false;
  const target = skipOuterExpressions(parent.left);
  return ts.isPropertyAccessExpression(target) && target.name.text === 'exports' && ts.isIdentifier(target.expression) && target.expression.text === 'module';
}

/** v4 handlers: those registered with `app`, and functions typed with the HTTP request or response types. */
function handlers(ctx: ModelContext): ts.FunctionLikeDeclaration[] {
  const found: ts.FunctionLikeDeclaration[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) found.push(...registered(node, ctx));
    else if (isFunctionLike(node) && hasHttpSignature(node, ctx)) found.push(node);
    ts.forEachChild(node, visit);
  };
  visit(ctx.sourceFile);
  return found;
}

/** `app.http('name', { handler })`, `app.get('name', handler)` with `app` from @azure/functions. */
function registered(call: ts.CallExpression, ctx: ModelContext): ts.FunctionLikeDeclaration[] {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !REGISTRATIONS.has(callee.name.text)) return [];
  const owner = skipOuterExpressions(callee.expression);
  if (!ts.isIdentifier(owner)) return [];
  const imported = ctx.scopes.importOf(owner.text, owner);
  if (imported?.module !== AZURE || imported.imported !== 'app') return [];
  const second = call.arguments[1] && skipOuterExpressions(call.arguments[1]);
  if (!second) return [];
  if (!ts.isObjectLiteralExpression(second)) return optional(localFunction(second as ts.Expression, ctx));
  const property = objectProperty(second, 'handler');
  if (property && ts.isMethodDeclaration(property)) return [property];
  const value = objectPropertyValue(second, 'handler');
  return value ? optional(localFunction(value, ctx)) : [];
}

function optional<T>(value: T | undefined): T[] {
  return value ? [value] : [];
}

function hasHttpSignature(fn: ts.FunctionLikeDeclaration, ctx: ModelContext): boolean {
  const first = fn.parameters[0];
  return (!!first?.type && namesAzureType(first.type, ctx)) || (!!fn.type && namesAzureType(fn.type, ctx));
}

/** Whether a type annotation names (or wraps) v4's HTTP request or response type. */
function namesAzureType(type: ts.TypeNode, ctx: ModelContext): boolean {
  return namesImportedType(type, ctx, (module, typeName) => module === AZURE && HTTP_TYPES.has(typeName));
}

/**
 * Records the response a `{ status, headers }` object describes. `records`:
 * v3's `context.res`, whose headers are a plain record, so a fix may spread
 * one held elsewhere; v4's `HeadersInit` may be a `Headers` or a list.
 */
function emitObject(object: ts.ObjectLiteralExpression, variable: ResponseRef | undefined, ctx: ModelContext, records: boolean, node?: ts.NewExpression): boolean {
  const property = objectProperty(object, 'status');
  if (!property || propertyNameText(property.name) !== 'status') return false;
  const status = ts.isPropertyAssignment(property) ? property.initializer : ts.isShorthandPropertyAssignment(property) ? property.name : undefined;
  if (!status) return false;
  emitStatus(ctx, {
    framework: 'azure-functions',
    node: node ?? property,
    delivery: 'response',
    status,
    responseVariable: variable ?? (node && assignedVariable(node, ctx)),
    carried: objectHeaders(object, ['headers'], ctx),
    addHeader: (name, value) => addHeaderToObject(object, name, value, ctx, records),
  });
  return true;
}
