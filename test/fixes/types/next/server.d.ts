// next/server (Next.js 15/16, packages/next/src/server/web/spec-extension/{request,response,cookies}.ts):
// NextRequest and NextResponse extend the Web Request and Response.
export interface RequestCookie {
  name: string;
  value: string;
}

export declare class RequestCookies {
  get(name: string): RequestCookie | undefined;
  getAll(name?: string): RequestCookie[];
  has(name: string): boolean;
}

export declare class ResponseCookies {
  get(name: string): RequestCookie | undefined;
  set(name: string, value: string, cookie?: Record<string, unknown>): this;
  delete(name: string): this;
}

export declare class NextURL extends URL {}

export declare class NextRequest extends Request {
  constructor(input: URL | RequestInfo, init?: RequestInit);
  get cookies(): RequestCookies;
  get nextUrl(): NextURL;
}

interface MiddlewareResponseInit extends ResponseInit {
  request?: { headers?: Headers };
}

export declare class NextResponse<Body = unknown> extends Response {
  constructor(body?: BodyInit | null, init?: ResponseInit);
  get cookies(): ResponseCookies;
  static json<JsonBody>(body: JsonBody, init?: ResponseInit): NextResponse<JsonBody>;
  static redirect(url: string | NextURL | URL, init?: number | ResponseInit): NextResponse<unknown>;
  static rewrite(destination: string | NextURL | URL, init?: MiddlewareResponseInit): NextResponse<unknown>;
  static next(init?: MiddlewareResponseInit): NextResponse<unknown>;
}

export type NextMiddleware = (request: NextRequest) => Response | NextResponse | undefined | null | void | Promise<Response | NextResponse | undefined | null | void>;
