import type ts from 'typescript';
import type { OutgoingFact, Span } from '../project/facts';
import type { Construction } from '../project/index';
import type { TextEdit } from '../types';

/**
 * The shared vocabulary that framework modules produce and rules consume.
 * Rules never test a callee's name: they read these facts.
 */

/** How a status reaches the client, which decides which headers travel with it. */
export type Delivery =
  /** Sets the status of a response sent later (`res.status(401)`, `ctx.status = 401`). */
  | 'status'
  /** Sends the response now (`res.sendStatus(401)`, `c.json(body, 401)`, `res.writeHead(401)`). */
  | 'send'
  /** Builds a Response object that is returned (`new Response`, `NextResponse.json`). */
  | 'response'
  /** An error the framework turns into a response, keeping headers already set on it (Nest, http-errors under Express). */
  | 'error';

/** Where a status value is written, and in which form (the quick fix edits it in that form). */
export interface StatusSite {
  /** The status, when it is known statically. */
  value: number | undefined;
  node: ts.Node;
  /** `guard-denial`: a guard's `return false` (a NestJS guard, a Strapi policy), which its framework answers with 403. */
  form: 'literal' | 'constant' | 'exception-class' | 'method' | 'guard-denial';
  /** For a `guard-denial`: who answers it with 403 (`Nest answers a guard's false`), and what to write to deny with 401 instead (`throw UnauthorizedException (401)`). */
  denial?: { answer: string; instead: string };
  /**
   * For a status spelled in a framework's own vocabulary (an exception class, a
   * Boom method, a guard's `return false`): the edits that make it send the
   * other status, in that vocabulary; undefined when no safe edit exists.
   */
  swap?: (to: 401 | 403, challenge: string) => StatusSwap | undefined;
}

export interface StatusSwap {
  edits: TextEdit[];
  /** True when the edits already carry `challenge` (Boom's scheme arguments), so no header need be added. */
  challenged: boolean;
}

/** A reference to a response object: its spelling and the declaration it resolves to. */
export interface ResponseRef {
  key: string;
  declaration: ts.Node | undefined;
}

/** The header names an expression is known to carry; `unknown` when it cannot be read statically. */
export interface HeaderBag {
  names: Set<string>;
  unknown: boolean;
  /** What each lower-cased name is set to, where the code shows it. */
  values?: Map<string, HeaderValue[]>;
}

/**
 * What a header is set to: the expression the code writes, or the value a
 * library builds from a call's arguments (Boom's scheme, attributes and
 * message). `core/model/header-value-text.ts` reads their text.
 */
export type HeaderValue = { kind: 'expression'; expression: ts.Expression } | BuiltHeaderValue;

/** A piece of a value a library builds. */
export type BuiltPart =
  /** Text the library adds itself. */
  | { text: string }
  /** An argument's text; `quoted`: placed inside a quoted string, with `"` and `\` escaped. */
  | { expression: ts.Expression; quoted?: boolean }
  /** An argument whose text the library adds but the code does not show. */
  | { unknown: true };

export interface BuiltHeaderValue {
  kind: 'built';
  /** The call that builds the value. */
  node: ts.Node;
  /**
   * Every value the call may send where its arguments leave it open (Boom
   * appends `error="…"` only for a truthy message): a finding must hold for each.
   */
  variants: BuiltPart[][];
  /** Edits that make the library add a parameter, in its own idiom; undefined where none is safe. */
  addParameter?: (name: string, value: string) => TextEdit[] | undefined;
}

export interface StatusEmission {
  framework: string;
  /** The expression reported: the status call, the assignment, the throw, the construction. */
  node: ts.Node;
  delivery: Delivery;
  /**
   * True when headers set on the response before this point are discarded and
   * only `carried` counts (Koa's `ctx.throw`, Hono's `HTTPException`, Boom).
   */
  carriedOnly: boolean;
  sites: StatusSite[];
  /** Set when the status is a parameter of the enclosing function: the helper reports at its calls. */
  statusParameter?: { fn: ts.FunctionLikeDeclaration; index: number };
  /** The response the status is set on; undefined for errors and Response objects. */
  response?: ResponseRef;
  /** For a Response object assigned to a variable: that variable, whose `.headers` may be set later. */
  responseVariable?: ResponseRef;
  /** Headers the emission carries itself (writeHead's headers, a Response init, an error's props). */
  carried: HeaderBag;
  /**
   * With `carriedOnly`: the error cannot carry headers either (SvelteKit's
   * `error()` thrown in the `handle` hook), so only a response returned in its
   * place can send one.
   */
  headerless?: boolean;
  /** Edits that make the emission send a header, in its framework's idiom; undefined when no safe edit exists. */
  addHeader?: (name: string, value: string) => TextEdit[] | undefined;
  /** The method that sets one header on `response` in this framework (`set`, `setHeader`, `header`). */
  headerSetter?: string;
  /** When this emission is a call to a helper that sends the status it is passed. */
  viaHelper?: StatusEmission;
  /** When this emission is a call to a helper another file declares, which sends the status it is passed: where it sends it. */
  helperElsewhere?: { file: string; name: string; sendAt: Span };
  /** For a status a central handler maps an error to in a variable (`statusCode = 401`): the send of that variable. */
  mappedFor?: ts.Node;
  /** For an assertion (`ctx.assert(user, 401)`): the value whose falsiness sends the status. */
  assertion?: ts.Expression;
  /**
   * For an error of a class the project index describes: what it is built
   * with. The central handlers it reaches decide which headers go out.
   */
  construction?: Construction;
  /** True when the assertion sends the status on a truthy value instead (AdonisJS's `response.abortIf(cond, body, 401)`). */
  assertionSendsWhenTruthy?: boolean;
  /**
   * What to do instead of setting the header on this response, for a finding's
   * message, when the framework builds the response itself or the header
   * belongs elsewhere (tRPC's `responseMeta`, a route's `headers` export).
   */
  remedy?: (challenge: string) => string;
}

/**
 * A central error handler: a function that turns errors thrown anywhere it
 * serves into responses (Express's four-parameter middleware, Koa's
 * `try { await next() } catch (err)`, Fastify's `setErrorHandler`, Hono's
 * `onError`, a NestJS filter's `catch`).
 */
export interface ErrorHandler {
  framework: string;
  fn: ts.FunctionLikeDeclaration;
  /** The name the error is bound to: a parameter, or the `catch` clause's variable. */
  error: ts.Identifier;
  /** The classes it is limited to (`@Catch(UnauthorizedException)`); empty for every error. */
  catches: ts.Expression[];
  /**
   * Whether it builds its own response for the errors it catches, so that it,
   * not the code that throws them, is the one place to add a challenge (a
   * NestJS filter); `unauthorized` tells whether 401s are among those errors.
   */
  rebuilds?: { unauthorized: boolean };
}

export interface HeaderWrite {
  /** Lower-cased header name. */
  name: string;
  op: 'set' | 'remove';
  target: ResponseRef;
  node: ts.Node;
  /** The value set, when the write names one (`res.set(name, value)`, `{ [name]: value }`, `headers[name] = value`). */
  value?: ts.Expression;
}

/**
 * A write to a property of a plain variable (`headers.authorization = …`,
 * `out[name] = …`, `delete headers.authorization`): how forwarded header
 * objects are filled in and emptied. Writes through `.headers` are HeaderWrites.
 */
export interface PropertyWrite {
  /** The variable or parameter written to, as named at the write (resolved only when a forwarding site asks). */
  holder: ts.Identifier;
  /** Lower-cased property name; undefined for a computed key, then `key` holds it. */
  name: string | undefined;
  key: ts.Expression | undefined;
  op: 'set' | 'remove';
  node: ts.Node;
}

/** How a forwarding site's outgoing headers are made. */
export type OutgoingHeaders =
  /** The library forwards the incoming request's headers (http-proxy and the proxies built on it), plus those its `headers` option adds. */
  | { kind: 'incoming'; added: ts.Expression | undefined }
  /** An expression the headers are built from (a fetch init's `headers`, `proxyReqOpts.headers = …`, a returned object). */
  | { kind: 'expression'; expression: ts.Expression }
  /**
   * No headers at all. `init` is the options object a `headers` entry would go in;
   * without one, `appendable` says whether options can be added as a last argument.
   */
  | { kind: 'none'; init: ts.ObjectLiteralExpression | undefined; call: ts.CallExpression; appendable: boolean }
  /**
   * Set by calls chained on the request (superagent's `.set(name, value)`, `.set({…})`, `.auth(…)`);
   * `end` is the call a fix chains another `.set(…)` onto.
   */
  | { kind: 'chained'; calls: ts.CallExpression[]; end: ts.CallExpression };

/**
 * A place that forwards the request being handled upstream: a proxy set up
 * with a library, or an outbound call that passes on the incoming method,
 * path or body (CodeQL's ClientRequest, narrowed to pass-throughs).
 */
export interface ForwardingSite {
  library: string;
  /** The proxy setup or outbound call. */
  node: ts.Node;
  headers: OutgoingHeaders;
  /** Functions that edit the outgoing request before it leaves; their first parameter is it (`onProxyReq`, `proxyReqOptDecorator`). */
  hooks: ts.FunctionLikeDeclaration[];
  /** The incoming request's declaration, when edits to it before the forward count (`delete req.headers.authorization; proxy.web(req, …)`). */
  request: ts.Node | undefined;
  /** Source text that reads an incoming header in this idiom (`req.headers.authorization`), for the quick fix; undefined when unknown. */
  readIncoming: ((header: string) => string) | undefined;
  /**
   * Source text for the header's value once it is known to be there, typed as a
   * lone string under `tsc --strict` (`request.headers.get('authorization') ?? ''`);
   * readIncoming's text when absent.
   */
  incomingValue?: (header: string) => string;
  /** Headers a client instance sends with every call (`axios.create({ headers })`, `ky.create({ headers })`), under the call's own. */
  defaultHeaders?: ts.Expression;
  /** A list of header names the library leaves out of the forwarded request (h3's `filterHeaders`). */
  filtered?: ts.Expression;
  /**
   * What the library does with a header given `undefined` or `null` in an object of headers;
   * absent, it is taken as a removal. Each library module says what its source does.
   */
  unsetValue?: UnsetValues;
  /** Proxy hooks declared in other project files (`onProxyReq: stripAuth` imported from a utils file). */
  remoteHooks?: RemoteHook[];
  /** Whether an expression is a Fetch API `Headers` object in this library's idiom (`event.headers` under h3), which a spread copies nothing from. */
  isHeadersObject?: (expression: ts.Expression) => boolean;
  /** A call of another file's wrapper whose next argument would be headers it sends (`callService(method, url, body)`): a fix passes the credential there. */
  headersArgument?: ts.CallExpression;
}

/**
 * An outbound request made inside a function, from what its caller passes
 * (`const get = (url, params, headers) => axios.get(url, { headers, params })`):
 * a call of the function that passes the incoming request on forwards it.
 */
export interface OutboundRequest {
  library: string;
  call: ts.CallExpression;
  /** What names where it goes and how: the URL, and the `url`, `method` and `path` options. */
  target: ts.Expression[];
  /** What carries data on: a body argument, the `body`, `data`, `params`, `query` options. */
  data: ts.Expression[];
  /** Whether the URL is composed from a base and a path (`${API}${path}`), rather than given whole. */
  composed: boolean;
  /** Its own headers; undefined when it sends none. */
  headers: ts.Expression | undefined;
  /** The client instance's default headers, when it is one. */
  defaultHeaders: ts.Expression | undefined;
}

/** A proxy hook of another file: `node` names it here; `fact` is what the project index read of it there. */
export interface RemoteHook {
  node: ts.Node;
  fact: OutgoingFact;
  /** The hook returns the headers sent (`rewriteRequestHeaders`), so they replace the incoming ones rather than edit them. */
  returns?: boolean;
  elsewhere: { file: string; name: string; at: Span };
}

/**
 * `removes`: the header is not sent (got, axios, undici, hono/proxy, ky);
 * `skips`: the entry is ignored and the header keeps the value it had (h3's `proxyRequest` merge);
 * `stringifies`: the text `undefined` or `null` is sent in its place (the Fetch API's `Headers`);
 * `throws`: the request fails before it leaves (Node's `setHeader`).
 */
export type UnsetValue = 'removes' | 'skips' | 'stringifies' | 'throws';
export interface UnsetValues {
  undefined: UnsetValue;
  null: UnsetValue;
}

/**
 * A route or a middleware mount (`router.get('/', protect, admin, handler)`,
 * `app.use('/admin', protect, adminRouter)`, `router.use(protect)`): the
 * functions it mounts, in the order they run for a request.
 */
export interface Mount {
  node: ts.CallExpression;
  /** The router or app it is mounted on (`router` of `router.route('/').get(…)`); undefined when not a plain name. */
  router: ts.Identifier | undefined;
  /** The path it is mounted at, when written as a string. */
  path: string | undefined;
  steps: MountStep[];
  /** `router.use(…)`: its steps also run before every mount made after it on the same router (under its path). */
  routerWide: boolean;
  /**
   * Not a route: Fastify's `fastify.decorate('authenticate', fn)` gives the
   * instance its one step under this name, which routes of any file of the
   * package mount as `fastify.authenticate` (a step's `decoration`).
   */
  decorates?: string;
}

export interface MountStep {
  /** The middleware as written: a name, a member, a factory's call, a function. */
  expression: ts.Expression;
  /** Set by the framework module for a library middleware that authenticates the caller (`passport.authenticate('jwt')`). */
  authenticates: boolean;
  /** Fastify: the decoration of the instance the step names (`fastify.authenticate`, set by `fastify.decorate('authenticate', fn)`). */
  decoration?: string;
}

/** Everything the rules need to know about one file, built in one walk. */
export interface FileModel {
  sourceFile: ts.SourceFile;
  emissions: StatusEmission[];
  headerWrites: HeaderWrite[];
  propertyWrites: PropertyWrite[];
  forwards: ForwardingSite[];
  /** Outbound requests that forward nothing of the request being handled here, whose URL a function's parameters build (what a wrapper's project fact is read from). */
  outbound?: OutboundRequest[];
  errorHandlers: ErrorHandler[];
  /** Parameters a framework calls with the request (a Strapi policy's context), whatever they are named. */
  requestParameters?: Set<ts.ParameterDeclaration>;
  /** Routes and middleware mounts, in source order (recognised in every file: other files' middlewares run in them). */
  mounts: Mount[];
  /** Calls by the name they call, in source order: `deny(…)` and `this.deny(…)` under `deny`. */
  callsByName: Map<string, ts.CallExpression[]>;
  /** String literals and template heads that start with the Basic scheme (`'Basic realm="api"'`): a fix's challenge follows them. */
  basicSchemeLiterals: ts.Node[];
  /** True for test files: their servers are mocks, so nothing they send is reported. */
  isTestFile: boolean;
  /**
   * Set by a framework module when what an emission sends depends on other
   * statements of the file in ways the editor's units do not record (a route
   * module's exports, an adapter's `responseMeta`): the file is then analysed whole.
   */
  readsWholeFile: boolean;
}
