import ts from 'typescript';
import { isFunctionLike, isStatementList, skipOuterExpressions, stringValue } from '../ast';
import type { ModelContext } from '../model/context';
import { credentialFate, type CredentialFate, type DropKind } from '../model/forwarding';
import type { TextEdit } from '../types';
import type { Rule, RuleReport } from './rule';

type Dropped = Extract<CredentialFate, { kind: 'dropped' }>;

const HOW: Record<DropKind, (header: string, fate: Dropped) => string> = {
  rebuilt: (h) => `The forwarded request's headers are rebuilt here without \`${h}\``,
  none: (h) => `This pass-through forwards the request with no headers at all, so \`${h}\` is lost`,
  instance: (h) => `This pass-through forwards the request through a client whose default headers leave out \`${h}\`, and adds none of its own`,
  removed: (h) => `\`${h}\` is removed here before the request is forwarded`,
  stringified: (h, fate) => `\`${h}\` is set to \`${unsetText(fate.node)}\` here, which this client sends as the text "${unsetText(fate.node)}" in place of the credential`,
  destructured: (h) => `\`${h}\` is destructured out of the forwarded headers here`,
  'allow-list': (h) => `\`${h}\` is missing from this allow-list of forwarded headers`,
  'deny-list': (h) => `\`${h}\` is filtered out of the forwarded headers here`,
  'headers-spread': (h, fate) =>
    `\`${fate.node.getText()}\` copies nothing into the forwarded headers: a Fetch API \`Headers\` object keeps its entries out of reach of a spread, so \`${h}\` is lost`,
};

/** The same, for a drop inside a function of another file that this file hands the request to. */
const HOW_ELSEWHERE: Partial<Record<DropKind, (header: string, fn: string, fate: Dropped) => string>> = {
  rebuilt: (h, fn) => `The forwarded request's headers are rebuilt by \`${fn}\` without \`${h}\``,
  removed: (h, fn) => `\`${h}\` is removed by \`${fn}\` before the request is forwarded`,
  stringified: (h, fn, fate) => `\`${h}\` is set to \`${fate.value ?? 'undefined'}\` by \`${fn}\`, which this client sends as the text "${fate.value ?? 'undefined'}" in place of the credential`,
  destructured: (h, fn) => `\`${h}\` is destructured out of the forwarded headers by \`${fn}\``,
  'allow-list': (h, fn) => `\`${h}\` is missing from the allow-list of forwarded headers in \`${fn}\``,
  'deny-list': (h, fn) => `\`${h}\` is filtered out of the forwarded headers by \`${fn}\``,
};

/** The value a header was given in `{ authorization: null }` or `headers.set('authorization', undefined)`. */
function unsetText(node: ts.Node): string {
  const value = ts.isPropertyAssignment(node) ? node.initializer : ts.isCallExpression(node) ? node.arguments[1] : ts.isBinaryExpression(node) ? node.right : undefined;
  return value && skipOuterExpressions(value).kind === ts.SyntaxKind.NullKeyword ? 'null' : 'undefined';
}

/** How each library is named in messages. */
const LIBRARY: Record<string, string> = {
  'node-http': 'http.request',
  fastify: '@fastify/http-proxy / reply-from',
  vite: "Vite's dev-server proxy",
};

export const proxyDropsCredentials: Rule = {
  id: 'proxy-drops-credentials',
  meta: {
    fixable: true,
    securitySeverity: 3.7,
    tags: ['security', 'correctness', 'http', 'proxy', 'rfc9110'],
    docs: {
      summary: "A proxy or pass-through handler must forward the caller's credentials upstream.",
      whatItDoes:
        'Flags code that forwards the request being handled to another server but loses the credential header on the way ' +
        '(`Authorization` by default, or any header in the `credentialHeaders` setting): outgoing headers rebuilt without it ' +
        '(including a pass-through that sends no headers at all), `delete headers.authorization`, `proxyReq.removeHeader(…)`, ' +
        '`headers.delete(…)`, `const { authorization, ...rest } = req.headers`, or an allow-list of forwarded headers that leaves it out ' +
        '(`pick(req.headers, […])`, a filter over header names, a loop over a list of names). It understands http-proxy-middleware ' +
        "(`onProxyReq`, `on.proxyReq`), http-proxy (`proxy.web`, `proxyReq` listeners), express-http-proxy (`proxyReqOptDecorator`), " +
        "@fastify/http-proxy and @fastify/reply-from (`rewriteRequestHeaders`), Vite's `server.proxy`, Hono's `proxy()`, " +
        "Next.js `NextResponse.rewrite(url, { request: { headers } })`, h3's `proxyRequest` (with h3 v2's `filterHeaders`; v1 has no such option and forwards the header), `sendProxy` and `proxy`, " +
        '`fetch(new Request(url, init))`, and route handlers (Express, Koa, Fastify, Hono, Next.js, SvelteKit and Nuxt catch-alls) that pass ' +
        'the incoming method or path on to fetch, axios (and `axios.create()` instances), got, undici, ky, ofetch (`$fetch`), superagent, request (and request-promise; piped into from the incoming request it copies its headers), ' +
        "NestJS's `HttpService` or `http.request`, or a backend-for-frontend call that passes its path parameters, whole query or whole body " +
        'on to a service of its own. ' +
        'Removals count in every spelling: `setHeader(name, \'\')`, a name held in a constant, a loop over a list or `Set`, ' +
        '`if (name === \'authorization\') continue` in a copy loop, and a value of `\'\'`, `undefined` or `null` over the incoming headers ' +
        "as each client treats it: got, axios, undici, ky and Hono's proxy leave the header out; the Fetch API, ofetch and `new Headers()` " +
        "send the text `undefined`; h3's `proxyRequest` skips it and forwards the incoming value; Node's `http.request` (and the proxies " +
        'built on it) throws, which is not reported; `headers.set(name, undefined)` on a `Headers` object stores the text whichever client sends it. ' +
        'In a project, hooks and header builders imported from another file count too ' +
        "(`on: { proxyReq: stripAuth }`, `proxyReqOptDecorator: stripAuth`, `rewriteRequestHeaders: upstreamHeaders`, `headers: forwardHeaders(req)`), " +
        "SvelteKit's `handleFetch` in `src/hooks.server` for every request a `+server` endpoint makes with its event's `fetch` " +
        '(a hook that sets `Authorization` from the session cookie carries the credential; one that deletes it drops it), ' +
        'and so do wrappers of an outbound client declared there (`callService(req.method, url, req.body)`, where `callService` calls axios ' +
        'with headers of its own and those it is given): ' +
        'reported where this file uses them. An http-proxy server held on a class field (`this.proxy.web(req, res, opts)`) counts as one held in a variable; ' +
        "its `auth` option sends the server's own Basic credentials in the caller's place. " +
        'A `proxyReq` listener of http-proxy sees the headers the server options, or the one `proxy.web` ' +
        'that forwards through it, already added (a vendor token there is a replacement). ' +
        'Not reported: a credential replaced on purpose (a service token, an API key, an admin or access token, the verified user, ' +
        'an on-behalf-of exchange), the incoming `Cookie` forwarded instead, a removal limited by a test of the path (public login routes), ' +
        'a third-party API named by its public URL, a fixed webhook URL, a relayed login, sign-up or token request, and an outbound ' +
        'call that merely uses a few fields of the request.',
      whyIsThisBad:
        'The client sent a valid credential, the proxy dropped it, and the upstream answers 401 to a caller who did nothing wrong: ' +
        'one of the hardest 401s to debug, because neither end is at fault. RFC 9110 §11.6.2: a proxy forwarding a request MUST NOT ' +
        'modify the `Authorization` field. Where the upstream accepts anonymous requests, it silently serves them as anonymous instead.',
      example: [
        "app.all('/billing/*', async (req, res) => {",
        '  const upstream = await fetch(`${BILLING_URL}${req.originalUrl}`, {',
        '    method: req.method,',
        "    headers: { 'content-type': 'application/json' },",
        '    body: JSON.stringify(req.body),',
        '  });',
        '  res.status(upstream.status).send(await upstream.text());',
        '});',
      ].join('\n'),
      useInstead: [
        "app.all('/billing/*', async (req, res) => {",
        '  const upstream = await fetch(`${BILLING_URL}${req.originalUrl}`, {',
        '    method: req.method,',
        "    headers: { 'content-type': 'application/json', ...(req.headers.authorization && { authorization: req.headers.authorization }) },",
        '    body: JSON.stringify(req.body),',
        '  });',
        '  res.status(upstream.status).send(await upstream.text());',
        '});',
      ].join('\n'),
      fixSafety:
        'The fix forwards the incoming header in the code\'s own idiom: it adds `...(req.headers.authorization && { authorization: … })` ' +
        'to a rebuilt headers object (read with `headers.get()` from a Fetch API request, `c.req.header()` under Hono, `ctx.get()` under Koa), ' +
        "written to type-check under `tsc --strict`: `headers.get(…) ?? ''` where the read may be null, `String(req.headers['x-api-key'])` " +
        'where Node types the header as a possible list. ' +
        'deletes the `delete`/`removeHeader` statement, adds the name to an allow-list or takes it off a deny-list. It forwards the ' +
        "caller's credential to the upstream, which is what a pass-through is for; when the upstream should get a different credential, " +
        'set that one instead. No fix is offered where the incoming request cannot be named or the edit would need restructuring.',
      options: '`credentialHeaders` (string[]): the request headers that carry the caller\'s credential. Default `["authorization"]`.',
      references: [
        { title: 'RFC 9110 §11.6.2 Authorization', url: 'https://www.rfc-editor.org/rfc/rfc9110#section-11.6.2' },
        { title: 'RFC 9110 §7.6 Message Forwarding', url: 'https://www.rfc-editor.org/rfc/rfc9110#section-7.6' },
        { title: 'http-proxy-middleware: intercept and manipulate requests', url: 'https://github.com/chimurai/http-proxy-middleware#intercept-and-manipulate-requests' },
      ],
    },
  },
  check(context) {
    const { model, ctx, settings } = context;
    if (model.isTestFile) return [];
    const reports: RuleReport[] = [];
    const seen = new Set<string>();
    const configured = settings.credentialHeaders.map((h) => h.toLowerCase());
    for (const site of model.forwards) {
      for (const header of settings.credentialHeaders) {
        const name = header.toLowerCase();
        const fate = credentialFate(site, name, configured, ctx);
        if (fate.kind !== 'dropped') continue;
        const key = `${fate.node.pos}:${fate.node.end}:${name}`;
        if (seen.has(key)) continue;
        seen.add(key);
        reports.push(report(fate, name, ctx));
      }
    }
    return reports;
  },
};

function report(fate: Dropped, header: string, ctx: ModelContext): RuleReport {
  const shown = displayName(header);
  const elsewhere = fate.elsewhere;
  const edits = elsewhere ? argumentFix(fate, header, ctx) : fixFor(fate, header, ctx);
  const described = elsewhere && HOW_ELSEWHERE[fate.how];
  const how = described ? described(shown, elsewhere.name, fate) : HOW[fate.how](shown, fate);
  return {
    // A pass-through without headers is reported on its callee, not the whole call.
    node: fate.how === 'none' || fate.how === 'instance' ? (fate.node as ts.CallExpression).expression : fate.node,
    message:
      `${how} (${LIBRARY[fate.site.library] ?? fate.site.library}): ` +
      "the upstream never sees the caller's credential and will answer 401 to a request that carried a valid one. " +
      `Forward the incoming \`${shown}\` header (or set a different credential on purpose).`,
    related: elsewhere && [{ filePath: elsewhere.file, ...elsewhere.at, message: `\`${elsewhere.name}\` drops \`${shown}\` here.` }],
    fix: edits && edits.length > 0 ? { title: `Forward the incoming ${shown} header`, edits } : undefined,
  };
}

/** `authorization` → `Authorization`, `x-api-key` → `X-Api-Key` */
function displayName(header: string): string {
  return header.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase());
}

function fixFor(fate: Dropped, header: string, ctx: ModelContext): TextEdit[] | undefined {
  const node = fate.node;
  switch (fate.how) {
    case 'rebuilt': {
      if (fate.site.headers.kind === 'chained') return chainedSet(fate, header, ctx);
      const entry = forwardEntry(fate, header, ctx);
      if (!entry) return undefined;
      // `new Headers()` filled in later: start it with the credential.
      if (ts.isNewExpression(node) && !node.arguments?.length && node.getText(ctx.sourceFile).endsWith(')')) return ctx.appendArgument(node, `{ ${entry} }`);
      const literal = rebuiltLiteral(node);
      return literal ? ctx.addEntry(literal, entry) : undefined;
    }
    case 'none':
    case 'instance': {
      if (fate.site.headers.kind === 'chained') return chainedSet(fate, header, ctx);
      const entry = forwardEntry(fate, header, ctx);
      const headers = fate.site.headers;
      if (!entry || headers.kind !== 'none') return undefined;
      if (headers.init) return ctx.addProperty(headers.init, 'headers', `{ ${entry} }`);
      return headers.appendable ? ctx.appendArgument(headers.call, `{ headers: { ${entry} } }`) : undefined;
    }
    case 'removed':
      return removeStatement(node, ctx);
    case 'stringified':
      return undefined;
    case 'destructured':
      return ts.isBindingElement(node) && !isReferenced(node) ? removeListItem(node, ctx) : undefined;
    case 'allow-list':
      return ts.isArrayLiteralExpression(node) ? ctx.addElement(node, ctx.quote(header)) : undefined;
    case 'headers-spread': {
      // `...Object.fromEntries(event.headers)` copies the entries the spread meant to.
      if (!ts.isSpreadAssignment(node)) return undefined;
      const inner = skipOuterExpressions(node.expression);
      return [{ start: node.expression.getStart(ctx.sourceFile), end: node.expression.getEnd(), text: `Object.fromEntries(${inner.getText(ctx.sourceFile)})` }];
    }
    case 'deny-list': {
      if (!ts.isArrayLiteralExpression(node)) return undefined;
      const element = node.elements.find((e) => stringValue(e)?.toLowerCase() === header);
      return element && removeListItem(element, ctx);
    }
  }
}

/** A wrapper of another file that sends the headers it is given: pass it the incoming credential. */
function argumentFix(fate: Dropped, header: string, ctx: ModelContext): TextEdit[] | undefined {
  const call = fate.site.headersArgument;
  const entry = call && fate.how === 'rebuilt' ? forwardEntry(fate, header, ctx) : undefined;
  return call && entry ? ctx.appendArgument(call, `{ ${entry} }`) : undefined;
}

/** superagent: `.set(req.headers.authorization ? { authorization: … } : {})` chained on the request, sent only when the caller sent it. */
function chainedSet(fate: Dropped, header: string, ctx: ModelContext): TextEdit[] | undefined {
  const headers = fate.site.headers;
  const read = fate.site.readIncoming?.(header);
  if (headers.kind !== 'chained' || !read) return undefined;
  const value = fate.site.incomingValue?.(header) ?? read;
  const key = /^[A-Za-z_$][\w$]*$/.test(header) ? header : ctx.quote(header);
  const end = headers.end.getEnd();
  return [{ start: end, end, text: `.set(${read} ? { ${key}: ${value} } : {})` }];
}

/** The object literal a rebuilt headers expression is written in: `{…}` or `new Headers({…})`. */
function rebuiltLiteral(node: ts.Node): ts.ObjectLiteralExpression | undefined {
  if (ts.isObjectLiteralExpression(node)) return node;
  if (ts.isNewExpression(node)) {
    const init = node.arguments?.[0];
    return init && ts.isObjectLiteralExpression(init) ? init : undefined;
  }
  return undefined;
}

/**
 * `...(req.headers.authorization && { authorization: req.headers.authorization })`: forwards it only when the caller sent it.
 * A read through a call (`request.headers.get('authorization')`, `string | null`) is not narrowed by the test before it,
 * so in TypeScript the value the test has just proved present is asserted non-null.
 */
function forwardEntry(fate: Dropped, header: string, ctx: ModelContext): string | undefined {
  const read = fate.site.readIncoming?.(header);
  if (!read) return undefined;
  const value = fate.site.incomingValue?.(header) ?? read;
  const key = /^[A-Za-z_$][\w$]*$/.test(header) ? header : ctx.quote(header);
  return `...(${read} && { ${key}: ${value} })`;
}

/** Deletes a statement that is only the removal, with its line. */
function removeStatement(node: ts.Node, ctx: ModelContext): TextEdit[] | undefined {
  const statement = node.parent;
  if (!ts.isExpressionStatement(statement) || !isStatementList(statement.parent)) return undefined;
  const text = ctx.text;
  let start = statement.getStart(ctx.sourceFile);
  let end = statement.getEnd();
  while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  const ownLine = (start === 0 || text[start - 1] === '\n') && (end === text.length || text[end] === '\n' || text[end] === '\r');
  if (!ownLine) return [{ start: statement.getStart(ctx.sourceFile), end: statement.getEnd(), text: '' }];
  if (text[end] === '\r') end++;
  if (text[end] === '\n') end++;
  return [{ start, end, text: '' }];
}

/** Removes an element of a list (an array element, a binding) with the comma and space after it. */
function removeListItem(node: ts.Node, ctx: ModelContext): TextEdit[] {
  const text = ctx.text;
  const start = node.getStart(ctx.sourceFile);
  let end = node.getEnd();
  let after = end;
  while (after < text.length && /\s/.test(text[after])) after++;
  if (text[after] === ',') {
    end = after + 1;
    while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
    return [{ start, end, text: '' }];
  }
  // The last item: take the comma before it instead.
  let before = start;
  while (before > 0 && /\s/.test(text[before - 1])) before--;
  return [{ start: text[before - 1] === ',' ? before - 1 : start, end, text: '' }];
}

/** Whether a destructured name is read anywhere else in its function. */
function isReferenced(element: ts.BindingElement): boolean {
  if (!ts.isIdentifier(element.name)) return true;
  const name = element.name.text;
  let scope: ts.Node = element;
  while (scope.parent && !isFunctionLike(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(node) && node.text === name && node !== element.name && !isPropertyKey(node)) found = true;
    else ts.forEachChild(node, visit);
  };
  ts.forEachChild(scope, visit);
  return found;
}

function isPropertyKey(node: ts.Identifier): boolean {
  const parent = node.parent;
  return (ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node);
}
