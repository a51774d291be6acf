import { authStatusMismatch } from '../../server/src/core/rules/auth-status-mismatch';
import { missingWwwAuthenticate } from '../../server/src/core/rules/missing-www-authenticate';
import { runRuleTests } from '../rule-tester';

const RESPONSE = /^401 response without a WWW-Authenticate header: clients cannot tell which authentication scheme to use \(RFC 9110 §15\.5\.2\)\. Set `WWW-Authenticate: Bearer realm="api"` on this response\.$/;
const V2_ERROR = /^401 error without a WWW-Authenticate header: h3 builds the response from the error alone and drops headers set before it, .* Pass `WWW-Authenticate: Bearer realm="api"` with the error\.$/;

runRuleTests(missingWwwAuthenticate, {
  valid: [
    {
      name: 'Nuxt (h3 v1): a header set on the event before createError() is sent with the error',
      filename: 'server/api/me.get.ts',
      code: `export default defineEventHandler(async (event) => {
  const session = await getUserSession(event);
  if (!session.user) {
    setResponseHeader(event, 'WWW-Authenticate', 'Bearer realm="api"');
    throw createError({ statusCode: 401, statusMessage: 'Unauthorized' });
  }
  return session.user;
});`,
    },
    {
      name: 'h3 v1: setResponseHeaders() before setResponseStatus()',
      filename: 'src/routes/me.ts',
      code: `import { defineEventHandler, setResponseHeaders, setResponseStatus } from 'h3';

export default defineEventHandler((event) => {
  if (!event.context.user) {
    setResponseHeaders(event, { 'WWW-Authenticate': 'Basic realm="admin"', 'Cache-Control': 'no-store' });
    setResponseStatus(event, 401);
    return 'Unauthorized';
  }
});`,
    },
    {
      name: 'h3 v2: the challenge in the HTTPError, or staged in event.res.errHeaders',
      filename: 'src/app.ts',
      code: `import { H3, HTTPError } from 'h3';

export const app = new H3()
  .get('/me', (event) => {
    if (!event.req.headers.get('authorization')) {
      throw new HTTPError({ status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="api"' } });
    }
    if (!event.context.user) {
      event.res.errHeaders.set('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw new HTTPError({ status: 401, message: 'invalid token' });
    }
    return event.context.user;
  });`,
    },
    {
      name: 'h3 v2: a status on event.res goes out with event.res.headers, set before or after it',
      filename: 'src/app.ts',
      code: `import { H3 } from 'h3';

export const app = new H3().get('/me', (event) => {
  if (!event.context.user) {
    event.res.status = 401;
    event.res.headers.set('WWW-Authenticate', 'Bearer realm="api"');
    return { error: 'sign in' };
  }
});`,
    },
    {
      name: 'requireBasicAuth sets the challenge itself',
      filename: 'server/middleware/auth.ts',
      code: `import { defineEventHandler, requireBasicAuth } from 'h3';

export default defineEventHandler(async (event) => {
  await requireBasicAuth(event, { password: process.env.ADMIN_PASSWORD! });
});`,
    },
    {
      name: 'a createError() that is not h3’s, in a server folder',
      filename: 'server/routes/legacy.ts',
      code: `import createError from 'http-errors';

export function legacy(req, res, next) {
  if (!req.user) return next(createError({ statusCode: 401 }));
  next();
}`,
    },
  ],
  invalid: [
    {
      name: 'Nuxt server/utils: a status that falls back to 401 when the caller names none; no fix, the caller may name another',
      filename: 'server/utils/require-user.ts',
      code: `import { createError, type H3Event } from 'h3';

export async function requireUser(event: H3Event, opts: { statusCode?: number; message?: string } = {}) {
  const session = await getUserSession(event);
  if (!session.user) {
    throw createError({ statusCode: opts.statusCode || 401, message: opts.message ?? 'Unauthorized' });
  }
  return session.user;
}`,
      errors: [{ message: /^401 response without a WWW-Authenticate header: .* The status is chosen between 401 and another by code a fix cannot repeat safely: set the header only where it is 401\.$/, line: 6, column: 11, endColumn: 103 }],
      output: null,
    },
    {
      name: 'Nuxt server route: createError() and setResponseStatus() without a challenge; the auto-imported setter is used',
      filename: 'server/api/me.get.ts',
      code: `export default defineEventHandler(async (event) => {
  const session = await getUserSession(event);
  if (!session.user) {
    throw createError({ statusCode: 401, statusMessage: 'Unauthorized' });
  }
  if (!session.user.verified) {
    setResponseStatus(event, 401);
    return { error: 'verify your e-mail first' };
  }
  return session.user;
});`,
      errors: [
        { message: RESPONSE, line: 4, column: 11, endColumn: 74 },
        { message: RESPONSE, line: 7, column: 5, endColumn: 34 },
      ],
      output: `export default defineEventHandler(async (event) => {
  const session = await getUserSession(event);
  if (!session.user) {
    setResponseHeader(event, 'WWW-Authenticate', 'Bearer realm="api"');
    throw createError({ statusCode: 401, statusMessage: 'Unauthorized' });
  }
  if (!session.user.verified) {
    setResponseHeader(event, 'WWW-Authenticate', 'Bearer realm="api"');
    setResponseStatus(event, 401);
    return { error: 'verify your e-mail first' };
  }
  return session.user;
});`,
    },
    {
      name: 'h3 v1 app: sendError(createError()) and event.node.res.statusCode; setResponseHeader joins the import',
      filename: 'src/server.ts',
      code: `import { createApp, createError, createRouter, defineEventHandler, getHeader, sendError } from 'h3';

export const app = createApp();
const router = createRouter();

router.get('/me', defineEventHandler((event) => {
  const token = getHeader(event, 'authorization');
  if (!token) {
    return sendError(event, createError({ statusCode: 401, statusMessage: 'Missing token' }));
  }
  if (!event.context.user) {
    event.node.res.statusCode = 401;
    return 'invalid token';
  }
  return event.context.user;
}));
app.use(router);`,
      errors: [
        { message: RESPONSE, line: 9, column: 29, endColumn: 93 },
        { message: RESPONSE, line: 12, column: 5, endColumn: 36 },
      ],
      output: `import { createApp, createError, createRouter, defineEventHandler, getHeader, sendError, setResponseHeader } from 'h3';

export const app = createApp();
const router = createRouter();

router.get('/me', defineEventHandler((event) => {
  const token = getHeader(event, 'authorization');
  if (!token) {
    setResponseHeader(event, 'WWW-Authenticate', 'Bearer realm="api"');
    return sendError(event, createError({ statusCode: 401, statusMessage: 'Missing token' }));
  }
  if (!event.context.user) {
    event.node.res.setHeader('WWW-Authenticate', 'Bearer realm="api"');
    event.node.res.statusCode = 401;
    return 'invalid token';
  }
  return event.context.user;
}));
app.use(router);`,
    },
    {
      name: 'h3 v2: event.res.headers do not reach an error response; the header goes in the HTTPError',
      filename: 'src/app.ts',
      code: `import { H3, HTTPError } from 'h3';

export const app = new H3()
  .get('/me', (event) => {
    if (!event.req.headers.get('authorization')) {
      event.res.headers.set('WWW-Authenticate', 'Bearer realm="api"');
      throw new HTTPError({ status: 401, message: 'Sign in first' });
    }
    if (!event.context.user) throw HTTPError.status(401, 'Unauthorized');
    return event.context.user;
  })
  .get('/token', (event) => {
    if (!event.context.token) {
      event.res.status = 401;
      return { error: 'no token' };
    }
    return event.context.token;
  });`,
      errors: [
        { message: V2_ERROR, line: 7, column: 13, endColumn: 69 },
        { message: V2_ERROR, line: 9, column: 36, endColumn: 73 },
        { message: RESPONSE, line: 14, column: 7, endColumn: 29 },
      ],
      output: `import { H3, HTTPError } from 'h3';

export const app = new H3()
  .get('/me', (event) => {
    if (!event.req.headers.get('authorization')) {
      event.res.headers.set('WWW-Authenticate', 'Bearer realm="api"');
      throw new HTTPError({ status: 401, message: 'Sign in first', headers: { 'WWW-Authenticate': 'Bearer realm="api"' } });
    }
    if (!event.context.user) throw HTTPError.status(401, 'Unauthorized', { headers: { 'WWW-Authenticate': 'Bearer realm="api"' } });
    return event.context.user;
  })
  .get('/token', (event) => {
    if (!event.context.token) {
      event.res.headers.set('WWW-Authenticate', 'Bearer realm="api"');
      event.res.status = 401;
      return { error: 'no token' };
    }
    return event.context.token;
  });`,
    },
  ],
});

runRuleTests(authStatusMismatch, {
  valid: [
    {
      name: 'h3: a role read from the principal in event.context answers 403',
      filename: 'src/routes/admin.ts',
      code: `import { createError, defineEventHandler } from 'h3';
export default defineEventHandler((event) => {
  if (event.context.auth.role !== 'admin') {
    throw createError({ statusCode: 403, statusMessage: 'Admins only' });
  }
  return event.context.auth;
});`,
    },
  ],
  invalid: [
    {
      name: 'Nuxt: the user a server middleware put in event.context, missing, is a 401',
      filename: 'server/api/user/user.get.ts',
      code: `export default defineEventHandler((event) => {
    const user = event.context.user
    if (!user) {
        throw createError({
            statusCode: 403,
            statusMessage: "Unauthorized",
        })
    }
    return user
})`,
      errors: [
        { message: "this branch runs when `!user`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.", line: 5, column: 25, endColumn: 28 },
      ],
      output: `export default defineEventHandler((event) => {
    const user = event.context.user
    if (!user) {
        setResponseHeader(event, 'WWW-Authenticate', 'Bearer realm="api"');
        throw createError({
            statusCode: 401,
            statusMessage: "Unauthorized",
        })
    }
    return user
})`,
    },
    {
      name: 'Nuxt: a missing event.context.session is a 401',
      filename: 'server/api/user/logout.post.ts',
      code: `export default defineEventHandler(async (event) => {
  if (!event.context.session) {
    throw createError({ statusCode: 403 });
  }
  await invalidateSession(event.context.session.id);
  return { message: 'Logged out' };
});`,
      errors: [
        { message: "this branch runs when `!event.context.session`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.", line: 3, column: 37, endColumn: 40 },
      ],
      output: `export default defineEventHandler(async (event) => {
  if (!event.context.session) {
    setResponseHeader(event, 'WWW-Authenticate', 'Bearer realm="api"');
    throw createError({ statusCode: 401 });
  }
  await invalidateSession(event.context.session.id);
  return { message: 'Logged out' };
});`,
    },
    {
      name: 'h3: a missing event.context.auth is a 401, its role a 403',
      filename: 'src/routes/admin.ts',
      code: `import { createError, defineEventHandler } from 'h3';
export default defineEventHandler((event) => {
  if (!event.context.auth) {
    throw createError({ statusCode: 403, statusMessage: 'Sign in first' });
  }
  if (event.context.auth.role !== 'admin') {
    throw createError({ statusCode: 403, statusMessage: 'Admins only' });
  }
  return event.context.auth;
});`,
      errors: [
        { message: "this branch runs when `!event.context.auth`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.", line: 4, column: 37, endColumn: 40 },
      ],
      output: `import { createError, defineEventHandler, setResponseHeader } from 'h3';
export default defineEventHandler((event) => {
  if (!event.context.auth) {
    setResponseHeader(event, 'WWW-Authenticate', 'Bearer realm="api"');
    throw createError({ statusCode: 401, statusMessage: 'Sign in first' });
  }
  if (event.context.auth.role !== 'admin') {
    throw createError({ statusCode: 403, statusMessage: 'Admins only' });
  }
  return event.context.auth;
});`,
    },
    {
      name: 'Nuxt: createError({ statusCode: 401 }) for a role check becomes 403',
      filename: 'server/api/admin/users.get.ts',
      code: `export default defineEventHandler(async (event) => {
  const { user } = await requireUserSession(event);
  if (user.role !== 'admin') {
    throw createError({
      statusCode: 401,
      statusMessage: 'Admins only',
    });
  }
  return listUsers();
});`,
      errors: [{ message: /use 403, not 401/, line: 5, column: 19, endColumn: 22 }],
      output: `export default defineEventHandler(async (event) => {
  const { user } = await requireUserSession(event);
  if (user.role !== 'admin') {
    throw createError({
      statusCode: 403,
      statusMessage: 'Admins only',
    });
  }
  return listUsers();
});`,
    },
  ],
});
