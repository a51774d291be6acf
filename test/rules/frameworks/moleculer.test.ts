import { authStatusMismatch } from '../../../server/src/core/rules/auth-status-mismatch';
import { missingWwwAuthenticate } from '../../../server/src/core/rules/missing-www-authenticate';
import { runRuleTests } from '../../rule-tester';

const GATEWAY = 'services/api.service.js';
const ERROR =
  '401 response without a WWW-Authenticate header: clients cannot tell which authentication scheme to use (RFC 9110 §15.5.2). ' +
  'moleculer-web answers the error with its code and only the headers of `ctx.meta.$responseHeaders`: set `WWW-Authenticate: Bearer realm="api"` there before throwing it.';
const MISSING = (guard: string) => `this branch runs when \`${guard}\`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.`;

const HEAD = `"use strict";

const ApiGateway = require("moleculer-web");
const { UnAuthorizedError } = ApiGateway.Errors;
`;

runRuleTests(missingWwwAuthenticate, {
  valid: [
    // The challenge handed to the gateway with the error goes out with it.
    {
      filename: GATEWAY,
      code: `${HEAD}
module.exports = {
  mixins: [ApiGateway],
  methods: {
    async authenticate(ctx, route, req) {
      if (!req.headers.authorization) {
        ctx.meta.$responseHeaders = { "WWW-Authenticate": 'Bearer realm="api"' };
        throw new UnAuthorizedError(ApiGateway.Errors.ERR_NO_TOKEN);
      }
      return { id: 1 };
    },
  },
};`,
    },
    // 403s, other statuses, and a class of the same name that is not the gateway's.
    {
      filename: 'services/posts.service.js',
      code: `const { MoleculerClientError } = require("moleculer").Errors;
const { ForbiddenError } = require("moleculer-web").Errors;
const { UnAuthorizedError } = require("./errors");

module.exports = {
  actions: {
    remove(ctx) {
      if (!ctx.meta.user.admin) throw new ForbiddenError("NOT_ADMIN");
      if (!ctx.params.id) throw new MoleculerClientError("Missing id", 422, "MISSING_ID");
      throw new UnAuthorizedError("local");
    },
  },
};`,
    },
  ],
  invalid: [
    {
      name: "the gateway's authenticate without a token",
      filename: GATEWAY,
      code: `${HEAD}
module.exports = {
  mixins: [ApiGateway],
  methods: {
    async authenticate(ctx, route, req) {
      const auth = req.headers["authorization"];
      if (auth && auth.startsWith("Bearer ")) return { id: 1 };
      throw new UnAuthorizedError(ApiGateway.Errors.ERR_NO_TOKEN);
    },
  },
};`,
      errors: [{ message: ERROR, line: 12, column: 13, endLine: 12, endColumn: 66 }],
      output: null,
    },
    {
      name: 'a MoleculerClientError with 401 in an action, and the class through Errors',
      filename: 'services/users.service.ts',
      code: `import { Errors } from "moleculer";

export default {
  actions: {
    resolveToken(ctx: { params: { token?: string } }) {
      if (!ctx.params.token) throw new Errors.MoleculerClientError("Missing token", 401, "NO_TOKEN");
      return ctx.params.token;
    },
  },
};`,
      errors: [{ message: ERROR, line: 6, column: 36, endLine: 6, endColumn: 101 }],
      output: null,
    },
  ],
});

runRuleTests(authStatusMismatch, {
  valid: [],
  invalid: [
    {
      name: "the gateway's ForbiddenError for a missing token",
      filename: GATEWAY,
      code: `${HEAD}
module.exports = {
  methods: {
    async authorize(ctx, route, req) {
      if (!req.headers.authorization) throw new ApiGateway.Errors.ForbiddenError("NO_TOKEN");
      return true;
    },
  },
};`,
      errors: [{ message: MISSING('!req.headers.authorization'), line: 9, column: 67, endLine: 9, endColumn: 81 }],
      output: null,
    },
  ],
});
