import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Linter, RuleTester } from 'eslint';
import { RULE_IDS } from '../../server/src/core/rules';
import { ROOT } from '../cli/run-cli';
import { assertSameReports, PLUGIN, projectDir, runBoth, writeProject, type ParityFile } from './parity';

/** The built plugin, as ESLint loads it from the package (`npm test` builds it first). */
const plugin = require(PLUGIN) as typeof import('../../server/src/eslint/plugin');
// Its types resolve only under moduleResolution node16; this repository compiles with node.
const tsParser = require('@typescript-eslint/parser') as Linter.Parser;

const CHALLENGE_401 = `app.get('/me', (req, res) => {
  if (!req.headers.authorization) return res.status(401).json({ error: 'login required' });
  res.json(req.user);
});
`;

const ROLE_401 = `app.delete('/users/:id', (req, res) => {
  if (req.user.role !== 'admin') return res.status(401).send('admins only');
  res.sendStatus(204);
});
`;

const PROXY = `app.use('/api', async (req, res) => {
  const upstream = await fetch('http://backend' + req.url, { method: req.method, headers: { 'content-type': 'application/json' }, body: req.body });
  res.status(upstream.status).send(await upstream.text());
});
`;

const MISSING = "401 response without a WWW-Authenticate header: clients cannot tell which authentication scheme to use (RFC 9110 §15.5.2). Set `WWW-Authenticate: Bearer realm=\"api\"` on this response.";

function filesUnder(dir: string, prefix: string): ParityFile[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.[cm]?[jt]sx?$/.test(name) && fs.statSync(path.join(dir, name)).isFile())
    .map((name) => ({ filename: path.join(prefix, name), code: fs.readFileSync(path.join(dir, name), 'utf8') }));
}

describe('ESLint plugin (authlint/eslint-plugin)', () => {
  describe('the package', () => {
    it('exports the plugin as authlint/eslint-plugin, for require and import alike', async () => {
      assert.equal(require.resolve('authlint/eslint-plugin'), PLUGIN);
      const specifier = 'authlint/eslint-plugin';
      const imported = (await import(specifier)) as { default: typeof plugin };
      assert.equal(imported.default.configs.recommended, plugin.configs.recommended);
    });

    it('has one rule per authlint rule, and a recommended config that switches each on as a warning', () => {
      assert.deepEqual(Object.keys(plugin.rules).sort(), [...RULE_IDS].sort());
      assert.equal(plugin.configs.recommended.plugins?.authlint, plugin);
      assert.deepEqual(plugin.configs.recommended.rules, Object.fromEntries(RULE_IDS.map((id) => [`authlint/${id}`, 'warn'])));
      assert.equal(plugin.meta.version, JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
    });

    it('gives every rule full meta, its docs link opening the docs shipped in the package', () => {
      for (const [id, rule] of Object.entries(plugin.rules)) {
        const meta = rule.meta!;
        assert.equal(meta.type, 'problem');
        assert.equal(meta.fixable, 'code');
        assert.ok(meta.docs?.description, `${id}: description`);
        assert.equal(fileURLToPath(meta.docs!.url!), path.join(ROOT, 'docs', 'rules', `${id}.md`));
        assert.ok(fs.existsSync(fileURLToPath(meta.docs!.url!)));
        assert.deepEqual(Object.keys((meta.schema as { properties: object }[])[0].properties), ['challenge', 'credentialHeaders', 'authVocabulary']);
      }
    });
  });

  describe('RuleTester, under the typescript-eslint parser', () => {
    RuleTester.describe = describe;
    RuleTester.it = it;
    const tester = new RuleTester({ languageOptions: { parser: tsParser } });
    const filename = 'src/routes.ts';

    tester.run('missing-www-authenticate', plugin.rules['missing-www-authenticate'], {
      valid: [
        { filename, code: `app.get('/me', (req, res) => res.set('WWW-Authenticate', 'Bearer realm="api"').status(401).end());` },
        { filename: 'src/client.ts', code: `if (response.status === 401) await refreshToken();` },
        { filename, code: `// authlint-disable-next-line missing-www-authenticate -- the gateway adds the challenge\napp.get('/me', (req, res) => res.status(401).end());` },
        { filename: 'src/types.d.ts', code: `declare function deny(res: { status(code: 401): void }): void;` },
        { filename: 'src/App.vue', code: `app.get('/me', (req, res) => res.status(401).end());` },
      ],
      invalid: [
        {
          filename,
          code: CHALLENGE_401,
          errors: [{ message: MISSING, line: 2, column: 42, endLine: 2, endColumn: 57 }],
          output: CHALLENGE_401.replace('res.status(401)', `res.setHeader('WWW-Authenticate', 'Bearer realm="api"').status(401)`),
        },
        {
          name: 'the challenge option is the header the fix inserts',
          filename,
          code: CHALLENGE_401,
          options: [{ challenge: 'Bearer realm="orders"' }],
          errors: [{ message: MISSING.replace('realm="api"', 'realm="orders"'), line: 2, column: 42 }],
          output: CHALLENGE_401.replace('res.status(401)', `res.setHeader('WWW-Authenticate', 'Bearer realm="orders"').status(401)`),
        },
        {
          name: 'a 401 for a failed role check, with auth-status-mismatch off, still lacks its challenge',
          filename,
          code: ROLE_401,
          errors: [{ message: MISSING, line: 2, column: 41 }],
          output: ROLE_401.replace('res.status(401)', `res.setHeader('WWW-Authenticate', 'Bearer realm="api"').status(401)`),
        },
        {
          name: 'CRLF line endings: the range and the inserted code keep them',
          filename,
          code: CHALLENGE_401.replace(/\n/g, '\r\n'),
          errors: [{ message: MISSING, line: 2, column: 42, endLine: 2, endColumn: 57 }],
          output: CHALLENGE_401.replace(/\n/g, '\r\n').replace('res.status(401)', `res.setHeader('WWW-Authenticate', 'Bearer realm="api"').status(401)`),
        },
      ],
    });

    tester.run('auth-status-mismatch', plugin.rules['auth-status-mismatch'], {
      valid: [{ filename, code: `app.delete('/users/:id', (req, res) => { if (req.user.role !== 'admin') return res.status(403).end(); });` }],
      invalid: [
        {
          filename,
          code: ROLE_401,
          errors: [{ message: "this branch runs when `req.user.role !== 'admin'`: the caller is authenticated but not permitted — use 403, not 401.", line: 2, column: 52, endLine: 2, endColumn: 55 }],
          output: ROLE_401.replace('401', '403'),
        },
      ],
    });

    tester.run('proxy-drops-credentials', plugin.rules['proxy-drops-credentials'], {
      valid: [{ filename, code: PROXY.replace(`{ 'content-type': 'application/json' }`, `{ 'content-type': 'application/json', authorization: req.headers.authorization }`) }],
      invalid: [
        {
          filename,
          code: PROXY,
          errors: [{ messageId: 'finding', line: 2, column: 91, endLine: 2, endColumn: 129 }],
          output: PROXY.replace(`'content-type': 'application/json' }`, `'content-type': 'application/json', ...(req.headers.authorization && { authorization: req.headers.authorization }) }`),
        },
        {
          name: 'credentialHeaders: an API key header is a credential too',
          filename,
          code: PROXY.replace(`'content-type': 'application/json'`, `'content-type': 'application/json', authorization: req.headers.authorization`),
          options: [{ credentialHeaders: ['authorization', 'x-api-key'] }],
          errors: [{ messageId: 'finding', line: 2, column: 91 }],
          output: PROXY.replace(`'content-type': 'application/json'`, `'content-type': 'application/json', authorization: req.headers.authorization, ...(req.headers['x-api-key'] && { 'x-api-key': String(req.headers['x-api-key']) })`),
        },
      ],
    });
  });

  describe('with the other rules of the file', () => {
    const linter = new Linter({ configType: 'flat' });
    const config = (rules: Linter.RulesRecord): Linter.Config[] => [
      { files: ['**/*.ts'], languageOptions: { parser: tsParser } },
      { ...plugin.configs.recommended, rules: { ...plugin.configs.recommended.rules, ...rules } },
    ];

    it('leaves a permission-failure 401 to auth-status-mismatch when both are on, as the CLI does', () => {
      const messages = linter.verify(ROLE_401, config({}), 'src/routes.ts');
      assert.deepEqual(messages.map((m) => m.ruleId), ['authlint/auth-status-mismatch']);
    });

    it('refuses options the rules do not have', () => {
      assert.throws(() => linter.verify(CHALLENGE_401, config({ 'authlint/missing-www-authenticate': ['warn', { realm: 'api' }] }), 'src/routes.ts'), /should NOT have additional properties|must NOT have additional properties/);
    });

    it('refuses a challenge that is not a WWW-Authenticate value, as the CLI refuses it in .authlintrc.json', () => {
      assert.throws(() => linter.verify(CHALLENGE_401, config({ 'authlint/missing-www-authenticate': ['warn', { challenge: '"api"' }] }), 'src/routes.ts'), /"challenge": "\\"api\\"" is not a valid WWW-Authenticate value/);
    });
  });

  describe('the real eslint binary against the real authlint binary', () => {
    const examples = [
      ...filesUnder(path.join(ROOT, 'examples', 'express-api', 'src'), 'examples/express-api/src'),
      ...filesUnder(path.join(ROOT, 'test', 'fixtures', 'cli', 'project', 'src'), 'fixtures/src'),
    ];
    const variants: [string, Record<string, 'off' | 'warn' | 'error'>][] = [
      ['the recommended config', {}],
      ['errors', Object.fromEntries(RULE_IDS.map((id) => [id, 'error']))],
      ...RULE_IDS.map((id): [string, Record<string, 'off'>] => [`${id} off`, { [id]: 'off' }]),
    ];
    for (const [label, rules] of variants) {
      it(`the examples: the same findings, fixes and fixed output, ${label}`, function () {
        this.timeout(120_000);
        assert.ok(examples.length >= 6, 'the examples are there');
        const dir = projectDir('examples');
        try {
          const compared = assertSameReports(runBoth(dir, writeProject(dir, examples, { rules })));
          assert.equal(compared, examples.filter((file) => !file.filename.endsWith('.d.ts')).length);
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      });
    }
  });
});
