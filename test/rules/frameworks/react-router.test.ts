import { authStatusMismatch } from '../../../server/src/core/rules/auth-status-mismatch';
import { missingWwwAuthenticate } from '../../../server/src/core/rules/missing-www-authenticate';
import { runRuleTests } from '../../rule-tester';

const RESPONSE = /^401 response without a WWW-Authenticate header: .*Set `WWW-Authenticate: Bearer realm="api"` on this response\.$/;
const DOCUMENT = (set: string, argument: string) =>
  '401 response without a WWW-Authenticate header: clients cannot tell which authentication scheme to use (RFC 9110 §15.5.2). ' +
  "This route renders a page, and on a document request React Router sends a loader's or action's headers only through the route's " +
  `\`headers\` export: ${set}export \`headers\` returning \`${argument}\`.`;

runRuleTests(missingWwwAuthenticate, {
  valid: [
    // A resource route sends the thrown response as it is, with its headers.
    {
      filename: 'app/routes/api.me.ts',
      code: `import { data } from 'react-router'
import type { Route } from './+types/api.me'
import { getUser } from '~/session.server'

export async function loader({ request }: Route.LoaderArgs) {
  const user = await getUser(request)
  if (!user) {
    throw data({ error: 'Sign in first' }, { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="api"' } })
  }
  return { user }
}`,
    },
    // A page route whose headers export passes on the thrown response's headers.
    {
      filename: 'app/routes/dashboard.tsx',
      code: `import { data } from 'react-router'
import type { Route } from './+types/dashboard'
import { getUser } from '~/session.server'

export function headers({ errorHeaders, loaderHeaders }: Route.HeadersArgs) {
  return errorHeaders ?? loaderHeaders
}

export async function loader({ request }: Route.LoaderArgs) {
  const user = await getUser(request)
  if (!user) throw data({ error: 'Sign in first' }, { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="app"' } })
  return { user }
}

export default function Dashboard({ loaderData }: Route.ComponentProps) {
  return <h1>{loaderData.user.name}</h1>
}`,
    },
    // A redirect to the login page is not a 401; a clientLoader runs in the browser.
    {
      filename: 'app/routes/settings.tsx',
      code: `import { redirect } from 'react-router'
import type { Route } from './+types/settings'

export async function loader({ request }: Route.LoaderArgs) {
  const cookie = request.headers.get('Cookie')
  if (!cookie) throw redirect('/login')
  return {}
}

export async function clientLoader({ serverLoader }: Route.ClientLoaderArgs) {
  const res = await fetch('/api/me')
  if (res.status === 401) throw new Response('Sign in', { status: 401 })
  return serverLoader()
}

export default function Settings() {
  return null
}`,
    },
  ],
  invalid: [
    {
      name: 'a resource route throwing data() with a 401',
      filename: 'app/routes/api.me.ts',
      code: `import { data } from 'react-router'
import type { Route } from './+types/api.me'
import { getUser } from '~/session.server'

export async function loader({ request }: Route.LoaderArgs) {
  const user = await getUser(request)
  if (!user) {
    throw data({ error: 'Sign in first' }, { status: 401 })
  }
  return { user }
}`,
      errors: [{ message: RESPONSE, line: 8, column: 11, endLine: 8, endColumn: 60 }],
      output: `import { data } from 'react-router'
import type { Route } from './+types/api.me'
import { getUser } from '~/session.server'

export async function loader({ request }: Route.LoaderArgs) {
  const user = await getUser(request)
  if (!user) {
    throw data({ error: 'Sign in first' }, { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="api"' } })
  }
  return { user }
}`,
    },
    {
      name: "Remix json() with a number init",
      filename: 'app/routes/api.posts.ts',
      code: `import { json, type ActionFunctionArgs } from '@remix-run/node'
import { verifyToken } from '~/auth.server'

export async function action({ request }: ActionFunctionArgs) {
  const user = await verifyToken(request.headers.get('Authorization'))
  if (!user) return json({ error: 'Invalid token' }, 401)
  return json({ ok: true })
}`,
      errors: [{ message: RESPONSE, line: 6, column: 21, endLine: 6, endColumn: 58 }],
      output: `import { json, type ActionFunctionArgs } from '@remix-run/node'
import { verifyToken } from '~/auth.server'

export async function action({ request }: ActionFunctionArgs) {
  const user = await verifyToken(request.headers.get('Authorization'))
  if (!user) return json({ error: 'Invalid token' }, { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="api"' } })
  return json({ ok: true })
}`,
    },
    {
      name: 'a page route: the header must also pass through the headers export',
      filename: 'app/routes/dashboard.tsx',
      code: `import { data } from 'react-router'
import type { Route } from './+types/dashboard'
import { getUser } from '~/session.server'

export async function loader({ request }: Route.LoaderArgs) {
  const user = await getUser(request)
  if (!user) throw data({ error: 'Sign in first' }, { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="app"' } })
  return { user }
}

export default function Dashboard({ loaderData }: Route.ComponentProps) {
  return <h1>{loaderData.user.name}</h1>
}`,
      errors: [{ message: DOCUMENT('', 'errorHeaders'), line: 7, column: 20, endLine: 7, endColumn: 124 }],
      output: null,
    },
    {
      name: 'a page route returning a 401 Response from its action, with a headers export that passes only loaderHeaders',
      filename: 'app/routes/account.tsx',
      code: `import type { Route } from './+types/account'
import { getSession } from '~/sessions.server'

export const headers = ({ loaderHeaders }: Route.HeadersArgs) => loaderHeaders

export async function action({ request }: Route.ActionArgs) {
  const session = await getSession(request.headers.get('Cookie'))
  if (!session.has('userId')) return new Response('Sign in first', { status: 401 })
  return null
}

export default function Account() {
  return <form method="post" />
}`,
      errors: [{ message: DOCUMENT('set `WWW-Authenticate: Bearer realm="api"` on this response and ', 'actionHeaders'), line: 8, column: 38, endLine: 8, endColumn: 84 }],
      output: null,
    },
  ],
});

runRuleTests(authStatusMismatch, {
  valid: [
    {
      filename: 'app/routes/api.admin.ts',
      code: `import { data } from 'react-router'
import type { Route } from './+types/api.admin'
import { requireUser } from '~/session.server'

export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireUser(request)
  if (user.role !== 'admin') throw data({ error: 'Admins only' }, { status: 403 })
  return { users: [] }
}`,
    },
  ],
  invalid: [
    {
      name: 'json(…, 403) for a missing token: the swap keeps the number init valid',
      filename: 'app/routes/api.remix.ts',
      code: `import { json, type LoaderFunctionArgs } from '@remix-run/node'

export async function loader({ request }: LoaderFunctionArgs) {
  const token = request.headers.get('Authorization')
  if (!token) return json({ error: 'Missing token' }, 403)
  return json({ ok: true })
}`,
      errors: [{ message: /^this branch runs when `!token`/, line: 5, column: 55, endLine: 5, endColumn: 58 }],
      output: `import { json, type LoaderFunctionArgs } from '@remix-run/node'

export async function loader({ request }: LoaderFunctionArgs) {
  const token = request.headers.get('Authorization')
  if (!token) return json({ error: 'Missing token' }, { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="api"' } })
  return json({ ok: true })
}`,
    },
  ],
});
