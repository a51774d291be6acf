import ts from 'typescript';
import { indentationAt, skipOuterExpressions } from '../ast';
import type { Delivery, HeaderBag, ResponseRef, StatusEmission, StatusSite, StatusSwap } from '../model/concepts';
import type { Candidate } from '../model/registry';
import type { Construction } from '../project/index';
import type { ModelContext } from '../model/context';
import type { TextEdit } from '../types';

export type { Candidate, CandidateKind, FrameworkModule } from '../model/registry';

export const NO_HEADERS: HeaderBag = { names: new Set(), unknown: false };

export interface EmissionParts {
  framework: string;
  node: ts.Node;
  delivery: Delivery;
  carriedOnly?: boolean;
  status: ts.Expression;
  response?: ResponseRef;
  responseVariable?: ResponseRef;
  carried?: HeaderBag;
  addHeader?: (name: string, value: string) => TextEdit[] | undefined;
  headerSetter?: string;
  assertion?: ts.Expression;
  /** For an error built with `new`: the project's account of it, when already asked. */
  construction?: Construction;
  headerless?: boolean;
  /** The framework also takes the status as its reason phrase (`'Unauthorized'`). */
  statusPhrases?: boolean;
  assertionSendsWhenTruthy?: boolean;
  remedy?: (challenge: string) => string;
}

/** Records an emission whose status is written as an expression (literal, constant, conditional, parameter). */
export function emitStatus(ctx: ModelContext, parts: EmissionParts): void {
  const resolution = ctx.status(parts.status, parts.statusPhrases);
  const emission: StatusEmission = {
    framework: parts.framework,
    node: parts.node,
    delivery: parts.delivery,
    carriedOnly: parts.carriedOnly ?? false,
    sites: resolution.kind === 'sites' ? resolution.sites : [],
    statusParameter: resolution.kind === 'parameter' ? { fn: resolution.fn, index: resolution.index } : undefined,
    response: parts.response,
    responseVariable: parts.responseVariable,
    carried: parts.carried ?? NO_HEADERS,
    addHeader: parts.addHeader,
    headerSetter: parts.headerSetter,
    assertion: parts.assertion,
    construction: constructionOf(ctx, parts),
    headerless: parts.headerless,
    assertionSendsWhenTruthy: parts.assertionSendsWhenTruthy,
    remedy: parts.remedy,
  };
  ctx.emit(emission);
}

/** Records an emission whose status is implied by a class or method name (`UnauthorizedException`, `Boom.unauthorized`). */
export function emitNamed(ctx: ModelContext, parts: Omit<EmissionParts, 'status'> & { site: StatusSite }): void {
  ctx.emit({
    framework: parts.framework,
    node: parts.node,
    delivery: parts.delivery,
    carriedOnly: parts.carriedOnly ?? false,
    sites: [parts.site],
    response: parts.response,
    responseVariable: parts.responseVariable,
    carried: parts.carried ?? NO_HEADERS,
    addHeader: parts.addHeader,
    headerSetter: parts.headerSetter,
    construction: constructionOf(ctx, parts),
    headerless: parts.headerless,
    remedy: parts.remedy,
  });
}

/** An error's construction, which decides the central handlers that answer it. */
function constructionOf(ctx: ModelContext, parts: Pick<EmissionParts, 'node' | 'construction'>): Construction | undefined {
  return parts.construction ?? (ts.isNewExpression(parts.node) ? ctx.construction(parts.node) : undefined);
}

/** Methods that send a response, ending a chain such as `res.status(401).json(…)`. */
const SENDERS = new Set(['send', 'json', 'jsonp', 'end', 'sendFile', 'render', 'redirect', 'download', 'sendStatus', 'text', 'html', 'body']);

/** Whether the chain a call sits in goes on to send (`res.status(401).json(…)`) or only sets the status. */
export function chainSends(call: ts.CallExpression): boolean {
  let node: ts.Node = call;
  while (ts.isPropertyAccessExpression(node.parent) && ts.isCallExpression(node.parent.parent)) {
    if (SENDERS.has(node.parent.name.text)) return true;
    node = node.parent.parent;
  }
  return false;
}

/** Replaces a node's text (its leading trivia kept). */
export function replaceNode(ctx: ModelContext, node: ts.Node, text: string): TextEdit {
  return { start: node.getStart(ctx.sourceFile), end: node.getEnd(), text };
}

/** Inserts `.method(name, value)` right after `target` in a chain. */
export function chainInsert(ctx: ModelContext, target: ts.Node, method: string, name: string, value: string): TextEdit[] {
  const at = target.getEnd();
  return [{ start: at, end: at, text: `.${method}(${ctx.quote(name)}, ${ctx.quote(value)})` }];
}

// Read once: `ts.SyntaxKind.X` is two lookups in large dictionary-mode objects at each use.
const CALL = ts.SyntaxKind.CallExpression;
const PROPERTY_ACCESS = ts.SyntaxKind.PropertyAccessExpression;

/**
 * The name of the member a call is made through (`res.status(…)` → `status`),
 * read without building anything: every recogniser asks it of every call in
 * the file, and most calls are then passed over.
 */
export function calledMember(node: Candidate): string | undefined {
  if (node.kind !== CALL) return undefined;
  const callee = skipOuterExpressions(node.expression);
  return callee.kind === PROPERTY_ACCESS ? (callee as ts.PropertyAccessExpression).name.text : undefined;
}

/** The receiver of a method call, and the method's name. */
export function methodCall(node: ts.Node): { receiver: ts.Expression; method: string; call: ts.CallExpression } | undefined {
  if (!ts.isCallExpression(node)) return undefined;
  const callee = skipOuterExpressions(node.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  return { receiver: callee.expression, method: callee.name.text, call: node };
}

/** `x.status = value` */
export function propertyAssignment(node: ts.Node, property: string): { receiver: ts.Expression; value: ts.Expression } | undefined {
  if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return undefined;
  const left = skipOuterExpressions(node.left);
  if (!ts.isPropertyAccessExpression(left) || left.name.text !== property) return undefined;
  return { receiver: left.expression, value: node.right };
}

/** The receiver text of a call, for building a statement on the same response. */
export function receiverText(ctx: ModelContext, receiver: ts.Expression): string {
  return receiver.getText(ctx.sourceFile);
}

/** Whether `fn` is passed to a call of `.method(…)` (`app.onError(fn)`, `fastify.setErrorHandler(fn)`). */
export function isCallbackOf(fn: ts.FunctionLikeDeclaration, method: string): boolean {
  const call = fn.parent;
  if (!call || !ts.isCallExpression(call) || !call.arguments.includes(fn as ts.Expression)) return false;
  const callee = skipOuterExpressions(call.expression);
  return ts.isPropertyAccessExpression(callee) && callee.name.text === method;
}

/** The first parameter, when it is a plain name: what a central handler calls the error it is given. */
export function firstParameterName(fn: ts.FunctionLikeDeclaration): ts.Identifier | undefined {
  const name = fn.parameters[0]?.name;
  return name && ts.isIdentifier(name) ? name : undefined;
}

/** The local name a destructuring pattern binds a property to (`{ setHeaders: set }` → `set`); undefined when it binds none. */
export function boundName(pattern: ts.ObjectBindingPattern, property: string): string | undefined {
  for (const element of pattern.elements) {
    if (element.dotDotDotToken || !ts.isIdentifier(element.name)) continue;
    const key = element.propertyName ? (ts.isIdentifier(element.propertyName) || ts.isStringLiteral(element.propertyName) ? element.propertyName.text : undefined) : element.name.text;
    if (key === property) return element.name.text;
  }
  return undefined;
}

/**
 * Adds `name` to a parameter's destructuring pattern (`({ locals })` →
 * `({ locals, setHeaders })`), so that a fix can call it; undefined where the
 * pattern ends in a rest element or the name is already taken in scope.
 */
export function addBinding(pattern: ts.ObjectBindingPattern, name: string, ctx: ModelContext): TextEdit[] | undefined {
  const elements = pattern.elements;
  if (elements.some((element) => element.dotDotDotToken)) return undefined;
  if (ctx.scopes.lookup(name, pattern) || elements.some((element) => element.name.getText(ctx.sourceFile) === name)) return undefined;
  const text = ctx.text;
  if (elements.length === 0) {
    const open = pattern.getStart(ctx.sourceFile);
    return [{ start: open + 1, end: pattern.getEnd() - 1, text: ` ${name} ` }];
  }
  const last = elements[elements.length - 1];
  const multiline = text.slice(pattern.getStart(ctx.sourceFile), pattern.getEnd()).includes('\n');
  const insertAt = elements.hasTrailingComma ? text.indexOf(',', last.getEnd()) + 1 : last.getEnd();
  const comma = elements.hasTrailingComma ? '' : ',';
  if (!multiline) return [{ start: insertAt, end: insertAt, text: `${comma} ${name}` }];
  const indent = indentationAt(ctx.sourceFile, last.getStart(ctx.sourceFile));
  return [{ start: insertAt, end: insertAt, text: `${comma}\n${indent}${name}${elements.hasTrailingComma ? ',' : ''}` }];
}

/** Edits that swap a status in a framework's own spelling, carrying no challenge of their own. */
export function asSwap(edits: TextEdit[] | undefined): StatusSwap | undefined {
  return edits && { edits, challenged: false };
}
