import ts from 'typescript';
import { propertyNameText, skipOuterExpressions } from '../ast';
import type { Scopes } from '../scope';
import type { StatusSite } from './concepts';

/** Member names that spell a status in constant tables (http-status-codes, Nest's HttpStatus, http2 constants). */
const NAMED_STATUSES: Record<string, number> = {
  UNAUTHORIZED: 401,
  HTTP_STATUS_UNAUTHORIZED: 401,
  UNAUTHORIZED_401: 401,
  FORBIDDEN: 403,
  HTTP_STATUS_FORBIDDEN: 403,
  FORBIDDEN_403: 403,
};

export const STATUS_MEMBER_NAMES: readonly string[] = Object.keys(NAMED_STATUSES);

/** The status a member name of a table another module exports spells (`UNAUTHORIZED` → 401); none for tables of reason phrases. */
export function namedStatus(table: string, member: string): number | undefined {
  if (NON_STATUS_EXPORTS.has(table)) return undefined;
  return Object.hasOwn(NAMED_STATUSES, member.toUpperCase()) ? NAMED_STATUSES[member.toUpperCase()] : undefined;
}

/** Exports whose members are reason phrases, not statuses (http-status-codes' `ReasonPhrases`). */
const NON_STATUS_EXPORTS = new Set(['ReasonPhrases']);
/** Reason phrases that frameworks take in place of the number (Elysia's `set.status = 'Unauthorized'`, `status('Forbidden')`), spelled as they require. */
const STATUS_PHRASES: Record<string, number> = { Unauthorized: 401, Forbidden: 403 };

/** The reason phrase a framework takes for a status, for a fix that keeps that spelling. */
export function statusPhrase(status: number): string | undefined {
  return Object.keys(STATUS_PHRASES).find((phrase) => STATUS_PHRASES[phrase] === status);
}

/** The status a reason phrase stands for (`'Unauthorized'` → 401). */
export function phraseStatus(phrase: string): number | undefined {
  return Object.hasOwn(STATUS_PHRASES, phrase) ? STATUS_PHRASES[phrase] : undefined;
}


const FALLBACK_OPERATORS = new Set([ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken]);

export type StatusResolution =
  | { kind: 'sites'; sites: StatusSite[] }
  | { kind: 'parameter'; fn: ts.FunctionLikeDeclaration; index: number; node: ts.Node };

/**
 * Where a status expression's value comes from: literals, constants (local,
 * enum, object tables, well-known libraries), both arms of a conditional, or a
 * parameter of the enclosing function (a helper that sends what it is given).
 * With `phrases`, a string literal may spell the status as its reason phrase
 * (only where the framework takes one: elsewhere `'Unauthorized'` is a message).
 */
export function resolveStatus(expression: ts.Expression, scopes: Scopes, depth = 0, phrases = false): StatusResolution {
  const node = skipOuterExpressions(expression);
  if (ts.isNumericLiteral(node)) return sites({ value: Number(node.text), node, form: 'literal' });
  if (phrases && ts.isStringLiteralLike(node)) return sites({ value: phraseStatus(node.text), node, form: 'literal' });
  if (ts.isConditionalExpression(node)) {
    const whenTrue = resolveStatus(node.whenTrue, scopes, depth, phrases);
    const whenFalse = resolveStatus(node.whenFalse, scopes, depth, phrases);
    return { kind: 'sites', sites: [...sitesOf(whenTrue), ...sitesOf(whenFalse)] };
  }
  // `opts.statusCode || 401`: the fallback is what goes out whenever the caller gives none.
  if (ts.isBinaryExpression(node) && FALLBACK_OPERATORS.has(node.operatorToken.kind)) {
    const given = resolveStatus(node.left, scopes, depth, phrases);
    const fallback = resolveStatus(node.right, scopes, depth, phrases);
    // `status ?? 400` in a helper: the caller's status goes out; a fallback that is no 401 or 403 is nothing to report.
    if (given.kind === 'parameter' && sitesOf(fallback).every((site) => site.value !== undefined && site.value !== 401 && site.value !== 403)) return given;
    // An unknown given status stands for the whole expression, which is what a handler's fix must test.
    const givenSites = sitesOf(given).map((site) => (site.value === undefined ? { ...site, node } : site));
    return { kind: 'sites', sites: [...givenSites, ...sitesOf(fallback)] };
  }
  if (depth > 4) return sites({ value: undefined, node, form: 'literal' });
  if (ts.isIdentifier(node)) return resolveIdentifier(node, scopes, depth, phrases);
  if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
    return sites({ value: memberStatus(node, scopes, depth), node, form: 'constant' });
  }
  return sites({ value: undefined, node, form: 'literal' });
}

function sites(site: StatusSite): StatusResolution {
  return { kind: 'sites', sites: [site] };
}

function sitesOf(resolution: StatusResolution): StatusSite[] {
  return resolution.kind === 'sites' ? resolution.sites : [{ value: undefined, node: resolution.node, form: 'literal' }];
}

function resolveIdentifier(node: ts.Identifier, scopes: Scopes, depth: number, phrases: boolean): StatusResolution {
  const declaration = scopes.lookup(node.text, node);
  if (declaration?.kind === 'parameter') return { kind: 'parameter', fn: declaration.fn, index: declaration.index, node };
  if (declaration?.kind === 'variable' && declaration.isConst && declaration.initializer) {
    const inner = resolveStatus(declaration.initializer, scopes, depth + 1, phrases);
    const value = inner.kind === 'sites' && inner.sites.length === 1 ? inner.sites[0].value : undefined;
    return sites({ value, node, form: 'constant' });
  }
  return sites({ value: undefined, node, form: 'constant' });
}

function memberStatus(node: ts.PropertyAccessExpression | ts.ElementAccessExpression, scopes: Scopes, depth: number): number | undefined {
  const member = ts.isPropertyAccessExpression(node) ? node.name.text : propertyNameText(node.argumentExpression as ts.PropertyName);
  if (!member) return undefined;
  const table = skipOuterExpressions(node.expression);
  if (ts.isIdentifier(table)) {
    const declaration = scopes.lookup(table.text, table);
    if (declaration?.kind === 'enum') return enumMemberValue(declaration.node, member);
    if (declaration?.kind === 'variable' && declaration.initializer) {
      const init = skipOuterExpressions(declaration.initializer);
      if (ts.isObjectLiteralExpression(init)) return objectMemberStatus(init, member, scopes, depth);
    }
  }
  return importedTable(table, scopes) ? NAMED_STATUSES[member.toUpperCase()] : undefined;
}

/**
 * Whether a table is defined by another module (`StatusCodes` of
 * http-status-codes, Nest's `HttpStatus`, `http2.constants`, a project's
 * constants file): its values cannot be read here, so a member spelled as a
 * status is taken as that status. A table this file holds is read for its
 * values instead, and one whose origin is unknown (a parameter, `this.codes`)
 * is not taken by its members' names.
 */
function importedTable(table: ts.Node, scopes: Scopes): boolean {
  let root = table;
  while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = skipOuterExpressions(root.expression);
  if (ts.isCallExpression(root)) return ts.isIdentifier(root.expression) && root.expression.text === 'require';
  if (!ts.isIdentifier(root)) return false;
  const declaration = scopes.lookup(root.text, root);
  return declaration?.kind === 'import' && !NON_STATUS_EXPORTS.has(declaration.imported);
}

function enumMemberValue(declaration: ts.EnumDeclaration, member: string): number | undefined {
  const found = declaration.members.find((m) => propertyNameText(m.name) === member);
  const init = found?.initializer && skipOuterExpressions(found.initializer);
  return init && ts.isNumericLiteral(init) ? Number(init.text) : undefined;
}

function objectMemberStatus(object: ts.ObjectLiteralExpression, member: string, scopes: Scopes, depth: number): number | undefined {
  for (const property of object.properties) {
    if (ts.isPropertyAssignment(property) && propertyNameText(property.name) === member) {
      const inner = resolveStatus(property.initializer, scopes, depth + 1);
      return inner.kind === 'sites' && inner.sites.length === 1 ? inner.sites[0].value : undefined;
    }
  }
  return undefined;
}
