import type { Range, TextEdit } from '../types';

/**
 * What one module tells the rest of the project about auth: the values,
 * error classes and helpers it exports, the central error handlers it
 * defines, and the imports its facts refer to. Facts are plain data (they
 * cross worker threads and caches), so nothing here holds a syntax node;
 * places are offsets into the module's text.
 */

/**
 * A value as far as a module's text tells it, symbolically: a parameter of
 * the function or constructor it sits in, or a binding of another module,
 * stands for what the caller passes or what that module exports.
 */
export type Value =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  /** A parameter of the enclosing function or constructor, or a property inside it (`{ status }`, `options.status`). */
  | { kind: 'param'; index: number; path: string[] }
  /** A binding of a module: `module` as written in the fact's file (`''` for the file itself), then members read from it. */
  | { kind: 'ref'; module: string; name: string; path: string[] }
  /** `errorCode.split(':')[0]` */
  | { kind: 'split'; of: Value; separator: string; element: number }
  /** A key mapped by a `switch`, an `if` chain or a table to a value (`getStatusCodeByType(type)`). */
  | { kind: 'lookup'; of: Value; table: Record<string, Value>; fallback: Value; computed?: ComputedEntry[] }
  /** `computed`: entries whose keys are values of their own (`{ [Code.UNAUTHORIZED.code]: 401 }`), known once those are worked out. */
  | { kind: 'object'; props: Record<string, Value>; computed?: ComputedEntry[] }
  | { kind: 'unknown' };

export const UNKNOWN: Value = { kind: 'unknown' };

/** An entry of an object or table whose key is computed: `[ErrorCode.UNAUTHORIZED]: 401`. */
export interface ComputedEntry {
  key: Value;
  value: Value;
}

/** A range of the module's text, as offsets and as lines and characters (for reports about it made from other files). */
export interface Span {
  start: number;
  end: number;
  range: Range;
}

/**
 * A class: what it passes to the class it extends, what its constructor and
 * fields set on the instance, and its static members.
 */
export interface ClassFact {
  kind: 'class';
  name: string;
  at: Span;
  /** The class it extends; undefined for none. */
  parent: Value | undefined;
  /** What the constructor passes to `super(…)`, in terms of its own parameters; undefined when it passes its arguments on as they are. */
  superArgs: Value[] | undefined;
  /** Instance properties the constructor or field initialisers set, in terms of the constructor's parameters. */
  props: Record<string, Value>;
  statics: Record<string, Value>;
  /** Methods that turn an instance into a response (`toResponse()`). */
  responders?: ResponderFact[];
}

/** A method that answers with the instance's status: `toResponse() { return Response.json(body, { status: this.statusCode }) }`. */
export interface ResponderFact {
  name: string;
  /** The instance property the status is read from. */
  statusProperty: string;
  /** Whether every response it builds carries WWW-Authenticate. */
  challenge: boolean;
  /** Where it builds the response. */
  at: Span;
}

/** A function: the status it sends for its caller, or the error it builds. */
export interface FunctionFact {
  kind: 'function';
  name: string;
  at: Span;
  /** `sendError(res, status, message)`: the status its caller passes, sent on the response its caller passes (or returned as a Response). */
  sends?: SendFact;
  /** `(message) => new ApiError(401, message)`: the class and arguments of the error it returns or throws. */
  makesError: { errorClass: Value; args: Value[]; at: Span } | undefined;
  /** What it does to the headers of a forwarded request, when it touches them. */
  headers?: HeaderFacts;
  /** `(code) => TABLE[code] ?? 500`: what it returns, when that is a parameter mapped through a table, `switch` or `if` chain. */
  returns?: Value;
  /** `appendChallenge(ctx, scheme)`: the parameter holding the response it sets WWW-Authenticate on. */
  setsChallenge?: number;
}

/**
 * A function's part in forwarding a request: as a proxy hook, the headers it
 * takes off the outgoing request it is given first (`stripAuth(proxyReq)`);
 * as a builder, the headers it returns (`forwardHeaders(req)`).
 */
export interface HeaderFacts {
  hook?: OutgoingFact;
  /** As SvelteKit's `handleFetch` hook, the headers it sets on (or takes off) the request of every `event.fetch`. */
  fetchHook?: OutgoingFact;
  returns?: OutgoingFact;
  /** As a wrapper of an outbound client, the request it makes from its parameters (`callService(method, url, body)`). */
  outbound?: OutboundFact;
}

/**
 * An outbound request a function makes from what its caller passes: a call
 * that passes the incoming request's path, method or data in `target` or
 * `data` forwards it, with the headers it sends and those the caller adds.
 */
export interface OutboundFact {
  library: string;
  /** Parameters that reach the request's URL, method or path. */
  target: number[];
  /** Parameters that reach its body or query. */
  data: number[];
  /** Whether its URL is composed from a base of its own and what it is given. */
  composed: boolean;
  /** Parameters that reach its headers: what the caller passes there is sent too. */
  headerParams: number[];
  /** The headers it sends of its own. */
  headers: OutgoingFact;
  /** Whether it gives the request no headers at all. */
  noHeaders: boolean;
  /** The outbound call. */
  at: Span;
}

/** Outgoing headers as far as a function's text tells (model/forwarding.ts `Outgoing`), with places as spans. */
export interface OutgoingFact {
  /** Names set explicitly, lower-cased. */
  names: string[];
  /** Whether headers not known statically pass too (the incoming ones spread in). */
  open: boolean;
  removals: { name: string; how: 'removed' | 'stringified' | 'destructured' | 'deny-list'; value?: 'undefined' | 'null'; at: Span }[];
  allowLists: { names: string[]; at: Span }[];
  /** Where the headers are rebuilt, when they are. */
  rebuilt: Span | undefined;
}

/** A status a helper sends for its caller: `sendError(res, status, message)` sends its second argument on its first. */
export interface SendFact {
  /** The parameter holding the status. */
  statusParam: number;
  /** The parameter holding the response it sends on; undefined when it returns or throws what it builds. */
  responseParam: number | undefined;
  framework: string;
  delivery: 'status' | 'send' | 'response' | 'error';
  carriedOnly: boolean;
  /** Whether what it sends carries WWW-Authenticate. */
  challenge: boolean;
  /** The method that sets one header on the response in its framework (`set`, `setHeader`, `header`). */
  headerSetter: string | undefined;
  /** Where it sends. */
  at: Span;
}

export type ExportFact = ClassFact | FunctionFact | { kind: 'value'; value: Value };

/**
 * A central error handler: Express/Connect error middleware, Koa's
 * error-catching middleware, Fastify's `setErrorHandler`, Hono's `onError`,
 * a NestJS exception filter. It turns errors thrown anywhere it serves into
 * responses.
 */
export interface HandlerFact {
  framework: string;
  /** The handler function (or filter class). */
  at: Span;
  /** Where it sends the response. */
  sendAt: Span;
  /** The classes it is limited to (`@Catch(…)`, an `instanceof` test around the send); empty for every error. */
  catches: Value[];
  /**
   * The properties of the error it was given that its status is read from
   * (`err.status`); handlers that decide statuses themselves are found in their own file.
   */
  status:
    | {
        kind: 'error-property';
        properties: string[];
        /** A function the property is passed through, a binding of the handler's file (`getHttpErrorCode(err.code)`): its mapping decides the status. */
        through?: Value;
      }
    /** A Fastify handler that reads no status of the error: Fastify's reply does not take it either, so the handler's own status goes out. */
    | { kind: 'own' };
  /** `always`: every response it sends carries WWW-Authenticate; `for-401`: it sets one for some (handlers set it under `if (status === 401)`). */
  challenge: 'always' | 'for-401' | 'never';
  /** Edits of its file that make its 401 responses carry the challenge; undefined when no one safe edit exists. */
  fix: TextEdit[] | undefined;
  /** Whether it builds its own response for what it catches (a NestJS filter): then it is the one place to add a challenge. */
  rebuilds: boolean;
}

/**
 * A route or middleware mount of this module that runs another module's
 * binding (`router.get('/', protect, admin, handler)` with `admin` imported):
 * whether the caller is authenticated by the time it runs.
 */
export interface MountFact {
  /** The binding mounted, as written in this file (a `ref` to an import). */
  target: Value;
  /** Whether a step this file shows to authenticate runs before it (its own middleware, `passport.authenticate('jwt')`). */
  authenticated: boolean;
  /** The imported bindings that run before it, any of which may authenticate. */
  after: Value[];
  /** The router it is mounted on, when a top-level binding of this file: a mount of that router runs before it too. */
  router?: string;
  /** The route or `use` call. */
  at: Span;
  /**
   * Not a route but what runs it all the same, read for challenges only:
   * `chain`, a step of a list of middleware (a route's, or an array such as
   * `export default [setChallenge(), validateToken]`, which Koa's compose and
   * the routers run in order); `call`, a call made by a middleware that hands
   * the request on (`verifyAssertion(ctx, …)`).
   */
  via?: 'chain' | 'call';
  /** Whether a step of this file that adds the challenge to the errors after it runs before it. */
  challenged?: boolean;
  /** Imported helpers a step before it sets the challenge through (`appendChallenge(ctx, …)`): any that does makes it challenged. */
  challengeHelpers?: Value[];
  /** For a call: the top-level binding of this file it is made in, whose own mounts run it. */
  within?: string;
}

export interface ModuleFacts {
  /** Absolute path. */
  file: string;
  /** The module's top-level declarations that carry auth facts, by name. */
  declarations: Record<string, ExportFact>;
  /** Exported name (`default` for a default export, CommonJS `module.exports` too) → the binding it names (a `ref`). */
  exports: Record<string, Value>;
  /** `export * from '…'`: specifiers as written. */
  reexportAll: string[];
  handlers: HandlerFact[];
  /** Mounts of other modules' bindings. */
  mounts?: MountFact[];
  /** Top-level bindings that authenticate the caller when mounted as middleware (`protect`, `authenticate`). */
  authenticators?: string[];
  /** Fastify decorations it gives the instance that authenticate the caller (`fastify.decorate('authenticate', fn)`). */
  decoratedAuthenticators?: string[];
  /**
   * Top-level bindings that, mounted as middleware, set WWW-Authenticate on
   * the errors thrown after them and pass them on (or a factory of one), with
   * the imported helpers they set it through; an empty list when they set it themselves.
   */
  challengers?: Record<string, Value[]>;
}
