import { authStatusMismatch } from '../../../server/src/core/rules/auth-status-mismatch';
import { missingWwwAuthenticate } from '../../../server/src/core/rules/missing-www-authenticate';
import { runRuleTests } from '../../rule-tester';

const WHY = '401 response without a WWW-Authenticate header: clients cannot tell which authentication scheme to use (RFC 9110 §15.5.2). ';
const BUILT = (built: string) =>
  `${WHY}${built} builds the response from the status and body alone: return \`status(401, { headers: { 'WWW-Authenticate': 'Bearer realm="api"' } })\` or \`json(body, { status: 401, headers })\` instead.`;

runRuleTests(missingWwwAuthenticate, {
  valid: [
    {
      filename: 'src/index.ts',
      code: `import { AutoRouter, json, status, type IRequest } from 'itty-router'

const withToken = (request: IRequest) => {
  if (!request.headers.get('Authorization')) {
    return status(401, { headers: { 'WWW-Authenticate': 'Bearer realm="api"' } })
  }
}

const router = AutoRouter()
router.get('/me', withToken, () => json({ ok: true }))
router.get('/key', (request) => {
  if (!request.headers.get('x-api-key')) return json({ error: 'API key required' }, { status: 401, headers: { 'WWW-Authenticate': 'ApiKey' } })
})

export default router`,
    },
    // A local \`error\` helper is not itty-router's.
    `const error = (status: number, message: string) => ({ status, message })
export const denied = () => error(401, 'no')`,
  ],
  invalid: [
    {
      name: 'error(401) in a middleware, and a thrown StatusError',
      filename: 'src/index.ts',
      code: `import { AutoRouter, error, StatusError, type IRequest } from 'itty-router'

const withUser = async (request: IRequest, env: Env) => {
  const token = request.headers.get('Authorization')?.replace('Bearer ', '')
  if (!token) return error(401, 'Missing token')
  const user = await env.USERS.get(token)
  if (!user) throw new StatusError(401, 'Invalid token')
  request.user = JSON.parse(user)
}

const router = AutoRouter()
router.get('/me', withUser, (request) => request.user)

export default router`,
      errors: [
        { message: BUILT("itty-router's `error()`"), line: 5, column: 22, endLine: 5, endColumn: 49 },
        { message: BUILT("A thrown `StatusError` reaches the router's `catch: error`, which"), line: 7, column: 20, endLine: 7, endColumn: 57 },
      ],
      output: null,
    },
    {
      name: 'status(401) without init, and json() with a 401 init',
      filename: 'src/worker.ts',
      code: `import { Router, json, status } from 'itty-router'

const router = Router()
router.get('/admin', (request) => {
  if (!request.headers.get('authorization')) return status(401)
  return json({ error: 'Session expired' }, { status: 401 })
})

export default { fetch: router.handle }`,
      errors: [
        { message: `${WHY}Set \`WWW-Authenticate: Bearer realm="api"\` on this response.`, line: 5, column: 53, endLine: 5, endColumn: 64 },
        { message: `${WHY}Set \`WWW-Authenticate: Bearer realm="api"\` on this response.`, line: 6, column: 10, endLine: 6, endColumn: 61 },
      ],
      output: `import { Router, json, status } from 'itty-router'

const router = Router()
router.get('/admin', (request) => {
  if (!request.headers.get('authorization')) return status(401, { headers: { 'WWW-Authenticate': 'Bearer realm="api"' } })
  return json({ error: 'Session expired' }, { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="api"' } })
})

export default { fetch: router.handle }`,
    },
  ],
});

runRuleTests(authStatusMismatch, {
  valid: [],
  invalid: [
    {
      name: 'error(401) for an admin check',
      filename: 'src/index.ts',
      code: `import { AutoRouter, error, type IRequest } from 'itty-router'

const requireAdmin = (request: IRequest) => {
  if (!request.user.isAdmin) return error(401, 'Admins only')
}

export default AutoRouter().get('/admin', requireAdmin, () => 'ok')`,
      errors: [{ message: /^this branch runs when `!request.user.isAdmin`: the caller is authenticated but not permitted — use 403, not 401\.$/, line: 4, column: 43, endLine: 4, endColumn: 46 }],
      output: `import { AutoRouter, error, type IRequest } from 'itty-router'

const requireAdmin = (request: IRequest) => {
  if (!request.user.isAdmin) return error(403, 'Admins only')
}

export default AutoRouter().get('/admin', requireAdmin, () => 'ok')`,
    },
  ],
});
