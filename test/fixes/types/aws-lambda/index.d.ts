// The parts of @types/aws-lambda that authlint's fixes and rule cases use, following
// handler.d.ts, trigger/api-gateway-proxy.d.ts and common/api-gateway.d.ts.

export interface Context {
  functionName: string;
  awsRequestId: string;
  getRemainingTimeInMillis(): number;
}

export type Callback<TResult = any> = (error?: Error | string | null, result?: TResult) => void;

export type Handler<TEvent = any, TResult = any> = (event: TEvent, context: Context, callback: Callback<TResult>) => void | Promise<TResult>;

export interface APIGatewayProxyEventHeaders {
  [name: string]: string | undefined;
}

export type APIGatewayEventDefaultAuthorizerContext = undefined | null | { [name: string]: any };

export interface APIGatewayProxyEvent {
  body: string | null;
  headers: APIGatewayProxyEventHeaders;
  httpMethod: string;
  path: string;
  pathParameters: { [name: string]: string | undefined } | null;
  queryStringParameters: { [name: string]: string | undefined } | null;
  requestContext: { authorizer: APIGatewayEventDefaultAuthorizerContext; requestId: string; stage: string };
}

export interface APIGatewayProxyResult {
  statusCode: number;
  headers?: { [header: string]: boolean | number | string } | undefined;
  multiValueHeaders?: { [header: string]: Array<boolean | number | string> } | undefined;
  body: string;
  isBase64Encoded?: boolean | undefined;
}

export interface APIGatewayProxyEventV2 {
  body?: string;
  headers: APIGatewayProxyEventHeaders;
  rawPath: string;
  routeKey: string;
  requestContext: { http: { method: string; path: string }; requestId: string };
}

export interface APIGatewayProxyStructuredResultV2 {
  statusCode?: number | undefined;
  headers?: { [header: string]: boolean | number | string } | undefined;
  body?: string | undefined;
  isBase64Encoded?: boolean | undefined;
  cookies?: string[] | undefined;
}

export type APIGatewayProxyResultV2<T = never> = APIGatewayProxyStructuredResultV2 | string | T;

export type APIGatewayProxyHandler = Handler<APIGatewayProxyEvent, APIGatewayProxyResult>;
export type APIGatewayProxyCallback = Callback<APIGatewayProxyResult>;
export type APIGatewayProxyHandlerV2<T = never> = Handler<APIGatewayProxyEventV2, APIGatewayProxyResultV2<T>>;
