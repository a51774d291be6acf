// next's API-route types (packages/next/src/shared/lib/utils.ts): a node ServerResponse with
// Next's helpers, and an IncomingMessage with the parsed query, cookies and body.
import type { IncomingMessage, ServerResponse } from 'node:http';

type Send<T> = (body: T) => void;

export interface NextApiRequest extends IncomingMessage {
  query: Partial<{ [key: string]: string | string[] }>;
  cookies: Partial<{ [key: string]: string }>;
  body: any;
  env: { [key: string]: string | undefined };
}

export type NextApiResponse<Data = any> = ServerResponse & {
  send: Send<Data>;
  json: Send<Data>;
  status: (statusCode: number) => NextApiResponse<Data>;
  redirect(url: string): NextApiResponse<Data>;
  redirect(status: number, url: string): NextApiResponse<Data>;
  revalidate(urlPath: string): Promise<void>;
};

export type NextApiHandler<T = any> = (req: NextApiRequest, res: NextApiResponse<T>) => unknown | Promise<unknown>;
