// The parts of @middy/core 5 that authlint's rule cases use, following index.d.ts: `middy(handler)`
// returns the handler, callable as Lambda calls it, with `.use()` and `.handler()` to chain.
import type { Context } from 'aws-lambda';

export interface MiddlewareObj<TEvent = any, TResult = any> {
  before?: (request: { event: TEvent; context: Context; response: TResult | null }) => unknown;
  after?: (request: { event: TEvent; context: Context; response: TResult | null }) => unknown;
  onError?: (request: { event: TEvent; context: Context; response: TResult | null; error: unknown }) => unknown;
}

export interface MiddyfiedHandler<TEvent = any, TResult = any> {
  (event: TEvent, context: Context): Promise<TResult>;
  use(middlewares: MiddlewareObj<TEvent, TResult> | MiddlewareObj<TEvent, TResult>[]): MiddyfiedHandler<TEvent, TResult>;
  handler(fn: (event: TEvent, context: Context) => TResult | Promise<TResult>): MiddyfiedHandler<TEvent, TResult>;
}

declare function middy<TEvent = any, TResult = any>(handler?: (event: TEvent, context: Context) => TResult | Promise<TResult>): MiddyfiedHandler<TEvent, TResult>;
export default middy;
