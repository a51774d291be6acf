// The parts of @hapi/hapi 21 that authlint's fixes and rule cases use (lib/types/request.d.ts,
// response.d.ts, server/server.d.ts, route.d.ts).
import type { Boom } from '@hapi/boom';

export interface AuthCredentials {
  scope?: string[];
  user?: Record<string, unknown>;
  app?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface RequestAuth {
  credentials: AuthCredentials;
  artifacts: Record<string, unknown>;
  isAuthenticated: boolean;
  isAuthorized: boolean;
  strategy: string | null;
}

export interface Request {
  auth: RequestAuth;
  headers: Record<string, string>;
  params: Record<string, string>;
  payload: unknown;
  query: Record<string, string | string[]>;
  path: string;
  method: string;
  state: Record<string, unknown>;
}

export interface ResponseObjectHeaderOptions {
  append?: boolean;
  separator?: string;
  override?: boolean;
  duplicate?: boolean;
}

export interface ResponseObject {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  code(statusCode: number): ResponseObject;
  header(name: string, value: string, options?: ResponseObjectHeaderOptions): ResponseObject;
  type(mimeType: string): ResponseObject;
  takeover(): ResponseObject;
  message(httpMessage: string): ResponseObject;
}

export type ResponseValue = string | object | null | undefined;

export interface ResponseToolkit {
  readonly continue: symbol;
  response(value?: ResponseValue): ResponseObject;
  unauthenticated(error: Error, data?: { credentials: AuthCredentials }): void;
  authenticated(data: { credentials: AuthCredentials; artifacts?: object }): unknown;
}

export type ReturnValue = ResponseValue | ResponseObject | Boom | symbol | Promise<ResponseValue | ResponseObject | Boom | symbol>;
export type Method = (request: Request, h: ResponseToolkit, err?: Error) => ReturnValue;

export interface ServerRoute {
  method: string | string[];
  path: string;
  handler?: Method;
  options?: { handler?: Method; auth?: unknown; pre?: unknown[] };
}

export interface ServerAuth {
  scheme(name: string, scheme: (server: Server, options?: object) => { authenticate: Method }): void;
  strategy(name: string, scheme: string, options?: object): void;
  default(options: string | object): void;
}

export declare class Server {
  constructor(options?: { port?: number | string; host?: string; routes?: object });
  auth: ServerAuth;
  route(route: ServerRoute | ServerRoute[]): void;
  ext(event: string, method: Method): void;
  start(): Promise<void>;
}

export declare function server(options?: { port?: number | string; host?: string }): Server;
