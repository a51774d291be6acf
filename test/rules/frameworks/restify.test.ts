import { authStatusMismatch } from '../../../server/src/core/rules/auth-status-mismatch';
import { missingWwwAuthenticate } from '../../../server/src/core/rules/missing-www-authenticate';
import { runRuleTests } from '../../rule-tester';

const ROUTES = 'src/routes/session.js';
const RESPONSE = /^401 response without a WWW-Authenticate header: .*Set `WWW-Authenticate: Bearer realm="api"` on this response\.$/;
const ERROR =
  '401 response without a WWW-Authenticate header: clients cannot tell which authentication scheme to use (RFC 9110 §15.5.2). ' +
  'Restify sends the error with the headers already set on the response: set `WWW-Authenticate: Bearer realm="api"` with `res.header(…)` before passing it on.';
const MISSING = (guard: string) => `this branch runs when \`${guard}\`: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.`;

const HEAD = `const restify = require('restify');
const errors = require('restify-errors');
`;

runRuleTests(missingWwwAuthenticate, {
  valid: [
    // Restify sets the third argument's headers on the response it sends.
    {
      filename: ROUTES,
      code: `${HEAD}
function me(req, res, next) {
  if (!req.headers.authorization) {
    res.send(401, { message: 'Missing token' }, { 'WWW-Authenticate': 'Bearer realm="api"' });
    return next(false);
  }
  next();
}`,
    },
    // A header set on the response before the error is passed on goes out with it.
    {
      filename: ROUTES,
      code: `${HEAD}
function me(req, res, next) {
  if (!req.headers.authorization) {
    res.header('WWW-Authenticate', 'Bearer realm="api"');
    return next(new errors.InvalidCredentialsError('Missing token'));
  }
  next();
}`,
    },
    // Other statuses, a number sent as a body, and 403s.
    {
      filename: ROUTES,
      code: `${HEAD}
function count(req, res, next) {
  if (!req.user.admin) return next(new errors.NotAuthorizedError('Admins only'));
  res.send(200, { total: req.total });
  res.json({ total: 401 });
  next();
}`,
    },
    // Express 5 and Fastify send a lone number as the body.
    {
      filename: 'src/app.js',
      code: `const express = require('express');
const app = express();
app.get('/count', (req, res) => res.send(401));`,
    },
  ],
  invalid: [
    {
      name: 'res.send(401, body) in a restify handler',
      filename: ROUTES,
      code: `${HEAD}
function me(req, res, next) {
  if (!req.headers.authorization) {
    res.send(401, { message: 'Missing token' });
    return next(false);
  }
  next();
}`,
      errors: [{ message: RESPONSE, line: 6, column: 5, endLine: 6, endColumn: 48 }],
      output: `${HEAD}
function me(req, res, next) {
  if (!req.headers.authorization) {
    res.set('WWW-Authenticate', 'Bearer realm="api"').send(401, { message: 'Missing token' });
    return next(false);
  }
  next();
}`,
    },
    {
      name: 'res.json(401, body, headers) without the challenge among the headers',
      filename: 'src/routes/token.ts',
      code: `import { Request, Response, Next } from 'restify';

export function check(req: Request, res: Response, next: Next) {
  if (!req.headers.authorization) return res.json(401, { message: 'Missing token' }, { 'Cache-Control': 'no-store' });
  return next();
}`,
      errors: [{ message: RESPONSE, line: 4, column: 42, endLine: 4, endColumn: 118 }],
      output: `import { Request, Response, Next } from 'restify';

export function check(req: Request, res: Response, next: Next) {
  if (!req.headers.authorization) return res.json(401, { message: 'Missing token' }, { 'Cache-Control': 'no-store', 'WWW-Authenticate': 'Bearer realm="api"' });
  return next();
}`,
    },
    {
      name: 'an InvalidCredentialsError passed to next()',
      filename: ROUTES,
      code: `${HEAD}
function me(req, res, next) {
  if (!req.headers.authorization) {
    return next(new errors.InvalidCredentialsError('Missing token'));
  }
  next();
}`,
      errors: [{ message: ERROR, line: 6, column: 17, endLine: 6, endColumn: 68 }],
      output: `${HEAD}
function me(req, res, next) {
  if (!req.headers.authorization) {
    res.header('WWW-Authenticate', 'Bearer realm="api"');
    return next(new errors.InvalidCredentialsError('Missing token'));
  }
  next();
}`,
    },
    {
      name: 'a class imported by name, and makeErrFromCode(401)',
      filename: 'src/auth.js',
      code: `const { UnauthorizedError, makeErrFromCode } = require('restify-errors');
const errs = require('restify-errors');

module.exports = (req, res, next) => {
  if (!req.headers.authorization) return next(new UnauthorizedError('Missing token'));
  if (req.headers.authorization === 'expired') return next(errs.makeErrFromCode(401, 'Expired'));
  next();
};`,
      errors: [
        { message: ERROR, line: 5, column: 47, endLine: 5, endColumn: 85 },
        { message: ERROR, line: 6, column: 60, endLine: 6, endColumn: 96 },
      ],
      output: null,
    },
  ],
});

runRuleTests(authStatusMismatch, {
  valid: [
    {
      filename: ROUTES,
      code: `${HEAD}
function remove(req, res, next) {
  if (!req.user) {
    res.header('WWW-Authenticate', 'Bearer realm="api"');
    return next(new errors.InvalidCredentialsError('Sign in first'));
  }
  if (req.user.role !== 'admin') return next(new errors.NotAuthorizedError('Admins only'));
  next();
}`,
    },
  ],
  invalid: [
    {
      name: 'NotAuthorizedError for a request with no credential',
      filename: ROUTES,
      code: `${HEAD}
function me(req, res, next) {
  if (!req.headers.authorization) {
    return next(new errors.NotAuthorizedError('Missing token'));
  }
  next();
}`,
      errors: [{ message: MISSING('!req.headers.authorization'), line: 6, column: 28, endLine: 6, endColumn: 46 }],
      output: `${HEAD}
function me(req, res, next) {
  if (!req.headers.authorization) {
    res.header('WWW-Authenticate', 'Bearer realm="api"');
    return next(new errors.InvalidCredentialsError('Missing token'));
  }
  next();
}`,
    },
  ],
});
