// The parts of fastify 5 that authlint's fixes and rule cases use, following types/reply.d.ts,
// types/request.d.ts and types/instance.d.ts with the route and schema generics left at their
// defaults (params, query and body are `unknown`; chained reply methods return the reply).
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

export interface FastifyRequest {
  id: string;
  params: unknown;
  raw: IncomingMessage;
  query: unknown;
  headers: IncomingHttpHeaders;
  body: unknown;
  server: FastifyInstance;
  readonly ip: string;
  readonly url: string;
  readonly method: string;
  readonly hostname: string;
}

export interface FastifyReply {
  raw: ServerResponse;
  request: FastifyRequest;
  server: FastifyInstance;
  statusCode: number;
  sent: boolean;
  code(statusCode: number): FastifyReply;
  status(statusCode: number): FastifyReply;
  send(payload?: unknown): FastifyReply;
  header(key: string, value: any): FastifyReply;
  headers(values: Partial<Record<string, number | string | string[] | undefined>>): FastifyReply;
  getHeader(key: string): number | string | string[] | undefined;
  removeHeader(key: string): FastifyReply;
  hasHeader(key: string): boolean;
  redirect(url: string, statusCode?: number): FastifyReply;
  type(contentType: string): FastifyReply;
  hijack(): FastifyReply;
}

export type HookHandlerDoneFunction = (err?: Error) => void;
export type RouteHandlerMethod = (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) => unknown;
export type HookHandler = (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => unknown;

export interface RouteShorthandOptions {
  schema?: unknown;
  preHandler?: HookHandler | HookHandler[];
  onRequest?: HookHandler | HookHandler[];
  config?: unknown;
}

export interface RouteOptions extends RouteShorthandOptions {
  method: string | string[];
  url: string;
  handler: RouteHandlerMethod;
}

export interface RouteShorthandMethod {
  (path: string, handler: RouteHandlerMethod): FastifyInstance;
  (path: string, opts: RouteShorthandOptions, handler: RouteHandlerMethod): FastifyInstance;
  (path: string, opts: RouteShorthandOptions & { handler: RouteHandlerMethod }): FastifyInstance;
}

export type FastifyPluginCallback<Options = Record<never, never>> = (instance: FastifyInstance, opts: Options, done: (err?: Error) => void) => void;
export type FastifyPluginAsync<Options = Record<never, never>> = (instance: FastifyInstance, opts: Options) => Promise<void>;

export interface FastifyError extends Error {
  code: string;
  statusCode?: number;
}

export interface FastifyInstance {
  get: RouteShorthandMethod;
  post: RouteShorthandMethod;
  put: RouteShorthandMethod;
  patch: RouteShorthandMethod;
  delete: RouteShorthandMethod;
  all: RouteShorthandMethod;
  route(opts: RouteOptions): FastifyInstance;
  addHook(name: string, hook: HookHandler): FastifyInstance;
  register<Options>(plugin: FastifyPluginCallback<Options> | FastifyPluginAsync<Options>, opts?: Options): FastifyInstance;
  decorate(property: string | symbol, value: unknown): FastifyInstance;
  decorateRequest(property: string | symbol, value: unknown): FastifyInstance;
  decorateReply(property: string | symbol, value: unknown): FastifyInstance;
  setErrorHandler(handler: (this: FastifyInstance, error: FastifyError, request: FastifyRequest, reply: FastifyReply) => unknown): FastifyInstance;
  listen(opts?: { port?: number; host?: string }): Promise<string>;
}

declare function fastify(opts?: Record<string, unknown>): FastifyInstance;
export { fastify };
export default fastify;
