import ts from 'typescript';
import { isFunctionLike, objectProperty, propertyNameText, skipOuterExpressions } from '../ast';
import type { ModelContext } from '../model/context';
import { emitStatus, type FrameworkModule } from './framework';
import { addHeaderToObject, localFunction, objectHeaders, objectsOf, returnedObjects, type ReturnedObject } from './returned';

/** Modules whose types and wrappers mark a Lambda handler; Netlify Functions (v1) take the same event and result. */
const isLambdaModule = (m: string) => m === 'aws-lambda' || m === '@middy/core' || m === 'middy' || m === '@netlify/functions';
/** Wrappers that take the handler (`middy(handler)`, `middy().handler(fn)`). */
const isMiddyModule = (m: string) => m === '@middy/core' || m === 'middy';
/** The HTTP events and results of API Gateway (REST and HTTP APIs), ALB and function URLs, and Netlify's. */
const HTTP_TYPES = /^(APIGateway(Proxy)?Event(V2)?\w*|APIGatewayProxy(Structured)?Result(V2)?|ProxyResult|ALB(Event|Result)|LambdaFunctionURL(Event|Result)\w*|HandlerEvent|HandlerResponse)$/;
/** Handler types: `Handler<E, R>`, `APIGatewayProxyHandler`, `ALBHandler`, `LambdaFunctionURLHandler`, … */
const HANDLER_TYPE = /Handler(V2)?(With\w+)?$/;
/** The name serverless.yml, SAM and Netlify default to. */
const HANDLER_EXPORT = 'handler';
const HEADER_PROPERTIES = ['headers', 'multiValueHeaders'];

/**
 * AWS Lambda behind API Gateway (REST and HTTP APIs), an ALB or a function
 * URL, and Netlify Functions: the handler's result `{ statusCode, headers,
 * multiValueHeaders, body }` is the HTTP response, passed through as it is
 * (API Gateway's Lambda proxy integration maps `headers` and
 * `multiValueHeaders` onto the response and adds no challenge). A handler is a
 * function exported as `handler`, typed with a handler, event or result type
 * from `aws-lambda` (or `@netlify/functions`), or wrapped by middy; what it
 * returns, or passes to its callback as `callback(null, result)`, is its
 * response.
 */
export const awsLambda: FrameworkModule = {
  name: 'aws-lambda',
  kinds: [],
  recognize: () => false,
  recognizeFile(ctx) {
    if (!mayHoldHandler(ctx)) return;
    const emitted = new Set<ts.ObjectLiteralExpression>();
    for (const handler of handlers(ctx)) {
      for (const found of responsesOf(handler.fn, ctx)) {
        if (emitted.has(found.object)) continue;
        emitted.add(found.object);
        if (emitResponse(found, ctx) && topStatement(found.object) !== topStatement(handler.origin)) ctx.model.readsWholeFile = true;
      }
    }
  },
};

/** Cheap tests first: every response object names `statusCode`. */
function mayHoldHandler(ctx: ModelContext): boolean {
  const text = ctx.sourceFile.text;
  return text.includes('statusCode') && (ctx.usesModule(isLambdaModule) || /\bhandler\b/.test(text));
}

interface Handler {
  fn: ts.FunctionLikeDeclaration;
  /** What makes it a handler (its export, its type, the middy call): a finding depends on it. */
  origin: ts.Node;
}

/** The file's handlers, found in one walk: exports named `handler`, typed handlers, middy's arguments. */
function handlers(ctx: ModelContext): Handler[] {
  const found: Handler[] = [];
  const typed = ctx.usesModule(isLambdaModule);
  const add = (expression: ts.Expression | undefined, origin: ts.Node) => {
    for (const fn of handlerFunctions(expression, ctx, 0)) found.push({ fn, origin });
  };
  const visit = (node: ts.Node): void => {
    if (isExportedHandler(node)) add(exportedValue(node), node);
    if (typed) {
      if (ts.isVariableDeclaration(node) && node.type && namesLambdaType(node.type, HANDLER_TYPE, ctx)) add(node.initializer, node);
      else if (isFunctionLike(node) && hasHttpSignature(node, ctx)) found.push({ fn: node, origin: node });
      else if (ts.isCallExpression(node) && isMiddyCall(node, ctx)) for (const arg of node.arguments) add(arg, node);
    }
    ts.forEachChild(node, visit);
  };
  visit(ctx.sourceFile);
  return found;
}

/** `export const handler = …`, `export function handler`, `exports.handler = …`, `module.exports.handler = …`, `module.exports = { handler }`. */
function isExportedHandler(node: ts.Node): boolean {
  if (ts.isVariableDeclaration(node)) return ts.isIdentifier(node.name) && node.name.text === HANDLER_EXPORT && isExported(node.parent.parent);
  if (ts.isFunctionDeclaration(node)) return node.name?.text === HANDLER_EXPORT && isExported(node);
  if (ts.isExportSpecifier(node)) return node.name.text === HANDLER_EXPORT;
  if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return false;
  const left = skipOuterExpressions(node.left);
  if (!ts.isPropertyAccessExpression(left)) return false;
  if (left.name.text === HANDLER_EXPORT) return isExportsObject(left.expression);
  return left.name.text === 'exports' && isIdentifierNamed(left.expression, 'module') && ts.isObjectLiteralExpression(skipOuterExpressions(node.right));
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

/** The value an exported handler is bound to. */
function exportedValue(node: ts.Node): ts.Expression | undefined {
  if (ts.isVariableDeclaration(node)) return node.initializer;
  if (ts.isFunctionDeclaration(node)) return undefined;
  if (ts.isExportSpecifier(node)) return node.propertyName && ts.isIdentifier(node.propertyName) ? node.propertyName : node.parent.parent.moduleSpecifier ? undefined : node.name;
  const assignment = node as ts.BinaryExpression;
  const right = skipOuterExpressions(assignment.right);
  if (!ts.isObjectLiteralExpression(right)) return assignment.right;
  const property = objectProperty(right, HANDLER_EXPORT);
  if (property && ts.isPropertyAssignment(property)) return property.initializer;
  if (property && ts.isShorthandPropertyAssignment(property)) return property.name;
  return undefined;
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

/** A function taking an HTTP event or returning an HTTP result, by the types of `aws-lambda`. */
function hasHttpSignature(fn: ts.FunctionLikeDeclaration, ctx: ModelContext): boolean {
  const first = fn.parameters[0];
  return (!!first?.type && namesLambdaType(first.type, HTTP_TYPES, ctx)) || (!!fn.type && namesLambdaType(fn.type, HTTP_TYPES, ctx));
}

/** Whether a type annotation names (or wraps, as `Promise<…>` does) a type of a Lambda module matching `pattern`. */
function namesLambdaType(type: ts.TypeNode, pattern: RegExp, ctx: ModelContext): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isTypeReferenceNode(node)) {
      const name = node.typeName;
      const local = ts.isIdentifier(name) ? name : name.left;
      const member = ts.isIdentifier(name) ? undefined : name.right.text;
      if (ts.isIdentifier(local)) {
        const imported = ctx.scopes.importOf(local.text, local);
        const typeName = member ?? imported?.imported;
        if (imported && isLambdaModule(imported.module) && typeName && pattern.test(typeName)) found = true;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(type);
  return found;
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
