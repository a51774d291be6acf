import { authStatusMismatch } from '../../../server/src/core/rules/auth-status-mismatch';
import { missingWwwAuthenticate } from '../../../server/src/core/rules/missing-www-authenticate';
import { runRuleTests } from '../../rule-tester';

const POLICY = 'src/api/article/policies/is-owner.ts';
const CONTROLLER = 'src/api/article/controllers/article.js';
const RESPONSE = /^401 response without a WWW-Authenticate header: .*Set `WWW-Authenticate: Bearer realm="api"` on this response\.$/;
const ERROR = (name: string) =>
  `401 response without a WWW-Authenticate header: clients cannot tell which authentication scheme to use (RFC 9110 §15.5.2). Strapi's error middleware answers \`${name}\` with its status and a body only: set \`WWW-Authenticate: Bearer realm="api"\` on \`ctx\` before throwing it.`;
const MISSING = (guard: string) => `this branch runs when \`${guard}\`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.`;

const DENIAL = (guard: string, branch = 'this branch runs') =>
  `${branch} when \`${guard}\`, and Strapi answers a policy's false with 403: the caller's credential is missing or invalid — throw \`errors.UnauthorizedError\` of @strapi/utils (401) instead.`;

runRuleTests(missingWwwAuthenticate, {
  valid: [
    // The challenge set on ctx before the shorthand survives: Strapi only sets the status and the body.
    {
      filename: POLICY,
      code: `export default async (policyContext, config, { strapi }) => {
  if (!policyContext.state.user) {
    policyContext.set('WWW-Authenticate', 'Bearer realm="api"');
    return policyContext.unauthorized('Sign in first');
  }
  return true;
};`,
    },
    // 403 needs no challenge, and `send` with another status is no 401.
    {
      filename: CONTROLLER,
      code: `module.exports = {
  async update(ctx) {
    if (!ctx.state.user.isAdmin) return ctx.forbidden('Admins only');
    return ctx.send({ ok: true }, 201);
  },
};`,
    },
    // A Koa app's own \`ctx.unauthorized\` helper, outside Strapi, may send anything.
    {
      filename: 'src/routes/users.js',
      code: `module.exports = async function me(ctx) {
  if (!ctx.session.user) return ctx.unauthorized();
  ctx.body = ctx.session.user;
};`,
    },
    // A policy's \`return false\` right after makes Strapi answer 403 over the 401 (a PolicyError): no 401 goes out.
    {
      filename: 'src/policies/is-authenticated.ts',
      code: `export default function isAuthenticated(policyContext: any, config: Record<string, unknown>, { strapi }: { strapi: unknown }): boolean {
  if (!policyContext.state.user) {
    policyContext.unauthorized('Authentication required');
    return false;
  }
  return true;
}`,
    },
    // \`unauthorized\` on something that is not the request's context.
    {
      filename: CONTROLLER,
      code: `const audit = require('../../../lib/audit');
module.exports = {
  async find(ctx) {
    audit.unauthorized('article.find');
    return strapi.service('api::article.article').find(ctx.query);
  },
};`,
    },
  ],
  invalid: [
    {
      name: 'a policy that answers a missing user with ctx.unauthorized()',
      filename: POLICY,
      code: `export default async (policyContext, config, { strapi }) => {
  const user = policyContext.state.user;
  if (!user) {
    return policyContext.unauthorized('Sign in first');
  }
  return true;
};`,
      errors: [{ message: RESPONSE, line: 4, column: 12, endLine: 4, endColumn: 55 }],
      output: `export default async (policyContext, config, { strapi }) => {
  const user = policyContext.state.user;
  if (!user) {
    policyContext.set('WWW-Authenticate', 'Bearer realm="api"');
    return policyContext.unauthorized('Sign in first');
  }
  return true;
};`,
    },
    {
      name: 'ctx.send with a 401, in a controller of the core factory',
      filename: 'src/api/order/controllers/order.ts',
      code: `import { factories } from '@strapi/strapi';

export default factories.createCoreController('api::order.order', ({ strapi }) => ({
  async find(ctx) {
    if (!ctx.request.header.authorization) {
      ctx.send({ error: 'Missing token' }, 401);
      return;
    }
    return super.find(ctx);
  },
}));`,
      errors: [{ message: RESPONSE, line: 6, column: 7, endLine: 6, endColumn: 48 }],
      output: `import { factories } from '@strapi/strapi';

export default factories.createCoreController('api::order.order', ({ strapi }) => ({
  async find(ctx) {
    if (!ctx.request.header.authorization) {
      ctx.set('WWW-Authenticate', 'Bearer realm="api"');
      ctx.send({ error: 'Missing token' }, 401);
      return;
    }
    return super.find(ctx);
  },
}));`,
    },
    {
      name: "an UnauthorizedError of @strapi/utils thrown from a service",
      filename: 'src/api/order/services/token.ts',
      code: `import { errors } from '@strapi/utils';

export function requireToken(token?: string) {
  if (!token) throw new errors.UnauthorizedError('Missing token');
  return token;
}`,
      errors: [{ message: ERROR('errors.UnauthorizedError'), line: 4, column: 21, endLine: 4, endColumn: 66 }],
      output: null,
    },
  ],
});

runRuleTests(authStatusMismatch, {
  valid: [
    // A \`policies\` folder outside Strapi holds plain predicates, answered however the app likes.
    {
      filename: 'src/policies/post.ts',
      code: `export function canEdit(user?: { id: string }, post?: { authorId: string }) {
  if (!user) return false;
  return post?.authorId === user.id;
}`,
    },
    {
      filename: CONTROLLER,
      code: `module.exports = {
  async delete(ctx) {
    if (!ctx.state.user) return ctx.unauthorized('Sign in first');
    if (ctx.state.user.role.type !== 'admin') return ctx.forbidden('Admins only');
    return strapi.service('api::article.article').delete(ctx.params.id);
  },
};`,
    },
    // A policy that refuses a signed-in caller for their role: 403 is right.
    {
      filename: 'src/api/article/policies/is-admin.js',
      code: `module.exports = async (policyContext, config, { strapi }) => {
  const user = policyContext.state.user;
  if (user.role.type !== 'admin') return false;
  return true;
};`,
    },
  ],
  invalid: [
    {
      name: "a policy's return false for a request with no user",
      filename: 'src/api/article/policies/is-authenticated.js',
      code: `module.exports = (policyContext, config, { strapi }) => {
  if (policyContext.state.user) {
    return true;
  }
  return false;
};`,
      errors: [{ message: DENIAL('!policyContext.state.user', 'this runs'), line: 5, column: 3, endLine: 5, endColumn: 16 }],
      output: null,
    },
    {
      name: "a policy in an API's policies folder, after a 401 it does not send",
      filename: 'src/api/article/policies/is-authenticated.ts',
      code: `export default function isAuthenticated(ctx: any): boolean {
  if (!ctx.state.user) {
    ctx.unauthorized('Authentication required');
    return false;
  }
  return true;
}`,
      errors: [{ message: DENIAL('!ctx.state.user'), line: 4, column: 5, endLine: 4, endColumn: 18 }],
      output: null,
    },
    {
      name: 'ctx.forbidden() for a caller with no user',
      filename: CONTROLLER,
      code: `module.exports = {
  async create(ctx) {
    if (!ctx.state.user) {
      return ctx.forbidden('Sign in first');
    }
    return strapi.service('api::article.article').create(ctx.request.body);
  },
};`,
      errors: [{ message: MISSING('!ctx.state.user'), line: 4, column: 18, endLine: 4, endColumn: 27 }],
      output: `module.exports = {
  async create(ctx) {
    if (!ctx.state.user) {
      ctx.set('WWW-Authenticate', 'Bearer realm="api"');
      return ctx.unauthorized('Sign in first');
    }
    return strapi.service('api::article.article').create(ctx.request.body);
  },
};`,
    },
    {
      name: 'ctx.forbidden() for a missing user, where no statement can go before it: no fix',
      filename: CONTROLLER,
      code: `module.exports = {
  async create(ctx) {
    if (!ctx.state.user) return ctx.forbidden('Sign in first');
    return strapi.service('api::article.article').create(ctx.request.body);
  },
};`,
      errors: [{ message: MISSING('!ctx.state.user'), line: 3, column: 37, endLine: 3, endColumn: 46 }],
      output: null,
    },
  ],
});
