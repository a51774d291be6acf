// The parts of ky 1.x that authlint's fixes and rule cases use, with the signatures of its
// declarations (source/types/ky.ts, options.ts, ResponsePromise.ts).
export type Input = string | URL | Request;
export type KyHeadersInit = NonNullable<RequestInit['headers']> | Record<string, string | undefined>;
export type SearchParamsOption = string | Record<string, string | number | boolean | undefined> | Array<Array<string | number | boolean>> | URLSearchParams;
export interface Options extends Omit<RequestInit, 'headers'> {
  method?: string;
  headers?: KyHeadersInit;
  json?: unknown;
  searchParams?: SearchParamsOption;
  prefixUrl?: URL | string;
  timeout?: number | false;
  throwHttpErrors?: boolean;
}
export type ResponsePromise<T = unknown> = {
  arrayBuffer: () => Promise<ArrayBuffer>;
  blob: () => Promise<Blob>;
  formData: () => Promise<FormData>;
  json: <J = T>() => Promise<J>;
  text: () => Promise<string>;
} & Promise<Response>;
export type KyInstance = {
  <T>(url: Input, options?: Options): ResponsePromise<T>;
  get: <T>(url: Input, options?: Options) => ResponsePromise<T>;
  post: <T>(url: Input, options?: Options) => ResponsePromise<T>;
  put: <T>(url: Input, options?: Options) => ResponsePromise<T>;
  delete: <T>(url: Input, options?: Options) => ResponsePromise<T>;
  patch: <T>(url: Input, options?: Options) => ResponsePromise<T>;
  head: (url: Input, options?: Options) => ResponsePromise;
  create: (defaultOptions?: Options) => KyInstance;
  extend: (defaultOptions: Options | ((parentOptions: Options) => Options)) => KyInstance;
};
declare const ky: KyInstance;
export default ky;
