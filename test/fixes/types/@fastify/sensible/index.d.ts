// @fastify/sensible 6 (types/index.d.ts, lib/httpError.d.ts): the reply shorthands and
// `fastify.httpErrors` factories for the statuses authlint's cases use.
import type { FastifyPluginCallback, FastifyReply } from 'fastify';

export interface HttpError extends Error {
  status: number;
  statusCode: number;
  expose: boolean;
  headers?: { [key: string]: string };
}

export type HttpErrorFactory = (msg?: string) => HttpError;

export interface HttpErrors {
  badRequest: HttpErrorFactory;
  unauthorized: HttpErrorFactory;
  forbidden: HttpErrorFactory;
  notFound: HttpErrorFactory;
  internalServerError: HttpErrorFactory;
  createError(...args: (number | string | object | Error)[]): HttpError;
}

declare module 'fastify' {
  interface FastifyInstance {
    httpErrors: HttpErrors;
  }
  interface FastifyReply {
    badRequest(msg?: string): FastifyReply;
    unauthorized(msg?: string): FastifyReply;
    forbidden(msg?: string): FastifyReply;
    notFound(msg?: string): FastifyReply;
    internalServerError(msg?: string): FastifyReply;
  }
}

declare const fastifySensible: FastifyPluginCallback<{ sharedSchemaId?: string }>;
export default fastifySensible;
