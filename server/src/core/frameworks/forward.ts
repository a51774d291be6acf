import ts from 'typescript';
import { isFunctionLike, objectProperty, objectPropertyValue, skipOuterExpressions, stringValue } from '../ast';
import type { ForwardingSite, RemoteHook, UnsetValues } from '../model/concepts';
import type { ModelContext } from '../model/context';
import { localFunction } from '../model/forwarding';

/** Shared pieces of the forwarding models (proxies and outbound clients). */

/**
 * What each client does with a header given `undefined` or `null` in an object
 * of headers (`{ ...incoming, authorization: undefined }`), read from its source.
 */
export const UNSET_VALUES = {
  /** undici lib/web/fetch/headers.js: `HeadersInit` is a `record<ByteString, ByteString>`, and lib/web/webidl ByteString is `String(V)`. */
  fetch: { undefined: 'stringifies', null: 'stringifies' },
  /** axios lib/core/AxiosHeaders.js: `normalizeValue` keeps `null`/`undefined`/`false` as they are and `toJSON` leaves them out. */
  axios: { undefined: 'removes', null: 'removes' },
  /** got source/core/index.ts `sanitizeHeaders`: `undefined` deletes the header, `null` throws a TypeError. */
  got: { undefined: 'removes', null: 'throws' },
  /** undici lib/core/request.js `processHeader`: returns on `undefined`, sends `null` as `''`. */
  undiciRequest: { undefined: 'removes', null: 'removes' },
  /** hono src/helper/proxy/index.ts `preprocessRequestInit`: `value == null` deletes the header. */
  honoProxy: { undefined: 'removes', null: 'removes' },
  /** ky source/utils/merge.ts `normalizeHeaderObject` drops `undefined`; `null` goes on into `new Headers()` as text. */
  ky: { undefined: 'removes', null: 'stringifies' },
  /** ofetch src/utils.ts `mergeHeaders`: the headers go through `new Headers(input)`. */
  ofetch: { undefined: 'stringifies', null: 'stringifies' },
  /** h3 src/utils/proxy.ts `mergeHeaders` (v1 and v2): `if (value !== undefined) merged.set(key, value)` over the incoming headers. */
  h3ProxyRequest: { undefined: 'skips', null: 'stringifies' },
  /**
   * Node's `ClientRequest` calls `setHeader` for each header, and `validateHeaderValue` throws ERR_HTTP_INVALID_HEADER_VALUE
   * on `undefined` (superagent's node client, http-proxy and express-http-proxy end there too).
   */
  nodeHttp: { undefined: 'throws', null: 'stringifies' },
  /** request lib/request.js (and its forks) `init`: headers whose value is `undefined` are deleted; `null` goes on to Node's `setHeader`, which throws. */
  request: { undefined: 'removes', null: 'throws' },
} satisfies Record<string, UnsetValues>;

/** What a call's callee was imported as: `axios.get` → axios's default export, member `get`. */
export interface CalleeImport {
  module: string;
  imported: string;
  member: string | undefined;
}

/**
 * Resolves a callee to one of `modules`. Most calls in a file are not, so a
 * file that imports none of them is told apart before any name is looked up.
 */
export function calleeImport(call: ts.CallExpression | ts.NewExpression, ctx: ModelContext, modules: ReadonlySet<string>): CalleeImport | undefined {
  if (!importsAny(ctx, modules)) return undefined;
  const callee = skipOuterExpressions(call.expression);
  if (ts.isIdentifier(callee)) {
    const imported = ctx.scopes.importOf(callee.text, callee);
    return imported && { ...imported, member: undefined };
  }
  if (ts.isPropertyAccessExpression(callee)) {
    const owner = skipOuterExpressions(callee.expression);
    if (!ts.isIdentifier(owner)) return undefined;
    const imported = ctx.scopes.importOf(owner.text, owner);
    return imported && { ...imported, member: callee.name.text };
  }
  return undefined;
}

/** Whether the file imports or requires one of `modules`. */
export function importsAny(ctx: ModelContext, modules: ReadonlySet<string>): boolean {
  for (const module of modules) if (ctx.imports.has(module)) return true;
  return false;
}

/** The object literal an expression is, or a `const` holding one (or a `let` never assigned again: `let options = { … }`). */
export function objectLiteralOf(expression: ts.Expression | undefined, ctx: ModelContext): ts.ObjectLiteralExpression | undefined {
  if (!expression) return undefined;
  const node = skipOuterExpressions(expression);
  if (ts.isObjectLiteralExpression(node)) return node;
  if (ts.isIdentifier(node)) {
    const declaration = ctx.scopes.lookup(node.text, node);
    if (declaration?.kind === 'variable' && declaration.initializer && (declaration.isConst || neverReassigned(declaration.node, ctx))) {
      const value = skipOuterExpressions(declaration.initializer);
      return ts.isObjectLiteralExpression(value) ? value : undefined;
    }
  }
  return undefined;
}

const reassignments = new WeakMap<ts.VariableDeclaration, boolean>();

/** Whether a `let`/`var` keeps the value it was declared with: no `x = …`, `x += …` or `x++` in its scope reaches it. */
function neverReassigned(declaration: ts.VariableDeclaration, ctx: ModelContext): boolean {
  const known = reassignments.get(declaration);
  if (known !== undefined) return known;
  const name = declaration.name;
  const scope = declaration.parent.parent.parent;
  let kept = ts.isIdentifier(name) && ts.isVariableDeclarationList(declaration.parent);
  const visit = (node: ts.Node): void => {
    if (!kept) return;
    const target = ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment
      ? node.left
      : (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)
        ? node.operand
        : undefined;
    const assigned = target && skipOuterExpressions(target);
    // A destructuring assignment may write any name it holds.
    if (assigned && (ts.isObjectLiteralExpression(assigned) || ts.isArrayLiteralExpression(assigned))) kept = !assigned.getText(ctx.sourceFile).includes((name as ts.Identifier).text);
    else if (assigned && ts.isIdentifier(assigned) && assigned.text === (name as ts.Identifier).text) {
      const resolved = ctx.scopes.lookup(assigned.text, assigned);
      if (resolved?.kind === 'variable' && resolved.node === declaration) kept = false;
    }
    ts.forEachChild(node, visit);
  };
  if (kept && scope) visit(scope);
  reassignments.set(declaration, kept);
  return kept;
}

/** An option's value, when the options are an object literal. */
export function optionValue(object: ts.ObjectLiteralExpression | undefined, name: string): ts.Expression | undefined {
  return object && objectPropertyValue(object, name);
}

/** The function an expression is, or names in this file. */
function functionOf(expression: ts.Expression | undefined, ctx: ModelContext): ts.FunctionLikeDeclaration | undefined {
  if (!expression) return undefined;
  const node = skipOuterExpressions(expression);
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) return node;
  return ts.isIdentifier(node) ? localFunction(node, ctx) : undefined;
}

/** An option holding a function: `onProxyReq: fn`, `onProxyReq(proxyReq) {…}`, or shorthand `onProxyReq`. */
export function optionFunction(object: ts.ObjectLiteralExpression, name: string, ctx: ModelContext): ts.FunctionLikeDeclaration | undefined {
  const property = objectProperty(object, name);
  if (!property) return undefined;
  if (isFunctionLike(property)) return property;
  if (ts.isPropertyAssignment(property)) return functionOf(property.initializer, ctx);
  if (ts.isShorthandPropertyAssignment(property)) return functionOf(property.name, ctx);
  return undefined;
}

/**
 * A hook option naming a function another project file declares
 * (`onProxyReq: stripAuth`, `on: { proxyReq: hooks.stripAuth }`): what the
 * project index read of what it does to the outgoing request.
 */
export function optionRemoteHook(object: ts.ObjectLiteralExpression, name: string, ctx: ModelContext): RemoteHook | undefined {
  const property = objectProperty(object, name);
  const value = property && ts.isPropertyAssignment(property) ? property.initializer : property && ts.isShorthandPropertyAssignment(property) ? property.name : undefined;
  return value && remoteHook(value, ctx);
}

/** The hook `expression` names, when it is a function of another project file that edits the outgoing request. */
export function remoteHook(expression: ts.Expression, ctx: ModelContext): RemoteHook | undefined {
  const imported = ctx.importedFunction(expression);
  const hook = imported?.fact.headers?.hook;
  return imported && hook && { node: expression, fact: hook, elsewhere: { file: imported.file, name: imported.fact.name, at: imported.fact.at } };
}

/**
 * A hook option naming a function of another project file that returns the
 * headers sent (`rewriteRequestHeaders: forwardHeaders`): what the project
 * index read of the headers it returns.
 */
export function optionRemoteBuilder(object: ts.ObjectLiteralExpression, name: string, ctx: ModelContext): RemoteHook | undefined {
  const property = objectProperty(object, name);
  const value = property && ts.isPropertyAssignment(property) ? property.initializer : property && ts.isShorthandPropertyAssignment(property) ? property.name : undefined;
  const imported = value && ctx.importedFunction(value);
  const built = imported?.fact.headers?.returns;
  if (!value || !imported || !built) return undefined;
  return { node: value, fact: built, returns: true, elsewhere: { file: imported.file, name: imported.fact.name, at: built.rebuilt ?? imported.fact.at } };
}

export function parameterText(fn: ts.FunctionLikeDeclaration, index: number): string | undefined {
  const param = fn.parameters[index];
  return param && ts.isIdentifier(param.name) ? param.name.text : undefined;
}

/** Headers Node's `IncomingHttpHeaders` types as a lone string; any other may be `string[]`. */
const SINGLE_VALUED = new Set(['authorization', 'proxy-authorization', 'cookie', 'host', 'user-agent', 'referer', 'origin']);

/** Reads a header of a node `IncomingMessage` held in `request`: `req.headers.authorization`. */
export function nodeHeaderReader(request: string, ctx: ModelContext): (header: string) => string {
  return (header) => `${request}.headers${memberAccess(header, ctx)}`;
}

/**
 * The value of such a header as a lone string: `String(req.headers['x-api-key'])`
 * for one that may arrive as a list (joined as HTTP joins repeated fields), so it
 * type-checks as a Fetch API header too.
 */
export function nodeHeaderValue(request: string, ctx: ModelContext): (header: string) => string {
  const read = nodeHeaderReader(request, ctx);
  return (header) => (SINGLE_VALUED.has(header) ? read(header) : `String(${read(header)})`);
}

/** `.authorization` or `['x-api-key']` */
export function memberAccess(name: string, ctx: ModelContext): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `[${ctx.quote(name)}]`;
}

/** `proxy.on('proxyReq', (proxyReq, req) => …)`: the listener, when this call registers one. */
export function proxyReqListener(call: ts.CallExpression, ctx: ModelContext): ts.FunctionLikeDeclaration | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'on') return undefined;
  if (stringValue(call.arguments[0]) !== 'proxyReq') return undefined;
  return functionOf(call.arguments[1], ctx);
}

/** Records a proxy whose outgoing request is edited by `hooks` (their first parameter is the outgoing request). */
export function forwardProxy(
  ctx: ModelContext,
  library: string,
  node: ts.Node,
  hooks: ts.FunctionLikeDeclaration[],
  added: ts.Expression | undefined,
  remoteHooks: RemoteHook[] = [],
): void {
  const hook = hooks[0];
  const request = hook && parameterText(hook, 1);
  const site: ForwardingSite = {
    library,
    node,
    headers: { kind: 'incoming', added },
    hooks,
    request: undefined,
    readIncoming: request ? nodeHeaderReader(request, ctx) : undefined,
    unsetValue: UNSET_VALUES.nodeHttp,
    remoteHooks,
  };
  ctx.model.forwards.push(site);
}
