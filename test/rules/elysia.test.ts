import { authStatusMismatch } from '../../server/src/core/rules/auth-status-mismatch';
import { missingWwwAuthenticate } from '../../server/src/core/rules/missing-www-authenticate';
import { runRuleTests } from '../rule-tester';

const RESPONSE = /^401 response without a WWW-Authenticate header: clients cannot tell which authentication scheme to use \(RFC 9110 §15\.5\.2\)\. Set `WWW-Authenticate: Bearer realm="api"` on this response\.$/;
const TO_401 = /the caller's credential is missing or invalid — use 401 \(with a WWW-Authenticate challenge\), not 403\.$/;

runRuleTests(missingWwwAuthenticate, {
  valid: [
    {
      name: 'set.headers written before or after set.status, as a record, or with Object.assign before status()',
      filename: 'src/index.ts',
      code: `import { Elysia } from 'elysia';

export const app = new Elysia()
  .get('/me', ({ headers, set }) => {
    if (!headers.authorization) {
      set.headers['www-authenticate'] = 'Bearer realm="api"';
      set.status = 401;
      return 'Unauthorized';
    }
  })
  .get('/later', ({ headers, set, status }) => {
    if (!headers.authorization) {
      set.status = 'Unauthorized';
      set.headers = { 'WWW-Authenticate': 'Basic realm="admin"' };
      return 'Unauthorized';
    }
    if (headers.authorization === 'expired') {
      Object.assign(set.headers, { 'www-authenticate': 'Bearer error="invalid_token"' });
      return status(401, 'expired');
    }
  })
  .onError(({ code, set }) => {
    if (code === 'NOT_FOUND') {
      set.status = 404;
      return 'Not found';
    }
  });`,
    },
    {
      name: 'set.status outside an Elysia file is not Elysia’s',
      filename: 'src/jobs.ts',
      code: `export function finish({ set }: { set: { status: number } }) {
  set.status = 401;
}`,
    },
    {
      name: 'a local status() is not Elysia’s',
      filename: 'src/index.ts',
      code: `import { Elysia } from 'elysia';

const status = (code: number, text: string) => ({ code, text });
export const app = new Elysia().get('/health', () => status(401, 'not a response'));`,
    },
  ],
  invalid: [
    {
      name: 'set.status, status() and error() from the context, returned or thrown, numbers or status names',
      filename: 'src/index.ts',
      code: `import { Elysia } from 'elysia';
import { bearer } from '@elysiajs/bearer';

export const app = new Elysia()
  .use(bearer())
  .get('/me', ({ bearer, set }) => {
    if (!bearer) {
      set.status = 401;
      return 'Unauthorized';
    }
    return { ok: true };
  })
  .get('/profile', ({ bearer, status }) => {
    if (!bearer) return status(401, 'Sign in first');
    if (bearer === 'expired') {
      throw status('Unauthorized', { error: 'token expired' });
    }
    return { ok: true };
  })
  .get('/ctx', (ctx) => {
    if (!ctx.bearer) {
      return ctx.error(401, 'no token');
    }
    if (!ctx.user) {
      ctx.set.status = 'Unauthorized';
      return 'no user';
    }
  }, {
    beforeHandle({ bearer, set }) {
      if (!bearer) {
        set.status = 401;
        set.headers['WWW-Authenticate'] = 'Bearer realm="api"';
        return 'Unauthorized';
      }
    },
  });`,
      errors: [
        { message: RESPONSE, line: 8, column: 7, endColumn: 23 },
        { message: RESPONSE, line: 14, column: 25, endColumn: 53 },
        { message: RESPONSE, line: 16, column: 13, endColumn: 63 },
        { message: RESPONSE, line: 22, column: 14, endColumn: 40 },
        { message: RESPONSE, line: 25, column: 7, endColumn: 38 },
      ],
      output: `import { Elysia } from 'elysia';
import { bearer } from '@elysiajs/bearer';

export const app = new Elysia()
  .use(bearer())
  .get('/me', ({ bearer, set }) => {
    if (!bearer) {
      set.headers['www-authenticate'] = 'Bearer realm="api"';
      set.status = 401;
      return 'Unauthorized';
    }
    return { ok: true };
  })
  .get('/profile', ({ bearer, status, set }) => {
    if (!bearer) return status(401, 'Sign in first');
    if (bearer === 'expired') {
      set.headers['www-authenticate'] = 'Bearer realm="api"';
      throw status('Unauthorized', { error: 'token expired' });
    }
    return { ok: true };
  })
  .get('/ctx', (ctx) => {
    if (!ctx.bearer) {
      ctx.set.headers['www-authenticate'] = 'Bearer realm="api"';
      return ctx.error(401, 'no token');
    }
    if (!ctx.user) {
      ctx.set.headers['www-authenticate'] = 'Bearer realm="api"';
      ctx.set.status = 'Unauthorized';
      return 'no user';
    }
  }, {
    beforeHandle({ bearer, set }) {
      if (!bearer) {
        set.status = 401;
        set.headers['WWW-Authenticate'] = 'Bearer realm="api"';
        return 'Unauthorized';
      }
    },
  });`,
    },
    {
      name: 'status() imported from elysia in a helper without the context: reported, no fix',
      filename: 'src/auth/require-user.ts',
      code: `import { status } from 'elysia';
import type { User } from './db';

export function requireUser(user: User | undefined) {
  if (!user) {
    throw status(401, 'Sign in first');
  }
  return user;
}`,
      errors: [{ message: RESPONSE, line: 6, column: 11, endColumn: 39 }],
      output: null,
    },
  ],
});

runRuleTests(authStatusMismatch, {
  valid: [],
  invalid: [
    {
      name: 'Elysia: a renamed status function and an alias of ctx.set are read as status() and set.status',
      filename: 'src/routes/me.ts',
      code: `import { Elysia } from 'elysia';

export const me = new Elysia()
  .get('/me', ({ headers, status: reply }) => {
    if (!headers.authorization) {
      return reply(403, 'Sign in first');
    }
    return 'ok';
  })
  .get('/profile', (ctx) => {
    const out = ctx.set;
    if (!ctx.headers.authorization) {
      out.status = 403;
      return 'Sign in first';
    }
    return 'ok';
  });`,
      errors: [
        { message: TO_401, line: 6, column: 20, endColumn: 23 },
        { message: TO_401, line: 13, column: 20, endColumn: 23 },
      ],
      output: `import { Elysia } from 'elysia';

export const me = new Elysia()
  .get('/me', ({ headers, status: reply, set }) => {
    if (!headers.authorization) {
      set.headers['www-authenticate'] = 'Bearer realm="api"';
      return reply(401, 'Sign in first');
    }
    return 'ok';
  })
  .get('/profile', (ctx) => {
    const out = ctx.set;
    if (!ctx.headers.authorization) {
      out.headers['www-authenticate'] = 'Bearer realm="api"';
      out.status = 401;
      return 'Sign in first';
    }
    return 'ok';
  });`,
    },
    {
      name: 'Elysia: 403 for a missing or invalid token becomes 401 with the challenge, in the spelling used; 401 for a role becomes 403',
      filename: 'src/auth.ts',
      code: `import { Elysia } from 'elysia';
import { jwt } from '@elysiajs/jwt';

export const auth = new Elysia({ name: 'auth' })
  .use(jwt({ secret: process.env.JWT_SECRET! }))
  .derive({ as: 'scoped' }, async ({ headers, jwt, set }) => {
    const token = headers.authorization?.slice(7);
    if (!token) {
      set.status = 'Forbidden';
      throw new Error('missing token');
    }
    const user = await jwt.verify(token);
    if (!user) {
      set.status = 403;
      throw new Error('invalid token');
    }
    return { user };
  })
  .macro({
    admin: {
      beforeHandle({ user, status }) {
        if (user.role !== 'admin') return status(401, 'Admins only');
      },
    },
  });`,
      errors: [
        { message: TO_401, line: 9, column: 20, endColumn: 31 },
        { message: TO_401, line: 14, column: 20, endColumn: 23 },
        { message: /use 403, not 401/, line: 22, column: 50, endColumn: 53 },
      ],
      output: `import { Elysia } from 'elysia';
import { jwt } from '@elysiajs/jwt';

export const auth = new Elysia({ name: 'auth' })
  .use(jwt({ secret: process.env.JWT_SECRET! }))
  .derive({ as: 'scoped' }, async ({ headers, jwt, set }) => {
    const token = headers.authorization?.slice(7);
    if (!token) {
      set.headers['www-authenticate'] = 'Bearer realm="api"';
      set.status = 'Unauthorized';
      throw new Error('missing token');
    }
    const user = await jwt.verify(token);
    if (!user) {
      set.headers['www-authenticate'] = 'Bearer realm="api"';
      set.status = 401;
      throw new Error('invalid token');
    }
    return { user };
  })
  .macro({
    admin: {
      beforeHandle({ user, status }) {
        if (user.role !== 'admin') return status(403, 'Admins only');
      },
    },
  });`,
    },
  ],
});
