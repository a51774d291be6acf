import { authStatusMismatch } from '../../../server/src/core/rules/auth-status-mismatch';
import { missingWwwAuthenticate } from '../../../server/src/core/rules/missing-www-authenticate';
import { runRuleTests } from '../../rule-tester';

const HEADERS_REMEDY =
  '401 response without a WWW-Authenticate header: clients cannot tell which authentication scheme to use (RFC 9110 §15.5.2). ' +
  "Pass `{ 'WWW-Authenticate': 'Bearer realm=\"api\"' }` as the error's headers (its third argument), or set it with `ctx.setHeader` before throwing.";

runRuleTests(missingWwwAuthenticate, {
  valid: [
    // The challenge travels in the error's headers, or in the endpoint's response headers, which better-auth merges into the error's.
    {
      filename: 'src/lib/auth/plugins/api-token.ts',
      code: `import type { BetterAuthPlugin } from 'better-auth';
import { APIError, createAuthEndpoint } from 'better-auth/api';

export const apiToken = () =>
  ({
    id: 'api-token',
    endpoints: {
      whoami: createAuthEndpoint('/api-token/whoami', { method: 'GET' }, async (ctx) => {
        const token = ctx.headers?.get('authorization')?.replace(/^Bearer /, '');
        if (!token) {
          throw new APIError('UNAUTHORIZED', { message: 'Missing token' }, { 'WWW-Authenticate': 'Bearer realm="api"' });
        }
        const session = await ctx.context.internalAdapter.findSession(token);
        if (!session) {
          ctx.setHeader('WWW-Authenticate', 'Bearer realm="api", error="invalid_token"');
          throw ctx.error('UNAUTHORIZED', { message: 'Invalid token' });
        }
        return ctx.json({ user: session.user });
      }),
    },
  }) satisfies BetterAuthPlugin;`,
    },
    // A class of the same name from elsewhere is not better-call's.
    {
      filename: 'src/api/errors.ts',
      code: `import { APIError } from './api-error';
export function requireUser(user: unknown) {
  if (!user) throw new APIError('UNAUTHORIZED');
}`,
    },
    // An APIError the app's own server function throws is answered by whatever runs it (TanStack Start), not by better-auth.
    {
      filename: 'src/lib/session.ts',
      code: `import { getRequestHeaders } from '@tanstack/react-start/server';
import { APIError } from 'better-auth/api';
import { auth } from '#/lib/auth';

export async function getUserIdFromRequest(errorMessage = 'Sign in to continue'): Promise<string> {
  const session = await auth.api.getSession({ headers: getRequestHeaders() });
  if (!session) {
    throw new APIError('UNAUTHORIZED', { message: errorMessage });
  }
  return session.user.id;
}`,
    },
    // A 403 needs no challenge.
    {
      filename: 'src/lib/auth.ts',
      code: `import { APIError, createAuthMiddleware } from 'better-auth/api';
export const onlyAdmins = createAuthMiddleware(async (ctx) => {
  if (ctx.context.session?.user.role !== 'admin') throw new APIError('FORBIDDEN', { message: 'Admins only' });
});`,
    },
  ],
  invalid: [
    {
      name: "better-auth: new APIError, an endpoint's ctx.error and APIError.from answer 401 with no challenge; the fix passes the headers",
      filename: 'src/lib/auth.ts',
      code: `import { betterAuth } from 'better-auth';
import { APIError, createAuthMiddleware } from 'better-auth/api';
import { createAuthEndpoint } from 'better-auth/plugins';

export const auth = betterAuth({
  hooks: {
    before: createAuthMiddleware(async (ctx) => {
      if (ctx.path.startsWith('/organization') && !ctx.context.session) {
        throw new APIError('UNAUTHORIZED', { message: 'Sign in first' });
      }
    }),
  },
  plugins: [
    {
      id: 'tenant',
      endpoints: {
        getTenant: createAuthEndpoint('/tenant', { method: 'GET' }, async (ctx) => {
          if (!ctx.context.session) throw ctx.error('UNAUTHORIZED');
          if (!ctx.headers?.get('x-tenant-key')) throw APIError.from('UNAUTHORIZED', { code: 'NO_TENANT_KEY', message: 'Missing tenant key' });
          return ctx.json({ tenant: ctx.context.session.session.activeOrganizationId });
        }),
      },
    },
  ],
});`,
      errors: [
        { message: HEADERS_REMEDY, line: 9, column: 15, endColumn: 73 },
        { message: HEADERS_REMEDY, line: 18, column: 43, endColumn: 68 },
        { message: /`APIError\.from` takes no headers: throw `new APIError\(…, body, \{ 'WWW-Authenticate': 'Bearer realm="api"' \}\)` instead\.$/, line: 19, column: 56 },
      ],
      output: `import { betterAuth } from 'better-auth';
import { APIError, createAuthMiddleware } from 'better-auth/api';
import { createAuthEndpoint } from 'better-auth/plugins';

export const auth = betterAuth({
  hooks: {
    before: createAuthMiddleware(async (ctx) => {
      if (ctx.path.startsWith('/organization') && !ctx.context.session) {
        throw new APIError('UNAUTHORIZED', { message: 'Sign in first' }, { 'WWW-Authenticate': 'Bearer realm="api"' });
      }
    }),
  },
  plugins: [
    {
      id: 'tenant',
      endpoints: {
        getTenant: createAuthEndpoint('/tenant', { method: 'GET' }, async (ctx) => {
          if (!ctx.context.session) throw ctx.error('UNAUTHORIZED', undefined, { 'WWW-Authenticate': 'Bearer realm="api"' });
          if (!ctx.headers?.get('x-tenant-key')) throw APIError.from('UNAUTHORIZED', { code: 'NO_TENANT_KEY', message: 'Missing tenant key' });
          return ctx.json({ tenant: ctx.context.session.session.activeOrganizationId });
        }),
      },
    },
  ],
});`,
    },
  ],
});

runRuleTests(authStatusMismatch, {
  valid: [],
  invalid: [
    {
      name: "better-auth: 'UNAUTHORIZED' for a role check becomes 'FORBIDDEN'",
      filename: 'src/lib/auth/admin-only.ts',
      code: `import { APIError, createAuthMiddleware } from 'better-auth/api';
export const adminOnly = createAuthMiddleware(async (ctx) => {
  const session = ctx.context.session;
  if (session && session.user.role !== 'admin') {
    throw new APIError('UNAUTHORIZED', { message: 'Admins only' });
  }
});`,
      errors: [{ message: /^this branch runs when `session && session\.user\.role !== 'admin'`: the caller is authenticated but not permitted — use 403, not 401\.$/, line: 5, column: 24, endColumn: 38 }],
      output: `import { APIError, createAuthMiddleware } from 'better-auth/api';
export const adminOnly = createAuthMiddleware(async (ctx) => {
  const session = ctx.context.session;
  if (session && session.user.role !== 'admin') {
    throw new APIError('FORBIDDEN', { message: 'Admins only' });
  }
});`,
    },
  ],
});
