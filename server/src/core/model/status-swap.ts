import ts from 'typescript';
import { propertyNameText, skipOuterExpressions, stringValue } from '../ast';
import { schemeFix } from '../frameworks/boom';
import { addNestImport } from '../frameworks/nest';
import type { TextEdit } from '../types';
import type { StatusEmission, StatusSite } from './concepts';
import type { ModelContext } from './context';
import { resolveStatus } from './status';

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
const NEST_CLASSES: Record<AuthStatus, string> = { 401: 'UnauthorizedException', 403: 'ForbiddenException' };
const HTTP_ERRORS_MEMBERS: Record<AuthStatus, string> = { 401: 'Unauthorized', 403: 'Forbidden' };
const METHODS: Record<AuthStatus, string> = { 401: 'unauthorized', 403: 'forbidden' };
const HEADER_NAME = 'WWW-Authenticate';

/**
 * The edits that make a status site send `to` instead, in the form it is
 * written in: a literal, a constant (a sibling member of the same table, else
 * a literal), an exception class, a Boom or @fastify/sensible method, or a
 * NestJS guard's `return false`. A swap to 401 also adds the challenge, so the
 * fixed code needs nothing more; undefined when either cannot be done safely.
 */
export function swapStatus(emission: StatusEmission, site: StatusSite, to: AuthStatus, challenge: string, ctx: ModelContext): TextEdit[] | undefined {
  const swap = swapSite(emission, site, to, ctx);
  if (!swap || to === 403) return swap;
  const challengeEdits = emission.framework === 'boom' ? schemeFix(emission.node as ts.CallExpression, challenge, ctx) : emission.addHeader?.(HEADER_NAME, challenge);
  return challengeEdits && challengeEdits.length ? [...swap, ...challengeEdits] : undefined;
}

function swapSite(emission: StatusEmission, site: StatusSite, to: AuthStatus, ctx: ModelContext): TextEdit[] | undefined {
  if (site.swap) return site.swap(to);
  switch (site.form) {
    case 'literal':
      return ts.isNumericLiteral(site.node) ? [replace(site.node, String(to), ctx)] : undefined;
    case 'constant':
      return [swapConstant(site.node, to, ctx)];
    case 'exception-class':
      return swapClass(emission, site.node, to, ctx);
    case 'method':
      return swapMethod(emission, site.node, to, ctx);
    case 'guard-denial':
      return to === 401 ? throwUnauthorized(emission, site.node, ctx) : undefined;
  }
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

/** `ForbiddenException` ↔ `UnauthorizedException` (with its import); http-errors' `createError.Forbidden` / `createError[403]`. */
function swapClass(emission: StatusEmission, node: ts.Node, to: AuthStatus, ctx: ModelContext): TextEdit[] | undefined {
  if (emission.framework === 'nest') {
    const { name, importEdit } = nestClass(NEST_CLASSES[to], ctx) ?? {};
    if (!name) return undefined;
    return [replace(node, name, ctx), ...(importEdit ? [importEdit] : [])];
  }
  if (emission.framework === 'http-errors') {
    if (ts.isNumericLiteral(node)) return [replace(node, String(to), ctx)];
    if (ts.isIdentifier(node)) return [replace(node, HTTP_ERRORS_MEMBERS[to], ctx)];
    if (stringValue(node) !== undefined) return [replace(node, ctx.quote(HTTP_ERRORS_MEMBERS[to]), ctx)];
  }
  return undefined;
}

/** The local name of a @nestjs/common class, importing it when needed. */
function nestClass(imported: string, ctx: ModelContext): { name: string; importEdit?: TextEdit } | undefined {
  for (const statement of ctx.sourceFile.statements) {
    if (!ts.isImportDeclaration(statement) || stringValue(statement.moduleSpecifier) !== '@nestjs/common') continue;
    const bindings = statement.importClause?.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    const element = bindings.elements.find((e) => (e.propertyName ?? e.name).text === imported);
    if (element) return { name: element.name.text };
  }
  const importEdit = addNestImport(imported, ctx);
  return importEdit ? { name: imported, importEdit } : undefined;
}

/** `Boom.forbidden` ↔ `Boom.unauthorized`, `reply.forbidden()` ↔ `reply.unauthorized()`. */
function swapMethod(emission: StatusEmission, node: ts.Node, to: AuthStatus, ctx: ModelContext): TextEdit[] {
  const edits = [replace(node, METHODS[to], ctx)];
  // Boom.unauthorized's second and third arguments are the challenge; Boom.forbidden would take them as data.
  const call = emission.node;
  if (emission.framework === 'boom' && to === 403 && ts.isCallExpression(call) && call.arguments.length > 1) {
    edits.push({ start: call.arguments[0].getEnd(), end: call.arguments[call.arguments.length - 1].getEnd(), text: '' });
  }
  return edits;
}

/** A NestJS guard's `return false` (Nest's 403) → `throw new UnauthorizedException()`. */
function throwUnauthorized(emission: StatusEmission, node: ts.Node, ctx: ModelContext): TextEdit[] | undefined {
  if (node.kind !== ts.SyntaxKind.FalseKeyword || !ts.isReturnStatement(emission.node)) return undefined;
  const { name, importEdit } = nestClass(NEST_CLASSES[401], ctx) ?? {};
  if (!name) return undefined;
  return [replace(emission.node, `throw new ${name}();`, ctx), ...(importEdit ? [importEdit] : [])];
}

function replace(node: ts.Node, text: string, ctx: ModelContext): TextEdit {
  return { start: node.getStart(ctx.sourceFile), end: node.getEnd(), text };
}
