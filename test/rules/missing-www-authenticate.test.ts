import { missingWwwAuthenticate } from '../../server/src/core/rules/missing-www-authenticate';
import { runRuleTests } from '../rule-tester';

const MESSAGE = /^401 response without a WWW-Authenticate header/;

runRuleTests(missingWwwAuthenticate, {
  valid: [
    `app.get('/x', (req, res) => { res.set('WWW-Authenticate', 'Bearer'); return res.status(401).end(); });`,
  ],
  invalid: [
    {
      code: `app.get('/x', (req, res) => res.status(401).json({ error: 'no' }));`,
      errors: [{ message: MESSAGE, line: 1, column: 29, endColumn: 44 }],
      output: `app.get('/x', (req, res) => res.setHeader('WWW-Authenticate', 'Bearer realm="api"').status(401).json({ error: 'no' }));`,
    },
  ],
});
