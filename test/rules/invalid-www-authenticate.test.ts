import { invalidWwwAuthenticate } from '../../server/src/core/rules/invalid-www-authenticate';
import { runRuleTests } from '../rule-tester';

runRuleTests(invalidWwwAuthenticate, {
  valid: [
    `import express from 'express';
const app = express();
app.get('/me', (req, res) => {
  res.set('WWW-Authenticate', 'Bearer realm="api", error="invalid_token", error_description="The access token expired"');
  res.status(401).json({ error: 'expired' });
});`,
    `import http from 'node:http';
http.createServer((req, res) => {
  res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="Zoë\\'s files", charset="utf-8"' });
  res.end();
});`,
    `import type { Request, Response } from 'express';
export function deny(req: Request, res: Response, realm: string, scheme: string) {
  res.set('WWW-Authenticate', \`Bearer realm="\${realm}", scope="\${req.params.scope}"\`);
  res.append('WWW-Authenticate', \`\${scheme} realm="\${realm}"\`);
  res.append('WWW-Authenticate', \`Bearer \${req.query.params}\`);
  res.sendStatus(401);
}`,
    `import { Hono } from 'hono';
import { config } from './config';
const app = new Hono();
const challenge = (realm: string) => \`Bearer realm="\${realm}"\`;
app.get('/me', (c) => {
  c.header('WWW-Authenticate', config.challenge);
  c.header('WWW-Authenticate', challenge('api'));
  c.header('WWW-Authenticate', process.env.CHALLENGE ?? 'Bearer realm="api"');
  return c.text('sign in', 401);
});`,
    `export async function GET(request: Request) {
  return new Response(null, {
    status: 401,
    headers: [
      ['WWW-Authenticate', 'Negotiate'],
      ['WWW-Authenticate', 'Negotiate YIIGhgYJKoZIhvcSAQICAQBuggZ1MIIGcaADAgEFoQMCAQ6iBwMFACAAAACjggRzYYIEbzCCBGugAwIBBaEOGwxBRC5FWEFNUExFLkNPTQ=='],
      ['WWW-Authenticate', 'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"'],
      ['WWW-Authenticate', 'DPoP algs="ES256 PS256", error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"'],
      ['WWW-Authenticate', 'Bearer realm="api", error="insufficient_user_authentication", acr_values="urn:example:mfa"'],
    ],
  });
}`,
    `import Boom from '@hapi/boom';
export function authenticate(request, message: string) {
  if (!request.headers.authorization) throw Boom.unauthorized(null, 'Bearer', { realm: 'api' });
  if (request.auth.expired) throw Boom.unauthorized('invalid_token', 'Bearer', { realm: 'api', error_description: 'The token expired' });
  if (request.auth.other) throw Boom.unauthorized(message, 'Bearer', { realm: 'api' });
  if (request.auth.any) throw Boom.unauthorized(null, ['Basic realm="files"', 'Bearer realm="api"']);
  throw Boom.unauthorized(null, 'Negotiate');
}`,
    `app.get('/me', (req, res) => {
  res.set('WWW-Authenticate', 'Basic realm="files", Bearer realm="api", error=invalid_token, Negotiate');
  res.sendStatus(401);
});`,
    { filename: "test/auth.test.ts", code: `import request from 'supertest';
it('challenges', async () => {
  app.get('/x', (req, res) => res.set('WWW-Authenticate', 'Basic').sendStatus(401));
  const res = await request(app).get('/x');
  expect(res.headers['www-authenticate']).toBe('Bearer');
});` },
    `export async function probe(url: string) {
  const res = await fetch(url);
  if (res.headers.get('www-authenticate') === 'Basic') return 'basic';
  return res.headers.get('WWW-Authenticate')?.startsWith('Bearer') ? 'bearer' : 'none';
}`,
  ],
  invalid: [
    {
      name: "express: Basic without realm",
      code: `import express from 'express';
const app = express();
app.get('/admin', (req, res) => {
  res.set('WWW-Authenticate', 'Basic');
  res.status(401).send('sign in');
});
`,
      errors: [
        { message: "`WWW-Authenticate: Basic`: a `Basic` challenge without `realm`: RFC 7617 §2 requires it. Add `realm=\"api\"`", line: 4, column: 32, endLine: 4, endColumn: 37 },
      ],
      output: `import express from 'express';
const app = express();
app.get('/admin', (req, res) => {
  res.set('WWW-Authenticate', 'Basic realm="api"');
  res.status(401).send('sign in');
});
`,
    },
    {
      name: "express: the realm comes from the challenge setting",
      settings: {"challenge":"Basic realm=\"intranet\""},
      code: `import express from 'express';
const app = express();
app.get('/admin', (req, res) => res.status(401).set('WWW-Authenticate', "Basic").end());
`,
      errors: [
        { message: "`WWW-Authenticate: Basic`: a `Basic` challenge without `realm`: RFC 7617 §2 requires it. Add `realm=\"intranet\"`", line: 3, column: 74, endLine: 3, endColumn: 79 },
      ],
      output: `import express from 'express';
const app = express();
app.get('/admin', (req, res) => res.status(401).set('WWW-Authenticate', "Basic realm=\\"intranet\\"").end());
`,
    },
    {
      name: "node:http: an unquoted realm read from constants",
      code: `import http from 'node:http';
const REALM = 'admin';
const CHALLENGES = { basic: \`Basic realm=\${REALM}\` };
http.createServer((req, res) => {
  res.writeHead(401, { 'WWW-Authenticate': CHALLENGES.basic });
  res.end();
});
`,
      errors: [
        { message: "`WWW-Authenticate: Basic realm=admin`: `realm=admin`: senders must use the quoted-string form of `realm` (RFC 9110 §11.5)", line: 5, column: 44, endLine: 5, endColumn: 60 },
      ],
      output: `import http from 'node:http';
const REALM = 'admin';
const CHALLENGES = { basic: \`Basic realm="\${REALM}"\` };
http.createServer((req, res) => {
  res.writeHead(401, { 'WWW-Authenticate': CHALLENGES.basic });
  res.end();
});
`,
    },
    {
      name: "express: a bare Bearer from a constant read once",
      code: `import type { Request, Response } from 'express';
const CHALLENGE = 'Bearer';
export function requireToken(req: Request, res: Response, next: () => void) {
  if (!req.headers.authorization) {
    res.setHeader('WWW-Authenticate', CHALLENGE);
    return res.status(401).end();
  }
  next();
}
`,
      errors: [
        { message: "`WWW-Authenticate: Bearer`: a `Bearer` challenge needs at least one auth-param (RFC 6750 §3). Add `realm=\"api\"`", line: 5, column: 39, endLine: 5, endColumn: 48 },
      ],
      output: `import type { Request, Response } from 'express';
const CHALLENGE = 'Bearer realm="api"';
export function requireToken(req: Request, res: Response, next: () => void) {
  if (!req.headers.authorization) {
    res.setHeader('WWW-Authenticate', CHALLENGE);
    return res.status(401).end();
  }
  next();
}
`,
    },
    {
      name: "express: a constant also read elsewhere is reported but not edited",
      code: `import type { Request, Response } from 'express';
const CHALLENGE = 'Bearer';
export function requireToken(req: Request, res: Response) {
  console.warn('rejecting with', CHALLENGE);
  res.setHeader('WWW-Authenticate', CHALLENGE);
  return res.status(401).end();
}
`,
      errors: [
        { message: "`WWW-Authenticate: Bearer`: a `Bearer` challenge needs at least one auth-param (RFC 6750 §3). Add `realm=\"api\"`", line: 5, column: 37, endLine: 5, endColumn: 46 },
      ],
      output: null,
    },
    {
      name: "fastify: a missing comma between parameters",
      code: `import Fastify from 'fastify';
const app = Fastify();
app.get('/orders', async (request, reply) => {
  return reply.code(401).header('WWW-Authenticate', 'Bearer realm="api" error="invalid_token"').send();
});
`,
      errors: [
        { message: "`WWW-Authenticate: Bearer realm=\"api\" error=\"invalid_token\"`: a comma is missing before `error`: separate challenges and parameters with commas (RFC 9110 §11.3)", line: 4, column: 73, endLine: 4, endColumn: 78 },
      ],
      output: `import Fastify from 'fastify';
const app = Fastify();
app.get('/orders', async (request, reply) => {
  return reply.code(401).header('WWW-Authenticate', 'Bearer realm="api", error="invalid_token"').send();
});
`,
    },
    {
      name: "koa: a missing comma between challenges in ctx.throw headers",
      filename: "server.js",
      code: `const Koa = require('koa');
const app = new Koa();
app.use(async (ctx, next) => {
  if (!ctx.state.user) ctx.throw(401, 'sign in', { headers: { 'WWW-Authenticate': 'Basic realm="admin" Bearer realm="api"' } });
  await next();
});
`,
      errors: [
        { message: "`WWW-Authenticate: Basic realm=\"admin\" Bearer realm=\"api\"`: a comma is missing before `Bearer`: separate challenges and parameters with commas (RFC 9110 §11.3)", line: 4, column: 104, endLine: 4, endColumn: 110 },
      ],
      output: `const Koa = require('koa');
const app = new Koa();
app.use(async (ctx, next) => {
  if (!ctx.state.user) ctx.throw(401, 'sign in', { headers: { 'WWW-Authenticate': 'Basic realm="admin", Bearer realm="api"' } });
  await next();
});
`,
    },
    {
      name: "hono: a repeated realm",
      code: `import { Hono } from 'hono';
const app = new Hono();
app.get('/me', (c) => c.json({ error: 'sign in' }, 401, { 'WWW-Authenticate': 'Bearer realm="api", realm="api"' }));
`,
      errors: [
        { message: "`WWW-Authenticate: Bearer realm=\"api\", realm=\"api\"`: `realm` appears more than once in this `Bearer` challenge: each parameter may occur only once (RFC 9110 §11.2, RFC 6750 §3)", line: 3, column: 100, endLine: 3, endColumn: 111 },
      ],
      output: `import { Hono } from 'hono';
const app = new Hono();
app.get('/me', (c) => c.json({ error: 'sign in' }, 401, { 'WWW-Authenticate': 'Bearer realm="api"' }));
`,
    },
    {
      name: "hono: a realm repeated with another value has no fix",
      code: `import { Hono } from 'hono';
const app = new Hono();
app.get('/me', (c) => {
  c.header('WWW-Authenticate', 'Bearer realm="api", scope="read", realm="admin"');
  return c.text('sign in', 401);
});
`,
      errors: [
        { message: "`WWW-Authenticate: Bearer realm=\"api\", scope=\"read\", realm=\"admin\"`: `realm` appears more than once in this `Bearer` challenge: each parameter may occur only once (RFC 9110 §11.2, RFC 6750 §3); keep the one you mean", line: 4, column: 67, endLine: 4, endColumn: 80 },
      ],
      output: null,
    },
    {
      name: "web: an error code RFC 6750 does not define",
      filename: "app/api/me/route.ts",
      code: `import { NextResponse } from 'next/server';
export async function GET(request: Request) {
  if (!request.headers.get('authorization')) {
    return NextResponse.json({ error: 'sign in' }, { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="api", error="token_expired"' } });
  }
  return NextResponse.json({ ok: true });
}
`,
      errors: [
        { message: "`WWW-Authenticate: Bearer realm=\"api\", error=\"token_expired\"`: `error=\"token_expired\"` is not a Bearer error code: use invalid_request, invalid_token or insufficient_scope (RFC 6750 §3.1), and put the text in `error_description`", line: 4, column: 119, endLine: 4, endColumn: 140 },
      ],
      output: null,
    },
    {
      name: "web: a Headers object with a trailing comma and a stray one",
      code: `export default {
  async fetch(request: Request) {
    const headers = new Headers();
    headers.set('WWW-Authenticate', 'Basic realm="files",, Bearer realm="api",');
    return new Response('sign in', { status: 401, headers });
  },
};
`,
      errors: [
        { message: "`WWW-Authenticate: Basic realm=\"files\",, Bearer realm=\"api\",`: an empty list element (a stray comma): senders must not generate one (RFC 9110 §5.6.1.1)", line: 4, column: 58, endLine: 4, endColumn: 59 },
        { message: "`WWW-Authenticate: Basic realm=\"files\",, Bearer realm=\"api\",`: an empty list element (a stray comma): senders must not generate one (RFC 9110 §5.6.1.1)", line: 4, column: 78, endLine: 4, endColumn: 79 },
      ],
      output: `export default {
  async fetch(request: Request) {
    const headers = new Headers();
    headers.set('WWW-Authenticate', 'Basic realm="files", Bearer realm="api"');
    return new Response('sign in', { status: 401, headers });
  },
};
`,
    },
    {
      name: "http-errors: the field name written into the value",
      code: `import createError from 'http-errors';
import express from 'express';
const app = express();
app.use('/api', (req, res, next) => {
  if (!req.user) return next(createError(401, 'sign in', { headers: { 'WWW-Authenticate': 'WWW-Authenticate: Bearer realm="api"' } }));
  next();
});
`,
      errors: [
        { message: "`WWW-Authenticate: WWW-Authenticate: Bearer realm=\"api\"`: the value repeats the field name `WWW-Authenticate:`: the value is the challenge alone (RFC 9110 §11.6.1)", line: 5, column: 92, endLine: 5, endColumn: 110 },
      ],
      output: `import createError from 'http-errors';
import express from 'express';
const app = express();
app.use('/api', (req, res, next) => {
  if (!req.user) return next(createError(401, 'sign in', { headers: { 'WWW-Authenticate': 'Bearer realm="api"' } }));
  next();
});
`,
    },
    {
      name: "express: a status code where the challenge goes",
      code: `import express from 'express';
const app = express();
app.get('/me', (req, res) => {
  res.writeHead(401, { 'WWW-Authenticate': 401 });
  res.end();
});
`,
      errors: [
        { message: "`WWW-Authenticate: 401`: `401` is not an auth-scheme: the value names a scheme and its parameters, such as `Bearer realm=\"api\"` (RFC 9110 §11.6.1)", line: 4, column: 44, endLine: 4, endColumn: 47 },
      ],
      output: null,
    },
    {
      name: "express: an empty value",
      code: `app.get('/me', (req, res) => {
  res.set('WWW-Authenticate', '');
  res.sendStatus(401);
});
`,
      errors: [
        { message: "`WWW-Authenticate: `: the value holds no challenge: a 401 must carry at least one (RFC 9110 §11.6.1)", line: 2, column: 31, endLine: 2, endColumn: 33 },
      ],
      output: null,
    },
    {
      name: "express: an unclosed quote in a template",
      code: `app.get('/me', (req, res) => {
  res.set('WWW-Authenticate', \`Bearer realm="\${process.env.REALM}\`);
  res.sendStatus(401);
});
`,
      errors: [
        { message: "`WWW-Authenticate: Bearer realm=\"…`: the quoted string is never closed: add the closing `\"` (RFC 9110 §5.6.4)", line: 2, column: 31, endLine: 2, endColumn: 67 },
      ],
      output: null,
    },
    {
      name: "express: each arm of a conditional is checked",
      code: `app.get('/me', (req, res) => {
  res.set('WWW-Authenticate', req.path.startsWith('/files') ? 'Basic realm="files"' : 'Bearer');
  res.sendStatus(401);
});
`,
      errors: [
        { message: "`WWW-Authenticate: Bearer`: a `Bearer` challenge needs at least one auth-param (RFC 6750 §3). Add `realm=\"api\"`", line: 2, column: 88, endLine: 2, endColumn: 94 },
      ],
      output: `app.get('/me', (req, res) => {
  res.set('WWW-Authenticate', req.path.startsWith('/files') ? 'Basic realm="files"' : 'Bearer realm="api"');
  res.sendStatus(401);
});
`,
    },
    {
      name: "express: an array of challenges",
      code: `app.get('/me', (req, res) => {
  res.set('WWW-Authenticate', ['Basic realm="files"', 'Basic realm="files", charset="latin1"']);
  res.sendStatus(401);
});
`,
      errors: [
        { message: "`WWW-Authenticate: Basic realm=\"files\", Basic realm=\"files\", charset=\"latin1\"`: `charset` may only be \"UTF-8\" (RFC 7617 §2.1), not \"latin1\"", line: 2, column: 77, endLine: 2, endColumn: 93 },
      ],
      output: null,
    },
    {
      name: "express: whitespace around =",
      code: `app.get('/me', (req, res) => {
  res.append('WWW-Authenticate', "Bearer realm = \\"api\\"");
  res.sendStatus(401);
});
`,
      errors: [
        { message: "`WWW-Authenticate: Bearer realm = \"api\"`: whitespace around the `=` of `realm`: senders must not generate it (RFC 9110 §5.6.3)", line: 2, column: 42, endLine: 2, endColumn: 57 },
      ],
      output: `app.get('/me', (req, res) => {
  res.append('WWW-Authenticate', "Bearer realm=\\"api\\"");
  res.sendStatus(401);
});
`,
    },
    {
      name: "express: an unquoted realm with a space",
      code: `app.get('/me', (req, res) => {
  res.set('WWW-Authenticate', 'Basic realm=Secure Area');
  res.sendStatus(401);
});
`,
      errors: [
        { message: "`WWW-Authenticate: Basic realm=Secure Area`: `realm=Secure` is followed by `Area`: a value with spaces must be a quoted string (RFC 9110 §11.2)", line: 2, column: 38, endLine: 2, endColumn: 55 },
      ],
      output: null,
    },
    {
      name: "express: Basic with a token68 and Basic with an unknown parameter",
      code: `app.get('/me', (req, res) => {
  res.set('WWW-Authenticate', 'Basic YWxhZGRpbjpvcGVuc2VzYW1l');
  res.append('WWW-Authenticate', 'Basic realm="files", error="expired"');
  res.sendStatus(401);
});
`,
      errors: [
        { message: "`WWW-Authenticate: Basic YWxhZGRpbjpvcGVuc2VzYW1l`: a `Basic` challenge carries `realm` and `charset` parameters, not a token68 (RFC 7617 §2)", line: 2, column: 38, endLine: 2, endColumn: 62 },
        { message: "`WWW-Authenticate: Basic realm=\"files\", error=\"expired\"`: `Basic` defines only `realm` and `charset` (RFC 7617 §2): clients ignore `error`", line: 3, column: 56, endLine: 3, endColumn: 71 },
      ],
      output: null,
    },
    {
      name: "hapi: Boom without realm, and a bare Bearer",
      code: `import Boom from '@hapi/boom';
export function authenticate(request) {
  if (!request.headers.authorization) throw Boom.unauthorized(null, 'Basic');
  if (request.headers.authorization.startsWith('Bearer ')) throw Boom.unauthorized(null, 'Bearer', {});
  return { credentials: {} };
}
`,
      errors: [
        { message: "`Boom.unauthorized(…)` sends `WWW-Authenticate: Basic`: a `Basic` challenge without `realm`: RFC 7617 §2 requires it. Add `realm=\"api\"`", line: 3, column: 70, endLine: 3, endColumn: 75 },
        { message: "`Boom.unauthorized(…)` sends `WWW-Authenticate: Bearer`: a `Bearer` challenge needs at least one auth-param (RFC 6750 §3). Add `realm=\"api\"`", line: 4, column: 91, endLine: 4, endColumn: 97 },
      ],
      output: `import Boom from '@hapi/boom';
export function authenticate(request) {
  if (!request.headers.authorization) throw Boom.unauthorized(null, 'Basic', { realm: 'api' });
  if (request.headers.authorization.startsWith('Bearer ')) throw Boom.unauthorized(null, 'Bearer', { realm: 'api' });
  return { credentials: {} };
}
`,
    },
    {
      name: "hapi: Boom sends its message as the error code",
      code: `import Boom from '@hapi/boom';
export function authenticate(request) {
  if (!request.auth.token) throw Boom.unauthorized('Invalid token', 'Bearer', { realm: 'api' });
  return { credentials: {} };
}
`,
      errors: [
        { message: "`Boom.unauthorized(…)` sends `WWW-Authenticate: Bearer realm=\"api\", error=\"Invalid token\"`: `error=\"Invalid token\"` is not a Bearer error code: use invalid_request, invalid_token or insufficient_scope (RFC 6750 §3.1), and put the text in `error_description`", line: 3, column: 34, endLine: 3, endColumn: 96 },
      ],
      output: null,
    },
    {
      name: "express: a line break in the value",
      code: `app.get('/me', (req, res) => {
  res.set('WWW-Authenticate', 'Bearer realm="api"\\r\\nSet-Cookie: a=b');
  res.sendStatus(401);
});
`,
      errors: [
        { message: "`WWW-Authenticate: Bearer realm=\"api\"\\r\\nSet-Cookie: a=b`: a line break (U+000D) cannot be part of a header value: Node and fetch refuse it, and it would split the response (RFC 9110 §5.5)", line: 2, column: 50, endLine: 2, endColumn: 52 },
      ],
      output: null,
    },
    {
      name: "express: a colon after the scheme, with the values concatenated in",
      filename: "routes/data.js",
      code: `const express = require('express');
const router = express.Router();
router.get('/data', (req, res) => {
  load(req.query.id, (err, data) => {
    if (err) {
      res.setHeader('WWW-Authenticate', 'Bearer: error="' + err.name + '",error_description="' + err.message + '"');
      return res.status(401).send(err.message);
    }
    res.json(data);
  });
});
module.exports = router;
`,
      errors: [
        { message: "`WWW-Authenticate: Bearer: error=\"…\",error_description=\"…\"`: `Bearer:`: a colon does not follow the auth-scheme; write `Bearer`, a space, then its parameters (RFC 9110 §11.3)", line: 6, column: 42, endLine: 6, endColumn: 49 },
      ],
      output: `const express = require('express');
const router = express.Router();
router.get('/data', (req, res) => {
  load(req.query.id, (err, data) => {
    if (err) {
      res.setHeader('WWW-Authenticate', 'Bearer error="' + err.name + '",error_description="' + err.message + '"');
      return res.status(401).send(err.message);
    }
    res.json(data);
  });
});
module.exports = router;
`,
    },
    {
      name: "express: Basic with an OAuth token-endpoint error",
      code: `app.post('/token', (req, res) => {
  if (!req.get('Authorization')) {
    res.set('WWW-Authenticate', 'Basic realm="token", error="invalid_client"');
    return res.status(401).json({ error: 'invalid_client' });
  }
});
`,
      errors: [
        { message: "`WWW-Authenticate: Basic realm=\"token\", error=\"invalid_client\"`: `Basic` defines only `realm` and `charset` (RFC 7617 §2): clients ignore `error`", line: 3, column: 55, endLine: 3, endColumn: 77 },
      ],
      output: null,
    },
  ],
});

