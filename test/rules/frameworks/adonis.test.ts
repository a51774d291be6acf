import { authStatusMismatch } from '../../../server/src/core/rules/auth-status-mismatch';
import { missingWwwAuthenticate } from '../../../server/src/core/rules/missing-www-authenticate';
import { runRuleTests } from '../../rule-tester';

const CONTROLLER = 'app/controllers/session_controller.ts';
const RESPONSE = /^401 response without a WWW-Authenticate header: .*Set `WWW-Authenticate: Bearer realm="api"` on this response\.$/;
const ERROR = (name: string) =>
  `401 response without a WWW-Authenticate header: clients cannot tell which authentication scheme to use (RFC 9110 §15.5.2). Set \`WWW-Authenticate: Bearer realm="api"\` on \`ctx.response\` before raising \`${name}\`, or where app/exceptions/handler.ts answers it.`;
const MISSING = (guard: string) => `this branch runs when \`${guard}\`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.`;

const HEAD = `import type { HttpContext } from '@adonisjs/core/http'
`;

runRuleTests(missingWwwAuthenticate, {
  valid: [
    // A header set before the shorthand, or after a status: Adonis writes the response once the handler returns.
    {
      filename: CONTROLLER,
      code: `${HEAD}
export default class SessionController {
  async me({ auth, response }: HttpContext) {
    if (!auth.user) {
      response.header('WWW-Authenticate', 'Bearer realm="api"')
      return response.unauthorized({ error: 'Sign in first' })
    }
    return auth.user
  }

  async token({ response }: HttpContext) {
    response.status(401)
    response.header('WWW-Authenticate', 'Bearer error="invalid_token"')
    return { error: 'Token expired' }
  }
}`,
    },
    // The basic_auth renderer of E_UNAUTHORIZED_ACCESS sends \`Basic realm="Authenticate"\` itself.
    {
      filename: 'app/auth/guards/basic_guard.ts',
      code: `import { errors } from '@adonisjs/auth'

export class BasicGuard {
  driverName = 'basic_auth' as const

  authenticationFailed() {
    return new errors.E_UNAUTHORIZED_ACCESS('Invalid basic auth credentials', { guardDriverName: this.driverName })
  }
}`,
    },
    // Bouncer and \`forbidden()\` answer 403, which needs no challenge; neither do other statuses.
    {
      filename: 'app/controllers/posts_controller.ts',
      code: `${HEAD}import { Exception } from '@adonisjs/core/exceptions'

export default class PostsController {
  async destroy({ bouncer, response, params }: HttpContext) {
    if (await bouncer.denies('deletePost')) return response.forbidden({ error: 'Not your post' })
    throw new Exception('Post not found', { status: 404, code: 'E_NOT_FOUND' })
  }
}`,
    },
    // A \`response\` that is not Adonis's, in a file that does not use Adonis.
    `export function render(response: { unauthorized(): void }) {
  response.unauthorized()
}`,
    // An exception handler in the file that answers E_UNAUTHORIZED_ACCESS with the challenge.
    {
      filename: 'app/exceptions/handler.ts',
      code: `import app from '@adonisjs/core/services/app'
import { HttpContext, ExceptionHandler } from '@adonisjs/core/http'
import { errors } from '@adonisjs/auth'

export default class HttpExceptionHandler extends ExceptionHandler {
  protected debug = !app.inProduction

  async handle(error: unknown, ctx: HttpContext) {
    if (error instanceof errors.E_UNAUTHORIZED_ACCESS) {
      ctx.response.header('WWW-Authenticate', 'Bearer realm="api"')
    }
    return super.handle(error, ctx)
  }
}

export function unauthorized() {
  return new errors.E_UNAUTHORIZED_ACCESS('Unauthorized access', { guardDriverName: 'access_tokens' })
}`,
    },
  ],
  invalid: [
    {
      filename: CONTROLLER,
      code: `${HEAD}
export default class SessionController {
  async me({ auth, response }: HttpContext) {
    if (!auth.user) {
      return response.unauthorized({ error: 'Sign in first' })
    }
    return auth.user
  }
}`,
      errors: [{ message: RESPONSE, line: 6, column: 14, endLine: 6, endColumn: 63 }],
      output: `${HEAD}
export default class SessionController {
  async me({ auth, response }: HttpContext) {
    if (!auth.user) {
      return response.header('WWW-Authenticate', 'Bearer realm="api"').unauthorized({ error: 'Sign in first' })
    }
    return auth.user
  }
}`,
    },
    {
      name: 'a status on ctx.response, and abort() with a 401',
      filename: 'app/controllers/api_controller.ts',
      code: `${HEAD}
export default class ApiController {
  async show(ctx: HttpContext) {
    if (!ctx.auth.isAuthenticated) {
      return ctx.response.status(401).send({ error: 'Sign in first' })
    }
  }

  async store({ request, response }: HttpContext) {
    if (!request.header('authorization')) response.abort({ message: 'Missing token' }, 401)
  }
}`,
      errors: [
        { message: RESPONSE, line: 6, column: 14, endLine: 6, endColumn: 38 },
        { message: RESPONSE, line: 11, column: 43, endLine: 11, endColumn: 92 },
      ],
      output: `${HEAD}
export default class ApiController {
  async show(ctx: HttpContext) {
    if (!ctx.auth.isAuthenticated) {
      return ctx.response.header('WWW-Authenticate', 'Bearer realm="api"').status(401).send({ error: 'Sign in first' })
    }
  }

  async store({ request, response }: HttpContext) {
    if (!request.header('authorization')) response.header('WWW-Authenticate', 'Bearer realm="api"').abort({ message: 'Missing token' }, 401)
  }
}`,
    },
    {
      name: 'abortUnless: no fix, a chained header would go out on every response',
      filename: CONTROLLER,
      code: `${HEAD}
export default class SessionController {
  async me({ auth, response }: HttpContext) {
    response.abortUnless(auth.user, { error: 'Sign in first' }, 401)
    return auth.user
  }
}`,
      errors: [{ message: RESPONSE, line: 5, column: 5, endLine: 5, endColumn: 69 }],
      output: null,
    },
    {
      name: 'E_UNAUTHORIZED_ACCESS of a token guard: the header goes on ctx.response before the throw',
      filename: 'app/auth/guards/jwt.ts',
      code: `import type { HttpContext } from '@adonisjs/core/http'
import { errors, symbols } from '@adonisjs/auth'

export class JwtGuard {
  declare [symbols.GUARD_KNOWN_EVENTS]: {}
  driverName = 'jwt' as const
  #ctx: HttpContext

  constructor(ctx: HttpContext) {
    this.#ctx = ctx
  }

  async authenticate() {
    const authHeader = this.#ctx.request.header('authorization')
    if (!authHeader) {
      throw new errors.E_UNAUTHORIZED_ACCESS('Unauthorized access', { guardDriverName: this.driverName })
    }
  }
}`,
      errors: [{ message: ERROR('errors.E_UNAUTHORIZED_ACCESS'), line: 16, column: 13, endLine: 16, endColumn: 106 }],
      output: `import type { HttpContext } from '@adonisjs/core/http'
import { errors, symbols } from '@adonisjs/auth'

export class JwtGuard {
  declare [symbols.GUARD_KNOWN_EVENTS]: {}
  driverName = 'jwt' as const
  #ctx: HttpContext

  constructor(ctx: HttpContext) {
    this.#ctx = ctx
  }

  async authenticate() {
    const authHeader = this.#ctx.request.header('authorization')
    if (!authHeader) {
      this.#ctx.response.header('WWW-Authenticate', 'Bearer realm="api"')
      throw new errors.E_UNAUTHORIZED_ACCESS('Unauthorized access', { guardDriverName: this.driverName })
    }
  }
}`,
    },
    {
      name: 'an Exception with status 401 (v6 options), in a middleware',
      filename: 'app/middleware/api_key_middleware.ts',
      code: `import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { Exception } from '@adonisjs/core/exceptions'
import env from '#start/env'

export default class ApiKeyMiddleware {
  async handle({ request }: HttpContext, next: NextFn) {
    if (request.header('x-api-key') !== env.get('API_KEY')) {
      throw new Exception('Invalid API key', { status: 401, code: 'E_INVALID_API_KEY' })
    }
    return next()
  }
}`,
      errors: [{ message: ERROR('Exception'), line: 9, column: 13, endLine: 9, endColumn: 89 }],
      output: null,
    },
    {
      name: 'the exception handler in the same file gets the header for E_UNAUTHORIZED_ACCESS',
      filename: 'app/exceptions/handler.ts',
      code: `import app from '@adonisjs/core/services/app'
import { HttpContext, ExceptionHandler } from '@adonisjs/core/http'
import { errors } from '@adonisjs/auth'

export default class HttpExceptionHandler extends ExceptionHandler {
  protected debug = !app.inProduction

  async handle(error: unknown, ctx: HttpContext) {
    return super.handle(error, ctx)
  }
}

export function unauthorized() {
  return new errors.E_UNAUTHORIZED_ACCESS('Unauthorized access', { guardDriverName: 'access_tokens' })
}`,
      errors: [{ message: ERROR('errors.E_UNAUTHORIZED_ACCESS'), line: 14, column: 10, endLine: 14, endColumn: 103 }],
      output: `import app from '@adonisjs/core/services/app'
import { HttpContext, ExceptionHandler } from '@adonisjs/core/http'
import { errors } from '@adonisjs/auth'

export default class HttpExceptionHandler extends ExceptionHandler {
  protected debug = !app.inProduction

  async handle(error: unknown, ctx: HttpContext) {
    if (error instanceof errors.E_UNAUTHORIZED_ACCESS) {
      ctx.response.header('WWW-Authenticate', 'Bearer realm="api"')
    }
    return super.handle(error, ctx)
  }
}

export function unauthorized() {
  return new errors.E_UNAUTHORIZED_ACCESS('Unauthorized access', { guardDriverName: 'access_tokens' })
}`,
    },
  ],
});

runRuleTests(authStatusMismatch, {
  valid: [
    {
      filename: 'app/controllers/admin_controller.ts',
      code: `${HEAD}
export default class AdminController {
  async index({ auth, response }: HttpContext) {
    const user = auth.getUserOrFail()
    if (!user.isAdmin) return response.forbidden({ error: 'Admins only' })
    return []
  }
}`,
    },
  ],
  invalid: [
    {
      name: 'forbidden() for a missing user, destructured from HttpContext',
      filename: CONTROLLER,
      code: `${HEAD}
export default class SessionController {
  async me({ auth, response }: HttpContext) {
    if (!auth.user) return response.forbidden({ error: 'Sign in first' })
    return auth.user
  }
}`,
      errors: [{ message: MISSING('!auth.user'), line: 5, column: 37, endLine: 5, endColumn: 46 }],
      output: `${HEAD}
export default class SessionController {
  async me({ auth, response }: HttpContext) {
    if (!auth.user) return response.header('WWW-Authenticate', 'Bearer realm="api"').unauthorized({ error: 'Sign in first' })
    return auth.user
  }
}`,
    },
    {
      name: 'unauthorized() for a role check',
      filename: 'app/controllers/admin_controller.ts',
      code: `${HEAD}
export default class AdminController {
  async index({ auth, response }: HttpContext) {
    const user = auth.getUserOrFail()
    if (user.role !== 'admin') return response.unauthorized({ error: 'Admins only' })
    return []
  }
}`,
      errors: [{ message: /^this branch runs when `user.role !== 'admin'`/, line: 6, column: 48, endLine: 6, endColumn: 60 }],
      output: `${HEAD}
export default class AdminController {
  async index({ auth, response }: HttpContext) {
    const user = auth.getUserOrFail()
    if (user.role !== 'admin') return response.forbidden({ error: 'Admins only' })
    return []
  }
}`,
    },
    {
      name: 'abortIf sends when its condition holds',
      filename: CONTROLLER,
      code: `${HEAD}
export default class SessionController {
  async me({ auth, response }: HttpContext) {
    response.abortIf(!auth.isAuthenticated, { error: 'Sign in first' }, 403)
    return auth.user
  }
}`,
      errors: [{ message: MISSING('!auth.isAuthenticated').replace('this branch runs', 'this aborts'), line: 5, column: 73, endLine: 5, endColumn: 76 }],
      output: null,
    },
  ],
});
