// The parts of superagent 10 that authlint's fixes and rule cases use, with the signatures of
// @types/superagent (lib/request-base.d.ts, lib/node/index.d.ts).
export interface Response {
  status: number;
  body: any;
  text: string;
  headers: Record<string, string>;
  type: string;
}
export interface SuperAgentRequest extends Promise<Response> {
  set(field: Record<string, string>): this;
  set(field: 'Cookie', val: string[]): this;
  set(field: string, val: string): this;
  unset(field: string): this;
  send(data?: string | object): this;
  query(val: Record<string, any> | string): this;
  auth(user: string, pass: string, options?: { type: 'basic' | 'auto' }): this;
  auth(token: string, options: { type: 'bearer' }): this;
  type(val: string): this;
  accept(val: string): this;
  timeout(ms: number | { deadline?: number; response?: number }): this;
  retry(count?: number): this;
  end(callback?: (err: any, res: Response) => void): void;
}
type Method = (url: string) => SuperAgentRequest;
interface SuperAgentStatic {
  (url: string): SuperAgentRequest;
  (method: string, url: string): SuperAgentRequest;
  get: Method;
  post: Method;
  put: Method;
  patch: Method;
  del: Method;
  delete: Method;
  head: Method;
  options: Method;
}
declare const superagent: SuperAgentStatic;
export default superagent;
