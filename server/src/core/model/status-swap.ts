import ts from 'typescript';
import { propertyNameText, skipOuterExpressions } from '../ast';
import type { TextEdit } from '../types';
import type { StatusEmission, StatusSite, StatusSwap } from './concepts';
import type { ModelContext } from './context';
import { phraseStatus, resolveStatus, statusPhrase } from './status';
import { headerForChoice, statusChoice } from './status-choice';

export type AuthStatus = 401 | 403;

/** Constant-table members, each with its counterpart (http-status-codes, Nest's HttpStatus, http2 constants). */
const MEMBER_SWAPS: Record<string, string> = {
  UNAUTHORIZED: 'FORBIDDEN',
  FORBIDDEN: 'UNAUTHORIZED',
  HTTP_STATUS_UNAUTHORIZED: 'HTTP_STATUS_FORBIDDEN',
  HTTP_STATUS_FORBIDDEN: 'HTTP_STATUS_UNAUTHORIZED',
  UNAUTHORIZED_401: 'FORBIDDEN_403',
  FORBIDDEN_403: 'UNAUTHORIZED_401',
};
const HEADER_NAME = 'WWW-Authenticate';

/**
 * The edits that make a status site send `to` instead, in the form it is
 * written in: a literal, a constant (a sibling member of the same table, else
 * a literal), or what the framework that spells it provides (an exception
 * class, a Boom or @fastify/sensible method, a NestJS guard's `return false`).
 * A swap to 401 also adds the challenge, so the fixed code needs nothing more;
 * undefined when either cannot be done safely.
 */
export function swapStatus(emission: StatusEmission, site: StatusSite, to: AuthStatus, challenge: string, ctx: ModelContext): TextEdit[] | undefined {
  const swap = swapSite(site, to, challenge, ctx);
  if (!swap || to === 403 || swap.challenged) return swap?.edits;
  const challengeEdits = challengeFor401(emission, site, challenge, ctx);
  return challengeEdits && challengeEdits.length ? [...swap.edits, ...challengeEdits] : undefined;
}

/**
 * Whether a swap of `site` to 401 can add the challenge to that 401 alone:
 * where a conditional chooses between it and another status
 * (`sendStatus(req.user ? 401 : 403)`), a header set on the whole emission
 * would also go out with the other arm's status.
 */
export function challengeIsSeparable(emission: StatusEmission, site: StatusSite): boolean {
  const choice = statusChoice(emission, site);
  return choice === undefined || (choice !== null && !!emission.response && !!emission.headerSetter);
}

/** The challenge for the 401 a swap makes: on the emission, or under the condition that chooses that arm. */
function challengeFor401(emission: StatusEmission, site: StatusSite, challenge: string, ctx: ModelContext): TextEdit[] | undefined {
  const choice = statusChoice(emission, site);
  if (choice === undefined) return emission.addHeader?.(HEADER_NAME, challenge);
  return choice ? headerForChoice(emission, choice, HEADER_NAME, challenge, ctx) : undefined;
}

function swapSite(site: StatusSite, to: AuthStatus, challenge: string, ctx: ModelContext): StatusSwap | undefined {
  if (site.swap) return site.swap(to, challenge);
  if (site.form === 'literal') {
    if (ts.isNumericLiteral(site.node)) return plain([replace(site.node, String(to), ctx)]);
    const phrase = ts.isStringLiteralLike(site.node) ? swapPhrase(site.node, to, ctx) : undefined;
    return phrase && plain(phrase);
  }
  if (site.form === 'constant') return plain([swapConstant(site.node, to, ctx)]);
  return undefined;
}

function plain(edits: TextEdit[]): StatusSwap {
  return { edits, challenged: false };
}

/** `'Forbidden'` → `'Unauthorized'` where a framework takes the reason phrase (Elysia), in the literal's own quotes. */
function swapPhrase(node: ts.StringLiteralLike, to: AuthStatus, ctx: ModelContext): TextEdit[] | undefined {
  const phrase = statusPhrase(to);
  if (phrase === undefined || phraseStatus(node.text) === undefined) return undefined;
  const quoteChar = ctx.text[node.getStart(ctx.sourceFile)];
  return [replace(node, `${quoteChar}${phrase}${quoteChar}`, ctx)];
}

/** `StatusCodes.FORBIDDEN` → `StatusCodes.UNAUTHORIZED`; `Status.Denied` → the enum's 401 member; else the literal. */
function swapConstant(node: ts.Node, to: AuthStatus, ctx: ModelContext): TextEdit {
  if (ts.isPropertyAccessExpression(node)) {
    const sibling = siblingMember(node, to, ctx);
    if (sibling) return replace(node.name, sibling, ctx);
  }
  if (ts.isIdentifier(node)) {
    const constant = constantHolding(node, to, ctx);
    if (constant) return replace(node, constant, ctx);
  }
  return replace(node, String(to), ctx);
}

function siblingMember(node: ts.PropertyAccessExpression, to: AuthStatus, ctx: ModelContext): string | undefined {
  const table = skipOuterExpressions(node.expression);
  const declaration = ts.isIdentifier(table) ? ctx.scopes.lookup(table.text, table) : undefined;
  if (declaration?.kind === 'enum') {
    const member = declaration.node.members.find((m) => m.initializer && ts.isNumericLiteral(skipOuterExpressions(m.initializer)) && Number((skipOuterExpressions(m.initializer) as ts.NumericLiteral).text) === to);
    return member && propertyNameText(member.name);
  }
  if (declaration?.kind === 'variable' && declaration.initializer) {
    const object = skipOuterExpressions(declaration.initializer);
    if (!ts.isObjectLiteralExpression(object)) return undefined;
    const property = object.properties.find((p) => ts.isPropertyAssignment(p) && statusOf(p.initializer, ctx) === to);
    const name = property?.name && propertyNameText(property.name);
    return name && /^[A-Za-z_$][\w$]*$/.test(name) ? name : undefined;
  }
  return MEMBER_SWAPS[node.name.text];
}

/** A `const` in the file holding the wanted status (`const FORBIDDEN = 403`). */
function constantHolding(node: ts.Identifier, to: AuthStatus, ctx: ModelContext): string | undefined {
  for (const statement of ctx.sourceFile.statements) {
    if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name) || !declaration.initializer) continue;
      const visible = ctx.scopes.lookup(declaration.name.text, node);
      if (visible?.kind === 'variable' && visible.node === declaration && statusOf(declaration.initializer, ctx) === to) return declaration.name.text;
    }
  }
  return undefined;
}

function statusOf(expression: ts.Expression, ctx: ModelContext): number | undefined {
  const resolution = resolveStatus(expression, ctx.scopes);
  return resolution.kind === 'sites' && resolution.sites.length === 1 ? resolution.sites[0].value : undefined;
}

function replace(node: ts.Node, text: string, ctx: ModelContext): TextEdit {
  return { start: node.getStart(ctx.sourceFile), end: node.getEnd(), text };
}
