import ts from 'typescript';
import { isAncestorOf, propertyNameText, skipOuterExpressions } from '../ast';
import type { ErrorHandler, FileModel, StatusEmission } from '../model/concepts';
import type { ModelContext } from '../model/context';
import type { TextEdit } from '../types';
import { spanOf } from './declarations';
import type { HandlerFact, Value } from './facts';
import { STATUS_PROPERTIES } from './index';
import { ValueReader } from './values';

const HEADER = 'www-authenticate';
const MAX_DEPTH = 6;
/** Methods of an error that return its status (NestJS's `HttpException#getStatus`). */
export const STATUS_GETTERS: Record<string, string> = { getStatus: 'status', getStatusCode: 'statusCode' };

/**
 * What each central error handler of a file does with the errors it is
 * given: which of the error's properties its status comes from, and whether
 * its 401s carry a challenge. A handler that sends nothing read from the
 * error is left out: its own statuses are found in its own file.
 */
export function handlerFacts(model: FileModel, ctx: ModelContext, challenge: string): HandlerFact[] {
  // Asked by missing-www-authenticate and again for the file's facts: the same emissions give the same handlers.
  const known = factsByEmissions.get(model.emissions);
  if (known?.challenge === challenge) return known.facts;
  const facts = readHandlerFacts(model, ctx, challenge);
  factsByEmissions.set(model.emissions, { challenge, facts });
  return facts;
}

/** Keyed by the emissions array, not the model: the editor's analysis by unit swaps the model's emissions for each unit's. */
const factsByEmissions = new WeakMap<StatusEmission[], { challenge: string; facts: HandlerFact[] }>();

function readHandlerFacts(model: FileModel, ctx: ModelContext, challenge: string): HandlerFact[] {
  const reader = new ValueReader(ctx.scopes);
  const facts: HandlerFact[] = [];
  for (const handler of model.errorHandlers) {
    const sends = model.emissions.filter((emission) => isAncestorOf(handler.fn, emission.node));
    const before = facts.length;
    for (const emission of sends) {
      const status = handlerStatus(emission.sites[0]?.node, handler, ctx, reader);
      if (!status) continue;
      const narrowed = narrowedTo(emission.node, handler, ctx);
      facts.push({
        framework: handler.framework,
        at: spanOf(handler.fn, ctx.sourceFile),
        sendAt: spanOf(emission.node, ctx.sourceFile),
        catches: [...handler.catches, ...narrowed].map((expression) => reader.read(expression)),
        status,
        challenge: challengeOf(handler, emission, model),
        fix: challengeFix(emission, challenge, ctx),
        rebuilds: !!handler.rebuilds,
      });
      // A send limited to some classes leaves the others to the sends after it.
      if (narrowed.length === 0) break;
    }
    // `reply.send(err)` hands the error to the handler before any status is set: one that reads none answers with its own.
    if (handler.framework === 'fastify' && facts.length === before) facts.push(ownStatusFact(handler, ctx));
  }
  return facts;
}

function ownStatusFact(handler: ErrorHandler, ctx: ModelContext): HandlerFact {
  const at = spanOf(handler.fn, ctx.sourceFile);
  return { framework: handler.framework, at, sendAt: at, catches: [], status: { kind: 'own' }, challenge: 'never', fix: undefined, rebuilds: false };
}

/**
 * The classes an `instanceof` test around the send limits it to
 * (`if (err instanceof SessionNotFound) { ctx.status = err.status … } else throw err`):
 * the handler answers only those errors; the rest go on to someone else.
 */
function narrowedTo(send: ts.Node, handler: ErrorHandler, ctx: ModelContext): ts.Expression[] {
  for (let node = send; node.parent && node !== handler.fn; node = node.parent) {
    const parent = node.parent;
    if (ts.isIfStatement(parent) && parent.thenStatement === node) {
      const classes = instanceofClasses(parent.expression, handler, ctx);
      if (classes) return classes;
    }
    // `switch (true) { case err instanceof ValidationError: … }`
    if (ts.isCaseClause(parent) && parent.parent.parent.expression.kind === ts.SyntaxKind.TrueKeyword) {
      const classes = instanceofClasses(parent.expression, handler, ctx);
      if (classes) return classes;
    }
  }
  return [];
}

/** The classes `err instanceof A || err instanceof B` (or one of a conjunction's terms) tests the error against. */
function instanceofClasses(condition: ts.Expression, handler: ErrorHandler, ctx: ModelContext): ts.Expression[] | undefined {
  const expression = skipOuterExpressions(condition);
  if (!ts.isBinaryExpression(expression)) return undefined;
  const op = expression.operatorToken.kind;
  if (op === ts.SyntaxKind.InstanceOfKeyword) return isError(expression.left, handler, ctx) ? [expression.right] : undefined;
  if (op === ts.SyntaxKind.AmpersandAmpersandToken) {
    return instanceofClasses(expression.left, handler, ctx) ?? instanceofClasses(expression.right, handler, ctx);
  }
  if (op === ts.SyntaxKind.BarBarToken) {
    const left = instanceofClasses(expression.left, handler, ctx);
    const right = left && instanceofClasses(expression.right, handler, ctx);
    return right && [...left, ...right];
  }
  return undefined;
}

/** What a handler's status expression reads of its error: a property (`err.status`), or one passed through a function (`getHttpErrorCode(err.code)`). */
function handlerStatus(node: ts.Node | undefined, handler: ErrorHandler, ctx: ModelContext, reader: ValueReader): HandlerFact['status'] | undefined {
  const properties = errorProperties(node, handler, ctx, 0);
  if (properties) return { kind: 'error-property', properties };
  const mapped = mappedProperty(node, handler, ctx, 0);
  if (!mapped) return undefined;
  const through = reader.read(mapped.through);
  return through.kind === 'ref' ? { kind: 'error-property', properties: mapped.properties, through } : undefined;
}

/** `mapStatus(err.code)`, directly or through a local const: the function and the properties of the error it is given. */
function mappedProperty(node: ts.Node | undefined, handler: ErrorHandler, ctx: ModelContext, depth: number): { through: ts.Identifier; properties: string[] } | undefined {
  if (!node || depth > MAX_DEPTH) return undefined;
  const expression = skipOuterExpressions(node);
  if (ts.isIdentifier(expression)) return mappedProperty(constInitializer(expression, ctx), handler, ctx, depth + 1);
  if (!ts.isCallExpression(expression) || expression.arguments.length !== 1 || !ts.isIdentifier(skipOuterExpressions(expression.expression))) return undefined;
  const properties = errorProperties(expression.arguments[0], handler, ctx, depth + 1);
  return properties && { through: skipOuterExpressions(expression.expression) as ts.Identifier, properties };
}

/**
 * The properties of the handler's error a status expression reads:
 * `err.status`, `err.statusCode || 500`, `exception.getStatus()`, a local
 * const or object built from them. Undefined when it reads none.
 */
function errorProperties(node: ts.Node | undefined, handler: ErrorHandler, ctx: ModelContext, depth: number): string[] | undefined {
  if (!node || depth > MAX_DEPTH) return undefined;
  const expression = skipOuterExpressions(node);
  if (ts.isBinaryExpression(expression)) {
    const op = expression.operatorToken.kind;
    if (op !== ts.SyntaxKind.BarBarToken && op !== ts.SyntaxKind.QuestionQuestionToken) return undefined;
    // `err.status || err.statusCode || 500`: each property in the order it is tried.
    const left = errorProperties(expression.left, handler, ctx, depth + 1);
    const right = errorProperties(expression.right, handler, ctx, depth + 1);
    return left && right ? [...left, ...right.filter((p) => !left.includes(p))] : left ?? right;
  }
  const defaulted = defaultToValue(expression, ctx);
  if (defaulted) return errorProperties(defaulted, handler, ctx, depth + 1);
  if (ts.isConditionalExpression(expression)) {
    return errorProperties(expression.whenTrue, handler, ctx, depth + 1) ?? errorProperties(expression.whenFalse, handler, ctx, depth + 1);
  }
  if (ts.isCallExpression(expression) && expression.arguments.length === 0 && ts.isPropertyAccessExpression(expression.expression)) {
    const getter = STATUS_GETTERS[expression.expression.name.text];
    return getter && isError(expression.expression.expression, handler, ctx) ? [getter] : undefined;
  }
  if (ts.isPropertyAccessExpression(expression)) {
    const property = expression.name.text;
    if (isError(expression.expression, handler, ctx)) return [property];
    // `response.code` where `const response = { code: err.status, … }`.
    const object = constInitializer(expression.expression, ctx);
    if (object && ts.isObjectLiteralExpression(object)) return errorProperties(objectEntry(object, property), handler, ctx, depth + 1);
    return undefined;
  }
  if (ts.isIdentifier(expression)) {
    const destructured = destructuredFromError(expression.text, handler, ctx);
    return destructured ? [destructured] : errorProperties(constInitializer(expression, ctx), handler, ctx, depth + 1);
  }
  return undefined;
}

/** Lodash's `defaultTo(value, fallback)` (`_.defaultTo`, or imported alone): the value it reads first. */
function defaultToValue(expression: ts.Node, ctx: ModelContext): ts.Expression | undefined {
  if (!ts.isCallExpression(expression) || expression.arguments.length !== 2) return undefined;
  const callee = skipOuterExpressions(expression.expression);
  const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
  if (name !== 'defaultTo') return undefined;
  const base = ts.isPropertyAccessExpression(callee) ? skipOuterExpressions(callee.expression) : callee;
  const from = ts.isIdentifier(base) ? ctx.scopes.importOf(base.text, base) : undefined;
  return from && LODASH.test(from.module) ? expression.arguments[0] : undefined;
}

const LODASH = /^lodash(?:-es)?(?:\/defaultTo)?$|^lodash\.defaultto$/;

/** `let { statusCode, message } = err;` in the handler's body: the property of the error `name` is bound to. */
function destructuredFromError(name: string, handler: ErrorHandler, ctx: ModelContext): string | undefined {
  const body = handler.fn.body;
  if (!body || !ts.isBlock(body)) return undefined;
  for (const statement of body.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isObjectBindingPattern(declaration.name) || !declaration.initializer || !isError(declaration.initializer, handler, ctx)) continue;
      for (const element of declaration.name.elements) {
        if (!ts.isIdentifier(element.name) || element.name.text !== name || element.dotDotDotToken) continue;
        return element.propertyName ? propertyNameText(element.propertyName) : name;
      }
    }
  }
  return undefined;
}

function isError(expression: ts.Expression, handler: ErrorHandler, ctx: ModelContext): boolean {
  const node = skipOuterExpressions(expression);
  if (!ts.isIdentifier(node) || node.text !== handler.error.text) return false;
  const declaration = ctx.scopes.lookup(node.text, node);
  // A catch clause's variable is not a declaration the scopes record.
  return !declaration || declaration.kind === 'parameter';
}

function constInitializer(expression: ts.Expression, ctx: ModelContext): ts.Expression | undefined {
  const node = skipOuterExpressions(expression);
  if (!ts.isIdentifier(node)) return undefined;
  const declaration = ctx.scopes.lookup(node.text, node);
  return declaration?.kind === 'variable' && declaration.isConst ? declaration.initializer : undefined;
}

function objectEntry(object: ts.ObjectLiteralExpression, name: string): ts.Node | undefined {
  for (const property of object.properties) {
    if (ts.isPropertyAssignment(property) && propertyNameText(property.name) === name) return property.initializer;
    if (ts.isShorthandPropertyAssignment(property) && property.name.text === name) return property.name;
  }
  return undefined;
}

/** A challenge set anywhere in the handler before it sends counts for its 401s: handlers set it under `if (status === 401)`. */
function challengeOf(handler: ErrorHandler, emission: StatusEmission, model: FileModel): HandlerFact['challenge'] {
  if (emission.carried.unknown || emission.carried.names.has(HEADER)) return 'always';
  const sets = model.headerWrites.some((write) => write.name === HEADER && write.op === 'set' && isAncestorOf(handler.fn, write.node));
  return sets ? 'for-401' : 'never';
}

/** `if (<status> === 401) res.set('WWW-Authenticate', …);` before the send, in the framework's own setter. */
function challengeFix(emission: StatusEmission, challenge: string, ctx: ModelContext): TextEdit[] | undefined {
  const site = emission.sites[0]?.node;
  if (!site || !emission.response || !emission.headerSetter) return undefined;
  const status = skipOuterExpressions(site);
  const simple = ts.isIdentifier(status) || ts.isPropertyAccessExpression(status) || ts.isCallExpression(status);
  const statusText = simple ? status.getText(ctx.sourceFile) : `(${status.getText(ctx.sourceFile)})`;
  const setter = `${emission.response.key}.${emission.headerSetter}(${ctx.quote('WWW-Authenticate')}, ${ctx.quote(challenge)})`;
  return ctx.insertStatementBefore(emission.node, `if (${statusText} === 401) ${setter};`);
}

/** The error properties a handler reads its status from, in the order a construction is searched. */
export function statusOf(props: Record<string, Value>, properties: readonly string[] = STATUS_PROPERTIES): Value | undefined {
  for (const property of properties) if (props[property]) return props[property];
  return undefined;
}
