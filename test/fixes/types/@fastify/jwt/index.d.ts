// @fastify/jwt 9 (types/jwt.d.ts): the plugin, its options and the request methods it decorates.
import type { FastifyPluginCallback } from 'fastify';

export interface FastifyJWTOptions {
  secret: string | Buffer | { private: string | Buffer; public: string | Buffer };
  sign?: { expiresIn?: number | string; algorithm?: string };
  verify?: { maxAge?: number | string; algorithms?: string[] };
  cookie?: { cookieName: string; signed: boolean };
}

declare module 'fastify' {
  interface FastifyRequest {
    jwtVerify<Decoded extends object = Record<string, unknown>>(options?: object): Promise<Decoded>;
    jwtDecode<Decoded extends object = Record<string, unknown>>(options?: object): Promise<Decoded>;
    user: unknown;
  }
}

declare const fastifyJwt: FastifyPluginCallback<FastifyJWTOptions>;
export default fastifyJwt;
export { fastifyJwt };
