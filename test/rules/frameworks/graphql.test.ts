import { authStatusMismatch } from '../../../server/src/core/rules/auth-status-mismatch';
import { missingWwwAuthenticate } from '../../../server/src/core/rules/missing-www-authenticate';
import { runRuleTests } from '../../rule-tester';

const CONTEXT = 'src/context.ts';
const ERROR =
  '401 response without a WWW-Authenticate header: clients cannot tell which authentication scheme to use (RFC 9110 §15.5.2). ' +
  'Apollo Server and GraphQL Yoga send only the headers of `extensions.http.headers`: add `WWW-Authenticate: Bearer realm="api"` there.';
const MISSING = (guard: string) => `this branch runs when \`${guard}\`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.`;

runRuleTests(missingWwwAuthenticate, {
  valid: [
    // The challenge among the error's headers: a Map for Apollo, an object for Yoga.
    {
      filename: CONTEXT,
      code: `import { GraphQLError } from 'graphql';

export async function context({ req }: { req: { headers: { authorization?: string } } }) {
  if (!req.headers.authorization) {
    throw new GraphQLError('Missing token', {
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: new Map([['www-authenticate', 'Bearer realm="api"']]) } },
    });
  }
  return { token: req.headers.authorization };
}`,
    },
    {
      filename: 'src/resolvers.ts',
      code: `import { createGraphQLError } from 'graphql-yoga';

export const resolvers = {
  Query: {
    me: (_: unknown, __: unknown, ctx: { user?: { id: string } }) => {
      if (!ctx.user) throw createGraphQLError('Sign in first', { extensions: { http: { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } } } });
      return ctx.user;
    },
  },
};`,
    },
    // Without \`http\` the server answers 200, with the error in the body.
    `import { GraphQLError } from 'graphql';
export function requireUser(user?: object) {
  if (!user) throw new GraphQLError('You are not authenticated', { extensions: { code: 'UNAUTHENTICATED' } });
  return user;
}`,
  ],
  invalid: [
    {
      name: "Apollo's documented UNAUTHENTICATED error, in the context function",
      filename: CONTEXT,
      code: `import { ApolloServer } from '@apollo/server';
import { GraphQLError } from 'graphql';

export async function context({ req }: { req: { headers: { authorization?: string } } }) {
  const token = req.headers.authorization || '';
  if (!token) {
    throw new GraphQLError('User is not authenticated', {
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
    });
  }
  return { token };
}
export type Server = ApolloServer;`,
      errors: [{ message: ERROR, line: 7, column: 11, endLine: 9, endColumn: 7 }],
      output: `import { ApolloServer } from '@apollo/server';
import { GraphQLError } from 'graphql';

export async function context({ req }: { req: { headers: { authorization?: string } } }) {
  const token = req.headers.authorization || '';
  if (!token) {
    throw new GraphQLError('User is not authenticated', {
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: new Map([['WWW-Authenticate', 'Bearer realm="api"']]) } },
    });
  }
  return { token };
}
export type Server = ApolloServer;`,
    },
    {
      name: 'a Map of other headers, and a resolver of a file that imports no server: the entry is added, no headers invented',
      filename: 'src/resolvers/me.ts',
      code: `import { GraphQLError } from 'graphql';

export function me(_: unknown, __: unknown, ctx: { user?: object }) {
  if (!ctx.user) throw new GraphQLError('Sign in', { extensions: { http: { status: 401, headers: new Map([['cache-control', 'no-store']]) } } });
  if (!ctx.user) throw new GraphQLError('Sign in', { extensions: { http: { status: 401 } } });
  return ctx.user;
}`,
      errors: [
        { message: ERROR, line: 4, column: 24, endLine: 4, endColumn: 145 },
        { message: ERROR, line: 5, column: 24, endLine: 5, endColumn: 94 },
      ],
      output: `import { GraphQLError } from 'graphql';

export function me(_: unknown, __: unknown, ctx: { user?: object }) {
  if (!ctx.user) throw new GraphQLError('Sign in', { extensions: { http: { status: 401, headers: new Map([['cache-control', 'no-store'], ['WWW-Authenticate', 'Bearer realm="api"']]) } } });
  if (!ctx.user) throw new GraphQLError('Sign in', { extensions: { http: { status: 401 } } });
  return ctx.user;
}`,
    },
  ],
});

runRuleTests(authStatusMismatch, {
  valid: [],
  invalid: [
    {
      name: 'a 403 for a request without a token',
      filename: CONTEXT,
      code: `import { GraphQLError } from 'graphql';

export async function context({ req }: { req: { headers: { authorization?: string } } }) {
  if (!req.headers.authorization) {
    throw new GraphQLError('Forbidden', { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });
  }
  return {};
}`,
      errors: [{ message: MISSING('!req.headers.authorization'), line: 5, column: 92, endLine: 5, endColumn: 95 }],
      output: null,
    },
  ],
});
