// The parts of @azure/functions that authlint's fixes and rule cases use: v4's types/http.d.ts
// and types/app.d.ts, and, for the v3 programming model, the `Context` and `AzureFunction` of 3.x.

export type HeadersInit = Headers | Record<string, string | ReadonlyArray<string>> | string[][];
export type FunctionResult<T = unknown> = T | Promise<T>;

export interface HttpResponseInit {
  body?: BodyInit | null;
  jsonBody?: any;
  status?: number;
  headers?: HeadersInit;
  enableContentNegotiation?: boolean;
}

export declare class HttpResponse {
  constructor(responseInit?: HttpResponseInit);
  readonly status: number;
  readonly headers: Headers;
}

export declare class HttpRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Headers;
  readonly query: URLSearchParams;
  readonly params: Record<string, string>;
  json(): Promise<unknown>;
  text(): Promise<string>;
}

export declare class InvocationContext {
  readonly invocationId: string;
  readonly functionName: string;
  log(...args: any[]): void;
  error(...args: any[]): void;
}

export type HttpHandler = (request: HttpRequest, context: InvocationContext) => FunctionResult<HttpResponseInit | HttpResponse>;
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

export interface HttpFunctionOptions {
  handler: HttpHandler;
  methods?: HttpMethod[];
  authLevel?: 'anonymous' | 'function' | 'admin';
  route?: string;
}

export type HttpMethodFunctionOptions = Omit<HttpFunctionOptions, 'methods'>;

export declare namespace app {
  function http(name: string, options: HttpFunctionOptions): void;
  function get(name: string, handler: HttpHandler | HttpMethodFunctionOptions): void;
  function post(name: string, handler: HttpHandler | HttpMethodFunctionOptions): void;
  function put(name: string, handler: HttpHandler | HttpMethodFunctionOptions): void;
  function patch(name: string, handler: HttpHandler | HttpMethodFunctionOptions): void;
  function deleteRequest(name: string, handler: HttpHandler | HttpMethodFunctionOptions): void;
}

/** 3.x */
export interface Context {
  invocationId: string;
  res?: { [key: string]: any };
  log: (...args: any[]) => void;
  done(err?: Error | string | null, result?: any): void;
}

export type AzureFunction = (context: Context, ...args: any[]) => Promise<any> | void;
