import ts from 'typescript';
import { enclosingFunction } from '../ast';
import type { ModelContext } from '../model/context';

/**
 * The challenge a quick fix inserts: the configured one, or the scheme the
 * code around the 401 reads, with the configured realm: Basic where it reads
 * Basic credentials, `Key realm="api"` where it reads `Authorization: Key …`.
 */
export function challengeFor(node: ts.Node, configured: string, ctx: ModelContext): string {
  const realm = /realm\s*=\s*"([^"]*)"/i.exec(configured)?.[1] ?? 'api';
  const configuredScheme = /^\s*([^\s,]+)/.exec(configured)?.[1].toLowerCase();
  if (configuredScheme === 'basic') return configured;
  if (readsBasicCredentials(node, ctx)) return `Basic realm="${realm}"`;
  const read = schemesRead(node, ctx);
  // Code that accepts several schemes, or the configured one, is answered with the configured challenge.
  if (read.size !== 1 || read.has(configuredScheme ?? '')) return configured;
  const [scheme] = read;
  return scheme === 'bearer' ? configured : `${SPELLING.get(scheme) ?? scheme} realm="${realm}"`;
}

function readsBasicCredentials(node: ts.Node, ctx: ModelContext): boolean {
  if (ctx.usesModule((m) => m === 'basic-auth' || m === 'express-basic-auth')) return true;
  const scope = enclosingFunction(node) ?? ctx.sourceFile;
  // A node lies in the scope's subtree exactly when its text lies within the scope's.
  return ctx.model.basicSchemeLiterals.some((literal) => literal.pos >= scope.pos && literal.end <= scope.end && !writesCredential(literal));
}

/**
 * A Basic literal that builds the Authorization header of a request the code
 * sends (`headers: { Authorization: \`Basic ${id}\` }`, `headers.set('authorization', 'Basic ' + id)`):
 * the code authenticates itself upstream (an OAuth client to its provider);
 * it does not read Basic credentials from its caller.
 */
function writesCredential(literal: ts.Node): boolean {
  let value: ts.Node = ts.isTemplateHead(literal) ? literal.parent : literal;
  while (ts.isParenthesizedExpression(value.parent) || (ts.isBinaryExpression(value.parent) && value.parent.operatorToken.kind === ts.SyntaxKind.PlusToken)) value = value.parent;
  const parent = value.parent;
  if (ts.isPropertyAssignment(parent) && parent.initializer === value) return isAuthorizationName(parent.name);
  if (ts.isCallExpression(parent) && parent.arguments[1] === value) return isAuthorizationName(parent.arguments[0]);
  return false;
}

function isAuthorizationName(node: ts.Node): boolean {
  const text = ts.isIdentifier(node) || ts.isStringLiteralLike(node) ? node.text : undefined;
  return text?.toLowerCase() === 'authorization';
}

/** An auth-scheme (RFC 9110 §11.1 token) followed by the space before its credentials: `'Key '`. */
const SCHEME_PREFIX = /^([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*) $/;
/** `/^Key /`, `/^Token\s+/i` */
const SCHEME_PATTERN = /^\/\^([A-Za-z][A-Za-z0-9_-]*)(?: |\\s)/;
/** Schemes a bare literal may name in a comparison (`scheme !== 'Key'`): other words compared there are roles and states. */
const KNOWN_SCHEMES = new Set(['basic', 'bearer', 'digest', 'token', 'key', 'apikey', 'api-key', 'negotiate', 'hoba', 'mutual', 'dpop', 'gnap']);
const SPELLING = new Map([['token', 'Token'], ['key', 'Key'], ['apikey', 'ApiKey'], ['digest', 'Digest'], ['dpop', 'DPoP'], ['gnap', 'GNAP'], ['negotiate', 'Negotiate']]);

/** The schemes the function around `node` reads from a credential, lower-cased. Walked only for a finding's fix. */
function schemesRead(node: ts.Node, ctx: ModelContext): Set<string> {
  const schemes = new Set<string>();
  const visit = (child: ts.Node): void => {
    if (ts.isStringLiteral(child) || ts.isNoSubstitutionTemplateLiteral(child)) {
      const prefix = SCHEME_PREFIX.exec(child.text)?.[1];
      if (prefix && (isCompared(child) || readsPrefix(child))) schemes.add(prefix.toLowerCase());
      else if (KNOWN_SCHEMES.has(child.text.toLowerCase()) && isCompared(child)) schemes.add(child.text.toLowerCase());
    } else if (child.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      const scheme = SCHEME_PATTERN.exec((child as ts.RegularExpressionLiteral).text)?.[1];
      if (scheme) schemes.add(scheme.toLowerCase());
    }
    ts.forEachChild(child, visit);
  };
  visit(enclosingFunction(node) ?? ctx.sourceFile);
  return schemes;
}

function isCompared(literal: ts.Node): boolean {
  const parent = literal.parent;
  if (!ts.isBinaryExpression(parent)) return false;
  const op = parent.operatorToken.kind;
  return op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
}

/** Methods that find or strip a prefix: `auth.startsWith('Key ')`, `auth.replace('Key ', '')`. */
const PREFIX_METHODS = new Set(['startsWith', 'replace', 'replaceAll', 'indexOf', 'includes', 'split']);

/** A literal a credential is read by: a prefix method's argument, or `'Key '.length` in a slice. */
function readsPrefix(literal: ts.Node): boolean {
  const parent = literal.parent;
  if (ts.isPropertyAccessExpression(parent)) return parent.name.text === 'length';
  if (!ts.isCallExpression(parent) || !parent.arguments.includes(literal as ts.Expression)) return false;
  const callee = parent.expression;
  return ts.isPropertyAccessExpression(callee) && PREFIX_METHODS.has(callee.name.text);
}
