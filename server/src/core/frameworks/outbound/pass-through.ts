import ts from 'typescript';
import { calleeName, enclosingFunction, isFunctionLike, propertyNameText, skipOuterExpressions, stringValue } from '../../ast';
import type { OutgoingHeaders, RemoteHook, UnsetValues } from '../../model/concepts';
import type { ModelContext } from '../../model/context';
import type { OutboundFact } from '../../project/facts';
import { propertyWritesTo } from '../../model/forwarding';
import { nodeHeaderReader, nodeHeaderValue, objectLiteralOf, optionValue } from '../forward';
import { isV2 } from '../h3';

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
 * sign-up, token refresh, password reset or one-time code (`/send-otp`,
 * `/verify-otp`, `/otp/verify`) carries the user's secret in its body, and the
 * caller has no Authorization yet to forward.
 */
const CREDENTIAL_ENDPOINT = /\/(login|log-in|signin|sign-in|signup|sign-up|register|logout|refresh|refresh-token|token|password|forgot-password|reset-password|verify-email|(?:[a-z]+-)?otp(?:-[a-z]+)?|oauth|callback)(?![\w-])/i;
/** Hosts of one's own services: a URL naming one of these is not a third-party API. */
const PRIVATE_HOST = /^(localhost|127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|\[?::1\]?$|0\.0\.0\.0$)|\.(local|localhost|internal|svc|lan|cluster\.local)$|^[^.]+$/;
/** How many constants deep a part is followed (`target` → `` `${API}/${rest}` `` → `path.join('/')`). */
const FOLLOW_DEPTH = 2;
/**
 * A catch-all route (`app/api/[...path]/route.ts`, `pages/api/proxy/[...slug].ts`):
 * the segment's value is the incoming path, so passing it on is passing the path on.
 */
const CATCH_ALL = /[\\/]\[\[?\.\.\.([A-Za-z_$][\w$]*)\]\]?(?:[\\/](?:route|\+server))?\.[cm]?[jt]sx?$/;
const ROUTE_FILE = /(^|[\\/])((route|\+server)\.[cm]?[jt]sx?$|api[\\/])/;

const REQUEST_NAME = /^_*(req|request|incoming|incomingRequest|incomingReq|srcReq|sourceRequest|originalRequest|originalReq|clientReq|clientRequest|inboundRequest)$/i;
const REQUEST_TYPE = /\b(NextRequest|NextApiRequest|Request|IncomingMessage|FastifyRequest|HonoRequest)\b/;
const WEB_REQUEST_TYPE = /\b(NextRequest|Request)\b/;
/** Files whose handlers receive a Fetch API Request: Next.js route handlers and middleware, SvelteKit endpoints. */
const WEB_HANDLER_FILE = /(^|[\\/])(route|middleware|\+server)\.[cm]?[jt]sx?$/;
export const SVELTEKIT_ENDPOINT = /(^|[\\/])\+server\.[cm]?[jt]s$/;

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
  /** The client instance's defaults, when it is one made in this file (`axios.create(config)`): their base URL and headers. */
  defaults?: ClientDefaults;
  /** Headers set other than through the options (superagent's chained `.set()`). */
  headers?: OutgoingHeaders;
  /** What the client does with a header given `undefined` or `null` (`UNSET_VALUES`). */
  unsetValue: UnsetValues;
  /** Hooks of other files that edit the request before it leaves (SvelteKit's `handleFetch`). */
  remoteHooks?: RemoteHook[];
}

export interface ClientDefaults {
  base: ts.Expression | undefined;
  headers: ts.Expression | undefined;
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
  if (!passed) {
    noteOutbound(ctx, outbound, options, parts);
    return false;
  }
  const request = passed.request ?? handlerRequest(outbound.call, ctx);
  const later = outbound.options && headersAssignedLater(outbound.options, ctx);
  // `init.headers = …` after the options were made replaces what they hold; a computed write may set anything.
  if (later === 'unknown') return false;
  const headers = later ?? optionValue(options, 'headers');
  ctx.model.forwards.push({
    library: outbound.library,
    node: outbound.call,
    headers: outbound.headers ?? (headers
      ? { kind: 'expression', expression: headers }
      : { kind: 'none', init: options, call: outbound.call, appendable: !options && outbound.call.arguments.length === outbound.optionsIndex }),
    defaultHeaders: outbound.defaults?.headers,
    hooks: [],
    request: undefined,
    readIncoming: request && headerReader(request, ctx),
    incomingValue: request && headerValue(request, ctx),
    unsetValue: outbound.unsetValue,
    isHeadersObject: (expression) => isHeadersObject(expression, ctx),
    remoteHooks: outbound.remoteHooks,
  });
  return true;
}

/**
 * `event.headers` of an h3 event (a `Headers` since h3 1.8; absent before), the
 * `headers` of a SvelteKit event's request, Hono's `c.req.raw`, or a handler's
 * parameter typed as a Fetch API Request: a `Headers` object, whose entries a
 * spread does not copy. An untyped `req` may be Node's, whose headers it does.
 */
export function isHeadersObject(expression: ts.Expression, ctx: ModelContext): boolean {
  const node = skipOuterExpressions(expression);
  if (!ts.isPropertyAccessExpression(node) || node.name.text !== 'headers') return false;
  const owner = skipOuterExpressions(node.expression) as ts.Expression;
  if (isH3Event(owner, ctx)) return true;
  if (ts.isPropertyAccessExpression(owner)) {
    if (owner.name.text === 'raw') return isIncomingRequest(owner.expression, ctx);
    return owner.name.text === 'request' && isSvelteKitEvent(owner.expression, ctx);
  }
  if (!ts.isIdentifier(owner)) return false;
  const declaration = ctx.scopes.lookup(owner.text, owner);
  const type = declaration?.kind === 'parameter' ? declaration.node.type?.getText(ctx.sourceFile) : undefined;
  return !!type && WEB_REQUEST_TYPE.test(type) && isWebRequest(owner, ctx);
}

/**
 * Keeps a request made inside a function for the project index: a call of
 * that function elsewhere may hand it the incoming request's path or data.
 * A third-party API or headers set by chained calls are left out.
 */
function noteOutbound(ctx: ModelContext, outbound: OutboundCall, options: ts.ObjectLiteralExpression | undefined, parts: (ts.Expression | undefined)[]): void {
  if (outbound.headers || !enclosingFunction(outbound.call)) return;
  const target = outbound.target ?? optionValue(options, 'url');
  const base = outbound.defaults?.base;
  if (!target || isThirdParty(target, ctx) || (base && isThirdParty(base, ctx))) return;
  const later = outbound.options && headersAssignedLater(outbound.options, ctx);
  if (later === 'unknown') return;
  const data = [outbound.data, ...DATA_OPTIONS.map((name) => optionValue(options, name))];
  (ctx.model.outbound ??= []).push({
    library: outbound.library,
    call: outbound.call,
    target: parts.filter((part): part is ts.Expression => part !== undefined),
    data: data.filter((part): part is ts.Expression => part !== undefined),
    composed: !!base || isComposed(target, ctx, 0),
    headers: later ?? optionValue(options, 'headers'),
    defaultHeaders: outbound.defaults?.headers,
  });
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
  const base = outbound.defaults?.base;
  if (!target || isThirdParty(target, ctx) || (base && isThirdParty(base, ctx)) || CREDENTIAL_ENDPOINT.test(literalText(target, ctx, 0))) return undefined;
  const inTarget = passedRequest([target], ctx, 'data');
  if (inTarget) return inTarget;
  // A path given to a client with a base URL is composed with it.
  if (!base && !isComposed(target, ctx, 0)) return undefined;
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

/**
 * A hosted vendor's API named by its URL (`https://texttospeech.googleapis.com`):
 * a proxy to it authenticates with the server's own key, never the caller's credential.
 */
export function isVendorApi(target: ts.Expression, ctx: ModelContext): boolean {
  const host = /^https?:\/\/([^/:?#]+)/i.exec(urlStart(target, ctx, 0) ?? '')?.[1];
  return host !== undefined && VENDOR.test(host);
}

export function isThirdParty(target: ts.Expression, ctx: ModelContext): boolean {
  const start = urlStart(target, ctx, 0) ?? '';
  const host = /^https?:\/\/([^/:?#]+)/i.exec(start)?.[1];
  if (host !== undefined) return !PRIVATE_HOST.test(host.toLowerCase());
  return /^https?:\/\/$/i.test(start) && namesVendor(hostExpression(target, ctx, 0));
}

/**
 * Hosted services a server calls with its own key (error tracking, analytics,
 * messaging, payments, AI): a host held in `sentryHost` or `POSTHOG_HOST` is
 * theirs, and the caller's credential was never meant for it (a Sentry tunnel
 * relays the browser's envelope, not its session).
 */
const VENDOR = /sentry|posthog|segment|mixpanel|amplitude|datadog|newrelic|logrocket|bugsnag|rollbar|honeycomb|plausible|umami|slack|discord|telegram|stripe|paypal|twilio|sendgrid|mailgun|postmark|resend|openai|anthropic|algolia|cloudinary|github|gitlab|google|recaptcha|hcaptcha|turnstile/i;

/** The expression right after `https://` in a URL template: `` `https://${sentryHost}/api/…` `` → `sentryHost`. */
function hostExpression(target: ts.Expression, ctx: ModelContext, depth: number): ts.Expression | undefined {
  const node = skipOuterExpressions(target);
  if (ts.isTemplateExpression(node)) return node.templateSpans[0]?.expression;
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = skipOuterExpressions(node.left);
    return stringValue(left) !== undefined ? node.right : hostExpression(node.left, ctx, depth + 1);
  }
  if (ts.isIdentifier(node) && depth < FOLLOW_DEPTH) {
    const declaration = ctx.scopes.lookup(node.text, node);
    if (declaration?.kind === 'variable' && declaration.isConst && declaration.initializer) return hostExpression(declaration.initializer, ctx, depth + 1);
  }
  return undefined;
}

function namesVendor(node: ts.Node | undefined): boolean {
  if (!node) return false;
  if (ts.isIdentifier(node)) return VENDOR.test(node.text);
  return ts.forEachChild(node, (child) => namesVendor(child) || undefined) ?? false;
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
    if (request !== undefined || (catchAll && isSegment(node, catchAll, ctx))) {
      found = { request: request ?? undefined };
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

/** `params.path`, `req.query.path`, h3's `getRouterParam(event, 'path')`, or `path` destructured from the params. */
function isSegment(node: ts.Node, segment: string, ctx: ModelContext): boolean {
  if (ts.isPropertyAccessExpression(node)) return node.name.text === segment;
  if (ts.isCallExpression(node)) return calleeName(node) === 'getRouterParam' && stringValue(node.arguments[1]) === segment;
  if (!ts.isIdentifier(node) || node.text !== segment || (ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) return false;
  const declaration = ctx.scopes.lookup(node.text, node);
  return !declaration || declaration.kind === 'variable' || declaration.kind === 'parameter';
}

/** The request parameter of the handler an outbound call is made in. */
function handlerRequest(call: ts.Node, ctx: ModelContext): ts.Identifier | undefined {
  for (let fn = enclosingFunction(call); fn; fn = enclosingFunction(fn)) {
    const first = fn.parameters[0]?.name;
    if (first && ts.isIdentifier(first) && (isIncomingRequest(first, ctx) || isH3Event(first, ctx) || isSvelteKitEvent(first, ctx))) return first;
    // A SvelteKit endpoint's `({ request, params })`.
    const request = first && ts.isObjectBindingPattern(first) && SVELTEKIT_ENDPOINT.test(ctx.sourceFile.fileName) ? boundRequest(first) : undefined;
    if (request) return request;
  }
  return undefined;
}

function boundRequest(pattern: ts.ObjectBindingPattern): ts.Identifier | undefined {
  for (const element of pattern.elements) {
    const key = element.propertyName ? propertyNameText(element.propertyName) : ts.isIdentifier(element.name) ? element.name.text : undefined;
    if (key === 'request' && ts.isIdentifier(element.name)) return element.name;
  }
  return undefined;
}

/** `req.method`, `req.originalUrl.replace(…)`: the request, when `node` passes one of its parts on whole. */
function passedPart(node: ts.Node, ctx: ModelContext): ts.Expression | undefined {
  if (ts.isCallExpression(node)) {
    // h3: `getRequestURL(event)`, `getMethod(event)`.
    const event = H3_WHOLE_READERS.has(calleeName(node) ?? '') ? h3EventArgument(node, ctx) : undefined;
    return event && usedWhole(node) ? event : undefined;
  }
  if (!ts.isPropertyAccessExpression(node) || !PASSED_MEMBERS.has(node.name.text)) return undefined;
  if (isH3Event(node.expression, ctx)) return usedWhole(node) ? node.expression : undefined;
  return isIncomingRequest(node.expression, ctx) && usedWhole(node) ? node.expression : undefined;
}

/** h3's readers of the whole incoming URL or method, and of its data: what a proxy route passes on. */
const H3_WHOLE_READERS = new Set(['getRequestURL', 'getMethod', 'getRequestPath']);
const H3_DATA_READERS = new Set(['readBody', 'readRawBody', 'readFormData', 'readMultipartFormData', 'getRouterParam', 'getRouterParams']);
const H3_EVENT = /^_*(event|e|evt|h3Event)$/;
/** Nitro's server directory, where h3's helpers are auto-imported. */
const NITRO_FILE = /(^|[\\/])server[\\/]/;

/** The h3 event a reader is given: `readBody(event)`. */
function h3EventArgument(call: ts.CallExpression, ctx: ModelContext): ts.Expression | undefined {
  const first = call.arguments[0];
  return first && isH3Event(first, ctx) ? first : undefined;
}

/** An h3 event: a handler's parameter so named in a file that uses h3 (imported, or auto-imported under Nitro's `server/`). */
export function isH3Event(expression: ts.Expression, ctx: ModelContext): boolean {
  const node = skipOuterExpressions(expression);
  if (!ts.isIdentifier(node) || !H3_EVENT.test(node.text)) return false;
  const declaration = ctx.scopes.lookup(node.text, node);
  if (declaration && declaration.kind !== 'parameter') return false;
  return usesH3(ctx);
}

export function usesH3(ctx: ModelContext): boolean {
  return NITRO_FILE.test(ctx.sourceFile.fileName) || ctx.usesModule((m) => m === 'h3' || m.startsWith('nitropack') || m === 'nitro' || m === '#imports');
}

/**
 * `req.params.id`, `c.req.param('id')`, the whole `req.body` or `req.query`,
 * `await request.json()`, the incoming URL's whole `search` or `searchParams`:
 * the request, when `node` passes one of these on.
 */
function passedDataPart(node: ts.Node, ctx: ModelContext): ts.Expression | null | undefined {
  if (ts.isIdentifier(node)) return nestRouteInput(node, ctx);
  if (ts.isPropertyAccessExpression(node)) {
    const name = node.name.text;
    if (name === 'params') return isIncomingRequest(node.expression, ctx) ? node.expression : eventParams(node.expression, ctx);
    if ((name === 'body' || name === 'query') && isIncomingRequest(node.expression, ctx)) return usedWhole(node) ? node.expression : undefined;
    if ((name === 'search' || name === 'searchParams') && usedWhole(node)) return incomingUrl(node.expression, ctx, 0);
    return undefined;
  }
  if (!ts.isCallExpression(node)) return undefined;
  const reader = calleeName(node);
  if (reader === 'getQuery' || H3_DATA_READERS.has(reader ?? '')) {
    const event = h3EventArgument(node, ctx);
    return event && (reader === 'getRouterParam' || usedWhole(node)) ? event : undefined;
  }
  const callee = skipOuterExpressions(node.expression);
  if (!ts.isPropertyAccessExpression(callee) || !isIncomingRequest(callee.expression, ctx)) return undefined;
  const name = callee.name.text;
  if (name === 'param') return callee.expression;
  if (name === 'query' && node.arguments.length === 0) return callee.expression;
  return BODY_READERS.has(name) && usedWhole(node) ? callee.expression : undefined;
}

/** NestJS route decorators whose parameter carries the incoming request's data on: a path parameter, the whole body or query. */
const NEST_PARAM = new Set(['Param']);
const NEST_WHOLE = new Set(['Body', 'Query']);

/**
 * A NestJS handler's `@Param('id') id`, `@Body() dto` or `@Query() query`:
 * the handler's `@Req()` parameter when it has one (for the fix), `null` when
 * the input is passed on but the request is not named.
 */
function nestRouteInput(node: ts.Identifier, ctx: ModelContext): ts.Expression | null | undefined {
  const declaration = ctx.scopes.lookup(node.text, node);
  if (declaration?.kind !== 'parameter' || !ctx.usesModule((m) => m === '@nestjs/common')) return undefined;
  const decorator = nestDecorator(declaration.node);
  if (!decorator || !(NEST_PARAM.has(decorator.name) || (NEST_WHOLE.has(decorator.name) && decorator.args === 0))) return undefined;
  for (const param of declaration.fn.parameters) {
    const name = nestDecorator(param)?.name;
    if ((name === 'Req' || name === 'Request') && ts.isIdentifier(param.name)) return param.name;
  }
  return null;
}

function nestDecorator(param: ts.ParameterDeclaration): { name: string; args: number } | undefined {
  for (const modifier of ts.getDecorators(param) ?? []) {
    const call = modifier.expression;
    if (ts.isCallExpression(call) && ts.isIdentifier(call.expression)) return { name: call.expression.text, args: call.arguments.length };
  }
  return undefined;
}

/** SvelteKit's `event.params`, h3's `event.context.params`: the event whose route parameters they are. */
function eventParams(owner: ts.Expression, ctx: ModelContext): ts.Expression | undefined {
  const node = skipOuterExpressions(owner) as ts.Expression;
  if (ts.isPropertyAccessExpression(node) && node.name.text === 'context') return isH3Event(node.expression, ctx) ? node.expression : undefined;
  return isSvelteKitEvent(node, ctx) ? node : undefined;
}

/** A SvelteKit endpoint's `event` parameter (its `request` is a Fetch API Request). */
export function isSvelteKitEvent(expression: ts.Expression, ctx: ModelContext): boolean {
  const node = skipOuterExpressions(expression);
  if (!ts.isIdentifier(node) || !/^_*event$/.test(node.text) || !SVELTEKIT_ENDPOINT.test(ctx.sourceFile.fileName)) return false;
  const declaration = ctx.scopes.lookup(node.text, node);
  return !declaration || declaration.kind === 'parameter';
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
export function headerReader(request: ts.Expression, ctx: ModelContext): (header: string) => string {
  const text = request.getText(ctx.sourceFile);
  const node = skipOuterExpressions(request) as ts.Expression;
  if (isH3Event(node, ctx)) return isV2(ctx) ? (h) => `${text}.req.headers.get(${ctx.quote(h)})` : (h) => `getRequestHeader(${text}, ${ctx.quote(h)})`;
  // A SvelteKit endpoint's event: its request is a Fetch API Request.
  if (isSvelteKitEvent(node, ctx)) return (h) => `${text}.request.headers.get(${ctx.quote(h)})`;
  if (ts.isPropertyAccessExpression(node) && node.name.text === 'req' && !usesKoa(ctx)) return (h) => `${text}.header(${ctx.quote(h)})`;
  if (readsWithGet(request, ctx)) return (h) => `${text}.headers.get(${ctx.quote(h)})`;
  if (usesKoa(ctx)) return (h) => `${text}.get(${ctx.quote(h)})`;
  return nodeHeaderReader(text, ctx);
}

/** Text for the header's value, typed as a lone string: `Headers#get` may give null, Node's headers a list. */
export function headerValue(request: ts.Expression, ctx: ModelContext): (header: string) => string {
  const read = headerReader(request, ctx);
  if (readsWithGet(request, ctx) || isH3Event(request, ctx) || isSvelteKitEvent(request, ctx)) return (h) => `${read(h)} ?? ''`;
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

/**
 * A call of a function of another project file that makes an outbound request
 * from its arguments (`get(`${url}/travels/${req.params.id}`, req.query)`):
 * a forward when the arguments that reach the request's URL or data pass the
 * incoming request on, as for a call of the client itself. The headers sent
 * are the function's own, with what this call passes for them.
 */
export function forwardThroughWrapper(ctx: ModelContext, call: ts.CallExpression, wrapper: { file: string; name: string; fact: OutboundFact }): boolean {
  const { fact } = wrapper;
  if (isClientCode(ctx) || call.arguments.some(ts.isSpreadElement)) return false;
  const at = (indexes: number[]) => indexes.map((i) => call.arguments[i]).filter((arg): arg is ts.Expression => arg !== undefined);
  const target = at(fact.target);
  if (target.length === 0) return false;
  const passed = passedRequest(target, ctx, 'whole') ?? passedWrapperData(target, at(fact.data), fact.composed, ctx);
  if (!passed) return false;
  const request = passed.request ?? handlerRequest(call, ctx);
  const headers = at(fact.headerParams)[0];
  const site = {
    library: fact.library,
    node: call,
    hooks: [],
    request: undefined,
    readIncoming: request && headerReader(request, ctx),
    incomingValue: request && headerValue(request, ctx),
  };
  if (fact.noHeaders) {
    ctx.model.forwards.push({ ...site, headers: { kind: 'none', init: undefined, call, appendable: false } });
    return true;
  }
  const headersParam = fact.headerParams[0];
  ctx.model.forwards.push({
    ...site,
    headers: headers ? { kind: 'expression', expression: headers } : { kind: 'incoming', added: undefined },
    remoteHooks: [{ node: call.expression, fact: fact.headers, returns: !headers, elsewhere: { file: wrapper.file, name: wrapper.name, at: fact.at } }],
    // The headers the caller may pass go in as its next argument.
    headersArgument: !headers && headersParam === call.arguments.length ? call : undefined,
  });
  return true;
}

/** As `passedData`, for the arguments a wrapper builds its URL and data from. */
function passedWrapperData(target: ts.Expression[], data: ts.Expression[], composed: boolean, ctx: ModelContext): { request: ts.Expression | undefined } | undefined {
  if (target.some((part) => isThirdParty(part, ctx) || CREDENTIAL_ENDPOINT.test(literalText(part, ctx, 0)))) return undefined;
  const inTarget = passedRequest(target, ctx, 'data');
  if (inTarget) return inTarget;
  if (!composed && !target.some((part) => isComposed(part, ctx, 0))) return undefined;
  return passedRequest(data, ctx, 'data');
}
