import { authStatusMismatch } from '../../../server/src/core/rules/auth-status-mismatch';
import { missingWwwAuthenticate } from '../../../server/src/core/rules/missing-www-authenticate';
import { runRuleTests } from '../../rule-tester';

const WHY = '401 response without a WWW-Authenticate header: clients cannot tell which authentication scheme to use (RFC 9110 §15.5.2). ';
const SET = `${WHY}Set \`WWW-Authenticate: Bearer realm="api"\` on this response.`;

runRuleTests(missingWwwAuthenticate, {
  valid: [
    {
      name: 'v4: the challenge in the returned init, in an HttpResponse, and in a shared headers record',
      filename: 'src/functions/me.ts',
      code: `import { app, HttpResponse, type HttpRequest, type HttpResponseInit } from '@azure/functions'

const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="api"' }

app.http('me', {
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: async (request: HttpRequest): Promise<HttpResponseInit> => {
    if (!request.headers.get('authorization')) {
      return { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="api"' }, jsonBody: { error: 'Missing token' } }
    }
    if (!request.headers.get('x-api-key')) return new HttpResponse({ status: 401, headers: CHALLENGE })
    return { status: 200, jsonBody: {} }
  },
})`,
    },
    {
      name: 'v3: context.res with a challenge, and a context.res in a function that is no Azure Function',
      filename: 'Me/index.js',
      code: `module.exports = async function (context, req) {
  if (!req.headers.authorization) {
    context.res = { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="api"' }, body: 'Sign in' }
    return
  }
  context.res = { status: 200, body: 'ok' }
}

function record(context, entry) {
  context.res = { status: 401, reason: entry }
}`,
    },
    {
      name: 'v4: a 401 read from another service is no response of this function',
      filename: 'src/functions/proxy.ts',
      code: `import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions'

app.http('proxy', {
  handler: async (request: HttpRequest): Promise<HttpResponseInit> => {
    const upstream = await fetch('https://users.internal/me', { headers: { authorization: request.headers.get('authorization') ?? '' } })
    if (upstream.status === 401) return { status: 502, jsonBody: { error: 'upstream refused us' } }
    return { status: 200, body: await upstream.text() }
  },
})`,
    },
  ],
  invalid: [
    {
      name: 'v4: an inline app.http handler returns an init, a typed handler returns an HttpResponse',
      filename: 'src/functions/orders.ts',
      code: `import { app, HttpRequest, HttpResponse, HttpResponseInit, InvocationContext } from '@azure/functions'

app.http('me', {
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: async (request, context) => {
    const token = request.headers.get('authorization')
    if (!token) {
      return { status: 401, jsonBody: { error: 'Missing token' } }
    }
    return { jsonBody: await profile(token) }
  },
})

export async function orders(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const session = await lookUp(request.headers.get('cookie'))
  if (!session) {
    return new HttpResponse({ status: 401, headers: { 'Content-Type': 'application/json' }, body: '{"error":"Sign in"}' })
  }
  return { status: 200, jsonBody: session }
}

app.get('orders', orders)

declare function profile(token: string): Promise<object>
declare function lookUp(cookie: string | null): Promise<object | undefined>`,
      errors: [
        { message: SET, line: 9, column: 16, endLine: 9, endColumn: 27 },
        { message: SET, line: 18, column: 12, endLine: 18, endColumn: 123 },
      ],
      output: `import { app, HttpRequest, HttpResponse, HttpResponseInit, InvocationContext } from '@azure/functions'

app.http('me', {
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: async (request, context) => {
    const token = request.headers.get('authorization')
    if (!token) {
      return { status: 401, jsonBody: { error: 'Missing token' }, headers: { 'WWW-Authenticate': 'Bearer realm="api"' } }
    }
    return { jsonBody: await profile(token) }
  },
})

export async function orders(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const session = await lookUp(request.headers.get('cookie'))
  if (!session) {
    return new HttpResponse({ status: 401, headers: { 'Content-Type': 'application/json', 'WWW-Authenticate': 'Bearer realm="api"' }, body: '{"error":"Sign in"}' })
  }
  return { status: 200, jsonBody: session }
}

app.get('orders', orders)

declare function profile(token: string): Promise<object>
declare function lookUp(cookie: string | null): Promise<object | undefined>`,
    },
    {
      name: 'v3: context.res set to a 401 in the exported function',
      filename: 'Orders/index.js',
      code: `module.exports = async function (context, req) {
  const key = req.headers['x-api-key']
  if (!key) {
    context.res = { status: 401, body: 'API key required' }
    return
  }
  context.res = { status: 200, body: 'ok' }
}`,
      errors: [{ message: SET, line: 4, column: 21, endLine: 4, endColumn: 32 }],
      output: `module.exports = async function (context, req) {
  const key = req.headers['x-api-key']
  if (!key) {
    context.res = { status: 401, body: 'API key required', headers: { 'WWW-Authenticate': 'Bearer realm="api"' } }
    return
  }
  context.res = { status: 200, body: 'ok' }
}`,
    },
  ],
});

runRuleTests(authStatusMismatch, {
  valid: [],
  invalid: [
    {
      name: 'v4: 403 for a missing bearer token becomes 401 with a challenge',
      filename: 'src/functions/profile.ts',
      code: `import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions'

export async function profile(request: HttpRequest): Promise<HttpResponseInit> {
  const token = request.headers.get('authorization')
  if (!token) {
    return { status: 403, jsonBody: { error: 'Missing token' } }
  }
  return { status: 200, jsonBody: { token } }
}

app.http('profile', { handler: profile })`,
      errors: [{ message: "this branch runs when `!token`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.", line: 6, column: 22, endLine: 6, endColumn: 25 }],
      output: `import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions'

export async function profile(request: HttpRequest): Promise<HttpResponseInit> {
  const token = request.headers.get('authorization')
  if (!token) {
    return { status: 401, jsonBody: { error: 'Missing token' }, headers: { 'WWW-Authenticate': 'Bearer realm="api"' } }
  }
  return { status: 200, jsonBody: { token } }
}

app.http('profile', { handler: profile })`,
    },
  ],
});
