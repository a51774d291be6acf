// The parts of @nestjs/common 11 that authlint's fixes and rule cases use, with the signatures of
// its declarations (decorators/, exceptions/, enums/http-status.enum.d.ts, interfaces/features/).
// `canActivate` may also return an rxjs Observable, left out here (test/fixes/types/rxjs holds only what the cases use).
export interface Type<T = any> extends Function {
  new (...args: any[]): T;
}
export interface PipeTransform<T = any, R = any> {
  transform(value: T, metadata: any): R;
}
export type ContextType = 'http' | 'ws' | 'rpc';
export interface HttpArgumentsHost {
  getRequest<T = any>(): T;
  getResponse<T = any>(): T;
  getNext<T = any>(): T;
}
export interface ArgumentsHost {
  getArgs<T extends Array<any> = any[]>(): T;
  getArgByIndex<T = any>(index: number): T;
  switchToHttp(): HttpArgumentsHost;
  getType<TContext extends string = ContextType>(): TContext;
}
export interface ExecutionContext extends ArgumentsHost {
  getClass<T = any>(): Type<T>;
  getHandler(): Function;
}
export interface CanActivate {
  canActivate(context: ExecutionContext): boolean | Promise<boolean>;
}
export interface NestMiddleware<TRequest = any, TResponse = any> {
  use(req: TRequest, res: TResponse, next: (error?: any) => void): any;
}
export interface ExceptionFilter<T = any> {
  catch(exception: T, host: ArgumentsHost): any;
}
export interface ResponseDecoratorOptions {
  passthrough: boolean;
}
export declare function Controller(prefix?: string | string[]): ClassDecorator;
export declare function Injectable(options?: object): ClassDecorator;
export declare function Catch(...exceptions: Array<Type<any> | Function>): ClassDecorator;
export declare function UseGuards(...guards: (CanActivate | Function)[]): MethodDecorator & ClassDecorator;
export declare function HttpCode(statusCode: number): MethodDecorator;
export declare function Header(name: string, value: string | (() => string)): MethodDecorator;
export declare function SetMetadata<K = string, V = any>(metadataKey: K, metadataValue: V): MethodDecorator & ClassDecorator;
export declare const Get: (path?: string | string[]) => MethodDecorator;
export declare const Post: (path?: string | string[]) => MethodDecorator;
export declare const Put: (path?: string | string[]) => MethodDecorator;
export declare const Patch: (path?: string | string[]) => MethodDecorator;
export declare const Delete: (path?: string | string[]) => MethodDecorator;
export declare const All: (path?: string | string[]) => MethodDecorator;
export declare const Request: () => ParameterDecorator;
export declare const Req: () => ParameterDecorator;
export declare const Response: (options?: ResponseDecoratorOptions) => ParameterDecorator;
export declare const Res: (options?: ResponseDecoratorOptions) => ParameterDecorator;
export declare const Next: () => ParameterDecorator;
export declare const Headers: (property?: string) => ParameterDecorator;
export declare function Body(property?: string, ...pipes: (Type<PipeTransform> | PipeTransform)[]): ParameterDecorator;
export declare function Query(property?: string, ...pipes: (Type<PipeTransform> | PipeTransform)[]): ParameterDecorator;
export declare function Param(property?: string, ...pipes: (Type<PipeTransform> | PipeTransform)[]): ParameterDecorator;
export interface HttpExceptionOptions {
  cause?: unknown;
  description?: string;
  errorCode?: string;
}
export declare class IntrinsicException extends Error {}
export declare class HttpException extends IntrinsicException {
  constructor(response: string | Record<string, any>, status: number, options?: HttpExceptionOptions | undefined);
  getResponse(): string | object;
  getStatus(): number;
}
export declare class UnauthorizedException extends HttpException {
  constructor(objectOrError?: any, descriptionOrOptions?: string | HttpExceptionOptions);
}
export declare class ForbiddenException extends HttpException {
  constructor(objectOrError?: any, descriptionOrOptions?: string | HttpExceptionOptions);
}
export declare class BadRequestException extends HttpException {
  constructor(objectOrError?: any, descriptionOrOptions?: string | HttpExceptionOptions);
}
export declare class NotFoundException extends HttpException {
  constructor(objectOrError?: any, descriptionOrOptions?: string | HttpExceptionOptions);
}
export declare class ConflictException extends HttpException {
  constructor(objectOrError?: any, descriptionOrOptions?: string | HttpExceptionOptions);
}
export declare class InternalServerErrorException extends HttpException {
  constructor(objectOrError?: any, descriptionOrOptions?: string | HttpExceptionOptions);
}
export declare class BadGatewayException extends HttpException {
  constructor(objectOrError?: any, descriptionOrOptions?: string | HttpExceptionOptions);
}
export declare class NotAcceptableException extends HttpException {
  constructor(objectOrError?: any, descriptionOrOptions?: string | HttpExceptionOptions);
}
export declare class GoneException extends HttpException {
  constructor(objectOrError?: any, descriptionOrOptions?: string | HttpExceptionOptions);
}
export declare class PayloadTooLargeException extends HttpException {
  constructor(objectOrError?: any, descriptionOrOptions?: string | HttpExceptionOptions);
}
export declare class UnprocessableEntityException extends HttpException {
  constructor(objectOrError?: any, descriptionOrOptions?: string | HttpExceptionOptions);
}
export declare class MethodNotAllowedException extends HttpException {
  constructor(objectOrError?: any, descriptionOrOptions?: string | HttpExceptionOptions);
}
export declare class RequestTimeoutException extends HttpException {
  constructor(objectOrError?: any, descriptionOrOptions?: string | HttpExceptionOptions);
}
export declare class ServiceUnavailableException extends HttpException {
  constructor(objectOrError?: any, descriptionOrOptions?: string | HttpExceptionOptions);
}
export declare class PreconditionFailedException extends HttpException {
  constructor(objectOrError?: any, descriptionOrOptions?: string | HttpExceptionOptions);
}
export declare class NotImplementedException extends HttpException {
  constructor(objectOrError?: any, descriptionOrOptions?: string | HttpExceptionOptions);
}
export declare class GatewayTimeoutException extends HttpException {
  constructor(objectOrError?: any, descriptionOrOptions?: string | HttpExceptionOptions);
}
export declare enum HttpStatus {
    CONTINUE = 100,
    SWITCHING_PROTOCOLS = 101,
    PROCESSING = 102,
    EARLYHINTS = 103,
    OK = 200,
    CREATED = 201,
    ACCEPTED = 202,
    NON_AUTHORITATIVE_INFORMATION = 203,
    NO_CONTENT = 204,
    RESET_CONTENT = 205,
    PARTIAL_CONTENT = 206,
    MULTI_STATUS = 207,
    ALREADY_REPORTED = 208,
    CONTENT_DIFFERENT = 210,
    AMBIGUOUS = 300,
    MOVED_PERMANENTLY = 301,
    FOUND = 302,
    SEE_OTHER = 303,
    NOT_MODIFIED = 304,
    TEMPORARY_REDIRECT = 307,
    PERMANENT_REDIRECT = 308,
    BAD_REQUEST = 400,
    UNAUTHORIZED = 401,
    PAYMENT_REQUIRED = 402,
    FORBIDDEN = 403,
    NOT_FOUND = 404,
    METHOD_NOT_ALLOWED = 405,
    NOT_ACCEPTABLE = 406,
    PROXY_AUTHENTICATION_REQUIRED = 407,
    REQUEST_TIMEOUT = 408,
    CONFLICT = 409,
    GONE = 410,
    LENGTH_REQUIRED = 411,
    PRECONDITION_FAILED = 412,
    PAYLOAD_TOO_LARGE = 413,
    URI_TOO_LONG = 414,
    UNSUPPORTED_MEDIA_TYPE = 415,
    REQUESTED_RANGE_NOT_SATISFIABLE = 416,
    EXPECTATION_FAILED = 417,
    I_AM_A_TEAPOT = 418,
    MISDIRECTED = 421,
    UNPROCESSABLE_ENTITY = 422,
    LOCKED = 423,
    FAILED_DEPENDENCY = 424,
    PRECONDITION_REQUIRED = 428,
    TOO_MANY_REQUESTS = 429,
    UNRECOVERABLE_ERROR = 456,
    INTERNAL_SERVER_ERROR = 500,
    NOT_IMPLEMENTED = 501,
    BAD_GATEWAY = 502,
    SERVICE_UNAVAILABLE = 503,
    GATEWAY_TIMEOUT = 504,
    HTTP_VERSION_NOT_SUPPORTED = 505,
    INSUFFICIENT_STORAGE = 507,
    LOOP_DETECTED = 508
}
