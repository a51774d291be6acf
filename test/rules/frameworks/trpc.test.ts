import { authStatusMismatch } from '../../../server/src/core/rules/auth-status-mismatch';
import { missingWwwAuthenticate } from '../../../server/src/core/rules/missing-www-authenticate';
import { runRuleTests } from '../../rule-tester';

const TRPC =
  '401 response without a WWW-Authenticate header: clients cannot tell which authentication scheme to use (RFC 9110 §15.5.2). ' +
  "tRPC sends this error with no challenge: return `headers: { 'WWW-Authenticate': 'Bearer realm=\"api\"' }` from the adapter's `responseMeta` " +
  "when `errors` holds an `UNAUTHORIZED` error, or set it on the context's response headers before throwing.";

const HEAD = `import { initTRPC, TRPCError } from '@trpc/server'
import type { Context } from './context'

const t = initTRPC.context<Context>().create()
`;

runRuleTests(missingWwwAuthenticate, {
  valid: [
    // The fetch adapter in the same file adds the challenge in responseMeta.
    {
      filename: 'src/app/api/trpc/[trpc]/route.ts',
      code: `import { fetchRequestHandler } from '@trpc/server/adapters/fetch'
import { TRPCError } from '@trpc/server'
import { appRouter } from '~/server/routers/_app'

const handler = (req: Request) =>
  fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    createContext: ({ resHeaders }) => {
      const token = req.headers.get('authorization')
      if (token === 'revoked') throw new TRPCError({ code: 'UNAUTHORIZED' })
      return { token, resHeaders }
    },
    responseMeta({ errors }) {
      if (errors.some((error) => error.code === 'UNAUTHORIZED')) {
        return { headers: { 'WWW-Authenticate': 'Bearer realm="api"' } }
      }
      return {}
    },
  })

export { handler as GET, handler as POST }`,
    },
    // The header set on the context's response headers before the throw.
    {
      filename: 'src/server/trpc.ts',
      code: `${HEAD}
export const protectedProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.user) {
    ctx.resHeaders.set('WWW-Authenticate', 'Bearer realm="api"')
    throw new TRPCError({ code: 'UNAUTHORIZED' })
  }
  return next({ ctx: { user: ctx.user } })
})`,
    },
    // Other codes, and another library's TRPCError.
    {
      filename: 'src/server/routers/post.ts',
      code: `import { TRPCError } from '@trpc/server'
export const notFound = () => { throw new TRPCError({ code: 'NOT_FOUND', message: 'No such post' }) }`,
    },
  ],
  invalid: [
    {
      filename: 'src/server/trpc.ts',
      code: `${HEAD}
export const protectedProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.session?.user) {
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first' })
  }
  return next({ ctx: { user: ctx.session.user } })
})`,
      errors: [{ message: TRPC, line: 8, column: 11, endLine: 8, endColumn: 76 }],
      output: null,
    },
  ],
});

runRuleTests(authStatusMismatch, {
  valid: [
    {
      filename: 'src/server/trpc.ts',
      code: `${HEAD}
export const adminProcedure = t.procedure.use(({ ctx, next }) => {
  if (ctx.user?.role === 'guest') throw new TRPCError({ code: 'FORBIDDEN' })
  return next()
})`,
    },
  ],
  invalid: [
    {
      name: 'UNAUTHORIZED for a role check: the code becomes FORBIDDEN',
      filename: 'src/server/trpc.ts',
      code: `${HEAD}
export const adminProcedure = t.procedure.use(({ ctx, next }) => {
  if (ctx.user.role !== 'admin') {
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Admins only' })
  }
  return next()
})`,
      errors: [{ message: /^this branch runs when `ctx.user.role !== 'admin'`: the caller is authenticated but not permitted — use 403, not 401\.$/, line: 8, column: 33, endLine: 8, endColumn: 47 }],
      output: `${HEAD}
export const adminProcedure = t.procedure.use(({ ctx, next }) => {
  if (ctx.user.role !== 'admin') {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'Admins only' })
  }
  return next()
})`,
    },
    {
      name: 'FORBIDDEN for a missing session: reported, no fix (the challenge belongs in responseMeta)',
      filename: 'src/server/trpc.ts',
      code: `${HEAD}
export const protectedProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.session?.user) throw new TRPCError({ code: 'FORBIDDEN' })
  return next()
})`,
      errors: [{ message: /^this branch runs when `!ctx.session\?.user`: the caller's credential is missing or invalid — use 401/, line: 7, column: 55, endLine: 7, endColumn: 66 }],
      output: null,
    },
  ],
});
