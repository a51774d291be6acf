import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { lintFiles } from '../../server/src/cli/lint-files';
import { indexProject, lintInProject } from '../../server/src/core/project/analyze';
import { defaultSettings, type Finding } from '../../server/src/core/types';
import { collectFiles } from '../../server/src/workspace/files';
import { DiskModuleResolver } from '../../server/src/workspace/module-resolver';

const CASES = path.join(__dirname, '..', 'fixtures', 'project');

interface Expected {
  /** Relative to the case folder. */
  file: string;
  line: number;
  column: number;
  message: RegExp;
  /** `file:line` of each related location. */
  related?: string[];
  /** The file the fix edits, and the text it inserts there. */
  fixElsewhere?: { file: string; text: string };
  /** The text the fix inserts in the file itself, when the case pins it. */
  fix?: string;
}

interface Case {
  name: string;
  why: string;
  expected: Expected[];
}

const CHALLENGE_FIX = (status: string, setter = 'set') => `if (${status} === 401) res.${setter}('WWW-Authenticate', 'Bearer realm="api"');`;

const TABLE: Case[] = [
  {
    name: 'express-api-error',
    why: 'an error class given its status by the caller, thrown in middleware and a service, answered by a four-parameter error handler that sets no challenge',
    expected: [
      {
        file: 'src/middlewares/auth.js',
        line: 7,
        column: 19,
        message: /^`ApiError` carries a 401 to the error handler in \.\/error\.js, which answers it without a WWW-Authenticate header/,
        related: ['src/middlewares/error.js:20'],
        fixElsewhere: { file: 'src/middlewares/error.js', text: CHALLENGE_FIX('statusCode', 'setHeader') },
      },
      {
        file: 'src/services/auth.service.js',
        line: 8,
        column: 11,
        message: /^`ApiError` carries a 401 to the error handler in \.\.\/middlewares\/error\.js/,
        related: ['src/middlewares/error.js:20'],
        fixElsewhere: { file: 'src/middlewares/error.js', text: CHALLENGE_FIX('statusCode', 'setHeader') },
      },
    ],
  },
  {
    name: 'express-narrowed-handler',
    why: 'an error handler that answers only `err instanceof HttpError` and passes the rest on serves only that class: another class is not reported as answered by it',
    expected: [
      {
        file: 'src/routes/account.js',
        line: 8,
        column: 47,
        message: /^`HttpError` carries a 401 to the error handler in \.\.\/middlewares\/errors\.js, which answers it without a WWW-Authenticate header/,
        related: ['src/middlewares/errors.js:6'],
        fixElsewhere: { file: 'src/middlewares/errors.js', text: CHALLENGE_FIX('err.status', 'setHeader') },
      },
      {
        file: 'src/routes/account.js',
        line: 13,
        column: 33,
        message: /^`SessionError` carries a 401 to the error handler with no WWW-Authenticate header/,
      },
    ],
  },
  {
    name: 'express-narrowed-then-generic',
    why: 'an error handler whose first send answers only `err instanceof ValidationError`: the other errors reach the generic send after it',
    expected: [
      {
        file: 'src/routes/me.js',
        line: 7,
        column: 47,
        message: /^`HttpError` carries a 401 to the error handler in \.\.\/middlewares\/errors\.js, which answers it without a WWW-Authenticate header/,
        related: ['src/middlewares/errors.js:7'],
        fixElsewhere: { file: 'src/middlewares/errors.js', text: CHALLENGE_FIX('(err.status || 500)', 'setHeader') },
      },
    ],
  },
  {
    name: 'express-challenged-handler',
    why: 'the same, but the error handler sets the challenge for 401s: every site it serves is clear',
    expected: [],
  },
  {
    name: 'fastify-ts-paths',
    why: 'a subclass fixing its status from a constant module, imported through a tsconfig path and an `export *` barrel, answered by setErrorHandler',
    expected: [
      {
        file: 'src/routes/me.ts',
        line: 7,
        column: 13,
        message: /^`UnauthenticatedError` carries a 401 to the error handler in \.\.\/server\.ts/,
        related: ['src/server.ts:9'],
        fixElsewhere: { file: 'src/server.ts', text: "if (status === 401) reply.header('WWW-Authenticate', 'Bearer realm=\"api\"');" },
      },
    ],
  },
  {
    name: 'nest-filter',
    why: 'a global exception filter that rebuilds every HttpException without a challenge: reported once, in the filter, and not at the throw',
    expected: [
      {
        file: 'src/common/http-exception.filter.ts',
        line: 12,
        column: 5,
        message: /^This exception filter rebuilds the 401 responses it catches without a WWW-Authenticate header/,
      },
    ],
  },
  {
    name: 'express-send-helper',
    why: 'a utils helper that sends the status its caller passes, called with 401 from the auth middleware of another file (CommonJS, destructured and namespace requires); a helper fixed at 401 is reported where it sends',
    expected: [
      {
        file: 'src/middleware/auth.js',
        line: 7,
        column: 12,
        message: /^`sendError\(…\)` sends a 401 without a WWW-Authenticate header/,
        related: ['src/utils/response.js:6'],
        fix: `res.setHeader('WWW-Authenticate', 'Bearer realm="api"');`,
      },
      {
        file: 'src/middleware/auth.js',
        line: 13,
        column: 12,
        message: /^`sendError\(…\)` sends a 401 without a WWW-Authenticate header/,
        related: ['src/utils/response.js:6'],
      },
      { file: 'src/utils/response.js', line: 10, column: 10, message: /^401 response without a WWW-Authenticate header/ },
    ],
  },
  {
    name: 'express-send-helper-challenged',
    why: 'the same helpers, which set the challenge when the status is 401: no call is reported',
    expected: [],
  },
  {
    name: 'next-error-response',
    why: 'Next.js route handlers returning a Web Response built by a helper in lib/ (imported through a tsconfig path) with the status they pass',
    expected: [
      {
        file: 'app/api/me/route.ts',
        line: 7,
        column: 12,
        message: /^`errorResponse\(…\)` builds a 401 response without a WWW-Authenticate header \(\.\.\/\.\.\/\.\.\/lib\/http\.ts\)/,
        related: ['lib/http.ts:2'],
      },
      {
        file: 'app/api/notes/[id]/route.ts',
        line: 7,
        column: 30,
        message: /^`errorResponse\(…\)` builds a 401 response without a WWW-Authenticate header/,
        related: ['lib/http.ts:2'],
      },
    ],
  },
  {
    name: 'next-error-response-challenged',
    why: 'the same helper adding the challenge to its 401s',
    expected: [],
  },
  {
    name: 'next-coded-error',
    why: "an error class mapping its code ('unauthorized:chat') to a status through a table, turned into a Web Response by its toResponse() method; a 401 for a role check after the session check is a 403",
    expected: [
      {
        file: 'app/api/admin/users/route.ts',
        line: 6,
        column: 30,
        message: /^`new AppError\('unauthorized:auth'\)\.toResponse\(…\)` builds a 401 response without a WWW-Authenticate header \(\.\.\/\.\.\/\.\.\/\.\.\/lib\/errors\.ts\)/,
        related: ['lib/errors.ts:29'],
      },
      {
        file: 'app/api/admin/users/route.ts',
        line: 7,
        column: 49,
        message: /^this branch runs when `session\.user\.role !== 'admin'`: the caller is authenticated but not permitted — use 403, not 401\.$/,
      },
      {
        file: 'app/api/chat/route.ts',
        line: 7,
        column: 12,
        message: /^`new AppError\('unauthorized:chat'\)\.toResponse\(…\)` builds a 401 response without a WWW-Authenticate header/,
        related: ['lib/errors.ts:29'],
      },
      {
        file: 'app/api/documents/route.ts',
        line: 7,
        column: 30,
        message: /^`new AppError\('unauthorized:document'\)\.toResponse\(…\)` builds a 401 response/,
        related: ['lib/errors.ts:29'],
      },
    ],
  },
  {
    name: 'next-coded-error-challenged',
    why: 'the same class, whose toResponse() sets the challenge for 401s: only the role check is reported',
    expected: [
      {
        file: 'app/api/admin/users/route.ts',
        line: 7,
        column: 49,
        message: /^this branch runs when `session\.user\.role !== 'admin'`: the caller is authenticated but not permitted — use 403, not 401\.$/,
      },
    ],
  },
  {
    name: 'express-mapped-handler',
    why: "a central handler mapping the error's type to a status in a `let` it then sends (medusa's shape): reported once, at the mapping, with the send as related, and not at the throw",
    expected: [
      {
        file: 'src/api/middlewares/error-handler.ts',
        line: 11,
        column: 9,
        message: /^The error handler sends this 401 without a WWW-Authenticate header/,
        related: ['src/api/middlewares/error-handler.ts:27'],
        fix: `res.set('WWW-Authenticate', 'Bearer realm="api"');`,
      },
    ],
  },
  {
    name: 'express-mapped-handler-challenged',
    why: 'the same handler setting the challenge when the mapped status is 401',
    expected: [],
  },
  {
    name: 'express-error-factory',
    why: 'a factory in a file that names no status builds an error class whose status is a constant of a third file: the class carries the 401 through what its file imports, not through its own text',
    expected: [
      {
        file: 'src/deny.ts',
        line: 4,
        column: 10,
        message: /^`AuthError` carries a 401 to the error handler in \.\/handler\.ts, which answers it without a WWW-Authenticate header/,
        related: ['src/handler.ts:4'],
        fixElsewhere: { file: 'src/handler.ts', text: CHALLENGE_FIX('(err.status ?? 500)') },
      },
    ],
  },
  {
    name: 'express-errors-barrel',
    why: 'an error class reached through two `export *` barrels (one with an `export type *`), a mixed `import { type X, Y }`, a renaming `require` destructuring, `require(…).SessionExpired` and a default re-export: each throw is answered by the error handler, which sets no challenge',
    expected: [
      {
        file: 'src/routes/account.ts',
        line: 5,
        column: 27,
        message: /^`SessionExpired` carries a 401 to the error handler in \.\.\/middleware\/error-handler\.ts, which answers it without a WWW-Authenticate header/,
        related: ['src/middleware/error-handler.ts:6'],
        fixElsewhere: { file: 'src/middleware/error-handler.ts', text: CHALLENGE_FIX('err.status') },
      },
      {
        file: 'src/routes/cart.ts',
        line: 5,
        column: 27,
        message: /^`Expired` carries a 401 to the error handler in \.\.\/middleware\/error-handler\.ts/,
        related: ['src/middleware/error-handler.ts:6'],
        fixElsewhere: { file: 'src/middleware/error-handler.ts', text: CHALLENGE_FIX('err.status') },
      },
      {
        file: 'src/routes/orders.js',
        line: 4,
        column: 27,
        message: /^`Expired` carries a 401 to the error handler in \.\.\/middleware\/error-handler\.ts/,
        related: ['src/middleware/error-handler.ts:6'],
        fixElsewhere: { file: 'src/middleware/error-handler.ts', text: CHALLENGE_FIX('err.status') },
      },
      {
        file: 'src/routes/wallet.js',
        line: 4,
        column: 27,
        message: /^`Expired` carries a 401 to the error handler in \.\.\/middleware\/error-handler\.ts/,
        related: ['src/middleware/error-handler.ts:6'],
        fixElsewhere: { file: 'src/middleware/error-handler.ts', text: CHALLENGE_FIX('err.status') },
      },
    ],
  },
  {
    name: 'workspace-errors',
    why: "a monorepo: the error classes live in a workspace package (@acme/errors) whose package.json exports name its build, mapped to its sources through its tsconfig's outDir and rootDir; the app's error handler answers them",
    expected: [
      {
        file: 'apps/api/src/middleware/require-user.ts',
        line: 9,
        column: 27,
        message: /^`AuthenticationError` carries a 401 to the error handler in \.\/errors\.ts, which answers it without a WWW-Authenticate header/,
        related: ['apps/api/src/middleware/errors.ts:6'],
        fixElsewhere: { file: 'apps/api/src/middleware/errors.ts', text: CHALLENGE_FIX('status') },
      },
      {
        file: 'apps/api/src/middleware/require-user.ts',
        line: 15,
        column: 17,
        message: /^`AuthenticationError` carries a 401 to the error handler in \.\/errors\.ts/,
        related: ['apps/api/src/middleware/errors.ts:6'],
        fixElsewhere: { file: 'apps/api/src/middleware/errors.ts', text: CHALLENGE_FIX('status') },
      },
    ],
  },
  {
    name: 'workspace-errors-challenged',
    why: 'the same monorepo, whose error handler sets the challenge for 401s',
    expected: [],
  },
  {
    name: 'express-mount-order',
    why: "an `admin` middleware whose 401 answers a failed role check, mounted in another file's routes only after `protect` (router.route(…).get/delete/put chains, CommonJS, express-async-handler): a permission failure, as in one file",
    expected: [
      {
        file: 'backend/middleware/authMiddleware.js',
        line: 30,
        column: 16,
        message: /^this branch runs when `!\(req\.user && req\.user\.isAdmin\)`, and every route mounts this after authentication: the caller is authenticated but not permitted — use 403, not 401\.$/,
        related: ['backend/routes/userRoutes.js:7', 'backend/routes/userRoutes.js:10', 'backend/routes/userRoutes.js:10'],
        fix: '403',
      },
    ],
  },
  {
    name: 'express-mount-order-open',
    why: 'the same middleware mounted on a route with no authentication before it: it answers callers nobody identified, so its 401 stands (and lacks the challenge)',
    expected: [{ file: 'backend/middleware/authMiddleware.js', line: 30, column: 5, message: /^401 response without a WWW-Authenticate header/ }],
  },
  {
    name: 'express-mount-order-mixed',
    why: 'mounted after `protect` on one route and alone on another: on the second its 401 answers an unidentified caller, and a swap to 403 would break that route, so nothing is swapped',
    expected: [{ file: 'backend/middleware/authMiddleware.js', line: 30, column: 5, message: /^401 response without a WWW-Authenticate header/ }],
  },
  {
    name: 'express-mount-order-ts',
    why: 'TypeScript and ESM: a role-check factory mounted after `router.use(authenticate)` in a routes file, and an ownership check mounted in a router that app.ts mounts after `authenticate`',
    expected: [
      {
        file: 'src/middleware/auth.ts',
        line: 32,
        column: 23,
        message: /^this branch runs when `!req\.user \|\| req\.user\.role !== role`, and every route mounts this after authentication: the caller is authenticated but not permitted/,
        related: ['src/routes/admin.ts:7'],
        fix: '403',
      },
      {
        file: 'src/middleware/ownership.ts',
        line: 5,
        column: 16,
        message: /^this branch runs when `req\.params\.userId !== req\.user\?\.sub`, and every route mounts this after authentication/,
        related: ['src/routes/account.ts:6'],
        fix: '403',
      },
    ],
  },
  {
    name: 'express-mount-order-barrel',
    why: 'the same middleware imported through an `export *` barrel, as a namespace (`import * as auth`, mounted as `auth.authenticate`, `auth.requireRole(…)`) and by name: the mounts are read as when imported from their own files',
    expected: [
      {
        file: 'src/middleware/auth.ts',
        line: 32,
        column: 23,
        message: /^this branch runs when `!req\.user \|\| req\.user\.role !== role`, and every route mounts this after authentication: the caller is authenticated but not permitted/,
        related: ['src/routes/admin.ts:7'],
        fix: '403',
      },
      {
        file: 'src/middleware/ownership.ts',
        line: 5,
        column: 16,
        message: /^this branch runs when `req\.params\.userId !== req\.user\?\.sub`, and every route mounts this after authentication/,
        related: ['src/routes/account.ts:6'],
        fix: '403',
      },
    ],
  },
  {
    name: 'koa-mount-order',
    why: "a Koa role middleware mounted by an @koa/router route after koa-jwt's `jwt({ secret })`",
    expected: [
      {
        file: 'src/middlewares/roles.js',
        line: 3,
        column: 18,
        message: /^this branch runs when `!ctx\.state\.user \|\| !ctx\.state\.user\.admin`, and every route mounts this after authentication: the caller is authenticated but not permitted/,
        related: ['src/routes/stats.js:7'],
        fix: '403',
      },
    ],
  },
  {
    name: 'fastify-mount-order',
    why: "a Fastify preHandler that Fastify runs after an onRequest hook verifying the JWT, in a route's options and in fastify.route({ … })",
    expected: [
      {
        file: 'src/hooks/auth.js',
        line: 11,
        column: 23,
        message: /^this branch runs when `!request\.user\?\.roles\.includes\('admin'\)`, and every route mounts this after authentication: the caller is authenticated but not permitted/,
        related: ['src/routes/admin.js:4', 'src/routes/admin.js:8'],
        fix: '403',
      },
    ],
  },
  {
    name: 'fastify-decorated-hooks',
    why: "a hook a plugin gives the instance with `fastify.decorate('requireEditor', …)`, mounted by the routes of another file as `server.requireEditor` after the decorated `server.authenticate`",
    expected: [
      {
        file: 'lib/plugins/auth.js',
        line: 16,
        column: 18,
        message: /^this branch runs when `!request\.user\?\.roles\.includes\('editor'\)`, and every route mounts this after authentication: the caller is authenticated but not permitted/,
        related: ['lib/routes/articles.js:2', 'lib/routes/articles.js:10'],
        fix: '403',
      },
    ],
  },
  {
    name: 'fastify-decorated-hooks-open',
    why: 'the same decorated hook also mounted by a route without authentication: its 401 answers unknown callers there, so it needs the challenge',
    expected: [
      {
        file: 'lib/plugins/auth.js',
        line: 16,
        column: 7,
        message: /^401 response without a WWW-Authenticate header/,
      },
    ],
  },
  {
    name: 'koa-challenge-middleware',
    why: 'a Koa middleware that adds the challenge (through a helper of another file) to the 401s thrown after it and rethrows: the steps after it in an exported middleware array, the middlewares of other files they name and the functions they call with the context are covered; a route without it is not',
    expected: [
      {
        file: 'src/actions/revocation.js',
        line: 13,
        column: 13,
        message: /^`InvalidToken` carries a 401 to the error handler in \.\.\/shared\/error-handler\.js, which answers it without a WWW-Authenticate header/,
        related: ['src/shared/error-handler.js:6'],
        fixElsewhere: { file: 'src/shared/error-handler.js', text: `if ((err.statusCode || 500) === 401) ctx.set('WWW-Authenticate', 'Bearer realm="api"');` },
      },
    ],
  },
  {
    name: 'koa-challenge-middleware-open',
    why: 'a middleware and a helper run after the challenger in one array and without it in another stay reported; those only run after it do not',
    expected: [
      {
        file: 'src/shared/access-token.js',
        line: 16,
        column: 11,
        message: /^`InvalidToken` carries a 401 to the error handler in \.\/error-handler\.js/,
        related: ['src/shared/error-handler.js:6'],
        fixElsewhere: { file: 'src/shared/error-handler.js', text: `if ((err.statusCode || 500) === 401) ctx.set('WWW-Authenticate', 'Bearer realm="api"');` },
      },
      {
        file: 'src/shared/audience.js',
        line: 5,
        column: 11,
        message: /^`InvalidToken` carries a 401 to the error handler in \.\/error-handler\.js/,
        related: ['src/shared/error-handler.js:6'],
        fixElsewhere: { file: 'src/shared/error-handler.js', text: `if ((err.statusCode || 500) === 401) ctx.set('WWW-Authenticate', 'Bearer realm="api"');` },
      },
    ],
  },
  {
    name: 'express-assigned-status',
    why: "a plain Error given `error.status = 401` and passed to `next(error)` in a middleware file that imports no framework, answered by a catch-all handler in another file that sets no challenge",
    expected: [
      {
        file: 'src/middleware/require-user.js',
        line: 7,
        column: 5,
        message: /^`error\.status = 401` carries a 401 to the error handler in \.\/error-handler\.js, which answers it without a WWW-Authenticate header/,
        related: ['src/middleware/error-handler.js:3'],
        fixElsewhere: { file: 'src/middleware/error-handler.js', text: CHALLENGE_FIX('status', 'setHeader') },
      },
    ],
  },
  {
    name: 'express-assigned-status-challenged',
    why: 'the same handler setting the challenge when the status is 401',
    expected: [],
  },
  {
    name: 'elysia-hono-mapped-codes',
    why:
      'a monorepo whose shared package maps error codes to statuses in a table keyed by computed keys (`[Code.UNAUTHORIZED_ERROR.code]: httpStatus.UNAUTHORIZED`), ' +
      'its exceptions carrying only the code; an Elysia `.onError` and a Hono handler declared apart from `app.onError(errorHandler)` send `getHttpErrorCode(error.code)` ' +
      'without a challenge; the 403 of a role check is no finding',
    expected: [
      {
        file: 'apps/chat/src/http/authentication.ts',
        line: 11,
        column: 11,
        message: /^`UnauthorizedException` carries a 401 to the error handler in \.\/errorHandler\.ts, which answers it without a WWW-Authenticate header/,
        related: ['apps/chat/src/http/errorHandler.ts:11'],
        fixElsewhere: { file: 'apps/chat/src/http/errorHandler.ts', text: `if (httpStatusCode === 401) c.header('WWW-Authenticate', 'Bearer realm="api"');` },
      },
      {
        file: 'apps/chat/src/http/authentication.ts',
        line: 14,
        column: 11,
        message: /^`UnauthorizedException` carries a 401 to the error handler in \.\/errorHandler\.ts/,
        related: ['apps/chat/src/http/errorHandler.ts:11'],
        fixElsewhere: { file: 'apps/chat/src/http/errorHandler.ts', text: `if (httpStatusCode === 401) c.header('WWW-Authenticate', 'Bearer realm="api"');` },
      },
      {
        file: 'apps/users/src/http/authentication.ts',
        line: 10,
        column: 11,
        message: /^`UnauthorizedException` carries a 401 to the error handler in \.\/errorHandler\.ts, which answers it without a WWW-Authenticate header/,
        related: ['apps/users/src/http/errorHandler.ts:15'],
      },
      {
        file: 'apps/users/src/http/authentication.ts',
        line: 13,
        column: 11,
        message: /^`UnauthorizedException` carries a 401 to the error handler in \.\/errorHandler\.ts/,
        related: ['apps/users/src/http/errorHandler.ts:15'],
      },
    ],
  },
  {
    name: 'elysia-hono-mapped-codes-challenged',
    why: 'the same handlers setting the challenge when the mapped status is 401',
    expected: [],
  },
  {
    name: 'express-object-assign-status',
    why:
      'TypeScript middleware passing `Object.assign(new Error(msg), { statusCode: 401 })` to `next()`, directly and through a `const`, answered by an ' +
      '`ErrorRequestHandler` in another file that sets no challenge; the 403 of the role check after it is no finding',
    expected: [
      {
        file: 'src/middleware/authenticate.ts',
        line: 7,
        column: 17,
        message: /^`Object\.assign\(new Error\('Missing bearer token'\), \{ statusCode: 401 \}\)` carries a 401 to the error handler in \.\/errors\.ts, which answers it without a WWW-Authenticate header/,
        related: ['src/middleware/errors.ts:5'],
        fixElsewhere: { file: 'src/middleware/errors.ts', text: CHALLENGE_FIX('statusCode') },
      },
      {
        file: 'src/middleware/authenticate.ts',
        line: 12,
        column: 17,
        message: /carries a 401 to the error handler in \.\/errors\.ts/,
        related: ['src/middleware/errors.ts:5'],
        fixElsewhere: { file: 'src/middleware/errors.ts', text: CHALLENGE_FIX('statusCode') },
      },
    ],
  },
  {
    name: 'express-object-assign-status-challenged',
    why: 'the same handler setting the challenge when the status is 401',
    expected: [],
  },
  {
    name: 'fastify-jwt-error-handler',
    why: "@fastify/jwt's authenticate decorator sending jwtVerify's 401 error with `reply.send(err)`, which hands it to a setErrorHandler of another plugin that answers `error.statusCode` without a challenge",
    expected: [
      {
        file: 'src/plugins/auth.js',
        line: 10,
        column: 7,
        message: /^`reply\.send\(err\)` carries a 401 to the error handler in \.\/errors\.js, which answers it without a WWW-Authenticate header/,
        related: ['src/plugins/errors.js:7'],
        fixElsewhere: { file: 'src/plugins/errors.js', text: `if (statusCode === 401) reply.header('WWW-Authenticate', 'Bearer realm="api"');` },
      },
    ],
  },
  {
    name: 'fastify-jwt-error-handler-own-status',
    why: "the same decorator, with a setErrorHandler that reads no status of the error: Fastify sets the status only in its default handler, so this one answers with its own and no 401 goes out",
    expected: [],
  },
  {
    name: 'koa-defaultto-handler',
    why: "a Koa error middleware whose status is `_.defaultTo(status, 500)` of `err.status || err.statusCode || 500`, under `switch (true) { case err instanceof …: }`",
    expected: [
      {
        file: 'src/middleware/auth-required.js',
        line: 4,
        column: 30,
        message: /^`AuthenticationError` carries a 401 to the error handler in \.\/errors\.js, which answers it without a WWW-Authenticate header/,
        related: ['src/middleware/errors.js:19'],
        fixElsewhere: { file: 'src/middleware/errors.js', text: `if (_.defaultTo(status, 500) === 401) ctx.set('WWW-Authenticate', 'Bearer realm="api"');` },
      },
    ],
  },
  {
    name: 'koa-defaultto-handler-challenged',
    why: 'the same handler setting the challenge when the status it copied is 401',
    expected: [],
  },
  {
    name: 'next-send-helper-default',
    why: "a Next.js utils helper whose status defaults to 400 (`status ?? 400`), imported through tsconfig's baseUrl: the API routes that pass 401 are reported, a 401 for a role check as a permission failure, the calls that pass 403 for a non-member or no status are not",
    expected: [
      {
        file: 'pages/api/team/index.ts',
        line: 9,
        column: 12,
        message: /^`apiError\(…\)` sends a 401 without a WWW-Authenticate header/,
        related: ['utils/api.ts:8'],
        fix: `res.setHeader('WWW-Authenticate', 'Bearer realm="api"');`,
      },
      {
        file: 'pages/api/team/index.ts',
        line: 19,
        column: 78,
        message: /^this branch runs when `req\.method === 'DELETE' && membership\.role !== 'OWNER'`: the caller is authenticated but not permitted/,
        fix: '403',
      },
    ],
  },
];

/** Every finding of a case, as the core reports it against the index of the whole case folder. */
function lintCase(dir: string): { file: string; finding: Finding }[] {
  const files = collectFiles([dir], dir, []).files;
  const sources = files.map((filePath) => ({ filePath, text: fs.readFileSync(filePath, 'utf8') }));
  const index = indexProject(sources, new DiskModuleResolver(dir), defaultSettings());
  return sources.flatMap(({ filePath, text }) =>
    lintInProject(text, filePath, defaultSettings(), index).result.findings.map((finding) => ({ file: relative(dir, filePath), finding })),
  );
}

/** The CLI's reports of `targets` (default: every file), the project indexed around them. */
async function cliPositions(dir: string, targets?: string[]): Promise<string[]> {
  const files = collectFiles([dir], dir, []).files;
  const reports = await lintFiles(targets ?? files, defaultSettings(), { fix: 'off', project: { files, resolver: new DiskModuleResolver(dir) } });
  return reports.flatMap((report) => report.messages.map((m) => `${relative(dir, report.filePath)}:${m.line}:${m.column}`));
}

function relative(dir: string, file: string): string {
  return path.relative(dir, file).split(path.sep).join('/');
}

describe('project-wide analysis', () => {
  for (const { name, why, expected } of TABLE) {
    it(`${name}: ${why}`, () => {
      const dir = path.join(CASES, name);
      const found = lintCase(dir);
      assert.deepEqual(
        found.map(({ file, finding }) => `${file}:${finding.range.start.line + 1}:${finding.range.start.character + 1}`),
        expected.map((e) => `${e.file}:${e.line}:${e.column}`),
      );
      found.forEach(({ finding }, i) => {
        const want = expected[i];
        assert.match(finding.message, want.message);
        assert.deepEqual(
          (finding.related ?? []).map((r) => `${relative(dir, r.filePath)}:${r.range.start.line + 1}`),
          want.related ?? [],
        );
        const elsewhere = finding.fix?.elsewhere ?? [];
        assert.deepEqual(
          elsewhere.map((e) => ({ file: relative(dir, e.filePath), text: e.edits.map((edit) => edit.text.trim()).join('') })),
          want.fixElsewhere ? [want.fixElsewhere] : [],
        );
        if (want.fix !== undefined) assert.equal(finding.fix?.edits.map((edit) => edit.text.trim()).join(''), want.fix);
      });
    });
  }

  it('the CLI reports the same, and a file linted alone gets what it gets with the whole project', async () => {
    for (const { name, expected } of TABLE) {
      const dir = path.join(CASES, name);
      const whole = await cliPositions(dir);
      assert.deepEqual(whole, expected.map((e) => `${e.file}:${e.line}:${e.column}`), name);
      for (const file of new Set(expected.map((e) => e.file))) {
        const alone = await cliPositions(dir, [path.join(dir, file)]);
        assert.deepEqual(alone, whole.filter((position) => position.startsWith(`${file}:`)), `${name}/${file}`);
      }
    }
  });
});
