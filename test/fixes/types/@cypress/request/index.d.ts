// The parts of @cypress/request 3.x (request's maintained fork) that authlint's fixes and rule cases
// use, with the shapes of its callback API (request.js `request(uri, options, callback)`, the verb helpers).
import type { IncomingMessage } from 'http';
import type { Writable } from 'stream';

declare namespace request {
  type Headers = Record<string, string | string[] | undefined>;
  interface CoreOptions {
    method?: string;
    headers?: Headers;
    body?: unknown;
    json?: unknown;
    qs?: Record<string, unknown>;
    form?: Record<string, unknown> | string;
  }
  type Options = CoreOptions & ({ uri: string } | { url: string });
  type Callback = (error: Error | null, response: IncomingMessage, body: unknown) => void;
  interface Request extends Writable {
    pipe<T extends NodeJS.WritableStream>(destination: T): T;
  }
  interface RequestAPI {
    (options: Options, callback?: Callback): Request;
    (uri: string, options?: CoreOptions, callback?: Callback): Request;
    get(uri: string, options?: CoreOptions, callback?: Callback): Request;
    post(uri: string, options?: CoreOptions, callback?: Callback): Request;
    put(uri: string, options?: CoreOptions, callback?: Callback): Request;
    patch(uri: string, options?: CoreOptions, callback?: Callback): Request;
    del(uri: string, options?: CoreOptions, callback?: Callback): Request;
  }
}

declare const request: request.RequestAPI;
export = request;
