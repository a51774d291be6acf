import ts from 'typescript';
import { isFunctionLike, objectProperty, objectPropertyValue, propertyNameText, skipOuterExpressions } from '../ast';
import type { HeaderBag, ResponseRef } from '../model/concepts';
import type { ModelContext } from '../model/context';
import type { TextEdit } from '../types';

/**
 * Responses written as plain objects that a handler returns (AWS Lambda's
 * `{ statusCode, headers, body }`, Azure Functions' `HttpResponseInit`):
 * whether an object literal is the response is read from data flow (it is
 * what the handler returns, directly, through a variable, or through a
 * helper of the file the handler returns the result of), never from a name.
 */

/** How many local helpers deep a returned value is followed (`return reply(401)` → `const reply = (s) => json(s, …)`). */
const HELPER_DEPTH = 3;

export interface ReturnedObject {
  object: ts.ObjectLiteralExpression;
  /** The variable the object was returned through, whose `.headers` may be written later. */
  variable?: ResponseRef;
}

/** The object literals `fn` hands back as its result, through variables, conditionals and local helpers. */
export function returnedObjects(fn: ts.FunctionLikeDeclaration, ctx: ModelContext, depth = 0, seen = new Set<ts.Node>()): ReturnedObject[] {
  if (seen.has(fn) || depth > HELPER_DEPTH) return [];
  seen.add(fn);
  return returnedExpressions(fn).flatMap((expression) => objectsOf(expression, ctx, depth, seen));
}

/** The expressions a function returns: its concise body, or its `return`s outside nested functions. */
export function returnedExpressions(fn: ts.FunctionLikeDeclaration): ts.Expression[] {
  const body = fn.body;
  if (!body) return [];
  if (!ts.isBlock(body)) return [body];
  const found: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isReturnStatement(node) && node.expression) found.push(node.expression);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}

/** The object literals an expression may evaluate to. */
export function objectsOf(expression: ts.Expression, ctx: ModelContext, depth: number, seen: Set<ts.Node>, variable?: ResponseRef): ReturnedObject[] {
  const node = unwrap(expression);
  if (ts.isObjectLiteralExpression(node)) return [{ object: node, variable }];
  if (ts.isConditionalExpression(node)) {
    return [...objectsOf(node.whenTrue, ctx, depth, seen, variable), ...objectsOf(node.whenFalse, ctx, depth, seen, variable)];
  }
  if (ts.isIdentifier(node)) {
    const declaration = ctx.scopes.lookup(node.text, node);
    if (declaration?.kind !== 'variable' || !declaration.initializer || seen.has(declaration.node)) return [];
    seen.add(declaration.node);
    const name = declaration.node.name;
    return objectsOf(declaration.initializer, ctx, depth, seen, ts.isIdentifier(name) ? ctx.reference(name) : undefined);
  }
  if (ts.isCallExpression(node)) {
    const helper = localFunction(node.expression, ctx);
    return helper ? returnedObjects(helper, ctx, depth + 1, seen) : [];
  }
  return [];
}

/** Strips what leaves the value as it is: parentheses, type assertions, `await`. */
function unwrap(expression: ts.Node): ts.Node {
  let node = skipOuterExpressions(expression);
  while (ts.isAwaitExpression(node)) node = skipOuterExpressions(node.expression);
  return node;
}

/** The function of this file an expression names: a function declaration, or a variable holding a function. */
export function localFunction(expression: ts.Expression, ctx: ModelContext): ts.FunctionLikeDeclaration | undefined {
  const node = skipOuterExpressions(expression);
  if (isFunctionLike(node)) return node;
  if (!ts.isIdentifier(node)) return undefined;
  const declaration = ctx.scopes.lookup(node.text, node);
  if (declaration?.kind === 'function') return declaration.node;
  if (declaration?.kind !== 'variable' || !declaration.isConst || !declaration.initializer) return undefined;
  const initializer = skipOuterExpressions(declaration.initializer);
  return isFunctionLike(initializer) ? initializer : undefined;
}

/** The headers a response object carries in any of `properties` (`headers`, Lambda's `multiValueHeaders`). */
export function objectHeaders(object: ts.ObjectLiteralExpression, properties: readonly string[], ctx: ModelContext): HeaderBag {
  const bag: HeaderBag = { names: new Set(), unknown: object.properties.some((p) => ts.isSpreadAssignment(p)) };
  for (const property of properties) {
    const value = objectPropertyValue(object, property);
    if (!value) continue;
    const found = ctx.headerBag(value);
    for (const name of found.names) bag.names.add(name);
    if (found.unknown) bag.unknown = true;
    for (const [name, values] of found.values ?? []) {
      bag.values ??= new Map();
      bag.values.set(name, [...(bag.values.get(name) ?? []), ...values]);
    }
  }
  return bag;
}

/**
 * Adds a header to a response object's `headers`: a new entry in a literal,
 * a new `headers` where there is none, and where `headers` names an object
 * held elsewhere (`headers: CORS_HEADERS`), a literal that spreads it.
 * `spreadable`: whether that spread type-checks (a record, not a `Headers`).
 */
export function addHeaderToObject(object: ts.ObjectLiteralExpression, name: string, value: string, ctx: ModelContext, spreadable: boolean): TextEdit[] | undefined {
  const property = objectProperty(object, 'headers');
  if (!property || (ts.isPropertyAssignment(property) && ts.isObjectLiteralExpression(skipOuterExpressions(property.initializer)))) {
    return ctx.addHeaderToInit(object, name, value);
  }
  if (!spreadable) return undefined;
  const entry = `${/^[A-Za-z_$][\w$]*$/.test(name) ? name : ctx.quote(name)}: ${ctx.quote(value)}`;
  if (ts.isShorthandPropertyAssignment(property) && !property.objectAssignmentInitializer) {
    const key = property.name.text;
    return [{ start: property.getStart(ctx.sourceFile), end: property.getEnd(), text: `${key}: { ...${key}, ${entry} }` }];
  }
  if (!ts.isPropertyAssignment(property) || propertyNameText(property.name) === undefined) return undefined;
  const held = skipOuterExpressions(property.initializer);
  if (!ts.isIdentifier(held) && !ts.isPropertyAccessExpression(held)) return undefined;
  const initializer = property.initializer;
  return [{ start: initializer.getStart(ctx.sourceFile), end: initializer.getEnd(), text: `{ ...${initializer.getText(ctx.sourceFile)}, ${entry} }` }];
}

/**
 * Whether a type annotation names (or wraps, as `Promise<…>` does) a type
 * imported from a module that `matches` accepts, by its imported name
 * (`APIGatewayProxyResult`, or `lambda.APIGatewayProxyResult` through a namespace).
 */
export function namesImportedType(type: ts.TypeNode, ctx: ModelContext, matches: (module: string, typeName: string) => boolean): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isTypeReferenceNode(node)) {
      const name = node.typeName;
      const local = ts.isIdentifier(name) ? name : name.left;
      if (ts.isIdentifier(local)) {
        const imported = ctx.scopes.importOf(local.text, local);
        const typeName = ts.isIdentifier(name) ? imported?.imported : name.right.text;
        if (imported && typeName && matches(imported.module, typeName)) found = true;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(type);
  return found;
}
