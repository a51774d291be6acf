import { authStatusMismatch } from '../../../server/src/core/rules/auth-status-mismatch';
import { missingWwwAuthenticate } from '../../../server/src/core/rules/missing-www-authenticate';
import { runRuleTests } from '../../rule-tester';

const FEATHERS =
  '401 response without a WWW-Authenticate header: clients cannot tell which authentication scheme to use (RFC 9110 §15.5.2). ' +
  'Feathers sends this error with no challenge: set `WWW-Authenticate: Bearer realm="api"` where the app\'s error handler answers a 401 ' +
  '(`errorHandler({ json: { 401: (error, req, res) => … } })` from @feathersjs/express).';

runRuleTests(missingWwwAuthenticate, {
  valid: [
    // Forbidden is a 403; another library's NotAuthenticated is not Feathers'.
    {
      filename: 'src/hooks/require-owner.ts',
      code: `import type { HookContext } from '../declarations'
import { Forbidden } from '@feathersjs/errors'

export const requireOwner = async (context: HookContext) => {
  const { user } = context.params
  const message = await context.service.get(context.id!)
  if (message.userId !== user.id) throw new Forbidden('Not your message')
}`,
    },
    // Express middleware in a Feathers app: the header set on \`res\` before \`next(error)\` survives Feathers' errorHandler.
    {
      filename: 'src/middleware/basic-auth.ts',
      code: `import type { Request, Response, NextFunction } from 'express'
import { NotAuthenticated } from '@feathersjs/errors'
import basicAuth from 'basic-auth'

export async function requireBasicAuth(req: Request, res: Response, next: NextFunction) {
  const credentials = basicAuth(req)
  if (!credentials || !(await verifyCredentials(credentials.name, credentials.pass))) {
    res.setHeader('WWW-Authenticate', 'Basic realm="protected-api"')
    return next(new NotAuthenticated('Invalid credentials'))
  }
  next()
}`,
    },
    // A client handing an error to its own handler raises nothing over HTTP.
    {
      filename: 'src/client/auth.ts',
      code: `import { NotAuthenticated } from '@feathersjs/errors'

export class AuthClient {
  reAuthenticate() {
    return this.getAccessToken().then((accessToken: string | null) => {
      if (!accessToken) return this.handleError(new NotAuthenticated('No accessToken found in storage'), 'authenticate')
      return this.authenticate({ strategy: 'jwt', accessToken })
    })
  }
}`,
    },
    `import { NotAuthenticated } from './errors'
export const check = (token?: string) => { if (!token) throw new NotAuthenticated() }`,
  ],
  invalid: [
    {
      filename: 'src/hooks/require-user.ts',
      code: `import type { HookContext } from '../declarations'
import { NotAuthenticated } from '@feathersjs/errors'

export const requireUser = async (context: HookContext) => {
  if (!context.params.user) {
    throw new NotAuthenticated('You must be signed in')
  }
}`,
      errors: [{ message: FEATHERS, line: 6, column: 11, endLine: 6, endColumn: 56 }],
      output: null,
    },
    {
      name: 'v4 style: errors required as a namespace',
      filename: 'src/services/messages/messages.class.js',
      code: `const errors = require('@feathersjs/errors')

exports.Messages = class Messages {
  async create(data, params) {
    if (!params.user) throw new errors.NotAuthenticated('Sign in to post')
    return data
  }
}`,
      errors: [{ message: FEATHERS, line: 5, column: 29, endLine: 5, endColumn: 75 }],
      output: null,
    },
    {
      name: 'an error sent as the body of an Express 401 is reported once, at the status',
      filename: 'src/app.ts',
      code: `import { NotAuthenticated } from '@feathersjs/errors'
import { app } from './app-instance'

app.post('/companies/upload-image/:companyId', async (req, res) => {
  if (!req.headers['authorization']) return res.status(401).send(new NotAuthenticated('NOT_AUTHENTICATED'))
  res.json(await app.service('companies').get(req.params.companyId))
})`,
      errors: [{ message: /^401 response without a WWW-Authenticate header: .* Set `WWW-Authenticate: Bearer realm="api"` on this response\.$/, line: 5, column: 45, endLine: 5, endColumn: 60 }],
      output: `import { NotAuthenticated } from '@feathersjs/errors'
import { app } from './app-instance'

app.post('/companies/upload-image/:companyId', async (req, res) => {
  if (!req.headers['authorization']) return res.setHeader('WWW-Authenticate', 'Bearer realm="api"').status(401).send(new NotAuthenticated('NOT_AUTHENTICATED'))
  res.json(await app.service('companies').get(req.params.companyId))
})`,
    },
  ],
});

runRuleTests(authStatusMismatch, {
  valid: [],
  invalid: [
    {
      name: 'NotAuthenticated for a role check: the fix throws Forbidden and imports it',
      filename: 'src/hooks/require-admin.ts',
      code: `import type { HookContext } from '../declarations'
import { NotAuthenticated } from '@feathersjs/errors'

export const requireAdmin = async (context: HookContext) => {
  const { user } = context.params
  if (user.role !== 'admin') {
    throw new NotAuthenticated('Admins only')
  }
}`,
      errors: [{ message: /^this branch runs when `user.role !== 'admin'`: the caller is authenticated but not permitted — use 403, not 401\.$/, line: 7, column: 15, endLine: 7, endColumn: 31 }],
      output: `import type { HookContext } from '../declarations'
import { NotAuthenticated, Forbidden } from '@feathersjs/errors'

export const requireAdmin = async (context: HookContext) => {
  const { user } = context.params
  if (user.role !== 'admin') {
    throw new Forbidden('Admins only')
  }
}`,
    },
    {
      name: "Forbidden when the hook context has no credential: no fix, the challenge belongs in the error handler",
      filename: 'src/hooks/require-token.ts',
      code: `import type { HookContext } from '../declarations'
import { Forbidden } from '@feathersjs/errors'

export const requireToken = async (context: HookContext) => {
  if (!context.params.authentication) {
    throw new Forbidden('Missing credentials')
  }
}`,
      errors: [{ message: /^this branch runs when `!context.params.authentication`: the caller's credential is missing or invalid/, line: 6, column: 15, endLine: 6, endColumn: 24 }],
      output: null,
    },
  ],
});
