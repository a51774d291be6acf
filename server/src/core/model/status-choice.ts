import ts from 'typescript';
import type { TextEdit } from '../types';
import type { StatusEmission, StatusSite } from './concepts';
import type { ModelContext } from './context';

/** The condition under which a conditional in an emission yields one of its statuses (`status(up.status === 401 ? 401 : 502)`). */
export interface StatusChoice {
  condition: ts.Expression;
  /** True when the site is the conditional's `whenTrue` arm. */
  whenTrue: boolean;
}

/**
 * How an emission chooses `site` among its other statuses: undefined when
 * every other one is `sent` (with no `sent`, when there is no other: a
 * status swap may change them all); the condition under which it yields `site`,
 * when a conditional in the emission itself chooses; null when the choice is
 * made elsewhere or by a condition that cannot be evaluated twice (a call),
 * where a header set unconditionally would also go out with the other statuses.
 */
export function statusChoice(emission: StatusEmission, site: StatusSite, sent?: number): StatusChoice | null | undefined {
  if (emission.sites.every((other) => other === site || (sent !== undefined && other.value === sent))) return undefined;
  let node: ts.Node = site.node;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const choice = node.parent;
  if (!within(site.node, emission.node) || !ts.isConditionalExpression(choice) || node === choice.condition || !isPure(choice.condition)) return null;
  // An arm of an arm (`a ? 403 : b ? 401 : 404`) is chosen by both conditions; the inner one alone would also challenge the outer arm.
  if (isArmOfConditional(choice)) return null;
  return { condition: choice.condition, whenTrue: node === choice.whenTrue };
}

/**
 * Whether another arm of the emission's own conditional, also among the
 * `reported` sites, sends the same status (`status(session ? 403 : 403)`,
 * both wrong): a fix swaps one arm, so applying the fixes one by one would
 * leave `session ? 401 : 403`, and all of them `session ? 401 : 401` with the
 * challenge set twice.
 */
export function sameStatusInOtherArm(emission: StatusEmission, site: StatusSite, reported: readonly StatusSite[]): boolean {
  return within(site.node, emission.node) && reported.some((other) => other !== site && other.value === site.value && within(other.node, emission.node));
}

function within(node: ts.Node, outer: ts.Node): boolean {
  return node.pos >= outer.pos && node.end <= outer.end;
}

function isArmOfConditional(node: ts.Node): boolean {
  let current = node;
  while (ts.isParenthesizedExpression(current.parent)) current = current.parent;
  return ts.isConditionalExpression(current.parent) && current.parent.condition !== current;
}

/** The condition under which the choice yields its site, as a fix writes it: `!req.user`, `!(a && b)`. */
export function choiceCondition(choice: StatusChoice, sourceFile: ts.SourceFile): string {
  const text = choice.condition.getText(sourceFile);
  if (choice.whenTrue) return text;
  const node = choice.condition;
  const simple = ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) || ts.isCallExpression(node);
  return simple ? `!${text}` : `!(${text})`;
}

/**
 * `if (up.status === 401) res.set('WWW-Authenticate', …);` before the
 * statement that sends the chosen status; undefined where the emission sets
 * no header on a response object, or no statement can go before it.
 */
export function headerForChoice(emission: StatusEmission, choice: StatusChoice, name: string, value: string, ctx: ModelContext): TextEdit[] | undefined {
  if (!emission.response || !emission.headerSetter) return undefined;
  const condition = choiceCondition(choice, ctx.sourceFile);
  return ctx.insertStatementBefore(emission.node, `if (${condition}) ${emission.response.key}.${emission.headerSetter}(${ctx.quote(name)}, ${ctx.quote(value)});`);
}

/** A condition that reads the same when evaluated twice: names, members, literals and operators on them, no calls or assignments. */
function isPure(node: ts.Node): boolean {
  if (ts.isCallExpression(node) || ts.isNewExpression(node) || ts.isAwaitExpression(node) || ts.isYieldExpression(node) || ts.isTaggedTemplateExpression(node)) return false;
  if (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) {
    const op = node.operator;
    if (op === ts.SyntaxKind.PlusPlusToken || op === ts.SyntaxKind.MinusMinusToken) return false;
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment) return false;
  return !ts.forEachChild(node, (child) => !isPure(child) || undefined);
}
