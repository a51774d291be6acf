import { authStatusMismatch } from '../../server/src/core/rules/auth-status-mismatch';
import { runRuleTests } from '../rule-tester';

const USE_401 = /: the caller's credential is missing or invalid — use 401 \(with a WWW-Authenticate challenge\), not 403\.$/;


runRuleTests(authStatusMismatch, {
  valid: [
    {
      name: 'express: a role check answered with 403',
      code: `app.get('/a', (req, res) => { if (req.user.role !== 'admin') return res.status(403).end(); res.end(); });`,
    },
  ],
  invalid: [
    {
      name: 'express: a role check answered with 401',
      code: `app.get('/a', (req, res) => { if (req.user.role !== 'admin') return res.status(401).end(); res.end(); });`,
      errors: [{ message: "this branch runs when `req.user.role !== 'admin'`: the caller is authenticated but not permitted — use 403, not 401.", line: 1, column: 80, endColumn: 83 }],
      output: `app.get('/a', (req, res) => { if (req.user.role !== 'admin') return res.status(403).end(); res.end(); });`,
    },
    {
      name: 'express: a missing Authorization header answered with 403',
      code: `app.get('/a', (req, res) => { if (!req.headers.authorization) return res.status(403).end(); res.end(); });`,
      errors: [{ message: USE_401, line: 1, column: 81, endColumn: 84 }],
      output: `app.get('/a', (req, res) => { if (!req.headers.authorization) return res.setHeader('WWW-Authenticate', 'Bearer realm="api"').status(401).end(); res.end(); });`,
    },
  ],
});
