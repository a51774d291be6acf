import ts from 'typescript';
import { isFunctionLike, objectProperty, propertyNameText, skipOuterExpressions } from '../ast';
import type { HeaderBag } from '../model/concepts';
import type { ModelContext } from '../model/context';
import { emitStatus, NO_HEADERS, type FrameworkModule } from './framework';
import { assignedVariable } from './web';
import { addHeaderToObject, localFunction, namesImportedType, objectHeaders, objectsOf, returnedObjects, type ReturnedObject } from './returned';

/** Modules whose types and wrappers mark a Lambda handler; Netlify Functions (v1) take the same event and result. */
const isLambdaModule = (m: string) => m === 'aws-lambda' || m === '@middy/core' || m === 'middy' || m === '@netlify/functions';
/** Wrappers that take the handler (`middy(handler)`, `middy().handler(fn)`). */
const isMiddyModule = (m: string) => m === '@middy/core' || m === 'middy';
/** The HTTP events and results of API Gateway (REST and HTTP APIs), ALB and function URLs, and Netlify's. */
const HTTP_TYPES = /^(APIGateway(Proxy)?Event(V2)?\w*|APIGatewayProxy(Structured)?Result(V2)?|ProxyResult|ALB(Event|Result)|LambdaFunctionURL(Event|Result)\w*|HandlerEvent|HandlerResponse)$/;
/** Handler types: `Handler<E, R>`, `APIGatewayProxyHandler`, `ALBHandler`, `LambdaFunctionURLHandler`, … */
const HANDLER_TYPE = /Handler(V2)?(With\w+)?$/;
/** The types of a Lambda authorizer (`APIGatewayTokenAuthorizerHandler`, `APIGatewayRequestAuthorizerEvent`, `CustomAuthorizerResult`, …). */
const AUTHORIZER_TYPE = /Authorizer/;
/** The name serverless.yml, SAM and Netlify default to. */
const HANDLER_EXPORT = 'handler';
const HEADER_PROPERTIES = ['headers', 'multiValueHeaders'];

/**
 * AWS Lambda behind API Gateway (REST and HTTP APIs), an ALB or a function
 * URL, and Netlify Functions: the handler's result `{ statusCode, headers,
 * multiValueHeaders, body }` is the HTTP response, passed through as it is
 * (API Gateway's Lambda proxy integration maps `headers` and
 * `multiValueHeaders` onto the response and adds no challenge). A handler is a
 * function exported as `handler`, exported under another name with the event
 * as its first parameter, typed with a handler, event or result type from
 * `aws-lambda` (or `@netlify/functions`), or wrapped by middy; what it
 * returns, or passes to its callback as `callback(null, result)`, is its
 * response. In a file written against those types, any object of a result's
 * shape is one too. Under middy, `@middy/http-error-handler` turns the
 * errors of `@middy/util` into responses.
 *
 * A Lambda authorizer's `throw new Error('Unauthorized')` (or
 * `callback('Unauthorized')`) is no response of the function's: API Gateway
 * answers it with its own UNAUTHORIZED gateway response, configured outside
 * the code, so nothing here models it.
 */
export const awsLambda: FrameworkModule = {
  name: 'aws-lambda',
  kinds: [ts.SyntaxKind.CallExpression, ts.SyntaxKind.NewExpression],
  appliesTo: (ctx) => ctx.scopes.mayImport(MIDDY_UTIL),
  recognize: (node, ctx) => (ts.isCallExpression(node) || ts.isNewExpression(node)) && middyError(node, ctx),
  recognizeFile(ctx) {
    // Cheap tests first: an untyped handler's results name `statusCode`, and its export or event is named.
    const typed = ctx.usesModule(isLambdaModule);
    if (!typed && !(ctx.sourceFile.text.includes('statusCode') && MAY_EXPORT_HANDLER.test(ctx.sourceFile.text))) return;
    const emitted = new Set<ts.ObjectLiteralExpression>();
    const emit = (found: ReturnedObject, origin: ts.Node | undefined) => {
      if (emitted.has(found.object)) return;
      emitted.add(found.object);
      if (emitResponse(found, ctx) && (!origin || topStatement(found.object) !== topStatement(origin))) ctx.model.readsWholeFile = true;
    };
    const { handlers, results, authorizers } = walk(ctx, typed);
    for (const handler of handlers) {
      if (authorizers.includes(handler.fn)) continue;
      for (const found of responsesOf(handler.fn, ctx)) if (!handler.byShape || hasResultMembers(found.object)) emit(found, handler.origin);
    }
    for (const object of results) emit({ object, variable: heldBy(object, ctx) }, undefined);
    if (authorizers.length) dropAuthorizerEmissions(authorizers, ctx);
  },
};

const MIDDY_UTIL = '@middy/util';

/**
 * middy's errors, `createError(401, …)` (7.x) and `new HttpError(401, …)`
 * (8.x): `@middy/http-error-handler` answers one with its `statusCode` and
 * the `headers` set on it, and neither constructor takes headers.
 */
function middyError(node: ts.CallExpression | ts.NewExpression, ctx: ModelContext): boolean {
  const callee = skipOuterExpressions(node.expression);
  const status = node.arguments?.[0];
  if (!ts.isIdentifier(callee) || !status) return false;
  const imported = ctx.scopes.importOf(callee.text, callee);
  if (imported?.module !== MIDDY_UTIL || imported.imported !== (ts.isCallExpression(node) ? 'createError' : 'HttpError')) return false;
  emitStatus(ctx, {
    framework: 'aws-lambda',
    node,
    delivery: 'error',
    status,
    responseVariable: assignedVariable(node, ctx),
    carried: assignedHeaders(node, ctx),
    remedy: (challenge) => `middy's http-error-handler sends the error's \`headers\`: set \`headers: { 'WWW-Authenticate': '${challenge}' }\` on the error before throwing it.`,
  });
  return true;
}

/** `Object.assign(createError(401), { headers })`: the headers the error is given where it is built. */
function assignedHeaders(node: ts.Expression, ctx: ModelContext): HeaderBag {
  const call = outerParent(node);
  if (!ts.isCallExpression(call) || skipOuterExpressions(call.arguments[0] ?? call) !== node) return NO_HEADERS;
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'assign' || !isIdentifierNamed(callee.expression, 'Object')) return NO_HEADERS;
  const bag: HeaderBag = { names: new Set(), unknown: false };
  for (const arg of call.arguments.slice(1)) {
    const props = skipOuterExpressions(arg);
    const found: HeaderBag = ts.isObjectLiteralExpression(props) ? objectHeaders(props, ['headers'], ctx) : { names: new Set(), unknown: true };
    for (const name of found.names) bag.names.add(name);
    bag.unknown ||= found.unknown;
  }
  return bag;
}

/** A handler's name or its event parameter's, which a file exporting an untyped handler holds. */
const MAY_EXPORT_HANDLER = /\b(?:handler|_?event|_?evt)\b/;

interface Handler {
  fn: ts.FunctionLikeDeclaration;
  /** What makes it a handler (its export, its type, the middy call): a finding depends on it. */
  origin: ts.Node;
  /**
   * Known only by its export and its event parameter: its results count when
   * they have a result's shape (`{ statusCode, body }`), not an error's
   * (`{ statusCode, message }` from a helper of another framework).
   */
  byShape?: boolean;
}

/**
 * The file's handlers and results, found in one walk: exports named
 * `handler`, other exports whose function takes the event first (`(event,
 * context)`, under the name serverless.yml points at), typed handlers,
 * middy's arguments; and, in a file written against the Lambda types, every
 * object of a result's shape.
 */
function walk(ctx: ModelContext, typed: boolean): { handlers: Handler[]; results: ts.ObjectLiteralExpression[]; authorizers: ts.FunctionLikeDeclaration[] } {
  const handlers: Handler[] = [];
  const results: ts.ObjectLiteralExpression[] = [];
  const authorizers: ts.FunctionLikeDeclaration[] = [];
  const add = (expression: ts.Expression | undefined, origin: ts.Node, takesEventOnly: boolean) => {
    for (const fn of handlerFunctions(expression, ctx, 0)) if (!takesEventOnly || takesEvent(fn)) handlers.push({ fn, origin, byShape: takesEventOnly });
  };
  const visit = (node: ts.Node): void => {
    for (const { name, value } of exportsOf(node)) add(value, node, name !== HANDLER_EXPORT);
    if (ts.isFunctionDeclaration(node) && node.name && isExported(node) && (node.name.text === HANDLER_EXPORT || takesEvent(node))) {
      handlers.push({ fn: node, origin: node, byShape: node.name.text !== HANDLER_EXPORT });
    }
    if (typed) {
      if (ts.isObjectLiteralExpression(node) && isResultShaped(node)) results.push(node);
      else if (ts.isVariableDeclaration(node) && node.type && namesLambdaType(node.type, AUTHORIZER_TYPE, ctx)) authorizers.push(...handlerFunctions(node.initializer, ctx, 0));
      else if (ts.isVariableDeclaration(node) && node.type && namesLambdaType(node.type, HANDLER_TYPE, ctx)) add(node.initializer, node, false);
      else if (isFunctionLike(node) && hasSignature(node, AUTHORIZER_TYPE, ctx)) authorizers.push(node);
      else if (isFunctionLike(node) && hasSignature(node, HTTP_TYPES, ctx)) handlers.push({ fn: node, origin: node });
      else if (ts.isCallExpression(node) && isMiddyCall(node, ctx)) for (const arg of node.arguments) add(arg, node, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(ctx.sourceFile);
  return { handlers, results, authorizers };
}

/** The members of a result besides its status (`APIGatewayProxyResult` requires `body`). */
const RESULT_MEMBERS = new Set(['body', 'headers', 'multiValueHeaders', 'isBase64Encoded', 'cookies']);

/**
 * `{ statusCode, body }` and the like, wherever it is built (a helper's
 * return, `response: { statusCode: 401, body }` in an authenticator's
 * result), in a file that imports the Lambda types. An argument of a call
 * is left to what it is passed to, which another framework may model.
 */
function isResultShaped(object: ts.ObjectLiteralExpression): boolean {
  if (!hasResultMembers(object)) return false;
  const parent = outerParent(object);
  return !((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.some((arg) => skipOuterExpressions(arg) === object));
}

function hasResultMembers(object: ts.ObjectLiteralExpression): boolean {
  let status = false;
  let member = false;
  for (const property of object.properties) {
    if (!ts.isPropertyAssignment(property) && !ts.isShorthandPropertyAssignment(property)) continue;
    const name = propertyNameText(property.name);
    if (name === 'statusCode') status = true;
    else if (name !== undefined && RESULT_MEMBERS.has(name)) member = true;
  }
  return status && member;
}

/** The variable a result object initialises (`const response = { … } as APIGatewayProxyResult`), whose `.headers` may be set later. */
function heldBy(object: ts.ObjectLiteralExpression, ctx: ModelContext): ReturnedObject['variable'] {
  const parent = outerParent(object);
  return ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name) ? ctx.reference(parent.name) : undefined;
}

/** The first ancestor that is not a parenthesis, assertion or `satisfies`. */
function outerParent(node: ts.Node): ts.Node {
  let parent = node.parent;
  while (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isTypeAssertionExpression(parent) || ts.isSatisfiesExpression(parent) || ts.isNonNullExpression(parent)) parent = parent.parent;
  return parent;
}

/** Lambda's own name for a handler's first parameter, which its samples and serverless' templates keep. */
const EVENT_PARAMETER = /^_?(event|evt)$/;

function takesEvent(fn: ts.FunctionLikeDeclaration): boolean {
  const first = fn.parameters[0]?.name;
  return !!first && ts.isIdentifier(first) && EVENT_PARAMETER.test(first.text);
}

interface Exported {
  name: string;
  value: ts.Expression | undefined;
}

/**
 * What a node exports by name, other than a function declaration:
 * `export const x = …`, `export { x }`, `exports.x = …`,
 * `module.exports.x = …`, `module.exports = { x }`.
 */
function exportsOf(node: ts.Node): Exported[] {
  if (ts.isVariableDeclaration(node)) {
    return ts.isIdentifier(node.name) && isExported(node.parent.parent) ? [{ name: node.name.text, value: node.initializer }] : [];
  }
  if (ts.isExportSpecifier(node)) {
    if (node.parent.parent.moduleSpecifier) return [];
    const local = node.propertyName ?? node.name;
    return ts.isIdentifier(local) ? [{ name: node.name.text, value: local }] : [];
  }
  if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return [];
  const left = skipOuterExpressions(node.left);
  if (!ts.isPropertyAccessExpression(left)) return [];
  if (isExportsObject(left.expression)) return [{ name: left.name.text, value: node.right }];
  const right = skipOuterExpressions(node.right);
  if (left.name.text !== 'exports' || !isIdentifierNamed(left.expression, 'module') || !ts.isObjectLiteralExpression(right)) return [];
  return right.properties.flatMap((property): Exported[] => {
    const name = propertyNameText(property.name);
    if (name === undefined) return [];
    if (ts.isPropertyAssignment(property)) return [{ name, value: property.initializer }];
    if (ts.isShorthandPropertyAssignment(property)) return [{ name, value: property.name }];
    return [];
  });
}

function isExported(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

/** `exports`, `module.exports` */
function isExportsObject(node: ts.Expression): boolean {
  const inner = skipOuterExpressions(node);
  if (isIdentifierNamed(inner, 'exports')) return true;
  return ts.isPropertyAccessExpression(inner) && inner.name.text === 'exports' && isIdentifierNamed(inner.expression, 'module');
}

function isIdentifierNamed(node: ts.Node, name: string): boolean {
  return ts.isIdentifier(node) && node.text === name;
}

/**
 * The functions an expression bound as a handler runs: a function, a local
 * function it names, or the function a wrapper is given (`middy(fn).use(…)`,
 * `withAuth(async (event) => …)`), whose result the wrapper returns.
 */
function handlerFunctions(expression: ts.Expression | undefined, ctx: ModelContext, depth: number): ts.FunctionLikeDeclaration[] {
  if (!expression || depth > 3) return [];
  const node = skipOuterExpressions(expression);
  const fn = localFunction(node as ts.Expression, ctx);
  if (fn) return [fn];
  if (!ts.isCallExpression(node)) return [];
  const callee = skipOuterExpressions(node.expression);
  const inner = ts.isPropertyAccessExpression(callee) ? handlerFunctions(callee.expression, ctx, depth + 1) : [];
  return [...inner, ...node.arguments.flatMap((arg) => handlerFunctions(arg, ctx, depth + 1))];
}

function isMiddyCall(call: ts.CallExpression, ctx: ModelContext): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isIdentifier(callee)) return false;
  const imported = ctx.scopes.importOf(callee.text, callee);
  return !!imported && isMiddyModule(imported.module);
}

/** A function taking an event or returning a result of a type of `aws-lambda` matching `pattern`. */
function hasSignature(fn: ts.FunctionLikeDeclaration, pattern: RegExp, ctx: ModelContext): boolean {
  const first = fn.parameters[0];
  return (!!first?.type && namesLambdaType(first.type, pattern, ctx)) || (!!fn.type && namesLambdaType(fn.type, pattern, ctx));
}

/**
 * What a Lambda authorizer throws or returns is no HTTP response: API
 * Gateway answers a denial with its own gateway response (UNAUTHORIZED for
 * `Error('Unauthorized')`, ACCESS_DENIED for a Deny policy), whose headers
 * are configured outside the code. Statuses other modules read inside one
 * (an error class built with 401) are not sent by it.
 */
function dropAuthorizerEmissions(authorizers: readonly ts.FunctionLikeDeclaration[], ctx: ModelContext): void {
  const emissions = ctx.model.emissions;
  const inside = (node: ts.Node) => authorizers.some((fn) => node.pos >= fn.pos && node.end <= fn.end);
  let kept = 0;
  for (const emission of emissions) if (!inside(emission.node)) emissions[kept++] = emission;
  emissions.length = kept;
}

/** Whether a type annotation names (or wraps) a type of a Lambda module matching `pattern`. */
function namesLambdaType(type: ts.TypeNode, pattern: RegExp, ctx: ModelContext): boolean {
  return namesImportedType(type, ctx, (module, typeName) => isLambdaModule(module) && pattern.test(typeName));
}

/** What a handler returns, and what it passes to its callback (`callback(null, result)`), the legacy way to answer. */
function responsesOf(fn: ts.FunctionLikeDeclaration, ctx: ModelContext): ReturnedObject[] {
  const found = returnedObjects(fn, ctx);
  const callback = fn.parameters[2]?.name;
  if (!callback || !ts.isIdentifier(callback) || !fn.body) return found;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.arguments.length === 2 && isIdentifierNamed(skipOuterExpressions(node.expression), callback.text)) {
      const declaration = ctx.scopes.lookup(callback.text, node);
      if (declaration?.kind === 'parameter' && declaration.fn === fn) found.push(...objectsOf(node.arguments[1], ctx, 0, new Set()));
    }
    ts.forEachChild(node, visit);
  };
  visit(fn.body);
  return found;
}

function emitResponse({ object, variable }: ReturnedObject, ctx: ModelContext): boolean {
  const property = objectProperty(object, 'statusCode');
  if (!property || propertyNameText(property.name) !== 'statusCode') return false;
  const status = ts.isPropertyAssignment(property) ? property.initializer : ts.isShorthandPropertyAssignment(property) ? property.name : undefined;
  if (!status) return false;
  emitStatus(ctx, {
    framework: 'aws-lambda',
    node: property,
    delivery: 'response',
    status,
    responseVariable: variable,
    carried: objectHeaders(object, HEADER_PROPERTIES, ctx),
    addHeader: (name, value) => addHeaderToObject(object, name, value, ctx, true),
  });
  return true;
}

function topStatement(node: ts.Node): ts.Node {
  let current = node;
  while (current.parent && !ts.isSourceFile(current.parent)) current = current.parent;
  return current;
}
