import ts from 'typescript';
import { propertyNameText, skipOuterExpressions } from '../ast';
import type { BuiltHeaderValue, BuiltPart, StatusSwap } from '../model/concepts';
import type { ModelContext } from '../model/context';
import type { TextEdit } from '../types';
import { calledMember, emitNamed, NO_HEADERS, replaceNode, type FrameworkModule } from './framework';

const MODULES = new Set(['@hapi/boom', 'boom']);
const METHODS: Record<string, number> = { unauthorized: 401, forbidden: 403 };
const METHOD_FOR: Record<401 | 403, string> = { 401: 'unauthorized', 403: 'forbidden' };

/**
 * Boom (hapi): `Boom.unauthorized(message, scheme, attributes)` sets
 * `WWW-Authenticate` only when a scheme is given; hapi builds the response
 * from the error alone.
 */
export const boom: FrameworkModule = {
  name: 'boom',
  kinds: [ts.SyntaxKind.CallExpression],
  recognize(node, ctx) {
    if (!ts.isCallExpression(node)) return false;
    const method = calledMember(node);
    if (method === undefined || !(method in METHODS)) return false;
    const callee = skipOuterExpressions(node.expression) as ts.PropertyAccessExpression;
    if (!isBoom(callee.expression, ctx)) return false;
    const isUnauthorized = callee.name.text === 'unauthorized';
    const scheme = node.arguments[1] && skipOuterExpressions(node.arguments[1]);
    const hasScheme = isUnauthorized && !!scheme && scheme.kind !== ts.SyntaxKind.NullKeyword && !(ts.isIdentifier(scheme) && scheme.text === 'undefined');
    emitNamed(ctx, {
      framework: 'boom',
      node,
      delivery: 'error',
      carriedOnly: true,
      site: {
        value: METHODS[callee.name.text],
        node: callee.name,
        form: 'method',
        swap: (to, challenge) => swapMethod(node, callee.name, to, challenge, ctx),
      },
      carried: hasScheme ? { names: new Set(['www-authenticate']), unknown: false, values: new Map([['www-authenticate', [challenge(node, ctx)]]]) } : NO_HEADERS,
      addHeader: (name, value) => (isUnauthorized && name.toLowerCase() === 'www-authenticate' ? schemeFix(node, value, ctx) : undefined),
    });
    return true;
  },
  statusNames: Object.keys(METHODS),
};

function isBoom(owner: ts.Expression, ctx: ModelContext): boolean {
  const node = skipOuterExpressions(owner);
  if (!ts.isIdentifier(node)) return false;
  const imported = ctx.scopes.importOf(node.text, node);
  return imported ? MODULES.has(imported.module) : node.text === 'Boom' && !ctx.scopes.lookup(node.text, node);
}

/**
 * `Boom.forbidden(msg)` → `Boom.unauthorized(msg, 'Bearer', { realm: 'api' })`, whose
 * scheme arguments carry the challenge; `Boom.unauthorized(msg, scheme, attributes)` →
 * `Boom.forbidden(msg)`, since Boom.forbidden would take them as data.
 */
function swapMethod(call: ts.CallExpression, name: ts.Node, to: 401 | 403, challenge: string, ctx: ModelContext): StatusSwap | undefined {
  const rename = replaceNode(ctx, name, METHOD_FOR[to]);
  if (to === 403) {
    const extra = call.arguments.length > 1 ? [{ start: call.arguments[0].getEnd(), end: call.arguments[call.arguments.length - 1].getEnd(), text: '' }] : [];
    return { edits: [rename, ...extra], challenged: false };
  }
  const scheme = schemeFix(call, challenge, ctx);
  return scheme ? { edits: [rename, ...scheme], challenged: true } : undefined;
}

/**
 * `Boom.unauthorized()` → `Boom.unauthorized(null, 'Bearer', { realm: 'api' })`;
 * with a message, `Boom.unauthorized(msg, ['Bearer realm="api"'])`: given a
 * scheme, Boom would add the message to the challenge as `error="msg"`, which
 * Bearer allows only for its error codes (RFC 6750 §3.1).
 */
function schemeFix(call: ts.CallExpression, challenge: string, ctx: ModelContext): TextEdit[] | undefined {
  const match = /^\s*([!#$%&'*+.^_`|~\w-]+)\s*(.*)$/.exec(challenge);
  if (!match || call.arguments.length > 1) return undefined;
  if (truthiness(call.arguments[0]) !== false) return ctx.appendArgument(call, `[${ctx.quote(challenge.trim())}]`);
  const [, scheme, params] = match;
  const attributes = [...params.matchAll(/([\w-]+)\s*=\s*(?:"([^"]*)"|([^,\s]*))/g)].map(
    ([, key, quoted, bare]) => `${/^[A-Za-z_$][\w$]*$/.test(key) ? key : ctx.quote(key)}: ${ctx.quote(quoted ?? bare)}`,
  );
  const tail = `${ctx.quote(scheme)}${attributes.length ? `, { ${attributes.join(', ')} }` : ''}`;
  return ctx.appendArgument(call, call.arguments.length === 0 ? `null, ${tail}` : tail);
}

/**
 * The value `Boom.unauthorized(message, scheme, attributes)` sends: an array
 * of schemes joined with `, `; else the scheme, then the attributes (a string
 * as is, an object as `name="value"` pairs), then `error="message"` for a
 * truthy message, attribute values and the message escaped as quoted text.
 */
function challenge(call: ts.CallExpression, ctx: ModelContext): BuiltHeaderValue {
  const [message, scheme, attributes] = call.arguments;
  const node = skipOuterExpressions(scheme);
  const value: BuiltHeaderValue = { kind: 'built', node: call, variants: [], addParameter: (name, text) => addAttribute(call, name, text, ctx) };
  if (ts.isArrayLiteralExpression(node)) {
    value.variants = [[{ expression: scheme }]];
    return value;
  }
  const head: BuiltPart[] = [{ expression: scheme }, ...attributeParts(attributes)];
  const hasAttributes = head.length > 1;
  const error: BuiltPart[] = [{ text: `${hasAttributes ? ',' : ''} error="` }, { expression: message, quoted: true }, { text: '"' }];
  const truth = truthiness(message);
  value.variants = truth === true ? [[...head, ...error]] : truth === false ? [head] : [head, [...head, ...error]];
  return value;
}

function attributeParts(attributes: ts.Expression | undefined): BuiltPart[] {
  if (!attributes || truthiness(attributes) === false) return [];
  const node = skipOuterExpressions(attributes);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) return [{ text: ' ' }, { expression: attributes, quoted: true }];
  if (!ts.isObjectLiteralExpression(node)) return [{ text: ' ' }, { unknown: true }];
  const parts: BuiltPart[] = [];
  for (const property of node.properties) {
    const name = ts.isPropertyAssignment(property) && propertyNameText(property.name);
    if (!name || !ts.isPropertyAssignment(property)) return [{ text: ' ' }, { unknown: true }];
    parts.push({ text: `${parts.length === 0 ? ' ' : ', '}${name}="` }, { expression: property.initializer, quoted: true }, { text: '"' });
  }
  return parts;
}

/** Whether an argument is truthy, falsy, or unknown (undefined). */
function truthiness(argument: ts.Expression | undefined): boolean | undefined {
  if (!argument) return false;
  const node = skipOuterExpressions(argument);
  if (node.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(node) && node.text === 'undefined')) return false;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text.length > 0;
  if (ts.isObjectLiteralExpression(node) || ts.isArrayLiteralExpression(node) || ts.isTemplateExpression(node)) return true;
  return undefined;
}

/** Makes Boom add a parameter: an entry in the attributes object, or an attributes object after the scheme. */
function addAttribute(call: ts.CallExpression, name: string, text: string, ctx: ModelContext) {
  const [, scheme, attributes] = call.arguments;
  if (!scheme || ts.isArrayLiteralExpression(skipOuterExpressions(scheme))) return undefined;
  const entry = { key: /^[A-Za-z_$][\w$]*$/.test(name) ? name : ctx.quote(name), value: ctx.quote(text) };
  if (!attributes) return ctx.appendArgument(call, `{ ${entry.key}: ${entry.value} }`);
  const node = skipOuterExpressions(attributes);
  if (ts.isObjectLiteralExpression(node)) return ctx.addProperty(node, name, entry.value);
  if (truthiness(attributes) === false && call.arguments.length === 3) {
    return [{ start: attributes.getStart(ctx.sourceFile), end: attributes.getEnd(), text: `{ ${entry.key}: ${entry.value} }` }];
  }
  return undefined;
}
