import ts from 'typescript';
import { calleeName, enclosingFunction, isFunctionLike, propertyNameText, skipOuterExpressions, stringValue } from '../../ast';
import type { ModelContext } from '../../model/context';
import { propertyWritesTo } from '../../model/forwarding';
import { nodeHeaderReader, nodeHeaderValue, objectLiteralOf, optionValue } from '../forward';

/**
 * Members of a request that make an outbound call a pass-through: its method
 * and its path. Its body alone does not: relaying a body to a fixed endpoint
 * (a webhook, a third-party API) is a call of our own, not a proxy.
 */
const PASSED_MEMBERS = new Set(['method', 'url', 'originalUrl', 'path', 'nextUrl']);
/** What may be done to a passed-on part on its way into the outbound call (`req.originalUrl.replace(…)`). */
const STRING_METHODS = new Set(['catch', 'replace', 'replaceAll', 'slice', 'substring', 'substr', 'toString', 'toUpperCase', 'toLowerCase', 'pathname', 'href']);
/** Options that carry the request's body or query on: `{ body: JSON.stringify(req.body) }`, axios `{ params: req.query }`. */
const DATA_OPTIONS = ['body', 'data', 'json', 'form', 'params', 'searchParams', 'qs', 'query'];
/** Readers of a Fetch API or Hono request's whole body. */
const BODY_READERS = new Set(['json', 'text', 'arrayBuffer', 'formData', 'blob', 'parseBody']);
/**
 * Endpoints that establish a credential rather than take one: a relayed login,
 * sign-up, token refresh or password reset carries the user's secret in its
 * body, and the caller has no Authorization yet to forward.
 */
const CREDENTIAL_ENDPOINT = /\/(login|log-in|signin|sign-in|signup|sign-up|register|logout|refresh|refresh-token|token|password|forgot-password|reset-password|verify-email|otp|oauth|callback)(?![\w-])/i;
/** Hosts of one's own services: a URL naming one of these is not a third-party API. */
const PRIVATE_HOST = /^(localhost|127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|\[?::1\]?$|0\.0\.0\.0$)|\.(local|localhost|internal|svc|lan|cluster\.local)$|^[^.]+$/;
/** How many constants deep a part is followed (`target` → `` `${API}/${rest}` `` → `path.join('/')`). */
const FOLLOW_DEPTH = 2;
/**
 * A catch-all route (`app/api/[...path]/route.ts`, `pages/api/proxy/[...slug].ts`):
 * the segment's value is the incoming path, so passing it on is passing the path on.
 */
const CATCH_ALL = /[\\/]\[\[?\.\.\.([A-Za-z_$][\w$]*)\]\]?(?:[\\/]route)?\.[cm]?[jt]sx?$/;
const ROUTE_FILE = /(^|[\\/])(route\.[cm]?[jt]sx?$|api[\\/])/;

const REQUEST_NAME = /^_*(req|request|incoming|incomingRequest|incomingReq|srcReq|sourceRequest|originalRequest|originalReq|clientReq|clientRequest|inboundRequest)$/i;
const REQUEST_TYPE = /\b(NextRequest|NextApiRequest|Request|IncomingMessage|FastifyRequest|HonoRequest)\b/;
const WEB_REQUEST_TYPE = /\b(NextRequest|Request)\b/;
/** Files whose handlers receive a Fetch API Request: Next.js route handlers and middleware, SvelteKit endpoints. */
const WEB_HANDLER_FILE = /(^|[\\/])(route|middleware|\+server)\.[cm]?[jt]sx?$/;

/** How an outbound call is made: where its URL and options sit. */
export interface OutboundCall {
  library: string;
  call: ts.CallExpression;
  target: ts.Expression | undefined;
  options: ts.Expression | undefined;
  /** Where an options argument would go, for a fix that has to add one. */
  optionsIndex: number;
  /** A body given as its own argument: axios's `post(url, data, config)`. */
  data?: ts.Expression;
}

/**
 * Records an outbound call as a forwarding site when it passes on the method
 * or path of the request being handled; a call built from a few fields of it
 * (a third-party API queried with `req.query.city`) is not forwarding.
 */
export function forwardOutbound(ctx: ModelContext, outbound: OutboundCall): boolean {
  const options = objectLiteralOf(outbound.options, ctx);
  // Options built elsewhere, or spread in after the headers they set (or without any), may carry any header.
  if (outbound.options && !options) return false;
  if (options && spreadDecidesHeaders(options)) return false;
  if (isClientCode(ctx)) return false;
  const parts = [outbound.target, optionValue(options, 'url'), optionValue(options, 'method'), optionValue(options, 'path')];
  const passed = passedRequest(parts, ctx, 'whole') ?? passedData(outbound, options, ctx);
  if (!passed) return false;
  const request = passed.request ?? handlerRequest(outbound.call, ctx);
  const later = outbound.options && headersAssignedLater(outbound.options, ctx);
  // `init.headers = …` after the options were made replaces what they hold; a computed write may set anything.
  if (later === 'unknown') return false;
  const headers = later ?? optionValue(options, 'headers');
  ctx.model.forwards.push({
    library: outbound.library,
    node: outbound.call,
    headers: headers
      ? { kind: 'expression', expression: headers }
      : { kind: 'none', init: options, call: outbound.call, appendable: !options && outbound.call.arguments.length === outbound.optionsIndex },
    hooks: [],
    request: undefined,
    readIncoming: request && headerReader(request, ctx),
    incomingValue: request && headerValue(request, ctx),
  });
  return true;
}

/** Whether a spread in the options comes after their `headers` (or there is no `headers`): then it decides them. */
function spreadDecidesHeaders(options: ts.ObjectLiteralExpression): boolean {
  let decides = false;
  for (const property of options.properties) {
    if (ts.isSpreadAssignment(property)) decides = true;
    else if (property.name && propertyNameText(property.name) === 'headers') decides = false;
  }
  return decides;
}

/**
 * A backend-for-frontend call: the incoming path parameters, whole query or
 * whole body reach a service of one's own (`axios.get(API + '/users/' +
 * req.params.id)`, `axios.post(`${API}/orders`, req.body)`). A third-party
 * API named by its public URL, or a fixed URL the body is posted to (a
 * webhook), is a call of the server's own, not a forward.
 */
function passedData(outbound: OutboundCall, options: ts.ObjectLiteralExpression | undefined, ctx: ModelContext): { request: ts.Expression | undefined } | undefined {
  const target = outbound.target ?? optionValue(options, 'url');
  if (!target || isThirdParty(target, ctx) || CREDENTIAL_ENDPOINT.test(literalText(target, ctx, 0))) return undefined;
  const inTarget = passedRequest([target], ctx, 'data');
  if (inTarget) return inTarget;
  if (!isComposed(target, ctx, 0)) return undefined;
  return passedRequest([outbound.data, ...DATA_OPTIONS.map((name) => optionValue(options, name))], ctx, 'data');
}

/** The URL's fixed start, when it is written out: `'https://api.x.com/' + …`, `` `https://…/${id}` ``, `new URL(path, 'https://…')`. */
function urlStart(expression: ts.Expression, ctx: ModelContext, depth: number): string | undefined {
  const node = skipOuterExpressions(expression);
  if (depth > FOLLOW_DEPTH) return undefined;
  const literal = stringValue(node);
  if (literal !== undefined) return literal;
  if (ts.isTemplateExpression(node)) return node.head.text || undefined;
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) return urlStart(node.left, ctx, depth + 1);
  if (ts.isNewExpression(node) && calleeName(node) === 'URL') {
    const [path, base] = node.arguments ?? [];
    return base ? urlStart(base, ctx, depth + 1) : path && urlStart(path, ctx, depth + 1);
  }
  if (ts.isIdentifier(node)) {
    const declaration = ctx.scopes.lookup(node.text, node);
    if (declaration?.kind === 'variable' && declaration.isConst && declaration.initializer) return urlStart(declaration.initializer, ctx, depth + 1);
  }
  return undefined;
}

/** The text written out in a URL expression: its literals and template text, constants followed. */
function literalText(expression: ts.Expression, ctx: ModelContext, depth: number): string {
  const node = skipOuterExpressions(expression);
  if (depth > FOLLOW_DEPTH) return '';
  const literal = stringValue(node);
  if (literal !== undefined) return literal;
  if (ts.isTemplateExpression(node)) return node.head.text + node.templateSpans.map((span) => `\0${span.literal.text}`).join('');
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) return literalText(node.left, ctx, depth + 1) + literalText(node.right, ctx, depth + 1);
  if (ts.isIdentifier(node)) {
    const declaration = ctx.scopes.lookup(node.text, node);
    if (declaration?.kind === 'variable' && declaration.isConst && declaration.initializer) return literalText(declaration.initializer, ctx, depth + 1);
  }
  return '';
}

function isThirdParty(target: ts.Expression, ctx: ModelContext): boolean {
  const host = /^https?:\/\/([^/:?#]+)/i.exec(urlStart(target, ctx, 0) ?? '')?.[1];
  return host !== undefined && !PRIVATE_HOST.test(host.toLowerCase());
}

/** A URL built from a base and a path (`` `${API}/orders` ``, `API + path`), as opposed to one fixed URL held whole (`SLACK_WEBHOOK_URL`). */
function isComposed(target: ts.Expression, ctx: ModelContext, depth: number): boolean {
  const node = skipOuterExpressions(target);
  if (ts.isTemplateExpression(node) || ts.isNewExpression(node)) return true;
  if (ts.isBinaryExpression(node)) return node.operatorToken.kind === ts.SyntaxKind.PlusToken;
  if (ts.isIdentifier(node) && depth < FOLLOW_DEPTH) {
    const declaration = ctx.scopes.lookup(node.text, node);
    return declaration?.kind === 'variable' && !!declaration.initializer && isComposed(declaration.initializer, ctx, depth + 1);
  }
  return false;
}

/** Whether a lone argument (`axios(x)`, `got(x)`) is the URL or the options: undefined when it cannot be told. */
export function loneArgument(arg: ts.Expression, ctx: ModelContext): 'url' | 'options' | undefined {
  const node = skipOuterExpressions(arg);
  if (objectLiteralOf(node as ts.Expression, ctx)) return 'options';
  const stringy = ts.isStringLiteralLike(node) || ts.isTemplateExpression(node) || (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken);
  return stringy || ts.isNewExpression(node) ? 'url' : undefined;
}

/** The last `options.headers = …` on an options variable, `unknown` for a computed write (`options[key] = …`). */
function headersAssignedLater(options: ts.Expression, ctx: ModelContext): ts.Expression | 'unknown' | undefined {
  const node = skipOuterExpressions(options);
  const declaration = ts.isIdentifier(node) ? ctx.scopes.lookup(node.text, node) : undefined;
  if (declaration?.kind !== 'variable') return undefined;
  let found: ts.Expression | 'unknown' | undefined;
  for (const write of propertyWritesTo(declaration.node, ctx)) {
    if (write.op !== 'set') continue;
    if (write.name === undefined) found = 'unknown';
    else if (write.name === 'headers' && ts.isBinaryExpression(write.node)) found = write.node.right;
  }
  return found;
}

function isClientCode(ctx: ModelContext): boolean {
  const first = ctx.sourceFile.statements[0];
  return !!first && ts.isExpressionStatement(first) && ts.isStringLiteral(first.expression) && first.expression.text === 'use client';
}

/**
 * Whether one of `parts` passes on the method or path of the request being
 * handled, and the request when it is named there (a catch-all segment is not).
 */
function passedRequest(parts: (ts.Expression | undefined)[], ctx: ModelContext, kind: 'whole' | 'data'): { request: ts.Expression | undefined } | undefined {
  const catchAll = kind === 'whole' ? catchAllSegment(ctx.sourceFile.fileName) : undefined;
  const part = kind === 'whole' ? passedPart : passedDataPart;
  let found: { request: ts.Expression | undefined } | undefined;
  const visit = (node: ts.Node, depth: number): void => {
    if (found || isFunctionLike(node)) return;
    const request = part(node, ctx);
    if (request || (catchAll && isSegment(node, catchAll, ctx))) {
      found = { request };
      return;
    }
    // A constant built from the request (`const target = new URL(req.url, API)`) passes it on too, when it is used whole.
    if (ts.isIdentifier(node)) {
      const declaration = ctx.scopes.lookup(node.text, node);
      if (depth < FOLLOW_DEPTH && declaration?.kind === 'variable' && declaration.initializer && usedWhole(node)) visit(declaration.initializer, depth + 1);
      return;
    }
    ts.forEachChild(node, (child) => visit(child, depth));
  };
  for (const part of parts) if (part) visit(part, 0);
  return found;
}

function catchAllSegment(fileName: string): string | undefined {
  const match = CATCH_ALL.exec(fileName);
  return match && ROUTE_FILE.test(fileName) ? match[1] : undefined;
}

/** `params.path`, `req.query.path`, or `path` destructured from the params. */
function isSegment(node: ts.Node, segment: string, ctx: ModelContext): boolean {
  if (ts.isPropertyAccessExpression(node)) return node.name.text === segment;
  if (!ts.isIdentifier(node) || node.text !== segment || (ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) return false;
  const declaration = ctx.scopes.lookup(node.text, node);
  return !declaration || declaration.kind === 'variable' || declaration.kind === 'parameter';
}

/** The request parameter of the handler an outbound call is made in. */
function handlerRequest(call: ts.Node, ctx: ModelContext): ts.Identifier | undefined {
  for (let fn = enclosingFunction(call); fn; fn = enclosingFunction(fn)) {
    const first = fn.parameters[0]?.name;
    if (first && ts.isIdentifier(first) && isIncomingRequest(first, ctx)) return first;
  }
  return undefined;
}

/** `req.method`, `req.originalUrl.replace(…)`: the request, when `node` passes one of its parts on whole. */
function passedPart(node: ts.Node, ctx: ModelContext): ts.Expression | undefined {
  if (!ts.isPropertyAccessExpression(node) || !PASSED_MEMBERS.has(node.name.text)) return undefined;
  return isIncomingRequest(node.expression, ctx) && usedWhole(node) ? node.expression : undefined;
}

/**
 * `req.params.id`, `c.req.param('id')`, the whole `req.body` or `req.query`,
 * `await request.json()`, the incoming URL's whole `search` or `searchParams`:
 * the request, when `node` passes one of these on.
 */
function passedDataPart(node: ts.Node, ctx: ModelContext): ts.Expression | undefined {
  if (ts.isPropertyAccessExpression(node)) {
    const name = node.name.text;
    if (name === 'params') return isIncomingRequest(node.expression, ctx) ? node.expression : undefined;
    if ((name === 'body' || name === 'query') && isIncomingRequest(node.expression, ctx)) return usedWhole(node) ? node.expression : undefined;
    if ((name === 'search' || name === 'searchParams') && usedWhole(node)) return incomingUrl(node.expression, ctx, 0);
    return undefined;
  }
  if (!ts.isCallExpression(node)) return undefined;
  const callee = skipOuterExpressions(node.expression);
  if (!ts.isPropertyAccessExpression(callee) || !isIncomingRequest(callee.expression, ctx)) return undefined;
  const name = callee.name.text;
  if (name === 'param') return callee.expression;
  if (name === 'query' && node.arguments.length === 0) return callee.expression;
  return BODY_READERS.has(name) && usedWhole(node) ? callee.expression : undefined;
}

/** `request.nextUrl`, `new URL(req.url)`, or a constant holding one: the request whose URL it is. */
function incomingUrl(expression: ts.Expression, ctx: ModelContext, depth: number): ts.Expression | undefined {
  const node = skipOuterExpressions(expression);
  if (ts.isPropertyAccessExpression(node) && node.name.text === 'nextUrl') return isIncomingRequest(node.expression, ctx) ? node.expression : undefined;
  if (ts.isNewExpression(node) && calleeName(node) === 'URL') {
    const first = node.arguments?.[0] && skipOuterExpressions(node.arguments[0]);
    return first && ts.isPropertyAccessExpression(first) && ['url', 'originalUrl'].includes(first.name.text) && isIncomingRequest(first.expression, ctx) ? first.expression : undefined;
  }
  if (ts.isIdentifier(node) && depth < FOLLOW_DEPTH) {
    const declaration = ctx.scopes.lookup(node.text, node);
    if (declaration?.kind === 'variable' && declaration.initializer) return incomingUrl(declaration.initializer, ctx, depth + 1);
  }
  return undefined;
}

/** False when only a piece of the part is used (`new URL(req.url).searchParams.get('q')`). */
function usedWhole(node: ts.Node): boolean {
  let current = node;
  for (;;) {
    const parent = current.parent;
    if (ts.isParenthesizedExpression(parent) || ts.isAwaitExpression(parent) || ts.isAsExpression(parent) || ts.isNonNullExpression(parent)) {
      current = parent;
    } else if (ts.isPropertyAccessExpression(parent) && parent.expression === current) {
      if (!STRING_METHODS.has(parent.name.text)) return false;
      current = ts.isCallExpression(parent.parent) && parent.parent.expression === parent ? parent.parent : parent;
    } else if (ts.isNewExpression(parent)) {
      // `new URL(req.url, base)` passes the path on; `new URL('/origin', req.url)` only borrows its origin.
      if (parent.arguments?.[0] !== current) return false;
      current = parent;
    } else if (ts.isElementAccessExpression(parent) && parent.expression === current) {
      return false;
    } else {
      return true;
    }
  }
}

function isIncomingRequest(expression: ts.Expression, ctx: ModelContext): boolean {
  const node = skipOuterExpressions(expression);
  if (ts.isIdentifier(node)) {
    const declaration = ctx.scopes.lookup(node.text, node);
    // The request being handled arrives as a parameter (or a destructured one); a local variable is a request being built.
    if (declaration && declaration.kind !== 'parameter') return false;
    if (/^_*ctx$/.test(node.text)) return usesKoa(ctx);
    // A type says what it is whatever the name (`request: RelayRequest` is one being sent).
    const type = declaration?.node.type?.getText(ctx.sourceFile);
    return type ? REQUEST_TYPE.test(type) : REQUEST_NAME.test(node.text);
  }
  if (ts.isPropertyAccessExpression(node)) {
    const owner = skipOuterExpressions(node.expression);
    // Hono's `c.req`, Koa's `ctx.request`, SvelteKit's `event.request`, and the raw Request under Hono's.
    if (node.name.text === 'raw') return isIncomingRequest(node.expression, ctx);
    return ts.isIdentifier(owner) && ['req', 'request'].includes(node.name.text) && /^_*(c|ctx|context|event)$/.test(owner.text);
  }
  return false;
}

function usesKoa(ctx: ModelContext): boolean {
  return ctx.usesModule((m) => m === 'koa' || m === '@koa/router' || m === 'koa-router');
}

/** Source text that reads an incoming header from `request`, in its library's idiom. */
function headerReader(request: ts.Expression, ctx: ModelContext): (header: string) => string {
  const text = request.getText(ctx.sourceFile);
  const node = skipOuterExpressions(request) as ts.Expression;
  if (ts.isPropertyAccessExpression(node) && node.name.text === 'req' && !usesKoa(ctx)) return (h) => `${text}.header(${ctx.quote(h)})`;
  if (readsWithGet(request, ctx)) return (h) => `${text}.headers.get(${ctx.quote(h)})`;
  if (usesKoa(ctx)) return (h) => `${text}.get(${ctx.quote(h)})`;
  return nodeHeaderReader(text, ctx);
}

/** Text for the header's value, typed as a lone string: `Headers#get` may give null, Node's headers a list. */
function headerValue(request: ts.Expression, ctx: ModelContext): (header: string) => string {
  const read = headerReader(request, ctx);
  if (readsWithGet(request, ctx)) return (h) => `${read(h)} ?? ''`;
  const node = skipOuterExpressions(request) as ts.Expression;
  const honoOrKoa = (ts.isPropertyAccessExpression(node) && node.name.text === 'req') || usesKoa(ctx);
  return honoOrKoa ? read : nodeHeaderValue(request.getText(ctx.sourceFile), ctx);
}

/** A Fetch API Request (Hono's raw one, a route handler's): its headers are read with `headers.get()`, which may give null. */
function readsWithGet(request: ts.Expression, ctx: ModelContext): boolean {
  const node = skipOuterExpressions(request) as ts.Expression;
  if (ts.isPropertyAccessExpression(node) && node.name.text === 'raw') return true;
  if (ts.isPropertyAccessExpression(node) && node.name.text === 'req' && !usesKoa(ctx)) return false;
  return !usesKoa(ctx) && isWebRequest(node, ctx);
}

/** A Fetch API Request (Next.js route handlers, Workers, SvelteKit), whose headers are read with `get`. */
function isWebRequest(node: ts.Expression, ctx: ModelContext): boolean {
  if (ts.isPropertyAccessExpression(node)) return node.name.text === 'request';
  if (!ts.isIdentifier(node)) return false;
  const declaration = ctx.scopes.lookup(node.text, node);
  const type = declaration?.kind === 'parameter' ? declaration.node.type?.getText(ctx.sourceFile) : undefined;
  if (type && WEB_REQUEST_TYPE.test(type)) {
    const imported = ctx.scopes.importOf(type.replace(/\W.*$/, ''), node);
    return !imported || imported.module.startsWith('next');
  }
  return WEB_HANDLER_FILE.test(ctx.sourceFile.fileName) || ctx.usesModule((m) => m === 'next/server');
}
