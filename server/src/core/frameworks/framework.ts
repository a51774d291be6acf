import ts from 'typescript';
import { skipOuterExpressions } from '../ast';
import type { Delivery, HeaderBag, ResponseRef, StatusEmission, StatusSite } from '../model/concepts';
import type { Candidate } from '../model/registry';
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
  assertionSendsWhenTruthy?: boolean;
  remedy?: (challenge: string) => string;
}

/** Records an emission whose status is written as an expression (literal, constant, conditional, parameter). */
export function emitStatus(ctx: ModelContext, parts: EmissionParts): void {
  const resolution = ctx.status(parts.status);
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
    remedy: parts.remedy,
  });
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
