import assert from 'node:assert/strict';
import { resolveSettings, validateConfig } from '../../server/src/core/config';
import { applyFixes } from '../../server/src/core/fix';
import { lint } from '../../server/src/core/lint';
import { authStatusMismatch } from '../../server/src/core/rules/auth-status-mismatch';
import { defaultSettings } from '../../server/src/core/types';
import { runRuleTests, type InvalidCase, type ValidCase } from '../rule-tester';

/**
 * Correct code and traps that must stay silent, grouped: the right statuses in
 * each framework, tokens that are not the caller's credential, checks that are
 * neither authentication nor authorization, mixed conditions, statuses checked
 * rather than sent.
 */
const valid: ValidCase[] = [
  {
    name: 'nest: a GraphQL guard (its request read through GqlExecutionContext) whose check of the credential returns false: the driver answers in the body with a 200, not a 403',
    filename: 'src/common/guards/gql-session.guard.ts',
    code: `import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { SessionService } from '../../session/session.service';

@Injectable()
export class GqlSessionGuard implements CanActivate {
  constructor(private readonly sessions: SessionService) {}

  canActivate(context: ExecutionContext): Promise<boolean> {
    const { req } = GqlExecutionContext.create(context).getContext();
    return this.sessions.isAuthenticated(req.headers.authorization);
  }
}
`,
  },
  {
    name: 'a membership looked up by the signed-in user is theirs: its absence is a permission failure, though the key is read from the session',
    filename: 'src/orgs.ts',
    code: `import express from 'express';
import { Membership } from './models';
export const app = express();
app.get('/orgs/:orgId', async (req, res) => {
  const membership = await Membership.findOne({ userId: req.session.userId, orgId: req.params.orgId });
  if (!membership) return res.status(403).json({ error: 'not a member' });
  res.json(membership);
});
`,
  },
  {
    name: 'node-oidc-provider: the grant an access token refers to, missing or for another account, is an invalid token (401)',
    filename: 'lib/shared/access_token.js',
    code: `export async function loadAccessTokenGrant(ctx, next) {
  const grant = await ctx.oidc.provider.Grant.find(ctx.oidc.accessToken.grantId, { ignoreExpiration: true });
  if (!grant) {
    ctx.set('WWW-Authenticate', 'Bearer realm="op", error="invalid_token"');
    ctx.status = 401;
    return;
  }
  if (grant.accountId !== ctx.oidc.accessToken.accountId) {
    ctx.set('WWW-Authenticate', 'Bearer realm="op", error="invalid_token"');
    ctx.status = 401;
    return;
  }
  await next();
}
`,
  },
  {
    name: 'names decide nothing: a record named like a permission (`grant`) that backs the credential is tested for absence and a mismatch: 401 stays',
    filename: 'grants.ts',
    code: `import express from 'express';
import { grants } from './db';
export const app = express();
app.use(async (req, res, next) => {
  const grant = await grants.find(req.session.grantId);
  if (!grant || grant.clientId !== req.session.clientId) {
    return res.set('WWW-Authenticate', 'Bearer error="invalid_token"').status(401).json({ error: 'invalid_token' });
  }
  next();
});
`,
  },
  {
    name: 'names decide nothing: a parameter called `token` may be handed anything, so its absence is no evidence of a missing credential',
    filename: 'session.service.ts',
    code: `import { ForbiddenException, Injectable } from '@nestjs/common';
@Injectable()
export class SessionService {
  check(token: string | undefined) {
    if (!token) throw new ForbiddenException('No session');
    return token;
  }
}
`,
  },
  {
    name: 'names decide nothing: a predicate called `tokenOk` reads the body’s CSRF field, so its 403 is right',
    filename: 'settings.ts',
    code: `import express from 'express';
const tokenOk = (req: express.Request) => req.body._csrf === req.session.csrfToken;
export function save(req: express.Request, res: express.Response) {
  if (!tokenOk(req)) return res.status(403).send('Invalid CSRF token');
  res.redirect('/settings');
}
`,
  },
  {
    name: 'express: the right statuses: 401 without a token, 403 for a role',
    code: `import express from 'express';
import jwt from 'jsonwebtoken';
export function requireAuth(req, res, next) {
  const auth = req.headers.authorization;
  if (!auth?.startsWith('Bearer ')) {
    return res.set('WWW-Authenticate', 'Bearer realm="api"').status(401).end();
  }
  try {
    req.claims = jwt.verify(auth.slice(7), process.env.KEY);
  } catch {
    return res.set('WWW-Authenticate', 'Bearer error="invalid_token"').status(401).end();
  }
  if (!req.claims.roles.includes('admin')) return res.status(403).end();
  next();
}
`,
  },
  {
    name: 'trap: a CSRF token check answered with 403',
    code: `import express from 'express';
function csrfTokenMatches(req) {
  return req.body._csrf === req.session.csrfToken;
}
export function update(req, res) {
  if (!csrfTokenMatches(req)) return res.status(403).send('Invalid CSRF token');
  res.redirect('/settings');
}
`,
  },
  {
    name: 'trap: a password-reset token',
    code: `import express from 'express';
import { resetTokens } from './db';
export async function reset(req, res) {
  const entry = await resetTokens.find(req.body.resetToken);
  if (!entry) return res.status(403).json({ error: 'This reset link is not valid' });
  res.status(204).end();
}
`,
  },
  {
    name: 'trap: a token from the body is not the caller credential',
    code: `import express from 'express';
export async function confirm(req, res) {
  const { token } = req.body;
  if (!token) return res.status(403).json({ error: 'token required' });
  res.status(204).end();
}
`,
  },
  {
    name: 'trap: a reset link verified with jwt.verify',
    code: `import express from 'express';
import jwt from 'jsonwebtoken';
const app = express();
app.post('/password/reset', async (req, res) => {
  try {
    jwt.verify(req.query.token, process.env.SECRET);
  } catch {
    return res.status(403).send('This link has expired');
  }
  res.end();
});
`,
  },
  {
    name: 'trap: a reset link verified against its own secret',
    code: `import express from 'express';
import jwt from 'jsonwebtoken';
export async function handler(req, res) {
  const { token } = req.params;
  jwt.verify(token, process.env.RESET_SECRET, (err) => {
    if (err) return res.status(403).send('This link has expired');
    res.end();
  });
}
`,
  },
  {
    name: 'trap: an e-mail verification link',
    code: `import express from 'express';
const app = express();
app.get('/verify-email', async (req, res) => {
  const session = req.session;
  if (!session) return res.status(403).send('Open the link in the browser you signed up with');
  res.end();
});
`,
  },
  {
    name: 'trap: a captcha',
    code: `import express from 'express';
import { verifyCaptcha } from './captcha';
export async function signup(req, res) {
  if (!(await verifyCaptcha(req.body.captcha))) return res.status(403).end();
  res.end();
}
`,
  },
  {
    name: 'trap: a rate limit',
    code: `import express from 'express';
export function login(req, res) {
  if (req.session.attempts > LIMIT) return res.status(401).end();
  res.end();
}
`,
  },
  {
    name: 'trap: an IP allow-list',
    code: `import express from 'express';
const ALLOWED_IPS = ['10.0.0.1'];
export function internal(req, res, next) {
  if (!ALLOWED_IPS.includes(req.ip)) return res.status(401).end();
  next();
}
`,
  },
  {
    name: 'trap: a feature flag',
    code: `import express from 'express';
import { flags } from './flags';
export function beta(req, res, next) {
  if (!flags.isEnabled('beta', req.user)) return res.status(401).end();
  next();
}
`,
  },
  {
    name: 'trap: getting past a sign-in check says nothing of why a later 401 is sent',
    code: `import express from 'express';
export function session(req, res) {
  if (!req.user) return res.status(401).end();
  res.status(401).json({ error: 'session needs renewing' });
}
`,
  },
  {
    name: 'trap: a webhook signature',
    code: `import express from 'express';
import { verifySignature } from './webhooks';
export function hook(req, res) {
  if (!verifySignature(req.body, req.headers['x-hub-signature-256'])) return res.status(401).end();
  res.end();
}
`,
  },
  {
    name: 'trap: one condition mixing both concerns, answered with 401',
    code: `import express from 'express';
export function admin(req, res, next) {
  if (!req.user || req.user.role !== 'admin') return res.status(401).end();
  next();
}
`,
  },
  {
    name: 'trap: one condition mixing both concerns, answered with 403',
    code: `import express from 'express';
export function admin(req, res, next) {
  if (!req.user || req.user.role !== 'admin') return res.status(403).end();
  next();
}
`,
  },
  {
    name: 'trap: an optional principal runs the branch when the user is missing too',
    code: `import express from 'express';
export function admin(req, res, next) {
  if (req.user?.role !== 'admin') return res.status(401).end();
  next();
}
`,
  },
  {
    name: 'trap: a known caller and a check that says nothing of auth',
    code: `import express from 'express';
import { docs } from './db';
export async function read(req, res) {
  if (req.user) {
    const doc = await docs.find(req.params.id);
    if (!doc.published) return res.status(401).end();
    return res.json(doc);
  }
  res.end();
}
`,
  },
  {
    name: 'trap: a signed-in caller refused a sign-up page',
    code: `import express from 'express';
export function signupPage(req, res) {
  if (req.user) return res.status(403).send('Already signed in');
  res.render('signup');
}
`,
  },
  {
    name: 'trap: a 403 for a suspended account',
    code: `import Fastify from 'fastify';
const app = Fastify();
app.get('/me', async (request, reply) => {
  const user = await app.authenticate(request);
  if (!user) return reply.header('WWW-Authenticate', 'Bearer').code(401).send();
  if (user.suspended) return reply.code(403).send({ message: 'Account suspended' });
  return user;
});
`,
  },
  {
    name: 'trap: a login with a wrong password answered with 401',
    code: `import express from 'express';
import bcrypt from 'bcryptjs';
import { findUserByEmail } from './users';
export async function login(req, res) {
  const user = await findUserByEmail(req.body.email);
  if (!user || !(await bcrypt.compare(req.body.password, user.passwordHash))) {
    return res.set('WWW-Authenticate', 'Bearer').status(401).json({ error: 'Invalid email or password' });
  }
  res.json({});
}
`,
  },
  {
    name: 'trap: a refresh token',
    code: `import express from 'express';
export function refresh(req, res) {
  const refreshToken = req.cookies.refreshToken;
  if (!refreshToken) return res.status(403).end();
  res.end();
}
`,
  },
  {
    name: 'checked, not sent: a test expects 403',
    filename: 'admin.test.ts',
    code: `import request from 'supertest';
import app from '../src/app';
it('forbids', async () => {
  await request(app).get('/admin').set('Authorization', 'Bearer x').expect(403);
});
`,
  },
  {
    name: 'checked, not sent: client code reads a 401',
    filename: 'client.ts',
    code: `export async function load(token) {
  const res = await fetch('/api', { headers: { Authorization: token } });
  if (res.status === 401) throw new Error('sign in again');
  if (res.status === 403) throw new Error('not allowed');
  return res.json();
}
`,
  },
  {
    name: 'a test file is not reported',
    filename: 'server.test.ts',
    code: `import express from 'express';
const app = express();
app.get('/x', (req, res) => {
  if (!req.headers.authorization) return res.status(403).end();
  res.end();
});
`,
  },
  {
    name: 'koa: the right statuses',
    code: `import Koa from 'koa';
const app = new Koa();
app.use(async (ctx, next) => {
  ctx.assert(ctx.state.user, 401, 'Login required', { headers: { 'WWW-Authenticate': 'Bearer' } });
  if (!ctx.state.user.roles.includes('billing-admin')) ctx.throw(403, 'Billing admins only');
  await next();
});
`,
  },
  {
    name: 'hono: the right statuses',
    code: `import { Hono } from 'hono';
const app = new Hono();
app.get('/api/audit', (c) => {
  if (c.get('role') !== 'auditor') return c.text('Forbidden', 403);
  return c.json({ events: [] });
});
`,
  },
  {
    name: 'next.js: the right statuses',
    filename: 'app/api/orders/route.ts',
    code: `import { NextResponse } from 'next/server';
import { auth } from '@/lib/auth';
export async function DELETE() {
  const session = await auth();
  if (!session?.user) {
    return NextResponse.json({ error: 'Unauthorized' }, { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } });
  }
  if (session.user.role !== 'support') return NextResponse.json({ error: 'Forbidden' }, { status: 403 });
  return new NextResponse(null, { status: 204 });
}
`,
  },
  {
    name: 'nest: a roles guard that returns whether a role matches',
    filename: 'roles.guard.ts',
    code: `import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
@Injectable()
export class RolesGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const { user } = context.switchToHttp().getRequest();
    if (user.suspended) throw new ForbiddenException('Account suspended');
    return ['admin'].some((role) => user.roles.includes(role));
  }
}
`,
  },
  {
    name: 'nest: a Passport guard delegates to its parent',
    filename: 'jwt.guard.ts',
    code: `import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  canActivate(context: ExecutionContext) {
    return super.canActivate(context);
  }
}
`,
  },
  {
    name: 'nest: UnauthorizedException for an unknown token',
    filename: 'token.service.ts',
    code: `import { Injectable, UnauthorizedException } from '@nestjs/common';
@Injectable()
export class TokenService {
  check(token: string) {
    if (!token) throw new UnauthorizedException();
    return true;
  }
}
`,
  },
  {
    name: 'hapi: the right Boom errors',
    code: `import Boom from '@hapi/boom';
export function handler(request) {
  if (!request.auth.credentials) throw Boom.unauthorized('Sign in', 'Bearer');
  if (!request.auth.credentials.scope.includes('admin')) throw Boom.forbidden('Admins only');
  return {};
}
`,
  },
  {
    name: 'config: a project word that marks a check as unrelated',
    filename: 'geo.ts',
    settings: { authVocabulary: { unrelated: ['geofence'] } },
    code: `import express from 'express';
export function region(req, res, next) {
  if (!req.user.geofence) return res.status(401).end();
  next();
}
`,
  },
  {
    name: 'config: without the project word, a check says nothing',
    filename: 'seat-default.ts',
    code: `import express from 'express';
export function requireSeat(req, res, next) {
  if (!req.account.hasSeat) return res.status(401).end();
  next();
}
`,
  },
  {
    name: 'trap: a login flow checks account state on an account it has not accepted yet',
    code: `import express from 'express';
import { users } from './db';
export async function login(req, res) {
  const user = await users.findByEmail(req.body.email);
  if (user.locked) return res.status(401).json({ error: 'Too many attempts, try again later' });
  res.json({});
}
`,
  },
  {
    name: 'trap: a routine that authenticates refuses with 401 whatever the reason',
    filename: 'jwt.strategy.ts',
    code: `import { Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-jwt';
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) {
  async validate(payload) {
    if (!payload.roles.includes('member')) throw new UnauthorizedException();
    return payload;
  }
}
`,
  },
  {
    name: 'trap: a permission check in an auth namespace answered with 403',
    code: `import express from 'express';
export function read(req, res) {
  if (!WIKI.auth.checkAccess(req.user, ['read:pages'])) return res.status(403).end();
  res.end();
}
`,
  },
  {
    name: 'trap: a field of a looked-up record says nothing of what was looked up',
    code: `import express from 'express';
import { prisma } from './db';
export async function me(req, res) {
  const user = await prisma.user.findUnique({ where: { id: req.params.id }, include: { subscriptions: true } });
  if (!user.username) return res.status(401).end();
  res.json(user);
}
`,
  },
  {
    name: 'trap: a service in an auth namespace that checks something else',
    filename: 'environment.guard.ts',
    code: `import { Injectable, UnauthorizedException } from '@nestjs/common';
@Injectable()
export class EnvironmentGuard {
  async canActivate(context) {
    const { user } = context.switchToHttp().getRequest();
    const environment = await this.authService.isRootEnvironment(user);
    if (environment) throw new UnauthorizedException('Only in development');
    return true;
  }
}
`,
  },
  {
    name: 'trap: a flag of the principal the vocabulary does not know says nothing',
    code: `import express from 'express';
export function enforceMasterKeyAccess(req, res, next) {
  if (!req.auth.isMaster) {
    res.status(403);
    res.end('{"error":"unauthorized: master key is required"}');
    return;
  }
  next();
}
`,
  },
  {
    name: 'trap: a token from the URL verified with jwt is a link, not the caller',
    code: `import express from 'express';
export async function handler(req, res) {
  let payload;
  try {
    payload = await jwtVerifyAsync(req.params.token);
  } catch (err) {
    return res.sendStatus(403);
  }
  res.json(payload);
}
`,
  },
  {
    name: 'trap: a handler assigned to a member is named by it',
    code: `import express from 'express';
controller.unsubscribePost = async function (req, res) {
  if (!req.headers.authorization) return res.sendStatus(403);
  res.sendStatus(200);
};
`,
  },
  {
    name: 'trap: past a guard that says nothing of auth, an earlier sibling guard does not explain the status',
    code: `import express from 'express';
export async function access(req, res, next) {
  if (!(await authorize(req))) return res.status(403).end();
  if (!ctx.username || password !== ctx.password) {
    res.status(401).send('Authentication Required');
    return;
  }
  next();
}
`,
  },
  {
    name: 'an AuthorizationError answered with 403',
    filename: 'app/api/import/route.ts',
    code: `import { NextResponse } from 'next/server';
export async function POST(request: Request) {
  try {
    return NextResponse.json(await importCsv(request));
  } catch (error) {
    if (error instanceof AuthorizationError) return NextResponse.json({ error: error.message }, { status: 403 });
    throw error;
  }
}
`,
  },
  {
    name: 'a shared admin token that does not match is an invalid credential: 401 is right',
    code: `import express from 'express';
export function adminOnly(req, res, next) {
  const token = req.headers['x-admin-token'];
  if (token !== process.env.ADMIN_TOKEN) return res.set('WWW-Authenticate', 'Bearer').status(401).end();
  next();
}
`,
  },
  {
    name: 'trap: "authorized" means signed in as often as permitted',
    code: `import express from 'express';
export function guard(req, res, next) {
  if (!req.authorizedAsOwner) return res.status(401).end();
  if (!isAuthorized(req)) return res.status(403).end();
  next();
}
`,
  },
  {
    name: 'trap: a record looked up about the caller is not the caller',
    code: `import express from 'express';
export async function adminArea(req, res, next) {
  const administrator = await admins.findOneByUserId(req, req.user.id);
  if (!administrator) return res.status(403).end();
  next();
}
`,
  },
  {
    name: 'names decide nothing: an account looked up by the submitted e-mail and held in `admin` is not a permission check',
    filename: 'admin-auth.ts',
    code: `import express from 'express';
import bcrypt from 'bcryptjs';
import { Admin } from '../models/admin';
export const router = express.Router();
router.post('/admin/login', async (req, res) => {
  const { email, password } = req.body;
  const admin = await Admin.findOne({ email });
  if (!admin) return res.set('WWW-Authenticate', 'Bearer realm="admin"').status(401).json({ message: 'Invalid credentials' });
  const match = await bcrypt.compare(password, admin.password);
  if (!match) return res.set('WWW-Authenticate', 'Bearer realm="admin"').status(401).json({ message: 'Invalid credentials' });
  res.json({ token: sign(admin) });
});
`,
  },
  {
    name: 'names decide nothing: a password check in a condition that also names the staff record is a credential check',
    code: `import express from 'express';
export const app = express();
app.post('/staff/login', async (req, res) => {
  const staff = await db.staff.findUnique({ where: { username: req.body.username } });
  if (!(await staff.comparePassword(req.body.password))) return res.set('WWW-Authenticate', 'Basic realm="staff"').status(401).end();
  res.end();
});
`,
  },
  {
    name: "a 403 under `case 'insufficient_scope'` answers RFC 6750's insufficient_scope, whatever `instanceof` encloses it",
    filename: 'app/api/mcp/route.ts',
    code: `import { OAuthError, ErrorCode } from '@/lib/oauth';
export async function POST(request: Request) {
  try {
    return await handle(request);
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    switch (error.code) {
      case ErrorCode.InsufficientScope:
        return Response.json({ error: error.code }, { status: 403 });
      case ErrorCode.InvalidToken:
        return Response.json({ error: error.code }, { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } });
    }
    return Response.json({ error: 'server_error' }, { status: 500 });
  }
}
`,
  },
  {
    name: 'an error class named for a protocol (`OAuthError`) holds permission failures too: a 403 under it alone is not a credential failure',
    code: `import { OAuthError } from './oauth';
export function toResponse(error: unknown) {
  if (error instanceof OAuthError) return new Response(error.message, { status: 403 });
  return new Response('server error', { status: 500 });
}
`,
  },
  {
    name: 'a case label that names neither concern says nothing, even when the switch reads a role',
    code: `export function gate(req, res, next) {
  switch (req.user.role) {
    case 'guest':
      return res.set('WWW-Authenticate', 'Bearer realm="api"').status(401).end();
  }
  next();
}
`,
  },
  {
    name: 'a 403 for a missing download token after the caller is signed in refuses a known caller: no swap to 401',
    code: `import express from 'express';
export const app = express();
app.post('/files/:id/download', (req, res) => {
  if (!req.user) return res.set('WWW-Authenticate', 'Bearer realm="api"').status(401).end();
  const token = req.headers['x-download-token'];
  if (!token) return res.status(403).json({ message: 'Download token required' });
  res.end();
});
`,
  },
  {
    name: 'a 403 inside `if (req.session.user)` is sent to a signed-in caller: no swap to 401',
    code: `import express from 'express';
export const app = express();
app.get('/reports', (req, res) => {
  if (req.session.user) {
    if (!req.headers.authorization) return res.status(403).json({ message: 'Use an API token for reports' });
  }
  res.end();
});
`,
  },
  {
    name: 'no such account or a wrong password, in one condition, is a failed sign-in: 401 is right',
    filename: 'admin.controller.js',
    code: `exports.login = async (req, res) => {
  const admin = await Admin.findOne({ email: req.body.email, isActive: true });
  if (!admin || !(await admin.comparePassword(req.body.password))) return res.status(401).json({ message: 'Invalid credentials' });
  res.json({});
};
`,
  },
  {
    name: 'a GraphQL request context is not an HTTP response',
    filename: 'auth.resolver.ts',
    code: `import { ForbiddenError } from '../errors';
export class AuthResolver {
  async me(ctx: RequestContext) {
    if (!ctx.activeUserId) {
      throw new ForbiddenError();
    }
    return this.users.find(ctx.activeUserId);
  }
}
`,
  },
  {
    name: 'mount order: a role middleware also mounted on a route with no authentication before it answers unidentified callers there, so its 401 stands',
    filename: 'routes/users.js',
    code: `const express = require('express');
const passport = require('passport');
const router = express.Router();

const requireAdmin = (req, res, next) => {
  if (!req.user || req.user.role !== 'admin') return res.status(401).json({ message: 'Admins only' });
  next();
};

router.get('/users', passport.authenticate('jwt', { session: false }), requireAdmin, (req, res) => res.json([]));
router.get('/stats', requireAdmin, (req, res) => res.json({}));

module.exports = router;
`,
  },
  {
    name: 'mount order: optional authentication (`if (!token) return next()`) lets callers without a credential through, so the role check after it also meets them',
    filename: 'routes/users.js',
    code: `const express = require('express');
const jwt = require('jsonwebtoken');
const router = express.Router();

function optionalAuth(req, res, next) {
  const token = req.headers.authorization;
  if (!token) return next();
  try {
    req.user = jwt.verify(token, process.env.SECRET);
  } catch (err) {
    return res.set('WWW-Authenticate', 'Bearer realm="api"').status(401).end();
  }
  next();
}

const requireAdmin = (req, res, next) => {
  if (!req.user || req.user.role !== 'admin') return res.set('WWW-Authenticate', 'Bearer realm="api"').status(401).json({ message: 'Admins only' });
  next();
};

router.get('/users', optionalAuth, requireAdmin, (req, res) => res.json([]));

module.exports = router;
`,
  },
  {
    name: "mount order: passport's `anonymous` strategy lets unidentified callers through, so it authenticates nobody",
    filename: 'routes/feed.js',
    code: `const express = require('express');
const passport = require('passport');
const router = express.Router();

router.get('/feed', passport.authenticate(['jwt', 'anonymous'], { session: false }), (req, res) => {
  if (!req.user || !req.user.isAdmin) return res.status(401).json({ message: 'Admins only' });
  res.json([]);
});

module.exports = router;
`,
  },
];

/** Every construct that leads to a status, in every framework, with the fix in that framework's idiom. */
const invalid: InvalidCase[] = [
  {
    name: "mount order: a handler mounted after passport.authenticate('jwt') runs for a known caller, so `!req.user?.isAdmin` fails on the role",
    filename: 'routes/reports.js',
    code: `const express = require('express');
const passport = require('passport');
const router = express.Router();

router.get('/admin/reports', passport.authenticate('jwt', { session: false }), (req, res) => {
  if (!req.user?.isAdmin) return res.status(401).json({ message: 'Admins only' });
  res.json([]);
});

module.exports = router;
`,
    errors: [{ message: 'this branch runs when `!req.user?.isAdmin`, and every route mounts this after authentication: the caller is authenticated but not permitted — use 403, not 401.', line: 6, column: 45, endColumn: 48 }],
    output: `const express = require('express');
const passport = require('passport');
const router = express.Router();

router.get('/admin/reports', passport.authenticate('jwt', { session: false }), (req, res) => {
  if (!req.user?.isAdmin) return res.status(403).json({ message: 'Admins only' });
  res.json([]);
});

module.exports = router;
`,
  },
  {
    name: 'mount order: a middleware of the same file mounted after `router.use(requireUser)`, which verifies the token, fails on the role',
    filename: 'routes/users.js',
    code: `const express = require('express');
const jwt = require('jsonwebtoken');
const router = express.Router();

function requireUser(req, res, next) {
  try {
    req.user = jwt.verify(req.headers.authorization, process.env.SECRET);
    next();
  } catch (err) {
    next(err);
  }
}

const requireAdmin = (req, res, next) => {
  if (!req.user || req.user.role !== 'admin') return res.status(401).json({ message: 'Admins only' });
  next();
};

router.use(requireUser);
router.delete('/users/:id', requireAdmin, (req, res) => res.end());

module.exports = router;
`,
    errors: [{ message: "this branch runs when `!req.user || req.user.role !== 'admin'`, and every route mounts this after authentication: the caller is authenticated but not permitted — use 403, not 401.", line: 15, column: 65, endColumn: 68 }],
    output: `const express = require('express');
const jwt = require('jsonwebtoken');
const router = express.Router();

function requireUser(req, res, next) {
  try {
    req.user = jwt.verify(req.headers.authorization, process.env.SECRET);
    next();
  } catch (err) {
    next(err);
  }
}

const requireAdmin = (req, res, next) => {
  if (!req.user || req.user.role !== 'admin') return res.status(403).json({ message: 'Admins only' });
  next();
};

router.use(requireUser);
router.delete('/users/:id', requireAdmin, (req, res) => res.end());

module.exports = router;
`,
  },
  {
    name: 'names decide nothing: permissions looked up for the request and held in `x` are still permissions',
    filename: 'pages.ts',
    code: `import express from 'express';
import { wiki } from './wiki';
export const app = express();
app.post('/pages/:path', async (req, res) => {
  const x = await wiki.auth.getEffectivePermissions(req, { path: req.params.path });
  if (!x.pages.write) return res.status(401).json({ error: 'not allowed' });
  res.end();
});
`,
    errors: [{ message: 'this branch runs when `!x.pages.write`: the caller is authenticated but not permitted — use 403, not 401.', line: 6, column: 41, endColumn: 44 }],
    output: `import express from 'express';
import { wiki } from './wiki';
export const app = express();
app.post('/pages/:path', async (req, res) => {
  const x = await wiki.auth.getEffectivePermissions(req, { path: req.params.path });
  if (!x.pages.write) return res.status(403).json({ error: 'not allowed' });
  res.end();
});
`,
  },
  {
    name: 'no such account or a wrong password answered with 403 is a failed sign-in, whatever the account variable is called',
    filename: 'admin.controller.js',
    code: `const bcrypt = require('bcrypt');
exports.login = async (req, res) => {
  const { email, password } = req.body;
  const admin = await Admin.findOne({ email });
  const isPasswordCorrect = admin && (await bcrypt.compare(password, admin.password));
  if (!admin || !isPasswordCorrect) {
    return res.status(403).json({ error: 'Invalid Credentials' });
  }
  res.json({});
};
`,
    errors: [
      { message: "this branch runs when `!admin || !isPasswordCorrect`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.", line: 7, column: 23, endLine: 7, endColumn: 26 },
    ],
    output: `const bcrypt = require('bcrypt');
exports.login = async (req, res) => {
  const { email, password } = req.body;
  const admin = await Admin.findOne({ email });
  const isPasswordCorrect = admin && (await bcrypt.compare(password, admin.password));
  if (!admin || !isPasswordCorrect) {
    return res.setHeader('WWW-Authenticate', 'Bearer realm="api"').status(401).json({ error: 'Invalid Credentials' });
  }
  res.json({});
};
`,
  },
  {
    name: 'a wrong password answered with 403 is a credential failure, whatever the account variable is called',
    code: `import express from 'express';
import bcrypt from 'bcryptjs';
export const app = express();
app.post('/admin/login', async (req, res) => {
  const admin = await Admin.findOne({ email: req.body.email });
  if (!admin) return res.status(403).json({ message: 'Invalid credentials' });
  const valid = await bcrypt.compare(req.body.password, admin.passwordHash);
  if (!valid) return res.status(403).json({ message: 'Invalid credentials' });
  res.json({ ok: true });
});
`,
    errors: [
      { message: "this branch runs when `!valid`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.", line: 8, column: 33, endLine: 8, endColumn: 36 },
    ],
    output: `import express from 'express';
import bcrypt from 'bcryptjs';
export const app = express();
app.post('/admin/login', async (req, res) => {
  const admin = await Admin.findOne({ email: req.body.email });
  if (!admin) return res.status(403).json({ message: 'Invalid credentials' });
  const valid = await bcrypt.compare(req.body.password, admin.passwordHash);
  if (!valid) return res.set('WWW-Authenticate', 'Bearer realm="api"').status(401).json({ message: 'Invalid credentials' });
  res.json({ ok: true });
});
`,
  },
  {
    name: 'a membership looked up by the caller and a route parameter is the caller\'s own record: its absence is a permission failure',
    code: `import express from 'express';
export const app = express();
app.get('/orgs/:orgId', async (req, res) => {
  const membership = await Membership.findOne({ userId: req.user.id, orgId: req.params.orgId });
  if (!membership) return res.status(401).json({ message: 'Not a member' });
  res.json({});
});
`,
    errors: [
      { message: 'this branch runs when `!membership`: the caller is authenticated but not permitted — use 403, not 401.', line: 5, column: 38, endLine: 5, endColumn: 41 },
    ],
    output: `import express from 'express';
export const app = express();
app.get('/orgs/:orgId', async (req, res) => {
  const membership = await Membership.findOne({ userId: req.user.id, orgId: req.params.orgId });
  if (!membership) return res.status(403).json({ message: 'Not a member' });
  res.json({});
});
`,
  },
  {
    name: "a 401 under `case 'insufficient_scope'` is a permission failure (RFC 6750 §3.1)",
    code: `import { OAuthError } from './oauth';
export function toResponse(error: unknown) {
  if (!(error instanceof OAuthError)) return new Response('server error', { status: 500 });
  switch (error.code) {
    case 'insufficient_scope':
      return new Response(error.message, { status: 401 });
    case 'invalid_token':
      return new Response(error.message, { status: 403 });
  }
  return new Response('bad request', { status: 400 });
}
`,
    errors: [
      { message: "this case runs when `error.code` is `'insufficient_scope'`: the caller is authenticated but not permitted — use 403, not 401.", line: 6, column: 52, endLine: 6, endColumn: 55 },
      { message: "this case runs when `error.code` is `'invalid_token'`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.", line: 8, column: 52, endLine: 8, endColumn: 55 },
    ],
    output: `import { OAuthError } from './oauth';
export function toResponse(error: unknown) {
  if (!(error instanceof OAuthError)) return new Response('server error', { status: 500 });
  switch (error.code) {
    case 'insufficient_scope':
      return new Response(error.message, { status: 403 });
    case 'invalid_token':
      return new Response(error.message, { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="api"' } });
  }
  return new Response('bad request', { status: 400 });
}
`,
  },
  {
    name: 'express: a role check answered with 401',
    code: `import express from 'express';
const app = express();
app.get('/admin/users', (req, res) => {
  if (req.user.role !== 'admin') {
    return res.status(401).json({ message: 'Admins only' });
  }
  res.json([]);
});
`,
    errors: [
      { message: "this branch runs when `req.user.role !== 'admin'`: the caller is authenticated but not permitted — use 403, not 401.", line: 5, column: 23, endLine: 5, endColumn: 26 },
    ],
    output: `import express from 'express';
const app = express();
app.get('/admin/users', (req, res) => {
  if (req.user.role !== 'admin') {
    return res.status(403).json({ message: 'Admins only' });
  }
  res.json([]);
});
`,
  },
  {
    name: 'express: no token and a failed jwt.verify answered with 403 (callback error)',
    filename: 'auth.js',
    code: `const jwt = require('jsonwebtoken');

function verifyToken(req, res, next) {
  const bearerHeader = req.headers['authorization'];
  if (typeof bearerHeader === 'undefined') {
    return res.status(403).json({ message: 'No token provided!' });
  }
  jwt.verify(bearerHeader.split(' ')[1], process.env.SECRET, (err, decoded) => {
    if (err) {
      return res.status(403).send({ message: 'Failed to authenticate token.' });
    }
    req.userId = decoded.id;
    next();
  });
}
module.exports = verifyToken;
`,
    errors: [
      { message: "this branch runs when `typeof bearerHeader === 'undefined'`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.", line: 6, column: 23, endLine: 6, endColumn: 26 },
      { message: "this branch runs when `err` (the error of `jwt.verify`): the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.", line: 10, column: 25, endLine: 10, endColumn: 28 },
    ],
    output: `const jwt = require('jsonwebtoken');

function verifyToken(req, res, next) {
  const bearerHeader = req.headers['authorization'];
  if (typeof bearerHeader === 'undefined') {
    return res.setHeader('WWW-Authenticate', 'Bearer realm="api"').status(401).json({ message: 'No token provided!' });
  }
  jwt.verify(bearerHeader.split(' ')[1], process.env.SECRET, (err, decoded) => {
    if (err) {
      return res.setHeader('WWW-Authenticate', 'Bearer realm="api"').status(401).send({ message: 'Failed to authenticate token.' });
    }
    req.userId = decoded.id;
    next();
  });
}
module.exports = verifyToken;
`,
  },
  {
    name: 'express: early-return guard lets the signed-in caller through, everyone else gets 403',
    code: `import express from 'express';
export function requireLogin(req: express.Request, res: express.Response, next: express.NextFunction) {
  if (req.user) return next();
  res.status(403).json({ error: 'sign in first' });
}
`,
    errors: [
      { message: "this runs when `!req.user`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.", line: 4, column: 14, endLine: 4, endColumn: 17 },
    ],
    output: `import express from 'express';
export function requireLogin(req: express.Request, res: express.Response, next: express.NextFunction) {
  if (req.user) return next();
  res.set('WWW-Authenticate', 'Bearer realm="api"').status(401).json({ error: 'sign in first' });
}
`,
  },
  {
    name: 'express: the else of a token check',
    code: `import express from 'express';
import { isValid } from './tokens';
export function guard(req, res, next) {
  const token = req.get('x-access-token');
  if (token && isValid(token)) {
    next();
  } else {
    res.sendStatus(403);
  }
}
`,
    errors: [
      { message: "this branch runs when `!(token && isValid(token))`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.", line: 8, column: 20, endLine: 8, endColumn: 23 },
    ],
    output: `import express from 'express';
import { isValid } from './tokens';
export function guard(req, res, next) {
  const token = req.get('x-access-token');
  if (token && isValid(token)) {
    next();
  } else {
    res.set('WWW-Authenticate', 'Bearer realm="api"').sendStatus(401);
  }
}
`,
  },
  {
    name: 'koa: a grant looked up by the access token, missing, is the token failing: 401 whatever the record is called',
    filename: 'lib/access-token.ts',
    code: `import type { Context, Next } from 'koa';
export async function loadAccessTokenGrant(ctx: Context, next: Next) {
  const grant = await ctx.oidc.provider.Grant.find(ctx.oidc.accessToken.grantId, { ignoreExpiration: true });
  if (!grant) {
    ctx.status = 403;
    ctx.body = { error: 'invalid_token', error_description: 'grant not found' };
    return;
  }
  await next();
}
`,
    errors: [
      { message: "this branch runs when `!grant`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.", line: 5, column: 18, endLine: 5, endColumn: 21 },
    ],
    output: `import type { Context, Next } from 'koa';
export async function loadAccessTokenGrant(ctx: Context, next: Next) {
  const grant = await ctx.oidc.provider.Grant.find(ctx.oidc.accessToken.grantId, { ignoreExpiration: true });
  if (!grant) {
    ctx.set('WWW-Authenticate', 'Bearer realm="api"');
    ctx.status = 401;
    ctx.body = { error: 'invalid_token', error_description: 'grant not found' };
    return;
  }
  await next();
}
`,
  },
  {
    name: 'express: a conditional status with the arms the wrong way round',
    code: `import express from 'express';
export function deny(req: express.Request & { user?: { id: string } }, res: express.Response) {
  res.sendStatus(req.user ? 401 : 403);
}
`,
    errors: [
      { message: 'this status is chosen when `req.user`: the caller is authenticated, so refusing them is 403, not 401 — use 403.', line: 3, column: 29, endLine: 3, endColumn: 32 },
      { message: "this status is chosen when `!req.user`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.", line: 3, column: 35, endLine: 3, endColumn: 38 },
    ],
    output: `import express from 'express';
export function deny(req: express.Request & { user?: { id: string } }, res: express.Response) {
  if (!req.user) res.set('WWW-Authenticate', 'Bearer realm="api"');
  res.sendStatus(req.user ? 403 : 401);
}
`,
  },
  {
    name: 'express: a conditional passed to status(): the challenge goes out with the 401 arm alone',
    code: `import express from 'express';
export function deny(req: express.Request & { user?: { id: string } }, res: express.Response) {
  return res.status(req.user ? 401 : 403).json({ error: 'denied' });
}
`,
    errors: [
      { message: 'this status is chosen when `req.user`: the caller is authenticated, so refusing them is 403, not 401 — use 403.', line: 3, column: 32, endLine: 3, endColumn: 35 },
      { message: "this status is chosen when `!req.user`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.", line: 3, column: 38, endLine: 3, endColumn: 41 },
    ],
    output: `import express from 'express';
export function deny(req: express.Request & { user?: { id: string } }, res: express.Response) {
  if (!req.user) res.set('WWW-Authenticate', 'Bearer realm="api"');
  return res.status(req.user ? 403 : 401).json({ error: 'denied' });
}
`,
  },
  {
    name: 'koa: ctx.status chosen by a conditional: the challenge is set under the 401 arm only',
    code: `import Koa from 'koa';
export async function deny(ctx: Koa.Context) {
  ctx.status = ctx.state.user ? 401 : 403;
}
`,
    errors: [
      { message: 'this status is chosen when `ctx.state.user`: the caller is authenticated, so refusing them is 403, not 401 — use 403.', line: 3, column: 33, endLine: 3, endColumn: 36 },
      { message: "this status is chosen when `!ctx.state.user`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.", line: 3, column: 39, endLine: 3, endColumn: 42 },
    ],
    output: `import Koa from 'koa';
export async function deny(ctx: Koa.Context) {
  if (!ctx.state.user) ctx.set('WWW-Authenticate', 'Bearer realm="api"');
  ctx.status = ctx.state.user ? 403 : 401;
}
`,
  },
  {
    name: 'hono: the principal in c.var, with a conditional status: the challenge goes out with the 401 arm alone',
    code: `import { Hono } from 'hono';
const app = new Hono<{ Variables: { user?: { id: string } } }>();
app.get('/x', (c) => {
  return c.json({ error: 'denied' }, c.var.user ? 401 : 403);
});
export default app;
`,
    errors: [
      { message: 'this status is chosen when `c.var.user`: the caller is authenticated, so refusing them is 403, not 401 — use 403.', line: 4, column: 51, endLine: 4, endColumn: 54 },
      { message: "this status is chosen when `!c.var.user`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.", line: 4, column: 57, endLine: 4, endColumn: 60 },
    ],
    output: `import { Hono } from 'hono';
const app = new Hono<{ Variables: { user?: { id: string } } }>();
app.get('/x', (c) => {
  if (!c.var.user) c.header('WWW-Authenticate', 'Bearer realm="api"');
  return c.json({ error: 'denied' }, c.var.user ? 403 : 401);
});
export default app;
`,
  },
  {
    name: 'next: a conditional status in a returned Response gets no challenge fix, since the header would go out with the 403 too',
    filename: 'app/api/me/route.ts',
    code: `import { NextResponse } from 'next/server';
import { auth } from '@/auth';
export async function GET() {
  const session = await auth();
  return NextResponse.json({ error: 'denied' }, { status: session ? 401 : 403 });
}
`,
    errors: [
      { message: 'this status is chosen when `session`: the caller is authenticated, so refusing them is 403, not 401 — use 403.', line: 5, column: 69, endLine: 5, endColumn: 72 },
      {
        message:
          "this status is chosen when `!session`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403. No fix is offered: the status is chosen here between this one and another, and the challenge cannot be set for the 401 alone — set WWW-Authenticate only where the status is 401.",
        line: 5,
        column: 75,
        endLine: 5,
        endColumn: 78,
      },
    ],
    output: `import { NextResponse } from 'next/server';
import { auth } from '@/auth';
export async function GET() {
  const session = await auth();
  return NextResponse.json({ error: 'denied' }, { status: session ? 403 : 403 });
}
`,
  },
  {
    name: 'express: both arms of a conditional send 403 for a missing credential: no fix, which would leave `x ? 401 : 401` and two challenges',
    code: `import express from 'express';
const app = express();
app.get('/me', (req, res) => {
  if (!req.headers.authorization) {
    return res.status(req.accepts('html') ? 403 : 403).json({ error: 'sign in first' });
  }
  res.json({ ok: true });
});
`,
    errors: [
      {
        message:
          "this branch runs when `!req.headers.authorization`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403. No fix is offered: every arm of this conditional sends 403, and a fix would swap one arm and leave the other — send 401 once, without the conditional.",
        line: 5,
        column: 45,
      },
      {
        message:
          "this branch runs when `!req.headers.authorization`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403. No fix is offered: every arm of this conditional sends 403, and a fix would swap one arm and leave the other — send 401 once, without the conditional.",
        line: 5,
        column: 51,
      },
    ],
    output: null,
  },
  {
    name: 'express: `x ? 403 : 403` where one arm rightly refuses a known caller: the other arm alone is swapped, its challenge under its condition',
    code: `import express from 'express';
const app = express();
app.get('/doc', (req: express.Request & { user?: { id: string } }, res) => {
  const token = req.headers.authorization;
  if (!token) {
    return res.sendStatus(req.user ? 403 : 403);
  }
  res.json({});
});
`,
    errors: [
      { message: "this status is chosen when `!req.user`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.", line: 6, column: 44 },
    ],
    output: `import express from 'express';
const app = express();
app.get('/doc', (req: express.Request & { user?: { id: string } }, res) => {
  const token = req.headers.authorization;
  if (!token) {
    if (!req.user) res.set('WWW-Authenticate', 'Bearer realm="api"');
    return res.sendStatus(req.user ? 403 : 401);
  }
  res.json({});
});
`,
  },
  {
    name: 'express: a conditional status in an if without braces: no statement can go before it, so no fix, and the message says why',
    code: `import express from 'express';
const app = express();
app.get('/b', (req, res) => {
  if (!req.headers.authorization) return res.sendStatus(req.query.page ? 403 : 404);
  res.json({});
});
`,
    errors: [
      {
        message:
          "this branch runs when `!req.headers.authorization`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403. No fix is offered: the challenge must be set under the condition that chooses the 401, in a statement before this one, and this one is not in a block — set WWW-Authenticate only where the status is 401.",
        line: 4,
        column: 74,
      },
    ],
    output: null,
  },
  {
    name: 'express: the catch of jwt.verify',
    code: `import express from 'express';
import jwt from 'jsonwebtoken';
export function requireAuth(req, res, next) {
  try {
    req.claims = jwt.verify(req.headers.authorization.slice(7), process.env.KEY);
  } catch {
    return res.status(403).json({ error: 'invalid token' });
  }
  next();
}
`,
    errors: [
      { message: "this runs when `jwt.verify(…)` fails: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.", line: 7, column: 23, endLine: 7, endColumn: 26 },
    ],
    output: `import express from 'express';
import jwt from 'jsonwebtoken';
export function requireAuth(req, res, next) {
  try {
    req.claims = jwt.verify(req.headers.authorization.slice(7), process.env.KEY);
  } catch {
    return res.set('WWW-Authenticate', 'Bearer realm="api"').status(401).json({ error: 'invalid token' });
  }
  next();
}
`,
  },
  {
    name: 'express: TokenExpiredError answered with 403',
    code: `import express from 'express';
import jwt, { TokenExpiredError } from 'jsonwebtoken';
export function requireAuth(req, res, next) {
  jwt.verify(req.cookies.token, process.env.KEY, (err, claims) => {
    if (err instanceof TokenExpiredError) {
      return res.status(403).json({ error: 'token expired' });
    }
    next();
  });
}
`,
    errors: [
      { message: "this branch runs when `err instanceof TokenExpiredError`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.", line: 6, column: 25, endLine: 6, endColumn: 28 },
    ],
    output: `import express from 'express';
import jwt, { TokenExpiredError } from 'jsonwebtoken';
export function requireAuth(req, res, next) {
  jwt.verify(req.cookies.token, process.env.KEY, (err, claims) => {
    if (err instanceof TokenExpiredError) {
      return res.set('WWW-Authenticate', 'Bearer realm="api"').status(401).json({ error: 'token expired' });
    }
    next();
  });
}
`,
  },
  {
    name: 'express: an expired session spelled with StatusCodes.FORBIDDEN',
    code: `import { Router } from 'express';
import { StatusCodes } from 'http-status-codes';
import { decodeSession } from './session';
export const reports = Router();
reports.get('/daily', (req, res) => {
  const session = decodeSession(req.cookies.sid);
  if (session.expired) {
    return res.status(StatusCodes.FORBIDDEN).json({ error: 'Session expired' });
  }
  res.json({});
});
`,
    errors: [
      { message: "this branch runs when `session.expired`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.", line: 8, column: 23, endLine: 8, endColumn: 44 },
    ],
    output: `import { Router } from 'express';
import { StatusCodes } from 'http-status-codes';
import { decodeSession } from './session';
export const reports = Router();
reports.get('/daily', (req, res) => {
  const session = decodeSession(req.cookies.sid);
  if (session.expired) {
    return res.set('WWW-Authenticate', 'Bearer realm="api"').status(StatusCodes.UNAUTHORIZED).json({ error: 'Session expired' });
  }
  res.json({});
});
`,
  },
  {
    name: 'express: a local constant swaps to the constant for 401',
    code: `import express from 'express';
const UNAUTHORIZED = 401;
const FORBIDDEN = 403;
export function requireSession(req, res, next) {
  if (!req.session.userId) return res.status(FORBIDDEN).end();
  next();
}
export function requireAdmin(req, res, next) {
  if (!req.user.isAdmin) return res.status(UNAUTHORIZED).end();
  next();
}
`,
    errors: [
      { message: "this branch runs when `!req.session.userId`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.", line: 5, column: 46, endLine: 5, endColumn: 55 },
      { message: 'this branch runs when `!req.user.isAdmin`: the caller is authenticated but not permitted — use 403, not 401.', line: 9, column: 44, endLine: 9, endColumn: 56 },
    ],
    output: `import express from 'express';
const UNAUTHORIZED = 401;
const FORBIDDEN = 403;
export function requireSession(req, res, next) {
  if (!req.session.userId) return res.set('WWW-Authenticate', 'Bearer realm="api"').status(UNAUTHORIZED).end();
  next();
}
export function requireAdmin(req, res, next) {
  if (!req.user.isAdmin) return res.status(FORBIDDEN).end();
  next();
}
`,
  },
  {
    name: 'express: a local enum swaps to its sibling member',
    code: `import express from 'express';
enum Status {
  Unauthorized = 401,
  Forbidden = 403,
}
export function requireOwner(req, res, next) {
  if (req.params.ownerId !== req.user.id) return res.status(Status.Unauthorized).end();
  next();
}
`,
    errors: [
      { message: 'this branch runs when `req.params.ownerId !== req.user.id`: the caller is authenticated but not permitted — use 403, not 401.', line: 7, column: 61, endLine: 7, endColumn: 80 },
    ],
    output: `import express from 'express';
enum Status {
  Unauthorized = 401,
  Forbidden = 403,
}
export function requireOwner(req, res, next) {
  if (req.params.ownerId !== req.user.id) return res.status(Status.Forbidden).end();
  next();
}
`,
  },
  {
    name: 'express: a helper that sends 403, called only where the credential is missing',
    code: `import express from 'express';
function forbid(res: express.Response) {
  return res.status(403).json({ error: 'forbidden' });
}
export function requireKey(req: express.Request, res: express.Response, next: express.NextFunction) {
  if (!req.header('x-api-key')) return forbid(res);
  next();
}
`,
    errors: [
      { message: "`forbid(…)` is called where the code runs when `!req.header('x-api-key')`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.", line: 3, column: 21, endLine: 3, endColumn: 24 },
    ],
    output: `import express from 'express';
function forbid(res: express.Response) {
  return res.set('WWW-Authenticate', 'Bearer realm="api"').status(401).json({ error: 'forbidden' });
}
export function requireKey(req: express.Request, res: express.Response, next: express.NextFunction) {
  if (!req.header('x-api-key')) return forbid(res);
  next();
}
`,
  },
  {
    name: 'express: a helper that sends the status it is passed',
    code: `import express from 'express';
function deny(res: express.Response, status: number) {
  return res.status(status).json({ error: 'denied' });
}
export function requireSession(req: express.Request, res: express.Response, next: express.NextFunction) {
  if (!req.session) {
    return deny(res, 403);
  }
  next();
}
`,
    errors: [
      { message: "this branch runs when `!req.session`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.", line: 7, column: 22, endLine: 7, endColumn: 25 },
    ],
    output: `import express from 'express';
function deny(res: express.Response, status: number) {
  return res.status(status).json({ error: 'denied' });
}
export function requireSession(req: express.Request, res: express.Response, next: express.NextFunction) {
  if (!req.session) {
    res.set('WWW-Authenticate', 'Bearer realm="api"');
    return deny(res, 401);
  }
  next();
}
`,
  },
  {
    name: 'express: !req.isAuthenticated() answered with 403',
    code: `import express from 'express';
export function ensureLoggedIn(req, res, next) {
  if (!req.isAuthenticated()) {
    return res.status(403).json({ error: 'not logged in' });
  }
  next();
}
`,
    errors: [
      { message: "this branch runs when `!req.isAuthenticated()`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.", line: 4, column: 23, endLine: 4, endColumn: 26 },
    ],
    output: `import express from 'express';
export function ensureLoggedIn(req, res, next) {
  if (!req.isAuthenticated()) {
    return res.set('WWW-Authenticate', 'Bearer realm="api"').status(401).json({ error: 'not logged in' });
  }
  next();
}
`,
  },
  {
    name: 'express: an ownership check answered with 401',
    code: `import express from 'express';
import { posts } from './db';
export async function deletePost(req, res) {
  const post = await posts.find(req.params.id);
  if (post.authorId !== req.user.id) {
    return res.status(401).json({ error: 'not your post' });
  }
  await post.remove();
  res.status(204).end();
}
`,
    errors: [
      { message: 'this branch runs when `post.authorId !== req.user.id`: the caller is authenticated but not permitted — use 403, not 401.', line: 6, column: 23, endLine: 6, endColumn: 26 },
    ],
    output: `import express from 'express';
import { posts } from './db';
export async function deletePost(req, res) {
  const post = await posts.find(req.params.id);
  if (post.authorId !== req.user.id) {
    return res.status(403).json({ error: 'not your post' });
  }
  await post.remove();
  res.status(204).end();
}
`,
  },
  {
    name: 'express: a short-circuit send',
    code: `import express from 'express';
export function guard(req, res, next) {
  !req.user && res.status(403).end();
  next();
}
`,
    errors: [
      { message: "this branch runs when `!req.user`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.", line: 3, column: 27, endLine: 3, endColumn: 30 },
    ],
    output: `import express from 'express';
export function guard(req, res, next) {
  !req.user && res.set('WWW-Authenticate', 'Bearer realm="api"').status(401).end();
  next();
}
`,
  },
  {
    name: 'node:http: writeHead(403) without credentials, statusCode = 401 for a missing scope',
    code: `import { createServer } from 'node:http';
import { lookupKey } from './keys';
createServer(async (req, res) => {
  const apiKey = req.headers['x-api-key'];
  if (!apiKey) {
    res.writeHead(403);
    res.end();
    return;
  }
  const client = await lookupKey(apiKey);
  if (!client.scopes.includes('read:inventory')) {
    res.statusCode = 401;
    res.end();
    return;
  }
  res.end('ok');
});
`,
    errors: [
      { message: "this branch runs when `!apiKey`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.", line: 6, column: 19, endLine: 6, endColumn: 22 },
      { message: "this branch runs when `!client.scopes.includes('read:inventory')`: the caller is authenticated but not permitted — use 403, not 401.", line: 12, column: 22, endLine: 12, endColumn: 25 },
    ],
    output: `import { createServer } from 'node:http';
import { lookupKey } from './keys';
createServer(async (req, res) => {
  const apiKey = req.headers['x-api-key'];
  if (!apiKey) {
    res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="api"' });
    res.end();
    return;
  }
  const client = await lookupKey(apiKey);
  if (!client.scopes.includes('read:inventory')) {
    res.statusCode = 403;
    res.end();
    return;
  }
  res.end('ok');
});
`,
  },
  {
    name: 'koa: ctx.throw(403) without a user, ctx.status = 401 for a role',
    code: `import Koa from 'koa';
const app = new Koa();
app.use(async (ctx, next) => {
  if (!ctx.state.user) ctx.throw(403, 'Login required');
  await next();
});
app.use(async (ctx) => {
  if (!ctx.state.user.roles.includes('billing-admin')) {
    ctx.status = 401;
    return;
  }
  ctx.body = 'ok';
});
`,
    errors: [
      { message: "this branch runs when `!ctx.state.user`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.", line: 4, column: 34, endLine: 4, endColumn: 37 },
      { message: "this branch runs when `!ctx.state.user.roles.includes('billing-admin')`: the caller is authenticated but not permitted — use 403, not 401.", line: 9, column: 18, endLine: 9, endColumn: 21 },
    ],
    output: `import Koa from 'koa';
const app = new Koa();
app.use(async (ctx, next) => {
  if (!ctx.state.user) ctx.throw(401, 'Login required', { headers: { 'WWW-Authenticate': 'Bearer realm="api"' } });
  await next();
});
app.use(async (ctx) => {
  if (!ctx.state.user.roles.includes('billing-admin')) {
    ctx.status = 403;
    return;
  }
  ctx.body = 'ok';
});
`,
  },
  {
    name: 'koa: errors given their status by assignment before ctx.throw(error) or throw, swapped; the one reassigned to 403 before its throw is right',
    filename: 'src/app.js',
    code: `import Koa from 'koa';
const app = new Koa();
app.use(async (ctx, next) => {
  if (!ctx.state.user) {
    const error = new Error('Login required');
    error.status = 403;
    ctx.throw(error);
  }
  if (!ctx.state.user.isAdmin) {
    const denied = new Error('Admins only');
    denied.status = 401;
    throw denied;
  }
  if (!ctx.state.user.isOwner) {
    const err = new Error('Owners only');
    err.status = 401;
    err.status = 403;
    throw err;
  }
  await next();
});
`,
    errors: [
      { message: "this branch runs when `!ctx.state.user`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.", line: 6, column: 20, endLine: 6, endColumn: 23 },
      { message: 'this branch runs when `!ctx.state.user.isAdmin`: the caller is authenticated but not permitted — use 403, not 401.', line: 11, column: 21, endLine: 11, endColumn: 24 },
    ],
    output: `import Koa from 'koa';
const app = new Koa();
app.use(async (ctx, next) => {
  if (!ctx.state.user) {
    const error = new Error('Login required');
    error.status = 401;
    error.headers = { 'WWW-Authenticate': 'Bearer realm="api"' };
    ctx.throw(error);
  }
  if (!ctx.state.user.isAdmin) {
    const denied = new Error('Admins only');
    denied.status = 403;
    throw denied;
  }
  if (!ctx.state.user.isOwner) {
    const err = new Error('Owners only');
    err.status = 401;
    err.status = 403;
    throw err;
  }
  await next();
});
`,
  },
  {
    name: 'koa: ctx.assert with the statuses swapped',
    code: `import Koa from 'koa';
const app = new Koa();
app.use(async (ctx, next) => {
  ctx.assert(ctx.state.user, 403, 'Login required');
  ctx.assert(ctx.state.user.isAdmin, 401, 'Admins only');
  await next();
});
`,
    errors: [
      { message: "the assertion fails when `!ctx.state.user`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.", line: 4, column: 30, endLine: 4, endColumn: 33 },
      { message: 'the assertion fails when `!ctx.state.user.isAdmin`: the caller is authenticated but not permitted — use 403, not 401.', line: 5, column: 38, endLine: 5, endColumn: 41 },
    ],
    output: `import Koa from 'koa';
const app = new Koa();
app.use(async (ctx, next) => {
  ctx.assert(ctx.state.user, 401, 'Login required', { headers: { 'WWW-Authenticate': 'Bearer realm="api"' } });
  ctx.assert(ctx.state.user.isAdmin, 403, 'Admins only');
  await next();
});
`,
  },
  {
    name: 'koa: http-errors thrown for a missing session',
    code: `import Koa from 'koa';
import createError from 'http-errors';
const app = new Koa();
app.use(async (ctx, next) => {
  if (!ctx.session.userId) throw createError(403, 'Sign in');
  await next();
});
`,
    errors: [
      { message: "this branch runs when `!ctx.session.userId`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.", line: 5, column: 46, endLine: 5, endColumn: 49 },
    ],
    output: `import Koa from 'koa';
import createError from 'http-errors';
const app = new Koa();
app.use(async (ctx, next) => {
  if (!ctx.session.userId) throw createError(401, 'Sign in', { headers: { 'WWW-Authenticate': 'Bearer realm="api"' } });
  await next();
});
`,
  },
  {
    name: 'fastify: reply.code(403) without an Authorization header',
    code: `import Fastify from 'fastify';
const app = Fastify();
app.addHook('preHandler', async (request, reply) => {
  const auth = request.headers.authorization;
  if (!auth) {
    return reply.code(403).send({ message: 'Missing Authorization header' });
  }
});
`,
    errors: [
      { message: "this branch runs when `!auth`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.", line: 6, column: 23, endLine: 6, endColumn: 26 },
    ],
    output: `import Fastify from 'fastify';
const app = Fastify();
app.addHook('preHandler', async (request, reply) => {
  const auth = request.headers.authorization;
  if (!auth) {
    return reply.header('WWW-Authenticate', 'Bearer realm="api"').code(401).send({ message: 'Missing Authorization header' });
  }
});
`,
  },
  {
    name: 'fastify: @fastify/sensible shorthands the wrong way round',
    code: `import Fastify from 'fastify';
import sensible from '@fastify/sensible';
const app = Fastify();
app.register(sensible);
app.get('/me', async (request, reply) => {
  if (!request.user) return reply.forbidden();
  return request.user;
});
app.delete('/teams/:id', async (request, reply) => {
  if (!request.user.permissions.includes('teams:delete')) return reply.unauthorized();
  return { ok: true };
});
`,
    errors: [
      { message: "this branch runs when `!request.user`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.", line: 6, column: 35, endLine: 6, endColumn: 44 },
      { message: "this branch runs when `!request.user.permissions.includes('teams:delete')`: the caller is authenticated but not permitted — use 403, not 401.", line: 10, column: 72, endLine: 10, endColumn: 84 },
    ],
    output: `import Fastify from 'fastify';
import sensible from '@fastify/sensible';
const app = Fastify();
app.register(sensible);
app.get('/me', async (request, reply) => {
  if (!request.user) return reply.header('WWW-Authenticate', 'Bearer realm="api"').unauthorized();
  return request.user;
});
app.delete('/teams/:id', async (request, reply) => {
  if (!request.user.permissions.includes('teams:delete')) return reply.forbidden();
  return { ok: true };
});
`,
  },
  {
    name: 'hono: c.json 403 without a header, HTTPException 401 for a role',
    code: `import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
const app = new Hono();
app.use('/api/*', async (c, next) => {
  if (!c.req.header('Authorization')) {
    return c.json({ error: 'unauthorized' }, 403);
  }
  await next();
});
app.get('/api/audit', (c) => {
  if (c.get('role') !== 'auditor') throw new HTTPException(401, { message: 'Auditors only' });
  return c.json({ events: [] });
});
`,
    errors: [
      { message: "this branch runs when `!c.req.header('Authorization')`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.", line: 6, column: 46, endLine: 6, endColumn: 49 },
      { message: "this branch runs when `c.get('role') !== 'auditor'`: the caller is authenticated but not permitted — use 403, not 401.", line: 11, column: 60, endLine: 11, endColumn: 63 },
    ],
    output: `import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
const app = new Hono();
app.use('/api/*', async (c, next) => {
  if (!c.req.header('Authorization')) {
    return c.json({ error: 'unauthorized' }, 401, { 'WWW-Authenticate': 'Bearer realm="api"' });
  }
  await next();
});
app.get('/api/audit', (c) => {
  if (c.get('role') !== 'auditor') throw new HTTPException(403, { message: 'Auditors only' });
  return c.json({ events: [] });
});
`,
  },
  {
    name: 'next.js: a route handler answers a missing session with 403',
    filename: 'app/api/orders/route.ts',
    code: `import { NextResponse } from 'next/server';
import { auth } from '@/lib/auth';
export async function GET() {
  const session = await auth();
  if (!session?.user) {
    return NextResponse.json({ error: 'Forbidden' }, { status: 403 });
  }
  return NextResponse.json([]);
}
`,
    errors: [
      { message: "this branch runs when `!session?.user`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.", line: 6, column: 64, endLine: 6, endColumn: 67 },
    ],
    output: `import { NextResponse } from 'next/server';
import { auth } from '@/lib/auth';
export async function GET() {
  const session = await auth();
  if (!session?.user) {
    return NextResponse.json({ error: 'Forbidden' }, { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="api"' } });
  }
  return NextResponse.json([]);
}
`,
  },
  {
    name: 'next.js: a session getter given its options still reads the caller\'s session',
    filename: 'app/api/posts/route.ts',
    code: `import { getServerSession } from 'next-auth/next';
import { authOptions } from '@/lib/auth';
export async function GET() {
  const session = await getServerSession(authOptions);
  if (!session) {
    return new Response('Unauthorized', { status: 403 });
  }
  return Response.json([]);
}
`,
    errors: [
      { message: "this branch runs when `!session`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.", line: 6, column: 51, endLine: 6, endColumn: 54 },
    ],
    output: `import { getServerSession } from 'next-auth/next';
import { authOptions } from '@/lib/auth';
export async function GET() {
  const session = await getServerSession(authOptions);
  if (!session) {
    return new Response('Unauthorized', { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="api"' } });
  }
  return Response.json([]);
}
`,
  },
  {
    name: 'next.js: a pages API route answers a role check with 401',
    filename: 'pages/api/admin.ts',
    code: `import type { NextApiRequest, NextApiResponse } from 'next';
import { getServerSession } from 'next-auth/next';
import { authOptions } from '../../lib/auth';
export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const session = await getServerSession(req, res, authOptions);
  if (session.user.role !== 'admin') {
    return res.status(401).json({ message: 'Admins only' });
  }
  res.json({});
}
`,
    errors: [
      { message: "this branch runs when `session.user.role !== 'admin'`: the caller is authenticated but not permitted — use 403, not 401.", line: 7, column: 23, endLine: 7, endColumn: 26 },
    ],
    output: `import type { NextApiRequest, NextApiResponse } from 'next';
import { getServerSession } from 'next-auth/next';
import { authOptions } from '../../lib/auth';
export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const session = await getServerSession(req, res, authOptions);
  if (session.user.role !== 'admin') {
    return res.status(403).json({ message: 'Admins only' });
  }
  res.json({});
}
`,
  },
  {
    name: 'web: a Worker answers a missing key with Response 403',
    filename: 'worker.ts',
    code: `export default {
  async fetch(request: Request): Promise<Response> {
    const key = request.headers.get('Authorization');
    if (!key) return new Response('Forbidden', { status: 403 });
    return new Response('ok');
  },
};
`,
    errors: [
      { message: "this branch runs when `!key`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.", line: 4, column: 58, endLine: 4, endColumn: 61 },
    ],
    output: `export default {
  async fetch(request: Request): Promise<Response> {
    const key = request.headers.get('Authorization');
    if (!key) return new Response('Forbidden', { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="api"' } });
    return new Response('ok');
  },
};
`,
  },
  {
    name: 'nest: an ownership guard holds the comparison in a constant and throws UnauthorizedException when it fails',
    filename: 'src/groups/group-owner.guard.ts',
    code: `import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { GroupsService } from './groups.service';

@Injectable()
export class GroupOwnerGuard implements CanActivate {
  constructor(private readonly groups: GroupsService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest();
    const userId = request.user.userId;
    const group = await this.groups.findLeader(request.params.groupId);
    const leaderId = group.userId;
    const isLeader = userId === leaderId;
    if (!isLeader) {
      throw new UnauthorizedException('Only the group leader may do this');
    }
    return true;
  }
}
`,
    errors: [
      { message: 'this branch runs when `!isLeader`: the caller is authenticated but not permitted — use 403, not 401.', line: 15, column: 17, endLine: 15, endColumn: 38 },
    ],
    output: `import { CanActivate, ExecutionContext, Injectable, UnauthorizedException, ForbiddenException } from '@nestjs/common';
import { GroupsService } from './groups.service';

@Injectable()
export class GroupOwnerGuard implements CanActivate {
  constructor(private readonly groups: GroupsService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest();
    const userId = request.user.userId;
    const group = await this.groups.findLeader(request.params.groupId);
    const leaderId = group.userId;
    const isLeader = userId === leaderId;
    if (!isLeader) {
      throw new ForbiddenException('Only the group leader may do this');
    }
    return true;
  }
}
`,
  },
  {
    name: 'nest: a guard throws ForbiddenException for a missing header',
    filename: 'api-key.guard.ts',
    code: `import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
@Injectable()
export class ApiKeyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest();
    if (!request.headers['x-api-key']) {
      throw new ForbiddenException('API key required');
    }
    return true;
  }
}
`,
    errors: [
      { message: "this branch runs when `!request.headers['x-api-key']`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.", line: 7, column: 17, endLine: 7, endColumn: 35 },
    ],
    output: `import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
@Injectable()
export class ApiKeyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest();
    if (!request.headers['x-api-key']) {
      context.switchToHttp().getResponse().header('WWW-Authenticate', 'Bearer realm="api"');
      throw new UnauthorizedException('API key required');
    }
    return true;
  }
}
`,
  },
  {
    name: 'nest: a controller throws UnauthorizedException for a role',
    filename: 'admin.controller.ts',
    code: `import { Controller, Get, Req, UnauthorizedException } from '@nestjs/common';
@Controller('admin')
export class AdminController {
  @Get()
  list(@Req() req) {
    if (req.user.role !== 'admin') {
      throw new UnauthorizedException('Admins only');
    }
    return [];
  }
}
`,
    errors: [
      { message: "this branch runs when `req.user.role !== 'admin'`: the caller is authenticated but not permitted — use 403, not 401.", line: 7, column: 17, endLine: 7, endColumn: 38 },
    ],
    output: `import { Controller, Get, Req, UnauthorizedException, ForbiddenException } from '@nestjs/common';
@Controller('admin')
export class AdminController {
  @Get()
  list(@Req() req) {
    if (req.user.role !== 'admin') {
      throw new ForbiddenException('Admins only');
    }
    return [];
  }
}
`,
  },
  {
    name: 'nest: HttpException with HttpStatus.FORBIDDEN for an expired token, in a route that also answers 200: no fix',
    filename: 'auth.controller.ts',
    code: `import { Controller, Get, Headers, HttpException, HttpStatus } from '@nestjs/common';
import { AuthService } from './auth.service';
@Controller('auth')
export class AuthController {
  constructor(private readonly authService: AuthService) {}
  @Get('session')
  async session(@Headers('authorization') authorization?: string) {
    const result = await this.authService.inspect(authorization);
    if (result.kind === 'expired') {
      throw new HttpException('Access token expired', HttpStatus.FORBIDDEN);
    }
    return result.session;
  }
}
`,
    errors: [
      { message: "this branch runs when `result.kind === 'expired'`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.", line: 10, column: 55, endLine: 10, endColumn: 75 },
    ],
    // A `@Header()` on the route would also go out with the session it returns: no fix.
    output: null,
  },
  {
    name: 'nest: a guard returns false for a missing credential (Nest answers 403)',
    filename: 'auth.guard.ts',
    code: `import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
@Injectable()
export class AuthGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest();
    if (!request.headers.authorization) {
      return false;
    }
    return true;
  }
}
`,
    errors: [
      { message: "this branch runs when `!request.headers.authorization`, and Nest answers a guard's false with 403: the caller's credential is missing or invalid — throw UnauthorizedException (401) instead.", line: 7, column: 7, endLine: 7, endColumn: 20 },
    ],
    output: `import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
@Injectable()
export class AuthGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest();
    if (!request.headers.authorization) {
      context.switchToHttp().getResponse().header('WWW-Authenticate', 'Bearer realm="api"');
      throw new UnauthorizedException();
    }
    return true;
  }
}
`,
  },
  {
    name: 'nest: a guard returns whether a user is present',
    filename: 'signed-in.guard.ts',
    code: `import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
@Injectable()
export class SignedInGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest();
    return !!request.user;
  }
}
`,
    errors: [
      { message: "`canActivate` returns false when `!request.user`, and Nest answers a guard's false with 403: the caller's credential is missing or invalid — throw UnauthorizedException (401) instead.", line: 6, column: 5, endLine: 6, endColumn: 27 },
    ],
    output: null,
  },
  {
    name: 'hapi: Boom.forbidden for a missing Authorization header, Boom.unauthorized for a scope',
    filename: 'routes.ts',
    code: `import Boom from '@hapi/boom';
export const routes = [
  {
    method: 'POST',
    path: '/exports',
    handler: (request) => {
      if (!request.headers.authorization) {
        throw Boom.forbidden('Missing authentication');
      }
      if (!request.auth.credentials.scope.includes('exports')) {
        throw Boom.unauthorized('Missing scope', 'Bearer');
      }
      return { queued: true };
    },
  },
];
`,
    errors: [
      { message: "this branch runs when `!request.headers.authorization`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.", line: 8, column: 20, endLine: 8, endColumn: 29 },
      { message: "this branch runs when `!request.auth.credentials.scope.includes('exports')`: the caller is authenticated but not permitted — use 403, not 401.", line: 11, column: 20, endLine: 11, endColumn: 32 },
    ],
    output: `import Boom from '@hapi/boom';
export const routes = [
  {
    method: 'POST',
    path: '/exports',
    handler: (request) => {
      if (!request.headers.authorization) {
        throw Boom.unauthorized('Missing authentication', ['Bearer realm="api"']);
      }
      if (!request.auth.credentials.scope.includes('exports')) {
        throw Boom.forbidden('Missing scope');
      }
      return { queued: true };
    },
  },
];
`,
  },
  {
    name: 'hapi: h.response().code(403) for an unauthenticated request',
    filename: 'server.ts',
    code: `import Hapi from '@hapi/hapi';
const server = Hapi.server();
server.route({
  method: 'GET',
  path: '/me',
  handler: (request, h) => {
    if (!request.auth.isAuthenticated) {
      return h.response({ error: 'sign in' }).code(403);
    }
    return request.auth.credentials;
  },
});
`,
    errors: [
      { message: "this branch runs when `!request.auth.isAuthenticated`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.", line: 8, column: 52, endLine: 8, endColumn: 55 },
    ],
    output: `import Hapi from '@hapi/hapi';
const server = Hapi.server();
server.route({
  method: 'GET',
  path: '/me',
  handler: (request, h) => {
    if (!request.auth.isAuthenticated) {
      return h.response({ error: 'sign in' }).code(401).header('WWW-Authenticate', 'Bearer realm="api"');
    }
    return request.auth.credentials;
  },
});
`,
  },
  {
    name: 'http-errors: createError(403) without a header, createError.Unauthorized for ownership',
    filename: 'invoices.ts',
    code: `import express from 'express';
import createError from 'http-errors';
import { loadInvoice } from './invoices';
const app = express();
app.use('/invoices', (req, _res, next) => {
  if (!req.get('authorization')) {
    return next(createError(403, 'Login required'));
  }
  next();
});
app.get('/invoices/:id', async (req, res, next) => {
  const invoice = await loadInvoice(req.params.id);
  if (invoice.customerId !== req.user.customerId) {
    return next(createError.Unauthorized('Not your invoice'));
  }
  res.json(invoice);
});
`,
    errors: [
      { message: "this branch runs when `!req.get('authorization')`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.", line: 7, column: 29, endLine: 7, endColumn: 32 },
      { message: 'this branch runs when `invoice.customerId !== req.user.customerId`: the caller is authenticated but not permitted — use 403, not 401.', line: 14, column: 29, endLine: 14, endColumn: 41 },
    ],
    output: `import express from 'express';
import createError from 'http-errors';
import { loadInvoice } from './invoices';
const app = express();
app.use('/invoices', (req, _res, next) => {
  if (!req.get('authorization')) {
    return next(createError(401, 'Login required', { headers: { 'WWW-Authenticate': 'Bearer realm="api"' } }));
  }
  next();
});
app.get('/invoices/:id', async (req, res, next) => {
  const invoice = await loadInvoice(req.params.id);
  if (invoice.customerId !== req.user.customerId) {
    return next(createError.Forbidden('Not your invoice'));
  }
  res.json(invoice);
});
`,
  },
  {
    name: 'config: a project word for a permission check',
    filename: 'seat.ts',
    settings: { authVocabulary: { authorization: ['seat'] } },
    code: `import express from 'express';
export function requireSeat(req, res, next) {
  if (!req.account.hasSeat) return res.status(401).end();
  next();
}
`,
    errors: [
      { message: 'this branch runs when `!req.account.hasSeat`: the caller is authenticated but not permitted — use 403, not 401.', line: 3, column: 47, endLine: 3, endColumn: 50 },
    ],
    output: `import express from 'express';
export function requireSeat(req, res, next) {
  if (!req.account.hasSeat) return res.status(403).end();
  next();
}
`,
  },
  {
    name: 'express: permissions looked up for the request, answered with 401',
    filename: 'edit.ts',
    code: `import express from 'express';
export async function edit(req, res) {
  const permissions = await wiki.auth.getEffectivePermissions(req, { path: req.params.path });
  if (!permissions.pages.write) return res.status(401).end();
  res.end();
}
`,
    errors: [
      { message: 'this branch runs when `!permissions.pages.write`: the caller is authenticated but not permitted — use 403, not 401.', line: 4, column: 51, endLine: 4, endColumn: 54 },
    ],
    output: `import express from 'express';
export async function edit(req, res) {
  const permissions = await wiki.auth.getEffectivePermissions(req, { path: req.params.path });
  if (!permissions.pages.write) return res.status(403).end();
  res.end();
}
`,
  },
  {
    name: 'express: a suspended principal answered with 401',
    filename: 'suspended.ts',
    code: `import express from 'express';
export function guard(req, res, next) {
  if (req.user.suspended) return res.status(401).json({ error: 'Account suspended' });
  next();
}
`,
    errors: [
      { message: 'this branch runs when `req.user.suspended`: the caller is authenticated but not permitted — use 403, not 401.', line: 3, column: 45, endLine: 3, endColumn: 48 },
    ],
    output: `import express from 'express';
export function guard(req, res, next) {
  if (req.user.suspended) return res.status(403).json({ error: 'Account suspended' });
  next();
}
`,
  },
  {
    name: 'next.js: an AuthorizationError answered with 401',
    filename: 'app/api/import/route.ts',
    code: `import { NextResponse } from 'next/server';
export async function POST(request: Request) {
  try {
    return NextResponse.json(await importCsv(request));
  } catch (error) {
    if (error instanceof AuthorizationError) return NextResponse.json({ error: error.message }, { status: 401 });
    throw error;
  }
}
`,
    errors: [
      { message: 'this branch runs when `error instanceof AuthorizationError`: the caller is authenticated but not permitted — use 403, not 401.', line: 6, column: 107, endLine: 6, endColumn: 110 },
    ],
    output: `import { NextResponse } from 'next/server';
export async function POST(request: Request) {
  try {
    return NextResponse.json(await importCsv(request));
  } catch (error) {
    if (error instanceof AuthorizationError) return NextResponse.json({ error: error.message }, { status: 403 });
    throw error;
  }
}
`,
  },
  {
    name: 'express: a predicate helper in the same file',
    filename: 'docs.ts',
    code: `import express from 'express';
const check = (req: express.Request) => !!req.session.userId;
function mine(req: express.Request, doc: { createdById: string }) {
  return doc.createdById === req.user.id;
}
export async function remove(req: express.Request, res: express.Response) {
  if (!check(req)) return res.status(403).end();
  const doc = await load(req.params.id);
  if (!mine(req, doc)) return res.status(401).end();
  res.status(204).end();
}
`,
    errors: [
      { message: "this branch runs when `!check(req)`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.", line: 7, column: 38, endLine: 7, endColumn: 41 },
      { message: 'this branch runs when `!mine(req, doc)`: the caller is authenticated but not permitted — use 403, not 401.', line: 9, column: 42, endLine: 9, endColumn: 45 },
    ],
    output: `import express from 'express';
const check = (req: express.Request) => !!req.session.userId;
function mine(req: express.Request, doc: { createdById: string }) {
  return doc.createdById === req.user.id;
}
export async function remove(req: express.Request, res: express.Response) {
  if (!check(req)) return res.set('WWW-Authenticate', 'Bearer realm="api"').status(401).end();
  const doc = await load(req.params.id);
  if (!mine(req, doc)) return res.status(403).end();
  res.status(204).end();
}
`,
  },
  {
    name: 'express: jose claim failures: a wrong audience is an invalid token',
    filename: 'jose.ts',
    code: `import express from 'express';
import * as jose from 'jose';
export async function requireToken(req: express.Request, res: express.Response, next: express.NextFunction) {
  const accessToken = req.headers.authorization?.replace(/^Bearer /, '');
  try {
    await jose.jwtVerify(accessToken, jwks, { audience: 'calendar', requiredClaims: ['scp'] });
    next();
  } catch (err) {
    if (err.claim === 'aud') {
      res.status(403).send('Invalid audience');
    } else if (err.claim === 'scp') {
      res.status(403).send('Invalid scope');
    }
  }
}
`,
    errors: [
      { message: "this runs when `jose.jwtVerify(…)` fails: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.", line: 10, column: 18, endLine: 10, endColumn: 21 },
    ],
    output: `import express from 'express';
import * as jose from 'jose';
export async function requireToken(req: express.Request, res: express.Response, next: express.NextFunction) {
  const accessToken = req.headers.authorization?.replace(/^Bearer /, '');
  try {
    await jose.jwtVerify(accessToken, jwks, { audience: 'calendar', requiredClaims: ['scp'] });
    next();
  } catch (err) {
    if (err.claim === 'aud') {
      res.set('WWW-Authenticate', 'Bearer realm="api"').status(401).send('Invalid audience');
    } else if (err.claim === 'scp') {
      res.status(403).send('Invalid scope');
    }
  }
}
`,
  },
  {
    name: 'koa: http-assert with the statuses swapped',
    filename: 'assert.ts',
    code: `import Koa from 'koa';
import assert from 'http-assert';
const app = new Koa();
app.use(async (ctx, next) => {
  assert(ctx.state.user, 403, 'Login required');
  assert(ctx.state.user.roles.includes('admin'), 401, 'Admins only');
  await next();
});
`,
    errors: [
      { message: "the assertion fails when `!ctx.state.user`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.", line: 5, column: 26, endLine: 5, endColumn: 29 },
      { message: "the assertion fails when `!ctx.state.user.roles.includes('admin')`: the caller is authenticated but not permitted — use 403, not 401.", line: 6, column: 50, endLine: 6, endColumn: 53 },
    ],
    output: `import Koa from 'koa';
import assert from 'http-assert';
const app = new Koa();
app.use(async (ctx, next) => {
  assert(ctx.state.user, 401, 'Login required', { headers: { 'WWW-Authenticate': 'Bearer realm="api"' } });
  assert(ctx.state.user.roles.includes('admin'), 403, 'Admins only');
  await next();
});
`,
  },
];

runRuleTests(authStatusMismatch, { valid, invalid });

/**
 * Boom sends its message as the challenge's `error` parameter. A swap to
 * `Boom.unauthorized` keeps the author's message, and invalid-www-authenticate
 * then asks for an RFC 6750 error code instead: which one is the author's call.
 */
function boomMessageAsError(message: string): boolean {
  return /^`Boom\.unauthorized\(…\)` sends .*is not a Bearer error code/.test(message);
}

describe('auth-status-mismatch with the other rules', () => {
  const findings = (code: string, filename = 'handler.ts') => lint(code, filename, defaultSettings()).findings;

  for (const test of invalid.filter((t) => t.output !== null)) {
    it(`fixed code is clean under every rule: ${test.name}`, () => {
      const settings = { ...defaultSettings(), ...test.settings };
      const remaining = lint(test.output!, test.filename ?? 'handler.ts', settings)
        // A finding the case leaves unfixed on purpose says so; the rest must be gone.
        .findings.filter((f) => !boomMessageAsError(f.message) && !f.message.includes('No fix is offered'))
        .map((f) => `${f.ruleId} ${f.range.start.line + 1}`);
      assert.deepEqual(remaining, []);
    });
  }

  it('reports a 401 for a permission failure once, under this rule alone', () => {
    const code = `app.get('/a', (req, res) => { if (req.user.role !== 'admin') return res.status(401).end(); res.end(); });`;
    assert.deepEqual(findings(code).map((f) => f.ruleId), ['auth-status-mismatch']);
  });

  it('leaves the 401 to missing-www-authenticate when this rule is off', () => {
    const code = `app.get('/a', (req, res) => { if (req.user.role !== 'admin') return res.status(401).end(); res.end(); });`;
    const settings = { ...defaultSettings(), rules: { 'auth-status-mismatch': 'off' as const } };
    assert.deepEqual(lint(code, 'handler.ts', settings).findings.map((f) => f.ruleId), ['missing-www-authenticate']);
  });

  it('reads authVocabulary from a project config', () => {
    const config = validateConfig({ authVocabulary: { authorization: ['seat'], unrelated: ['geofence'] } }, '.authlintrc.json');
    assert.deepEqual(resolveSettings(config).authVocabulary, { authorization: ['seat'], unrelated: ['geofence'] });
  });

  it('refuses an authVocabulary that is not lists of words', () => {
    assert.throws(() => validateConfig({ authVocabulary: { roles: ['x'] } }, '.authlintrc.json'), /"authVocabulary": unknown key "roles"/);
    assert.throws(() => validateConfig({ authVocabulary: { authorization: 'seat' } }, '.authlintrc.json'), /"authVocabulary.authorization" must be an array of words/);
    assert.throws(() => validateConfig({ authVocabulary: ['seat'] }, '.authlintrc.json'), /"authVocabulary" must be an object/);
  });

  it('swaps both arms of a conditional status in one --fix run', () => {
    const code = `app.get('/a', (req, res) => {\n  return res.sendStatus(req.user ? 401 : 403);\n});`;
    const { text } = applyFixes(code, findings(code));
    assert.equal(text, `app.get('/a', (req, res) => {\n  if (!req.user) res.setHeader('WWW-Authenticate', 'Bearer realm="api"');\n  return res.sendStatus(req.user ? 403 : 401);\n});`);
  });
});
