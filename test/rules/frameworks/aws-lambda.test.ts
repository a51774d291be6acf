import { authStatusMismatch } from '../../../server/src/core/rules/auth-status-mismatch';
import { missingWwwAuthenticate } from '../../../server/src/core/rules/missing-www-authenticate';
import { runRuleTests } from '../../rule-tester';

const WHY = '401 response without a WWW-Authenticate header: clients cannot tell which authentication scheme to use (RFC 9110 §15.5.2). ';
const SET = `${WHY}Set \`WWW-Authenticate: Bearer realm="api"\` on this response.`;
const HELPER = (callee: string) =>
  `\`${callee}(…)\` sends a 401 without a WWW-Authenticate header: clients cannot tell which authentication scheme to use (RFC 9110 §15.5.2). Set \`WWW-Authenticate: Bearer realm="api"\` on the response.`;

runRuleTests(missingWwwAuthenticate, {
  valid: [
    {
      name: 'the challenge in headers, in multiValueHeaders, and set on the returned variable',
      filename: 'src/handlers/me.ts',
      code: `import type { APIGatewayProxyHandler } from 'aws-lambda'

export const handler: APIGatewayProxyHandler = async (event) => {
  if (!event.headers.Authorization) {
    return { statusCode: 401, headers: { 'WWW-Authenticate': 'Bearer realm="api"' }, body: '' }
  }
  if (!event.headers['x-api-key']) {
    return { statusCode: 401, multiValueHeaders: { 'WWW-Authenticate': ['ApiKey realm="api"'] }, body: '' }
  }
  const response = { statusCode: 401, body: JSON.stringify({ message: 'Session expired' }), headers: {} as Record<string, string> }
  response.headers['WWW-Authenticate'] = 'Bearer realm="api", error="invalid_token"'
  return response
}`,
    },
    {
      name: 'a 401 object the handler does not answer with: a log entry, and an exported function that is no handler',
      filename: 'handler.js',
      code: `const audit = require('./audit')

exports.describeDenial = () => ({ statusCode: 401, reason: 'expired' })

exports.handler = async (event) => {
  const entry = { statusCode: 401, path: event.path }
  if (!event.headers.authorization) await audit.log(entry)
  return { statusCode: 200, body: 'ok' }
}`,
    },
    {
      name: 'a client reading a 401 from another Lambda',
      filename: 'src/proxy.ts',
      code: `import type { APIGatewayProxyHandler } from 'aws-lambda'

export const handler: APIGatewayProxyHandler = async () => {
  const upstream = await invoke('users')
  if (upstream.statusCode === 401) return { statusCode: 502, body: 'upstream refused us' }
  return { statusCode: 200, body: upstream.body }
}

declare function invoke(name: string): Promise<{ statusCode: number; body: string }>`,
    },
    {
      name: 'result-shaped objects the code does not answer with: a logged one, and an upstream reply in an exported helper without the event',
      filename: 'src/audit.ts',
      code: `import type { APIGatewayProxyResult } from 'aws-lambda'

export function record(logger: { info(entry: object): void }, path: string) {
  logger.info({ statusCode: 401, body: 'denied', path })
}

export const isDenied = (result: APIGatewayProxyResult) => result.statusCode === 401

module.exports.describe = (status) => ({ statusCode: status, body: 'x' })`,
    },
    {
      name: 'a Lambda authorizer: API Gateway answers its denials with its own gateway responses',
      filename: 'src/authorizer.ts',
      code: `import type { APIGatewayRequestAuthorizerEvent, APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerHandler } from 'aws-lambda'
import { UnauthorizedError } from './errors'

class AuthError extends Error {
  constructor(message: string, readonly statusCode: number) {
    super(message)
  }
}

export const token: APIGatewayTokenAuthorizerHandler = async (event) => {
  if (!event.authorizationToken) throw new AuthError('Unauthorized', 401)
  return policy('Allow', event.methodArn)
}

export async function request(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  if (!event.headers?.Authorization) throw new UnauthorizedError('Unauthorized')
  return policy('Allow', event.methodArn)
}

function policy(effect: 'Allow' | 'Deny', resource: string): APIGatewayAuthorizerResult {
  return { principalId: 'user', policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }] } }
}`,
    },
    {
      name: 'an exported helper of another framework taking the event, whose 401 object has an error\'s shape',
      filename: 'server/utils/session.js',
      code: `export async function requireSession(event) {
  const session = await readSession(event)
  if (!session) return { statusCode: 401, message: 'Sign in first' }
  return session
}

async function readSession(event) {
  return event.context.session
}`,
    },
    {
      name: 'middy: the challenge set on the error http-error-handler answers with',
      filename: 'src/me.ts',
      code: `import middy from '@middy/core'
import httpErrorHandler from '@middy/http-error-handler'
import { createError } from '@middy/util'
import type { APIGatewayProxyEvent } from 'aws-lambda'

const base = async (event: APIGatewayProxyEvent) => {
  if (!event.headers.Authorization) {
    const error = createError(401, 'Missing token')
    error.headers = { 'WWW-Authenticate': 'Bearer realm="api"' }
    throw error
  }
  if (!event.headers.Cookie) throw Object.assign(createError(401), { headers: { 'WWW-Authenticate': 'Bearer realm="api"' } })
  return { statusCode: 200, body: '{}' }
}

export const handler = middy(base).use(httpErrorHandler())`,
    },
  ],
  invalid: [
    {
      name: 'a typed handler: a literal 401 with shared CORS headers, and a helper called with 401',
      filename: 'src/handlers/me.ts',
      code: `import type { APIGatewayProxyHandler, APIGatewayProxyResult } from 'aws-lambda'

const CORS_HEADERS = { 'Access-Control-Allow-Origin': '*' }

const json = (statusCode: number, body: unknown): APIGatewayProxyResult => ({
  statusCode,
  headers: CORS_HEADERS,
  body: JSON.stringify(body),
})

export const handler: APIGatewayProxyHandler = async (event) => {
  const token = event.headers.Authorization
  if (!token) {
    return { statusCode: 401, headers: CORS_HEADERS, body: JSON.stringify({ message: 'Missing token' }) }
  }
  const session = await lookUp(token)
  if (!session) return json(401, { message: 'Invalid token' })
  return json(200, session)
}

declare function lookUp(token: string): Promise<{ userId: string } | undefined>`,
      errors: [
        { message: SET, line: 14, column: 14, endLine: 14, endColumn: 29 },
        { message: HELPER('json'), line: 17, column: 24, endLine: 17, endColumn: 63 },
      ],
      output: `import type { APIGatewayProxyHandler, APIGatewayProxyResult } from 'aws-lambda'

const CORS_HEADERS = { 'Access-Control-Allow-Origin': '*' }

const json = (statusCode: number, body: unknown): APIGatewayProxyResult => ({
  statusCode,
  headers: CORS_HEADERS,
  body: JSON.stringify(body),
})

export const handler: APIGatewayProxyHandler = async (event) => {
  const token = event.headers.Authorization
  if (!token) {
    return { statusCode: 401, headers: { ...CORS_HEADERS, 'WWW-Authenticate': 'Bearer realm="api"' }, body: JSON.stringify({ message: 'Missing token' }) }
  }
  const session = await lookUp(token)
  if (!session) return json(401, { message: 'Invalid token' })
  return json(200, session)
}

declare function lookUp(token: string): Promise<{ userId: string } | undefined>`,
    },
    {
      name: 'CommonJS: the result passed to the callback',
      filename: 'handler.js',
      code: `'use strict'
const jwt = require('jsonwebtoken')

module.exports.handler = function (event, context, callback) {
  const token = event.headers.Authorization
  jwt.verify(token, process.env.JWT_SECRET, function (err, decoded) {
    if (err) {
      callback(null, { statusCode: 401, body: JSON.stringify({ message: err.message }) })
    } else {
      callback(null, { statusCode: 200, body: JSON.stringify(decoded) })
    }
  })
}`,
      errors: [{ message: SET, line: 8, column: 24, endLine: 8, endColumn: 39 }],
      output: `'use strict'
const jwt = require('jsonwebtoken')

module.exports.handler = function (event, context, callback) {
  const token = event.headers.Authorization
  jwt.verify(token, process.env.JWT_SECRET, function (err, decoded) {
    if (err) {
      callback(null, { statusCode: 401, body: JSON.stringify({ message: err.message }), headers: { 'WWW-Authenticate': 'Bearer realm="api"' } })
    } else {
      callback(null, { statusCode: 200, body: JSON.stringify(decoded) })
    }
  })
}`,
    },
    {
      name: 'middy: the wrapped handler returns a response built in a variable',
      filename: 'src/profile.ts',
      code: `import middy from '@middy/core'
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'

const baseHandler = async (event: APIGatewayProxyEvent) => {
  const apiKey = event.headers['x-api-key']
  if (!apiKey) {
    const response = {
      statusCode: 401,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ message: 'API key required' }),
    }
    return response
  }
  return { statusCode: 200, body: '{}' }
}

export const handler = middy(baseHandler)`,
      errors: [{ message: SET, line: 8, column: 7, endLine: 8, endColumn: 22 }],
      output: `import middy from '@middy/core'
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'

const baseHandler = async (event: APIGatewayProxyEvent) => {
  const apiKey = event.headers['x-api-key']
  if (!apiKey) {
    const response = {
      statusCode: 401,
      headers: { 'Content-Type': 'application/json', 'WWW-Authenticate': 'Bearer realm="api"' },
      body: JSON.stringify({ message: 'API key required' }),
    }
    return response
  }
  return { statusCode: 200, body: '{}' }
}

export const handler = middy(baseHandler)`,
    },
    {
      name: 'Netlify Functions: an exported handler with no types',
      filename: 'netlify/functions/me.js',
      code: `export const handler = async (event) => {
  if (!event.headers.authorization) {
    return { statusCode: 401, body: 'Sign in first' }
  }
  return { statusCode: 200, body: 'ok' }
}`,
      errors: [{ message: SET, line: 3, column: 14, endLine: 3, endColumn: 29 }],
      output: `export const handler = async (event) => {
  if (!event.headers.authorization) {
    return { statusCode: 401, body: 'Sign in first', headers: { 'WWW-Authenticate': 'Bearer realm="api"' } }
  }
  return { statusCode: 200, body: 'ok' }
}`,
    },
    {
      name: 'serverless.yml names the handler: CommonJS and ESM exports under other names that take the event',
      filename: 'webhook/handler.js',
      code: `const crypto = require('crypto')

module.exports.githubWebhookListener = (event, context, callback) => {
  if (!event.headers['X-Hub-Signature']) {
    return callback(null, {
      statusCode: 401,
      headers: { 'Content-Type': 'text/plain' },
      body: 'No X-Hub-Signature found on request',
    })
  }
  return callback(null, { statusCode: 200, body: 'ok' })
}

export async function interactions(event) {
  if (!verify(event)) {
    return { statusCode: 401, body: JSON.stringify({ error: 'Invalid request signature' }) }
  }
  return { statusCode: 200, body: '{}' }
}

function verify(event) {
  return crypto.timingSafeEqual(Buffer.from(event.headers.signature), Buffer.from('x'))
}`,
      errors: [
        { message: SET, line: 6, column: 7, endLine: 6, endColumn: 22 },
        { message: SET, line: 16, column: 14, endLine: 16, endColumn: 29 },
      ],
      output: `const crypto = require('crypto')

module.exports.githubWebhookListener = (event, context, callback) => {
  if (!event.headers['X-Hub-Signature']) {
    return callback(null, {
      statusCode: 401,
      headers: { 'Content-Type': 'text/plain', 'WWW-Authenticate': 'Bearer realm="api"' },
      body: 'No X-Hub-Signature found on request',
    })
  }
  return callback(null, { statusCode: 200, body: 'ok' })
}

export async function interactions(event) {
  if (!verify(event)) {
    return { statusCode: 401, body: JSON.stringify({ error: 'Invalid request signature' }), headers: { 'WWW-Authenticate': 'Bearer realm="api"' } }
  }
  return { statusCode: 200, body: '{}' }
}

function verify(event) {
  return crypto.timingSafeEqual(Buffer.from(event.headers.signature), Buffer.from('x'))
}`,
    },
    {
      name: 'an authenticator module: the result objects it hands the handlers, typed by aws-lambda',
      filename: 'modules/identity/src/apiGateway.ts',
      code: `import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'

type AuthenticationResult = { type: 'success'; userId: string } | { type: 'failure'; response: APIGatewayProxyResult }

export class Authenticator {
  async authenticate(event: APIGatewayProxyEvent): Promise<AuthenticationResult> {
    const header = event.headers.Authorization
    if (!header) {
      return {
        type: 'failure',
        response: {
          statusCode: 401,
          body: JSON.stringify({ message: 'No Authorization header provided' }),
        },
      }
    }
    return { type: 'success', userId: await verify(header) }
  }
}

declare function verify(header: string): Promise<string>`,
      errors: [{ message: SET, line: 12, column: 11, endLine: 12, endColumn: 26 }],
      output: `import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'

type AuthenticationResult = { type: 'success'; userId: string } | { type: 'failure'; response: APIGatewayProxyResult }

export class Authenticator {
  async authenticate(event: APIGatewayProxyEvent): Promise<AuthenticationResult> {
    const header = event.headers.Authorization
    if (!header) {
      return {
        type: 'failure',
        response: {
          statusCode: 401,
          body: JSON.stringify({ message: 'No Authorization header provided' }),
          headers: { 'WWW-Authenticate': 'Bearer realm="api"' },
        },
      }
    }
    return { type: 'success', userId: await verify(header) }
  }
}

declare function verify(header: string): Promise<string>`,
    },
    {
      name: 'middy: createError(401) answered by http-error-handler, which sends only the headers set on the error',
      filename: 'src/me.ts',
      code: `import middy from '@middy/core'
import httpErrorHandler from '@middy/http-error-handler'
import { createError, HttpError } from '@middy/util'
import type { APIGatewayProxyEvent } from 'aws-lambda'

const base = async (event: APIGatewayProxyEvent) => {
  if (!event.headers.Authorization) throw createError(401, 'Missing token')
  if (!event.headers['x-api-key']) throw new HttpError(403, { cause: 'no key' })
  return { statusCode: 200, body: '{}' }
}

export const handler = middy(base).use(httpErrorHandler())`,
      errors: [
        {
          message: `${WHY}middy's http-error-handler sends the error's \`headers\`: set \`headers: { 'WWW-Authenticate': 'Bearer realm="api"' }\` on the error before throwing it.`,
          line: 7,
          column: 43,
          endLine: 7,
          endColumn: 76,
        },
      ],
      output: null,
    },
  ],
});

runRuleTests(authStatusMismatch, {
  valid: [],
  invalid: [
    {
      name: 'a handler typed by its event and result: 403 for a missing token, 401 for a role check',
      filename: 'src/orders.ts',
      code: `import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'

export async function lambdaHandler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const token = event.headers.Authorization
  if (!token) {
    return { statusCode: 403, body: JSON.stringify({ message: 'Not logged in' }) }
  }
  const user = await verify(token)
  if (!user.roles.includes('admin')) {
    return { statusCode: 401, body: JSON.stringify({ message: 'Admins only' }) }
  }
  return { statusCode: 200, body: '[]' }
}

declare function verify(token: string): Promise<{ roles: string[] }>`,
      errors: [
        { message: /^this branch runs when `!token`: the caller's credential is missing or invalid — use 401 \(with a WWW-Authenticate challenge\), not 403\.$/, line: 6, column: 26, endLine: 6, endColumn: 29 },
        { message: /^this branch runs when `!user\.roles\.includes\('admin'\)`: the caller is authenticated but not permitted — use 403, not 401\.$/, line: 10, column: 26, endLine: 10, endColumn: 29 },
      ],
      output: `import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'

export async function lambdaHandler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const token = event.headers.Authorization
  if (!token) {
    return { statusCode: 401, body: JSON.stringify({ message: 'Not logged in' }), headers: { 'WWW-Authenticate': 'Bearer realm="api"' } }
  }
  const user = await verify(token)
  if (!user.roles.includes('admin')) {
    return { statusCode: 403, body: JSON.stringify({ message: 'Admins only' }) }
  }
  return { statusCode: 200, body: '[]' }
}

declare function verify(token: string): Promise<{ roles: string[] }>`,
    },
    {
      name: 'middy: new HttpError(403) for a missing API key: reported, no fix (the challenge belongs on the error)',
      filename: 'src/me.ts',
      code: `import middy from '@middy/core'
import httpErrorHandler from '@middy/http-error-handler'
import { createError, HttpError } from '@middy/util'
import type { APIGatewayProxyEvent } from 'aws-lambda'

const base = async (event: APIGatewayProxyEvent) => {
  if (!event.headers.Authorization) throw createError(401, 'Missing token')
  if (!event.headers['x-api-key']) throw new HttpError(403, { cause: 'no key' })
  return { statusCode: 200, body: '{}' }
}

export const handler = middy(base).use(httpErrorHandler())`,
      errors: [
        {
          message: "this branch runs when `!event.headers['x-api-key']`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.",
          line: 8,
          column: 56,
          endLine: 8,
          endColumn: 59,
        },
      ],
      output: null,
    },
  ],
});
