import { authStatusMismatch } from '../../../server/src/core/rules/auth-status-mismatch';
import { missingWwwAuthenticate } from '../../../server/src/core/rules/missing-www-authenticate';
import { runRuleTests } from '../../rule-tester';

const STRATEGY = 'src/authentication-strategies/jwt-strategy.ts';
const HEAD = `import { AuthenticationStrategy } from '@loopback/authentication';
import { HttpErrors, Request } from '@loopback/rest';
import { UserProfile } from '@loopback/security';
`;
const MISSING = (guard: string) => `this branch runs when \`${guard}\`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.`;

runRuleTests(missingWwwAuthenticate, {
  valid: [
    // 403s need no challenge; a \`HttpErrors\` of another package is not LoopBack's.
    {
      filename: 'src/controllers/admin.controller.ts',
      code: `import { HttpErrors } from './errors';
import { HttpErrors as RestErrors } from '@loopback/rest';

export function requireAdmin(roles: string[]) {
  if (!roles.includes('admin')) throw new RestErrors.Forbidden('Admins only');
  throw new HttpErrors.Unauthorized('local class');
}`,
    },
  ],
  invalid: [
    {
      name: 'a custom strategy that rejects a request without a token',
      filename: STRATEGY,
      code: `${HEAD}
export class JWTStrategy implements AuthenticationStrategy {
  name = 'jwt';

  async authenticate(request: Request): Promise<UserProfile | undefined> {
    if (!request.headers.authorization) {
      throw new HttpErrors.Unauthorized('Authorization header not found.');
    }
    return { id: '1' } as unknown as UserProfile;
  }
}`,
      errors: [{ message: /^401 error without a WWW-Authenticate header|^401 response without a WWW-Authenticate header/, line: 10, column: 13, endLine: 10, endColumn: 75 }],
      output: null,
    },
  ],
});

runRuleTests(authStatusMismatch, {
  valid: [],
  invalid: [
    {
      name: 'HttpErrors.Forbidden for a missing token',
      filename: STRATEGY,
      code: `${HEAD}
export class JWTStrategy implements AuthenticationStrategy {
  name = 'jwt';

  async authenticate(request: Request): Promise<UserProfile | undefined> {
    if (!request.headers.authorization) {
      throw new HttpErrors.Forbidden('Authorization header not found.');
    }
    return { id: '1' } as unknown as UserProfile;
  }
}`,
      errors: [{ message: MISSING('!request.headers.authorization'), line: 10, column: 28, endLine: 10, endColumn: 37 }],
      output: null,
    },
  ],
});
