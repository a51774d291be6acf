import { missingWwwAuthenticate } from '../../server/src/core/rules/missing-www-authenticate';
import { runRuleTests } from '../rule-tester';

const RESPONSE = /^401 response without a WWW-Authenticate header: clients cannot tell which authentication scheme to use \(RFC 9110 §15\.5\.2\)\. Set `WWW-Authenticate: Bearer realm="api"` on this response\.$/;
const KOA_ERROR = /^401 error without a WWW-Authenticate header: Koa builds the response from the error alone/;
const HONO_ERROR = /^401 error without a WWW-Authenticate header: Hono builds the response from the error alone/;
const HAPI_ERROR = /^401 error without a WWW-Authenticate header: hapi builds the response from the error alone/;
const CHALLENGE = `'WWW-Authenticate', 'Bearer realm="api"'`;

runRuleTests(missingWwwAuthenticate, {
  valid: [
    {
      name: 'Object.assign: a 401 error thrown at a module\'s top level stops the module loading and answers no request',
      filename: 'src/config.ts',
      code: `import express from 'express';
const UNAUTHORIZED = 401;
if (!process.env.API_KEY) throw Object.assign(new Error('API_KEY is not set'), { status: UNAUTHORIZED });
export const app = express();`,
    },
    {
      name: 'Express: an error given 401 and its challenge in err.headers before next(err); a 401 whose error is passed on only after a return',
      filename: 'src/middleware/auth.js',
      code: `module.exports = function requireUser(req, res, next) {
  if (!req.headers.authorization) {
    const err = new Error('Login required');
    err.status = 401;
    err.headers = { 'WWW-Authenticate': 'Bearer realm="api"' };
    return next(err);
  }
  if (!req.user) {
    const later = new Error('no user');
    later.status = 401;
    return res.redirect('/login');
  }
  next();
};`,
    },
    {
      name: 'an error given 401 by assignment, then another status before the throw; one never thrown; one carrying the challenge into ctx.throw',
      filename: 'src/auth.js',
      code: `import Koa from 'koa';
new Koa().use(async (ctx, next) => {
  const error = new Error('token expired');
  error.status = 401;
  error.status = 500;
  if (!ctx.state.user) ctx.throw(error);
  const unused = new Error('unused');
  unused.status = 401;
  console.log(unused);
  try {
    await next();
  } catch (err) {
    err.headers = { 'WWW-Authenticate': 'Bearer realm="api"' };
    err.status = 401;
    ctx.throw(err);
  }
});`,
    },
    {
      name: 'NestJS GraphQL: an exception thrown in a resolver goes out in the body\'s errors with a 200, not as a 401',
      filename: 'src/auth/auth.resolver.ts',
      code: `import { UnauthorizedException } from '@nestjs/common';
import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { AuthService } from './auth.service';
import { Token } from './models/token.model';

@Resolver(() => Token)
export class AuthResolver {
  constructor(private readonly auth: AuthService) {}

  @Mutation(() => Token)
  async refreshToken(@Args('token') token: string) {
    const tokens = await this.auth.refresh(token);
    if (!tokens) throw new UnauthorizedException('Refresh token expired');
    return tokens;
  }
}`,
    },
    {
      name: 'NestJS GraphQL: a Passport guard reading its request through GqlExecutionContext throws into the GraphQL response, not a 401',
      filename: 'src/auth/gql-auth.guard.ts',
      code: `import { ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { AuthGuard } from '@nestjs/passport';

@Injectable()
export class GqlAuthGuard extends AuthGuard('jwt') {
  getRequest(context: ExecutionContext) {
    return GqlExecutionContext.create(context).getContext().req;
  }

  handleRequest<TUser>(err: Error | undefined, user: TUser | false): TUser {
    if (err || !user) throw err ?? new UnauthorizedException('Sign in to continue');
    return user;
  }
}`,
    },
    {
      name: 'NestJS GraphQL: a GqlExceptionFilter hands the driver an error for the body, it sends no 401 response',
      filename: 'src/common/filters/gql-unauthorized.filter.ts',
      code: `import { Catch, UnauthorizedException } from '@nestjs/common';
import { GqlExceptionFilter } from '@nestjs/graphql';

@Catch(UnauthorizedException)
export class GqlUnauthorizedFilter implements GqlExceptionFilter {
  catch(exception: UnauthorizedException) {
    return new UnauthorizedException(exception.message || 'Your session has expired, sign in again');
  }
}`,
    },
    {
      name: 'Express error middleware: an UnauthorizedError answered with the headers it carries (express-oauth2-jwt-bearer puts the challenge there)',
      filename: 'src/loaders/errors.ts',
      code: `import type { Express, NextFunction, Request, Response } from 'express';
export function errors(app: Express) {
  app.use((err: any, req: Request, res: Response, next: NextFunction) => {
    if (err.name === 'UnauthorizedError') {
      return res.set(err.headers).status(err.status).json({ message: err.message });
    }
    next(err);
  });
}`,
    },
    {
      name: 'an error named UnauthorizedError tested outside error middleware says nothing of the status sent',
      filename: 'src/routes/proxy.ts',
      code: `import express from 'express';
export const router = express.Router();
router.get('/upstream', async (req, res) => {
  const reply = await callUpstream(req.query.id as string);
  if (reply.name === 'UnauthorizedError') return res.status(reply.status).json({ error: 'upstream refused us' });
  res.json(reply);
});`,
    },
    {
      name: "hapi's tests live in test/*.js and require @hapi/lab: the 401s they build are asserted, not sent",
      filename: 'test/auth.js',
      code: `'use strict';
const Boom = require('@hapi/boom');
const Code = require('@hapi/code');
const Hapi = require('..');
const Lab = require('@hapi/lab');
const { describe, it } = exports.lab = Lab.script();
const expect = Code.expect;
describe('authentication', () => {
  it('returns 401 from a scheme', async () => {
    const server = Hapi.server();
    server.auth.scheme('custom', () => ({ authenticate: () => { throw Boom.unauthorized('nope'); } }));
    server.auth.strategy('default', 'custom');
    server.route({ method: 'GET', path: '/', options: { auth: 'default', handler: () => 'ok' } });
    const res = await server.inject('/');
    expect(res.statusCode).to.equal(401);
  });
});`,
    },
    {
      name: 'a test under tests/ that imports node:test: not reported wherever the folder is',
      filename: 'tests/me.js',
      code: `import { test } from 'node:test';
import express from 'express';
test('me answers 401', () => {
  const app = express();
  app.get('/me', (req, res) => res.status(401).end());
});`,
    },
    {
      name: 'a type test of a 401 helper asserts what it returns: fixing it would change the test',
      filename: 'types/index.tst.ts',
      code: `import fastify from 'fastify';
import { expect } from 'tstyche';
fastify().get('/', async (request, reply) => {
  expect(reply.code(401)).type.toBe<typeof reply>();
});`,
    },
    // A header set earlier on the path, in the same chain, or in the status call's own headers.
    `import express from 'express';
const app = express();
app.get('/me', (req, res) => {
  res.set('WWW-Authenticate', 'Bearer realm="api"');
  if (!req.user) return res.status(401).json({ error: 'sign in' });
  res.json(req.user);
});`,
    `app.get('/me', (req, res) => res.status(401).set('WWW-Authenticate', 'Bearer').end());`,
    `app.get('/me', (req, res) => { res.writeHead(401, { 'www-authenticate': 'Basic realm="x"' }); res.end(); });`,
    // node:http: the status is only sent by res.end(), so a header set after it still goes out.
    `import http from 'node:http';
http.createServer((req, res) => {
  res.statusCode = 401;
  res.setHeader('WWW-Authenticate', 'Basic realm="admin"');
  res.end();
});`,
    // A helper that sets the header and sends the 401 itself, called from handlers.
    `import type { Response } from 'express';
function unauthorized(res: Response) {
  res.setHeader('WWW-Authenticate', 'Bearer');
  return res.status(401).end();
}
export const h = (req: any, res: Response) => (req.user ? res.json(req.user) : unauthorized(res));`,
    // A helper that takes the status, called with something other than 401.
    `function send(res, status) { res.status(status).end(); }
app.get('/x', (req, res) => { send(res, 404); });`,
    // A header removed only after the 401 has gone out.
    `export function requireAuth(req, res, next) {
  res.set('WWW-Authenticate', 'Bearer');
  if (!req.headers.authorization) return res.status(401).end();
  res.removeHeader('WWW-Authenticate');
  next();
}`,
    // Koa: headers travelling inside the error survive ctx.throw.
    `import Koa from 'koa';
new Koa().use(async (ctx) => { ctx.throw(401, 'sign in', { headers: { 'WWW-Authenticate': 'Bearer' } }); });`,
    `import Koa from 'koa';
new Koa().use(async (ctx) => { ctx.set('WWW-Authenticate', 'Basic'); ctx.status = 401; });`,
    // Fastify, Hono, hapi, Boom with the header.
    `app.get('/x', async (request, reply) => reply.code(401).header('WWW-Authenticate', 'Bearer').send());`,
    `import { Hono } from 'hono';
new Hono().get('/x', (c) => { c.header('WWW-Authenticate', 'Basic'); return c.body(null, 401); });`,
    `import { HTTPException } from 'hono/http-exception';
export const f = () => { throw new HTTPException(401, { res: new Response('no', { headers: { 'WWW-Authenticate': 'Bearer' } }) }); };`,
    // Hono's own middleware imports HTTPException relatively and builds the response in a helper.
    `import { HTTPException } from '../../http-exception';
export const f = (ctx) => { throw new HTTPException(401, { res: unauthorizedResponse({ ctx, error: 'invalid_token' }) }); };`,
    `import Boom from '@hapi/boom';
export const f = () => { throw Boom.unauthorized('expired', 'Bearer', { realm: 'api' }); };`,
    `export const f = (request, h) => h.response({}).header('WWW-Authenticate', 'Bearer').code(401);`,
    // Web Response with headers in the init, in a Headers object, or set on the response afterwards.
    `const challenge = new Headers({ 'WWW-Authenticate': 'Bearer' });
export function GET() { return Response.json({}, { status: 401, headers: challenge }); }`,
    `export function GET() {
  const headers = new Headers();
  headers.set('WWW-Authenticate', 'Bearer');
  return new Response(null, { status: 401, headers });
}`,
    `import { NextResponse } from 'next/server';
export function middleware() {
  const res = NextResponse.json({ error: 'x' }, { status: 401 });
  res.headers.set('WWW-Authenticate', 'Bearer');
  return res;
}`,
    `export function GET(init: ResponseInit) { return new Response(null, { status: 401, headers: init.headers }); }`,
    // NestJS: a @Header() on the route is applied before the handler runs.
    `import { Controller, Get, Header, UnauthorizedException } from '@nestjs/common';
@Controller('x')
export class X {
  @Get()
  @Header('WWW-Authenticate', 'Bearer')
  get() { throw new UnauthorizedException(); }
}`,
    // http-errors with headers.
    `import createError from 'http-errors';
app.use((req, res, next) => next(createError(401, { headers: { 'WWW-Authenticate': 'Bearer' } })));`,
    // An application error class raised away from any request handler (a service, a job).
    `import { ApiError } from './errors';
export async function login(email: string, password: string) {
  if (!(await check(email, password))) throw new ApiError(401, 'Incorrect email or password');
}`,
    // An application error class with a number that is not a status.
    `app.get('/x', (req, res, next) => next(new RetryError(3, 'attempts')));`,
    // Checked, not sent: tests, client code, comments, strings, OpenAPI, ports.
    { code: `it('401s', async () => { await request(app).get('/').expect(401); });`, filename: 'api.test.ts' },
    { code: `it('mocks', () => { global.fetch = async () => new Response(null, { status: 401 }); });`, filename: 'client.spec.ts' },
    { code: `app.get('/x', (req, res) => res.status(401).end());`, filename: 'src/__mocks__/server.ts' },
    `const res = await fetch('/api'); if (res.status === 401) login();`,
    `axios.interceptors.response.use(undefined, (e) => { if (e.response?.status === 401) logout(); });`,
    `// res.status(401) must carry a challenge
const note = 'res.status(401).end()';`,
    `export const spec = { responses: { 401: { description: 'no credentials' } } };`,
    `const port = 4010; app.listen(port);`,
    `class AuthError extends Error { status = 401; constructor() { super('x'); this.status = 401; } }`,
    {
      name: 'an error class named UnauthorizedError that this file declares without any status carries no 401 (a client signalling a failed sign-in)',
      code: `export class UnauthorizedError extends Error {
  constructor(message?: string) { super(message ?? 'Unauthorized'); }
}
export async function auth(ctx: { fetchFn: typeof fetch }) {
  const result = await sign(ctx.fetchFn);
  if (result !== 'AUTHORIZED') throw new UnauthorizedError();
}`,
    },
    `expect(res.status).toBe(401);`,
    // A status computed at run time is not known to be 401.
    `app.use((err, req, res, next) => { res.status(err.status ?? 500).json({ error: err.message }); });`,
    // A header set on one branch does not cover the other, but here each branch has its own.
    `app.get('/x', (req, res) => {
  if (req.query.basic) { res.set('WWW-Authenticate', 'Basic'); return res.sendStatus(401); }
  res.set('WWW-Authenticate', 'Bearer');
  res.sendStatus(401);
});`,
  ],
  invalid: [
    {
      name: 'Koa: an error given 401 before ctx.throw(error): a fresh Error gets the headers; a caught one may carry some already, so a message and no fix',
      filename: 'src/common/authMiddleWare.js',
      code: `export default async (ctx, next) => {
  try {
    ctx.state.user = verify(ctx.headers.authorization);
  } catch (error) {
    error.status = 401;
    ctx.throw(error);
  }
  if (!ctx.state.user) {
    const error = new Error('sign in');
    error.status = 401;
    error.expose = true;
    ctx.throw(error);
  }
  await next();
};`,
      errors: [
        { message: /^401 response without a WWW-Authenticate header: .*Set `error\.headers = \{ 'WWW-Authenticate': 'Bearer realm="api"' \}` before throwing it; no fix is offered/, line: 5, column: 5, endColumn: 23 },
        { message: KOA_ERROR, line: 10, column: 5, endColumn: 23 },
      ],
      output: `export default async (ctx, next) => {
  try {
    ctx.state.user = verify(ctx.headers.authorization);
  } catch (error) {
    error.status = 401;
    ctx.throw(error);
  }
  if (!ctx.state.user) {
    const error = new Error('sign in');
    error.status = 401;
    error.expose = true;
    error.headers = { 'WWW-Authenticate': 'Bearer realm="api"' };
    ctx.throw(error);
  }
  await next();
};`,
    },
    {
      name: "@fastify/jwt: the README's authenticate decorator sends jwtVerify's error, a 401 with no challenge; a reply that sets one, another call's error and a status of its own are not",
      filename: 'src/plugins/authenticate.ts',
      code: `import fp from 'fastify-plugin';
import jwt from '@fastify/jwt';
import type { FastifyReply, FastifyRequest } from 'fastify';

export default fp(async (fastify) => {
  await fastify.register(jwt, { secret: process.env.JWT_SECRET! });
  fastify.decorate('authenticate', async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      await request.jwtVerify();
    } catch (err) {
      return reply.send(err);
    }
  });
  fastify.decorate('authenticateApi', async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      await request.jwtVerify();
    } catch (err) {
      reply.header('WWW-Authenticate', 'Bearer realm="api"').send(err);
    }
  });
  fastify.decorate('upload', async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      await request.file();
    } catch (err) {
      reply.send(err);
    }
  });
  fastify.decorate('optionalUser', async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      await request.jwtVerify();
    } catch (err) {
      reply.code(500).send(err);
    }
  });
});`,
      errors: [{ message: RESPONSE, line: 11, column: 14, endColumn: 29 }],
      output: `import fp from 'fastify-plugin';
import jwt from '@fastify/jwt';
import type { FastifyReply, FastifyRequest } from 'fastify';

export default fp(async (fastify) => {
  await fastify.register(jwt, { secret: process.env.JWT_SECRET! });
  fastify.decorate('authenticate', async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      await request.jwtVerify();
    } catch (err) {
      return reply.header('WWW-Authenticate', 'Bearer realm="api"').send(err);
    }
  });
  fastify.decorate('authenticateApi', async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      await request.jwtVerify();
    } catch (err) {
      reply.header('WWW-Authenticate', 'Bearer realm="api"').send(err);
    }
  });
  fastify.decorate('upload', async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      await request.file();
    } catch (err) {
      reply.send(err);
    }
  });
  fastify.decorate('optionalUser', async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      await request.jwtVerify();
    } catch (err) {
      reply.code(500).send(err);
    }
  });
});`,
    },
    {
      name: 'Object.assign: an error given 401 in one call, thrown, passed to next() directly or through a const, or filled before `throw`; the fix adds `headers` to the copied object',
      filename: 'src/middleware/require-session.ts',
      code: `import Koa from 'koa';
export const requireSession: Koa.Middleware = async (ctx, next) => {
  if (!ctx.get('authorization')) throw Object.assign(new Error('Unauthorized'), { status: 401 });
  if (!ctx.state.user) {
    const error = new Error('Session expired');
    Object.assign(error, { status: 401, expose: true });
    throw error;
  }
  if (ctx.state.user.locked) throw Object.assign(new Error('Locked'), { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="api", error="invalid_token"' } });
  const copy = Object.assign({}, { status: 401 });
  ctx.body = copy;
  await next();
};`,
      errors: [
        { message: KOA_ERROR, line: 3, column: 40, endColumn: 97 },
        { message: KOA_ERROR, line: 6, column: 5, endColumn: 56 },
      ],
      output: `import Koa from 'koa';
export const requireSession: Koa.Middleware = async (ctx, next) => {
  if (!ctx.get('authorization')) throw Object.assign(new Error('Unauthorized'), { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="api"' } });
  if (!ctx.state.user) {
    const error = new Error('Session expired');
    Object.assign(error, { status: 401, expose: true, headers: { 'WWW-Authenticate': 'Bearer realm="api"' } });
    throw error;
  }
  if (ctx.state.user.locked) throw Object.assign(new Error('Locked'), { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="api", error="invalid_token"' } });
  const copy = Object.assign({}, { status: 401 });
  ctx.body = copy;
  await next();
};`,
    },
    {
      name: 'Object.assign in Express middleware without a framework import: next(Object.assign(new Error(msg), { statusCode: 401 }))',
      filename: 'src/middleware/auth.js',
      code: `module.exports = function requireUser(req, res, next) {
  if (!req.headers.authorization) {
    return next(Object.assign(new Error('Missing token'), { statusCode: 401 }));
  }
  const err = Object.assign(new Error('Not yet'), { statusCode: 401 });
  next();
};`,
      errors: [{ message: RESPONSE, line: 3, column: 17, endColumn: 79 }],
      output: `module.exports = function requireUser(req, res, next) {
  if (!req.headers.authorization) {
    return next(Object.assign(new Error('Missing token'), { statusCode: 401, headers: { 'WWW-Authenticate': 'Bearer realm="api"' } }));
  }
  const err = Object.assign(new Error('Not yet'), { statusCode: 401 });
  next();
};`,
    },
    {
      name: 'Express: an error given 401 by assignment and passed to next(), or rejected; headers without the challenge are completed',
      filename: 'src/middleware/auth.js',
      code: `const express = require('express');
const router = express.Router();
router.use((req, res, next) => {
  if (!req.headers.authorization) {
    const err = new Error('Login required');
    err.status = 401;
    return next(err);
  }
  next();
});
function check(req) {
  const err = new Error('expired');
  err.headers = { 'Cache-Control': 'no-store' };
  err.statusCode = 401;
  return Promise.reject(err);
}
module.exports = { router, check };`,
      errors: [
        { message: RESPONSE, line: 6, column: 5, endColumn: 21 },
        { message: RESPONSE, line: 14, column: 3, endColumn: 23 },
      ],
      output: `const express = require('express');
const router = express.Router();
router.use((req, res, next) => {
  if (!req.headers.authorization) {
    const err = new Error('Login required');
    err.status = 401;
    err.headers = { 'WWW-Authenticate': 'Bearer realm="api"' };
    return next(err);
  }
  next();
});
function check(req) {
  const err = new Error('expired');
  err.headers = { 'Cache-Control': 'no-store', 'WWW-Authenticate': 'Bearer realm="api"' };
  err.statusCode = 401;
  return Promise.reject(err);
}
module.exports = { router, check };`,
    },
    {
      name: "Express error middleware: express-jwt's UnauthorizedError answered with its own status, which its name fixes at 401",
      filename: 'src/loaders/express.ts',
      code: `import type { Express } from 'express';
export default ({ app }: { app: Express }) => {
  app.use((err, req, res, next) => {
    if (err.name === 'UnauthorizedError') {
      return res
        .status(err.status)
        .send({ message: err.message })
        .end();
    }
    return next(err);
  });
};`,
      errors: [{ message: RESPONSE, line: 5, column: 14, endLine: 6, endColumn: 28 }],
      output: `import type { Express } from 'express';
export default ({ app }: { app: Express }) => {
  app.use((err, req, res, next) => {
    if (err.name === 'UnauthorizedError') {
      return res.set(${CHALLENGE})
        .status(err.status)
        .send({ message: err.message })
        .end();
    }
    return next(err);
  });
};`,
    },
    {
      name: 'Express chain: the header goes first in the chain',
      code: `import express from 'express';
const app = express();
app.get('/me', (req, res) => {
  if (!req.user) return res.status(401).json({ error: 'sign in' });
  res.json(req.user);
});`,
      errors: [{ message: RESPONSE, line: 4, column: 25, endColumn: 40 }],
      output: `import express from 'express';
const app = express();
app.get('/me', (req, res) => {
  if (!req.user) return res.set(${CHALLENGE}).status(401).json({ error: 'sign in' });
  res.json(req.user);
});`,
    },
    {
      name: 'sendStatus, and a header set on another branch',
      code: `import express from 'express';
express().get('/x', (req, res) => {
  if (req.query.a) {
    res.set('WWW-Authenticate', 'Bearer');
  }
  res.sendStatus(401);
});`,
      errors: [
        {
          message:
            '401 response without a WWW-Authenticate header when `req.query.a` does not hold: clients cannot tell which authentication scheme to use (RFC 9110 §15.5.2). ' +
            'The code sets the header only under that condition (line 4); no fix is offered, since a challenge added here would override it.',
          line: 6,
          column: 3,
          endColumn: 22,
        },
      ],
      output: null,
    },
    {
      name: 'an UnauthorizedError this file declares with its 401 carries it to the error handler',
      code: `export class UnauthorizedError extends Error { statusCode = 401; }
export function guard(req, res, next) {
  if (!req.headers.authorization) return next(new UnauthorizedError());
  next();
}`,
      errors: [{ message: /^`UnauthorizedError` carries a 401 to the error handler/, line: 3, column: 47, endColumn: 70 }],
      output: null,
    },
    {
      name: 'a challenge set in an earlier branch that returns does not reach a later 401, which is fixed',
      code: `import express from 'express';
express().get('/a', (req, res) => {
  if (!req.headers.authorization) {
    res.set('WWW-Authenticate', 'Bearer realm="api"');
    return res.status(401).end();
  }
  if (!verify(req.headers.authorization)) return res.status(401).end();
  res.end();
});`,
      errors: [{ message: RESPONSE, line: 7, column: 50, endColumn: 65 }],
      output: `import express from 'express';
express().get('/a', (req, res) => {
  if (!req.headers.authorization) {
    res.set('WWW-Authenticate', 'Bearer realm="api"');
    return res.status(401).end();
  }
  if (!verify(req.headers.authorization)) return res.set(${CHALLENGE}).status(401).end();
  res.end();
});`,
    },
    {
      name: "a challenge the code sends only when an option is on: the finding stays, and no fix overrides the code's realm",
      filename: 'basic-auth.ts',
      code: `import type { NextFunction, Request, Response } from 'express';
export function basicAuth(options: { challenge?: boolean; realm?: string }) {
  const realm = options.realm ?? 'Secure Area';
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.headers.authorization) {
      if (options.challenge) res.set('WWW-Authenticate', \`Basic realm="\${realm}"\`);
      return res.status(401).end();
    }
    next();
  };
}`,
      errors: [
        {
          message:
            '401 response without a WWW-Authenticate header when `options.challenge` does not hold: clients cannot tell which authentication scheme to use (RFC 9110 §15.5.2). ' +
            'The code sets the header only under that condition (line 6); no fix is offered, since a challenge added here would override it.',
          line: 7,
          column: 14,
          endColumn: 29,
        },
      ],
      output: null,
    },
    {
      name: 'a header removed between the set and the 401',
      code: `export function guard(req, res) {
  res.setHeader('WWW-Authenticate', 'Bearer');
  res.removeHeader('WWW-Authenticate');
  res.status(401).end();
}`,
      errors: [{ message: RESPONSE, line: 4, column: 3, endColumn: 18 }],
      output: `export function guard(req, res) {
  res.setHeader('WWW-Authenticate', 'Bearer');
  res.removeHeader('WWW-Authenticate');
  res.setHeader(${CHALLENGE}).status(401).end();
}`,
    },
    {
      name: 'node:http statusCode and writeHead',
      code: `const http = require('node:http');
http.createServer((req, res) => {
  if (!req.headers['x-api-key']) {
    res.statusCode = 401;
    return res.end();
  }
  if (req.url === '/a') {
    res.writeHead(401, { 'Content-Type': 'application/json' });
    return res.end('{}');
  }
  res.writeHead(401);
  res.end();
});`,
      errors: [
        { message: RESPONSE, line: 4, column: 5, endColumn: 25 },
        { message: RESPONSE, line: 8, column: 5, endColumn: 63 },
        { message: RESPONSE, line: 11, column: 3, endColumn: 21 },
      ],
      output: `const http = require('node:http');
http.createServer((req, res) => {
  if (!req.headers['x-api-key']) {
    res.setHeader(${CHALLENGE});
    res.statusCode = 401;
    return res.end();
  }
  if (req.url === '/a') {
    res.writeHead(401, { 'Content-Type': 'application/json', 'WWW-Authenticate': 'Bearer realm="api"' });
    return res.end('{}');
  }
  res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="api"' });
  res.end();
});`,
    },
    {
      name: 'an if without braces gets no statement inserted',
      code: `export function h(req, res) {
  if (!req.user) res.statusCode = 401;
  res.end();
}`,
      errors: [{ message: RESPONSE, line: 2, column: 18, endColumn: 38 }],
      output: null,
    },
    {
      name: 'named constants: StatusCodes, HttpStatus, a local const and an enum',
      code: `import { StatusCodes } from 'http-status-codes';
const UNAUTHORIZED = 401;
enum Status { Unauthorized = 401 }
export function a(req, res) { res.status(StatusCodes.UNAUTHORIZED).end(); }
export function b(req, res) { res.status(UNAUTHORIZED).end(); }
export function c(req, res) { res.status(Status.Unauthorized).end(); }`,
      errors: [
        { message: RESPONSE, line: 4, column: 31, endColumn: 67 },
        { message: RESPONSE, line: 5, column: 31, endColumn: 55 },
        { message: RESPONSE, line: 6, column: 31, endColumn: 62 },
      ],
      output: `import { StatusCodes } from 'http-status-codes';
const UNAUTHORIZED = 401;
enum Status { Unauthorized = 401 }
export function a(req, res) { res.setHeader(${CHALLENGE}).status(StatusCodes.UNAUTHORIZED).end(); }
export function b(req, res) { res.setHeader(${CHALLENGE}).status(UNAUTHORIZED).end(); }
export function c(req, res) { res.setHeader(${CHALLENGE}).status(Status.Unauthorized).end(); }`,
    },
    {
      name: 'a helper taking the status is reported where 401 is passed',
      code: `function fail(res, status, message) {
  return res.status(status).json({ message });
}
export function handler(req, res) {
  if (!req.user) {
    return fail(res, 401, 'sign in');
  }
  return fail(res, 400, 'bad');
}`,
      errors: [{ message: /^`fail\(…\)` sends a 401 without a WWW-Authenticate header/, line: 6, column: 12, endColumn: 37 }],
      output: `function fail(res, status, message) {
  return res.status(status).json({ message });
}
export function handler(req, res) {
  if (!req.user) {
    res.setHeader(${CHALLENGE});
    return fail(res, 401, 'sign in');
  }
  return fail(res, 400, 'bad');
}`,
    },
    {
      name: 'NestJS: a guard serving REST and GraphQL (it tests context.getType()) still answers REST callers with the 401',
      filename: 'src/auth/jwt-auth.guard.ts',
      code: `import { ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { AuthGuard } from '@nestjs/passport';

@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  getRequest(context: ExecutionContext) {
    if (context.getType<string>() === 'graphql') return GqlExecutionContext.create(context).getContext().req;
    return context.switchToHttp().getRequest();
  }

  handleRequest<TUser>(err: Error | undefined, user: TUser | false): TUser {
    if (err || !user) throw new UnauthorizedException();
    return user;
  }
}`,
      errors: [{ message: RESPONSE, line: 13, column: 29, endColumn: 56 }],
      output: null,
    },
    {
      name: 'a Next.js API helper whose status defaults to 400 (`status ?? 400`) is reported where 401 is passed, not where it falls back',
      filename: 'pages/api/team/[teamId].ts',
      code: `import type { NextApiRequest, NextApiResponse } from 'next';
import { readSession } from '../../../lib/session';

const apiError = (res: NextApiResponse, error: { message: string }, status?: number) => {
  return res.status(status ?? 400).json(error);
};

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const session = await readSession(req.cookies.session);
  if (!session) {
    return apiError(res, { message: 'Not authenticated' }, 401);
  }
  if (typeof req.query.teamId !== 'string') {
    return apiError(res, { message: 'Team id is required' });
  }
  return res.json({ team: req.query.teamId });
}`,
      errors: [{ message: /^`apiError\(…\)` sends a 401 without a WWW-Authenticate header/, line: 11, column: 12, endColumn: 64 }],
      output: `import type { NextApiRequest, NextApiResponse } from 'next';
import { readSession } from '../../../lib/session';

const apiError = (res: NextApiResponse, error: { message: string }, status?: number) => {
  return res.status(status ?? 400).json(error);
};

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const session = await readSession(req.cookies.session);
  if (!session) {
    res.setHeader(${CHALLENGE});
    return apiError(res, { message: 'Not authenticated' }, 401);
  }
  if (typeof req.query.teamId !== 'string') {
    return apiError(res, { message: 'Team id is required' });
  }
  return res.json({ team: req.query.teamId });
}`,
    },
    {
      name: 'a Koa helper whose status falls back to 401 (`status || 401`) is reported once, in the helper',
      filename: 'src/utils/fail.js',
      code: `import Koa from 'koa';
export function fail(ctx, message, status) {
  ctx.status = status || 401;
  ctx.body = { message };
}
export const app = new Koa();
app.use((ctx) => fail(ctx, 'sign in'));`,
      errors: [{ message: /^401 response without a WWW-Authenticate header: .* The status is chosen between 401 and another by code a fix cannot repeat safely/, line: 3, column: 3, endColumn: 29 }],
      output: null,
    },
    {
      name: 'a helper sending a literal 401 is reported once, in the helper',
      code: `function unauthorized(res) {
  res.status(401).send('Unauthorized');
}
export const a = (req, res) => unauthorized(res);
export const b = (req, res) => unauthorized(res);`,
      errors: [{ message: RESPONSE, line: 2, column: 3, endColumn: 18 }],
      output: `function unauthorized(res) {
  res.setHeader(${CHALLENGE}).status(401).send('Unauthorized');
}
export const a = (req, res) => unauthorized(res);
export const b = (req, res) => unauthorized(res);`,
    },
    {
      name: 'Basic credentials get a Basic challenge',
      code: `export function admin(req, res) {
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) return res.status(401).end();
}`,
      errors: [{ message: /Set `WWW-Authenticate: Basic realm="api"`/, line: 3, column: 44, endColumn: 59 }],
      output: `export function admin(req, res) {
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) return res.setHeader('WWW-Authenticate', 'Basic realm="api"').status(401).end();
}`,
    },
    {
      name: 'Basic client credentials the code sends to its OAuth provider are not Basic credentials it reads: the configured challenge',
      code: `export async function callback(req, res) {
  if (req.query.error) return res.status(401).json({ error: 'login failed' });
  const token = await fetch('https://id.example.com/oauth/token', {
    method: 'POST',
    headers: { Authorization: \`Basic \${Buffer.from('id:secret').toString('base64')}\`, 'content-type': 'application/x-www-form-urlencoded' },
  });
  const refresh = new Headers();
  refresh.set('authorization', 'Basic ' + process.env.CLIENT);
  res.json(await token.json());
}`,
      errors: [{ message: /Set `WWW-Authenticate: Bearer realm="api"`/, line: 2, column: 31, endColumn: 46 }],
      output: `export async function callback(req, res) {
  if (req.query.error) return res.setHeader('WWW-Authenticate', 'Bearer realm="api"').status(401).json({ error: 'login failed' });
  const token = await fetch('https://id.example.com/oauth/token', {
    method: 'POST',
    headers: { Authorization: \`Basic \${Buffer.from('id:secret').toString('base64')}\`, 'content-type': 'application/x-www-form-urlencoded' },
  });
  const refresh = new Headers();
  refresh.set('authorization', 'Basic ' + process.env.CLIENT);
  res.json(await token.json());
}`,
    },
    {
      name: 'the scheme follows what the code reads: `Authorization: Key …` gets a Key challenge',
      filename: 'keys.ts',
      code: `import express from 'express';
export const app = express();
app.get('/v1/items', (req, res) => {
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Key ')) return res.status(401).json({ error: 'API key required' });
  res.json(lookup(header.slice('Key '.length)));
});`,
      errors: [{ message: /Set `WWW-Authenticate: Key realm="api"`/, line: 5, column: 42, endColumn: 57 }],
      output: `import express from 'express';
export const app = express();
app.get('/v1/items', (req, res) => {
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Key ')) return res.set('WWW-Authenticate', 'Key realm="api"').status(401).json({ error: 'API key required' });
  res.json(lookup(header.slice('Key '.length)));
});`,
    },
    {
      name: 'a scheme compared after splitting the header, and the configured realm kept',
      filename: 'token-auth.ts',
      settings: { challenge: 'Bearer realm="shop"' },
      code: `import type { Request, Response, NextFunction } from 'express';
export function tokenAuth(req: Request, res: Response, next: NextFunction) {
  const [scheme, credentials] = (req.headers.authorization ?? '').split(' ');
  if (scheme !== 'Token' || !credentials) return res.status(401).end();
  next();
}`,
      errors: [{ message: /Set `WWW-Authenticate: Token realm="shop"`/, line: 4, column: 50, endColumn: 65 }],
      output: `import type { Request, Response, NextFunction } from 'express';
export function tokenAuth(req: Request, res: Response, next: NextFunction) {
  const [scheme, credentials] = (req.headers.authorization ?? '').split(' ');
  if (scheme !== 'Token' || !credentials) return res.set('WWW-Authenticate', 'Token realm="shop"').status(401).end();
  next();
}`,
    },
    {
      name: 'code that accepts Bearer and Key keeps the configured challenge; a word logged with a space is no scheme',
      filename: 'either.ts',
      code: `import express from 'express';
export const app = express();
app.get('/x', (req, res) => {
  const header = req.headers.authorization ?? '';
  console.log('Error ', header.length);
  if (!header.startsWith('Bearer ') && !header.startsWith('Key ')) return res.status(401).end();
  res.end();
});`,
      errors: [{ message: RESPONSE, line: 6, column: 75, endColumn: 90 }],
      output: `import express from 'express';
export const app = express();
app.get('/x', (req, res) => {
  const header = req.headers.authorization ?? '';
  console.log('Error ', header.length);
  if (!header.startsWith('Bearer ') && !header.startsWith('Key ')) return res.set(${CHALLENGE}).status(401).end();
  res.end();
});`,
    },
    {
      name: 'a status chosen between 401 and another in the call: the header is set only when it is 401',
      filename: 'proxy.ts',
      code: `import express from 'express';
export const app = express();
app.get('/upstream', async (req, res) => {
  const upstream = await fetch('https://api.example.com/me', { headers: { authorization: req.headers.authorization ?? '' } });
  res.status(upstream.status === 401 ? 401 : 502).end();
});`,
      errors: [{ message: RESPONSE, line: 5, column: 3, endColumn: 50 }],
      output: `import express from 'express';
export const app = express();
app.get('/upstream', async (req, res) => {
  const upstream = await fetch('https://api.example.com/me', { headers: { authorization: req.headers.authorization ?? '' } });
  if (upstream.status === 401) res.set('WWW-Authenticate', 'Bearer realm="api"');
  res.status(upstream.status === 401 ? 401 : 502).end();
});`,
    },
    {
      name: 'a 401 in the else arm: the header is set when the condition does not hold',
      filename: 'else-arm.ts',
      code: `import express from 'express';
export const app = express();
app.get('/me', (req, res) => {
  res.status(req.headers.authorization ? 200 : 401).json(req.headers.authorization ? { ok: true } : { error: 'sign in' });
});`,
      errors: [{ message: RESPONSE, line: 4, column: 3, endColumn: 52 }],
      output: `import express from 'express';
export const app = express();
app.get('/me', (req, res) => {
  if (!req.headers.authorization) res.set('WWW-Authenticate', 'Bearer realm="api"');
  res.status(req.headers.authorization ? 200 : 401).json(req.headers.authorization ? { ok: true } : { error: 'sign in' });
});`,
    },
    {
      name: 'a status chosen by a call between 401 and another: no fix, since the call cannot be repeated and an unconditional header would go out with the other status',
      filename: 'chosen.ts',
      code: `import express from 'express';
import { upstreamDown } from './health';
export const app = express();
app.get('/me', async (req, res) => {
  res.status((await upstreamDown()) ? 503 : 401).end();
});`,
      errors: [{ message: /^401 response without a WWW-Authenticate header: .* The status is chosen between 401 and another by code a fix cannot repeat safely: set the header only where it is 401\.$/, line: 5, column: 3, endColumn: 49 }],
      output: null,
    },
    {
      name: 'a 401 in an arm of an arm (`a ? 403 : b ? 401 : 502`): no fix, since a header set when `b` alone would also go out with the 403',
      filename: 'nested.ts',
      code: `import express from 'express';
export const app = express();
app.get('/upstream', async (req, res) => {
  const upstream = await fetch('https://api.example.com/me', { headers: { authorization: req.headers.authorization ?? '' } });
  res.status(upstream.status === 403 ? 403 : upstream.status === 401 ? 401 : 502).end();
});`,
      errors: [{ message: /^401 response without a WWW-Authenticate header: .* The status is chosen between 401 and another by code a fix cannot repeat safely: set the header only where it is 401\.$/, line: 5, column: 3, endColumn: 82 }],
      output: null,
    },
    {
      name: 'a status chosen between 401 and another in an if without braces: no statement can go before it, so no fix, and the message says why',
      filename: 'unbraced.ts',
      code: `import express from 'express';
export const app = express();
app.get('/upstream', async (req, res) => {
  const upstream = await fetch('https://api.example.com/me', { headers: { authorization: req.headers.authorization ?? '' } });
  if (!upstream.ok) return res.status(upstream.status === 401 ? 401 : 502).end();
  res.end();
});`,
      errors: [{ message: /^401 response without a WWW-Authenticate header: .* No fix is offered: the header must be set under the condition that chooses 401, in a statement before this one, and this one is not in a block\.$/, line: 5, column: 28, endColumn: 75 }],
      output: null,
    },
    {
      name: 'NestJS: a route that also answers 200 gets no @Header(), which would go out with every response',
      filename: 'me.controller.ts',
      code: `import { Controller, Get, Req, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
@Controller('me')
export class MeController {
  @Get()
  me(@Req() req: Request & { user?: { id: string } }) {
    if (!req.user) throw new UnauthorizedException();
    return req.user;
  }
}`,
      errors: [
        {
          message:
            '401 response without a WWW-Authenticate header: clients cannot tell which authentication scheme to use (RFC 9110 §15.5.2). Set `WWW-Authenticate: Bearer realm="api"` where 401s are answered ' +
            '(an exception filter for UnauthorizedException, or the response itself); a `@Header()` on this route would also go out with its other responses, so no fix is offered.',
          line: 7,
          column: 26,
          endColumn: 53,
        },
      ],
      output: null,
    },
    {
      name: 'a Basic literal in a nested function counts for the handler around it',
      code: `export function admin(req, res) {
  const isBasic = () => (req.headers.authorization ?? '').startsWith(\`Basic \${''}\`);
  if (!isBasic()) return res.status(401).end();
}`,
      errors: [{ message: /Set `WWW-Authenticate: Basic realm="api"`/, line: 3, column: 26, endColumn: 41 }],
      output: `export function admin(req, res) {
  const isBasic = () => (req.headers.authorization ?? '').startsWith(\`Basic \${''}\`);
  if (!isBasic()) return res.setHeader('WWW-Authenticate', 'Basic realm="api"').status(401).end();
}`,
    },
    {
      name: 'a Basic literal in a neighbouring function leaves the configured challenge',
      code: `export function parse(header) {
  return header.startsWith('Basic ') ? header.slice(6) : '';
}
export function admin(req, res) {
  if (!parse(req.headers.authorization ?? '')) return res.status(401).end();
}`,
      errors: [{ message: RESPONSE, line: 5, column: 55, endColumn: 70 }],
      output: `export function parse(header) {
  return header.startsWith('Basic ') ? header.slice(6) : '';
}
export function admin(req, res) {
  if (!parse(req.headers.authorization ?? '')) return res.setHeader(${CHALLENGE}).status(401).end();
}`,
    },
    {
      name: 'the challenge setting',
      code: `export const h = (req, res) => res.sendStatus(401);`,
      settings: { challenge: 'Bearer realm="orders", error="invalid_token"' },
      errors: [{ message: /Set `WWW-Authenticate: Bearer realm="orders", error="invalid_token"`/, line: 1, column: 32, endColumn: 51 }],
      output: `export const h = (req, res) => res.setHeader('WWW-Authenticate', 'Bearer realm="orders", error="invalid_token"').sendStatus(401);`,
    },
    {
      name: 'Koa: ctx.status, ctx.throw, ctx.assert, and a header set before a throw is dropped',
      code: `import Koa from 'koa';
new Koa().use(async (ctx, next) => {
  if (!ctx.get('authorization')) {
    ctx.status = 401;
    return;
  }
  if (ctx.query.token === 'old') ctx.throw(401, 'expired', { expose: true });
  ctx.set('WWW-Authenticate', 'Bearer');
  if (ctx.query.token === 'bad') ctx.throw(401);
  ctx.assert(ctx.state.user, 401, 'sign in');
  await next();
});`,
      errors: [
        { message: RESPONSE, line: 4, column: 5, endColumn: 21 },
        { message: KOA_ERROR, line: 7, column: 34, endColumn: 77 },
        { message: KOA_ERROR, line: 9, column: 34, endColumn: 48 },
        { message: KOA_ERROR, line: 10, column: 3, endColumn: 45 },
      ],
      output: `import Koa from 'koa';
new Koa().use(async (ctx, next) => {
  if (!ctx.get('authorization')) {
    ctx.set(${CHALLENGE});
    ctx.status = 401;
    return;
  }
  if (ctx.query.token === 'old') ctx.throw(401, 'expired', { expose: true, headers: { 'WWW-Authenticate': 'Bearer realm="api"' } });
  ctx.set('WWW-Authenticate', 'Bearer');
  if (ctx.query.token === 'bad') ctx.throw(401, { headers: { 'WWW-Authenticate': 'Bearer realm="api"' } });
  ctx.assert(ctx.state.user, 401, 'sign in', { headers: { 'WWW-Authenticate': 'Bearer realm="api"' } });
  await next();
});`,
    },
    {
      name: 'http-errors, thrown under Koa and passed to next() under Express',
      code: `import createError from 'http-errors';
import express from 'express';
express().use((req, res, next) => {
  if (!req.user) return next(createError(401, 'Login required'));
  if (!req.session) next(new createError.Unauthorized());
});`,
      errors: [
        { message: RESPONSE, line: 4, column: 30, endColumn: 64 },
        { message: RESPONSE, line: 5, column: 26, endColumn: 56 },
      ],
      output: `import createError from 'http-errors';
import express from 'express';
express().use((req, res, next) => {
  if (!req.user) return next(createError(401, 'Login required', { headers: { 'WWW-Authenticate': 'Bearer realm="api"' } }));
  if (!req.session) next(new createError.Unauthorized());
});`,
    },
    {
      name: 'http-errors classes destructured from the module (a Fastify JWT plugin); the 403 for a role is left alone',
      code: `const { Unauthorized, Forbidden } = require('http-errors');
module.exports = async function authenticate(request) {
  try {
    await request.jwtVerify();
  } catch (err) {
    throw new Unauthorized();
  }
  if (!request.user.roles.includes('admin')) throw new Forbidden();
};`,
      errors: [{ message: RESPONSE, line: 6, column: 11, endColumn: 29 }],
      output: null,
    },
    {
      name: 'http-errors bound by import-equals, and by a require inside a handler',
      code: `import createError = require('http-errors');
export function a(req, res, next) {
  if (!req.user) return next(createError(401));
}
export function b(req, res, next) {
  const errors = require('http-errors-enhanced');
  if (!req.user) return next(new errors.Unauthorized());
}`,
      errors: [
        { message: RESPONSE, line: 3, column: 30, endColumn: 46 },
        { message: RESPONSE, line: 7, column: 30, endColumn: 55 },
      ],
      output: `import createError = require('http-errors');
export function a(req, res, next) {
  if (!req.user) return next(createError(401, { headers: { 'WWW-Authenticate': 'Bearer realm="api"' } }));
}
export function b(req, res, next) {
  const errors = require('http-errors-enhanced');
  if (!req.user) return next(new errors.Unauthorized());
}`,
    },
    {
      name: 'Fastify reply.code/status and @fastify/sensible',
      code: `import Fastify from 'fastify';
const app = Fastify();
app.get('/x', async (request, reply) => {
  if (!request.headers.authorization) return reply.code(401).send({ error: 'x' });
  if (!request.user) return reply.unauthorized('sign in');
  if (request.query.q) throw app.httpErrors.unauthorized();
  return reply.status(401).send();
});`,
      errors: [
        { message: RESPONSE, line: 4, column: 46, endColumn: 61 },
        { message: RESPONSE, line: 5, column: 29, endColumn: 58 },
        { message: RESPONSE, line: 6, column: 30, endColumn: 59 },
        { message: RESPONSE, line: 7, column: 10, endColumn: 27 },
      ],
      output: `import Fastify from 'fastify';
const app = Fastify();
app.get('/x', async (request, reply) => {
  if (!request.headers.authorization) return reply.header(${CHALLENGE}).code(401).send({ error: 'x' });
  if (!request.user) return reply.header(${CHALLENGE}).unauthorized('sign in');
  if (request.query.q) throw app.httpErrors.unauthorized();
  return reply.header(${CHALLENGE}).status(401).send();
});`,
    },
    {
      name: 'Hono responders, c.status and HTTPException',
      code: `import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
new Hono().get('/x', (c) => {
  if (!c.req.header('a')) return c.text('no', 401);
  if (!c.req.header('b')) return c.json({ e: 1 }, 401, { 'X-Trace': '1' });
  if (!c.req.header('c')) return c.json({ e: 1 }, { status: 401 });
  if (!c.req.header('d')) throw new HTTPException(401, { message: 'Bad token' });
  c.header('WWW-Authenticate', 'Bearer');
  if (!c.req.header('e')) throw new HTTPException(401);
  c.status(401);
  return c.body(null);
});`,
      errors: [
        { message: RESPONSE, line: 4, column: 34, endColumn: 51 },
        { message: RESPONSE, line: 5, column: 34, endColumn: 75 },
        { message: RESPONSE, line: 6, column: 34, endColumn: 67 },
        { message: HONO_ERROR, line: 7, column: 33, endColumn: 81 },
        { message: HONO_ERROR, line: 9, column: 33, endColumn: 55 },
      ],
      output: `import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
new Hono().get('/x', (c) => {
  if (!c.req.header('a')) return c.text('no', 401, { 'WWW-Authenticate': 'Bearer realm="api"' });
  if (!c.req.header('b')) return c.json({ e: 1 }, 401, { 'X-Trace': '1', 'WWW-Authenticate': 'Bearer realm="api"' });
  if (!c.req.header('c')) return c.json({ e: 1 }, { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="api"' } });
  if (!c.req.header('d')) throw new HTTPException(401, { message: 'Bad token', res: new Response('Bad token', { headers: { 'WWW-Authenticate': 'Bearer realm="api"' } }) });
  c.header('WWW-Authenticate', 'Bearer');
  if (!c.req.header('e')) throw new HTTPException(401, { res: new Response('Unauthorized', { headers: { 'WWW-Authenticate': 'Bearer realm="api"' } }) });
  c.status(401);
  return c.body(null);
});`,
    },
    {
      name: 'Hono c.status without a header',
      code: `import { Hono } from 'hono';
new Hono().get('/x', (c) => {
  c.status(401);
  return c.body(null);
});`,
      errors: [{ message: RESPONSE, line: 3, column: 3, endColumn: 16 }],
      output: `import { Hono } from 'hono';
new Hono().get('/x', (c) => {
  c.header(${CHALLENGE});
  c.status(401);
  return c.body(null);
});`,
    },
    {
      name: 'Web Response, Response.json and NextResponse',
      filename: 'app/api/orders/route.ts',
      code: `import { NextResponse } from 'next/server';
export async function GET(req: Request) {
  if (!req.headers.get('authorization')) return NextResponse.json({ error: 'x' }, { status: 401 });
  if (req.url.endsWith('/a')) return Response.json({}, { status: 401, headers: { 'Cache-Control': 'no-store' } });
  return new Response(null, {
    status: 401,
  });
}`,
      errors: [
        { message: RESPONSE, line: 3, column: 49, endColumn: 99 },
        { message: RESPONSE, line: 4, column: 38, endColumn: 114 },
        { message: RESPONSE, line: 5, column: 10, endLine: 7, endColumn: 5 },
      ],
      output: `import { NextResponse } from 'next/server';
export async function GET(req: Request) {
  if (!req.headers.get('authorization')) return NextResponse.json({ error: 'x' }, { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="api"' } });
  if (req.url.endsWith('/a')) return Response.json({}, { status: 401, headers: { 'Cache-Control': 'no-store', 'WWW-Authenticate': 'Bearer realm="api"' } });
  return new Response(null, {
    status: 401,
    headers: { 'WWW-Authenticate': 'Bearer realm="api"' },
  });
}`,
    },
    {
      name: 'NestJS: a guard sets the header on the response, a controller route gets @Header()',
      code: `import { CanActivate, Controller, ExecutionContext, Get, HttpException, HttpStatus, Injectable, UnauthorizedException } from '@nestjs/common';
@Injectable()
export class ApiKeyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (!context.switchToHttp().getRequest().headers['x-api-key']) {
      throw new UnauthorizedException('API key required');
    }
    return true;
  }
}
@Controller('me')
export class MeController {
  @Get()
  me() {
    throw new HttpException('nope', HttpStatus.UNAUTHORIZED);
  }
}`,
      errors: [
        { message: RESPONSE, line: 6, column: 13, endColumn: 58 },
        { message: RESPONSE, line: 15, column: 11, endColumn: 61 },
      ],
      output: `import { CanActivate, Controller, ExecutionContext, Get, HttpException, HttpStatus, Injectable, UnauthorizedException, Header } from '@nestjs/common';
@Injectable()
export class ApiKeyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (!context.switchToHttp().getRequest().headers['x-api-key']) {
      context.switchToHttp().getResponse().header(${CHALLENGE});
      throw new UnauthorizedException('API key required');
    }
    return true;
  }
}
@Controller('me')
export class MeController {
  @Header(${CHALLENGE})
  @Get()
  me() {
    throw new HttpException('nope', HttpStatus.UNAUTHORIZED);
  }
}`,
    },
    {
      name: 'NestJS: a service has no response to set the header on',
      code: `import { Injectable, UnauthorizedException } from '@nestjs/common';
@Injectable()
export class AuthService {
  validate(user?: object) {
    if (!user) throw new UnauthorizedException();
    return user;
  }
}`,
      errors: [{ message: RESPONSE, line: 5, column: 22, endColumn: 49 }],
      output: null,
    },
    {
      name: 'Boom and hapi',
      code: `import Boom from '@hapi/boom';
export const handler = (request, h) => {
  if (!request.auth) throw Boom.unauthorized('no');
  if (!request.x) throw Boom.unauthorized();
  return h.response({ e: 1 }).code(401);
};`,
      errors: [
        { message: HAPI_ERROR, line: 3, column: 28, endColumn: 51 },
        { message: HAPI_ERROR, line: 4, column: 25, endColumn: 44 },
        { message: RESPONSE, line: 5, column: 10, endColumn: 40 },
      ],
      output: `import Boom from '@hapi/boom';
export const handler = (request, h) => {
  if (!request.auth) throw Boom.unauthorized('no', ['Bearer realm="api"']);
  if (!request.x) throw Boom.unauthorized(null, 'Bearer', { realm: 'api' });
  return h.response({ e: 1 }).code(401).header(${CHALLENGE});
};`,
    },
    {
      name: 'Next.js API route (pages/api): a bare ServerResponse chains setHeader',
      filename: 'pages/api/profile.ts',
      code: `import type { NextApiRequest, NextApiResponse } from 'next';
export default function handler(req: NextApiRequest, res: NextApiResponse) {
  if (!req.cookies.session) return res.status(401).json({ message: 'sign in' });
  res.json({});
}`,
      errors: [{ message: RESPONSE, line: 3, column: 36, endColumn: 51 }],
      output: `import type { NextApiRequest, NextApiResponse } from 'next';
export default function handler(req: NextApiRequest, res: NextApiResponse) {
  if (!req.cookies.session) return res.setHeader(${CHALLENGE}).status(401).json({ message: 'sign in' });
  res.json({});
}`,
    },
    {
      name: 'application error classes carrying 401 in a request handler',
      code: `import httpStatus from 'http-status';
import { ApiError, UnauthorizedError } from './errors';
export const auth = (req, res, next) => {
  if (!req.user) return next(new ApiError(httpStatus.UNAUTHORIZED, 'Please authenticate'));
  if (!req.session.valid) throw new UnauthorizedError();
  next();
};`,
      errors: [
        { message: /^`ApiError` carries a 401 to the error handler with no WWW-Authenticate header/, line: 4, column: 30, endColumn: 90 },
        { message: /^`UnauthorizedError` carries a 401 to the error handler/, line: 5, column: 33, endColumn: 56 },
      ],
      output: null,
    },
    {
      name: 'a response parameter with any name after the request',
      filename: 'handler.js',
      code: `module.exports = function (request, out) { out.sendStatus(401); };`,
      errors: [{ message: RESPONSE, line: 1, column: 44, endColumn: 63 }],
      output: `module.exports = function (request, out) { out.setHeader(${CHALLENGE}).sendStatus(401); };`,
    },
  ],
});
