import { authStatusMismatch } from '../../server/src/core/rules/auth-status-mismatch';
import { missingWwwAuthenticate } from '../../server/src/core/rules/missing-www-authenticate';
import { runRuleTests } from '../rule-tester';

const RESPONSE = /^401 response without a WWW-Authenticate header: clients cannot tell which authentication scheme to use \(RFC 9110 §15\.5\.2\)\. Set `WWW-Authenticate: Bearer realm="api"` on this response\.$/;
const HOOK_ERROR =
  /^401 error without a WWW-Authenticate header: SvelteKit answers this error with none of the headers set for the request, and the error cannot carry any, .* Return a response that sets `WWW-Authenticate: Bearer realm="api"` instead\.$/;
const ENDPOINT = 'src/routes/api/me/+server.ts';
const HOOKS = 'src/hooks.server.ts';

runRuleTests(missingWwwAuthenticate, {
  valid: [
    {
      name: 'setHeaders() before error() in an endpoint: SvelteKit applies them to the error response',
      filename: ENDPOINT,
      code: `import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, setHeaders }) => {
  if (!locals.user) {
    setHeaders({ 'WWW-Authenticate': 'Bearer realm="api"' });
    error(401, 'Sign in first');
  }
  return json(locals.user);
};`,
    },
    {
      name: 'event.setHeaders() in a load, before the error',
      filename: 'src/routes/dashboard/+page.server.ts',
      code: `import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  event.setHeaders({ 'www-authenticate': 'Bearer realm="app"' });
  const session = await event.locals.auth();
  if (!session) error(401, 'Sign in first');
  return { session };
};`,
    },
    {
      name: 'json() with the challenge in its init, and setHeaders() before a Response',
      filename: ENDPOINT,
      code: `import { json } from '@sveltejs/kit';

export async function GET({ request, setHeaders }) {
  if (!request.headers.get('authorization')) {
    return json({ error: 'missing token' }, { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } });
  }
  setHeaders({ 'WWW-Authenticate': 'Bearer error="invalid_token"' });
  return new Response('invalid token', { status: 401 });
}`,
    },
    {
      name: 'the handle hook returns a Response that carries the challenge',
      filename: HOOKS,
      code: `import type { Handle } from '@sveltejs/kit';

export const handle: Handle = async ({ event, resolve }) => {
  if (event.url.pathname.startsWith('/api') && !event.locals.user) {
    return new Response('Unauthorized', { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="api"' } });
  }
  return resolve(event);
};`,
    },
    {
      name: 'fail() in an action after setHeaders()',
      filename: 'src/routes/settings/+page.server.ts',
      code: `import { fail } from '@sveltejs/kit';

export const actions = {
  default: async ({ locals, setHeaders }) => {
    if (!locals.user) {
      setHeaders({ 'WWW-Authenticate': 'Bearer realm="app"' });
      return fail(401, { message: 'Sign in' });
    }
  },
};`,
    },
    {
      name: 'an error() that is not SvelteKit’s',
      filename: ENDPOINT,
      code: `import { error } from '$lib/log';

export function GET({ locals }) {
  if (!locals.user) error(401, 'anonymous request');
  return new Response('ok');
}`,
    },
  ],
  invalid: [
    {
      name: 'endpoint: error() and json() without a challenge; setHeaders is destructured for the fix',
      filename: ENDPOINT,
      code: `import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals }) => {
  if (!locals.user) {
    error(401, 'Sign in first');
  }
  return json(locals.user);
};

export const POST: RequestHandler = async ({ request, locals }) => {
  if (!request.headers.get('authorization')) {
    return json({ error: 'missing token' }, { status: 401 });
  }
  return json(await locals.db.save(await request.json()));
};`,
      errors: [
        { message: RESPONSE, line: 6, column: 5, endColumn: 32 },
        { message: RESPONSE, line: 13, column: 12, endColumn: 61 },
      ],
      output: `import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, setHeaders }) => {
  if (!locals.user) {
    setHeaders({ 'WWW-Authenticate': 'Bearer realm="api"' });
    error(401, 'Sign in first');
  }
  return json(locals.user);
};

export const POST: RequestHandler = async ({ request, locals }) => {
  if (!request.headers.get('authorization')) {
    return json({ error: 'missing token' }, { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="api"' } });
  }
  return json(await locals.db.save(await request.json()));
};`,
    },
    {
      name: 'handle hook: error() gets no headers, and setHeaders() does not reach a Response the hook returns',
      filename: HOOKS,
      code: `import { error, type Handle } from '@sveltejs/kit';

export const handle: Handle = async ({ event, resolve }) => {
  if (event.url.pathname.startsWith('/api') && !event.locals.user) {
    throw error(401, 'Missing or invalid token');
  }
  if (event.url.pathname.startsWith('/account') && !event.locals.user) {
    error(401, { message: 'Sign in first' });
  }
  if (event.url.pathname.startsWith('/feeds') && !event.request.headers.get('authorization')) {
    event.setHeaders({ 'WWW-Authenticate': 'Bearer realm="feeds"' });
    return new Response('Unauthorized', { status: 401 });
  }
  return resolve(event);
};`,
      errors: [
        { message: HOOK_ERROR, line: 5, column: 11, endColumn: 49 },
        { message: HOOK_ERROR, line: 8, column: 5, endColumn: 45 },
        { message: RESPONSE, line: 12, column: 12, endColumn: 57 },
      ],
      output: `import { error, type Handle } from '@sveltejs/kit';

export const handle: Handle = async ({ event, resolve }) => {
  if (event.url.pathname.startsWith('/api') && !event.locals.user) {
    return new Response('Missing or invalid token', { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="api"' } });
  }
  if (event.url.pathname.startsWith('/account') && !event.locals.user) {
    return Response.json({ message: 'Sign in first' }, { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="api"' } });
  }
  if (event.url.pathname.startsWith('/feeds') && !event.request.headers.get('authorization')) {
    event.setHeaders({ 'WWW-Authenticate': 'Bearer realm="feeds"' });
    return new Response('Unauthorized', { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="api"' } });
  }
  return resolve(event);
};`,
    },
    {
      name: 'form action: fail(401) renders the page with a 401; setHeaders is added to a multi-line pattern',
      filename: 'src/routes/settings/+page.server.ts',
      code: `import { fail } from '@sveltejs/kit';
import type { Actions } from './$types';

export const actions = {
  rename: async ({
    request,
    locals,
  }) => {
    if (!locals.user) {
      return fail(401, { message: 'Sign in to rename' });
    }
    const data = await request.formData();
    await locals.db.rename(locals.user.id, data.get('name'));
  },
} satisfies Actions;`,
      errors: [{ message: RESPONSE, line: 10, column: 14, endColumn: 57 }],
      output: `import { fail } from '@sveltejs/kit';
import type { Actions } from './$types';

export const actions = {
  rename: async ({
    request,
    locals,
    setHeaders,
  }) => {
    if (!locals.user) {
      setHeaders({ 'WWW-Authenticate': 'Bearer realm="api"' });
      return fail(401, { message: 'Sign in to rename' });
    }
    const data = await request.formData();
    await locals.db.rename(locals.user.id, data.get('name'));
  },
} satisfies Actions;`,
    },
    {
      name: 'load with the event as one parameter: event.setHeaders() before the error',
      filename: 'src/routes/dashboard/+page.server.ts',
      code: `import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const session = await event.locals.auth();
  if (!session) {
    error(401, 'Sign in first');
  }
  return { session };
};`,
      errors: [{ message: RESPONSE, line: 7, column: 5, endColumn: 32 }],
      output: `import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const session = await event.locals.auth();
  if (!session) {
    event.setHeaders({ 'WWW-Authenticate': 'Bearer realm="api"' });
    error(401, 'Sign in first');
  }
  return { session };
};`,
    },
    {
      name: 'a server helper without the event: reported, no fix',
      filename: 'src/lib/server/auth.ts',
      code: `import { error } from '@sveltejs/kit';

export function requireUser(locals: App.Locals) {
  if (!locals.user) {
    error(401, 'Sign in first');
  }
  return locals.user;
}`,
      errors: [{ message: RESPONSE, line: 5, column: 5, endColumn: 32 }],
      output: null,
    },
    {
      name: 'a callback inside the handler destructures { url }: not the event, so no setHeaders is added there',
      filename: ENDPOINT,
      code: `import { error, json } from '@sveltejs/kit';

export async function GET({ locals }) {
  const links = locals.links.map(({ url }) => {
    if (!url) {
      error(401, 'Sign in first');
    }
    return url;
  });
  return json(links);
}`,
      errors: [{ message: RESPONSE, line: 6, column: 7, endColumn: 34 }],
      output: null,
    },
  ],
});

runRuleTests(authStatusMismatch, {
  valid: [],
  invalid: [
    {
      name: 'SvelteKit hook: an owner-only check on the signed-in user is a 403 (the event is destructured from the hook’s argument)',
      filename: HOOKS,
      code: `import { error, redirect } from '@sveltejs/kit';

export const handle = async ({ event, resolve }) => {
  if (event.url.pathname.startsWith('/dash')) {
    const user = event.locals.user;
    if (!user) throw redirect(302, '/');
    if (user.id !== '698793333178368040') throw error(401, 'Unauthorized');
  }
  return await resolve(event);
};`,
      errors: [{ message: /use 403, not 401/, line: 7, column: 55, endColumn: 58 }],
      output: `import { error, redirect } from '@sveltejs/kit';

export const handle = async ({ event, resolve }) => {
  if (event.url.pathname.startsWith('/dash')) {
    const user = event.locals.user;
    if (!user) throw redirect(302, '/');
    if (user.id !== '698793333178368040') throw error(403, 'Unauthorized');
  }
  return await resolve(event);
};`,
    },
    {
      name: 'SvelteKit: error(401) for a role check becomes error(403)',
      filename: 'src/routes/admin/+page.server.ts',
      code: `import { error } from '@sveltejs/kit';

export const load = async ({ locals }) => {
  if (!locals.user) error(401, 'Sign in');
  if (locals.user.role !== 'admin') {
    error(401, 'Admins only');
  }
};`,
      errors: [{ message: /use 403, not 401/, line: 6, column: 11, endColumn: 14 }],
      output: `import { error } from '@sveltejs/kit';

export const load = async ({ locals }) => {
  if (!locals.user) error(401, 'Sign in');
  if (locals.user.role !== 'admin') {
    error(403, 'Admins only');
  }
};`,
    },
  ],
});
