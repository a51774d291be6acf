import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../cli/run-cli';

/**
 * The install path README.md gives, as a new user takes it: `npm pack` this
 * repository, install the tarball and ESLint 10 into an empty project, and
 * run `npx authlint`, an `npm run lint:auth` script and `npx eslint` with
 * `authlint.configs.recommended`. Runs offline, from npm's cache; where the
 * cache holds no ESLint 10 the test says so and is skipped.
 */

const SERVER = `const express = require('express');

const app = express();

app.get('/me', (req, res) => {
  if (!req.headers.authorization) {
    return res.status(401).json({ error: 'sign in first' });
  }
  res.json({ user: 'me' });
});

app.listen(3000);
`;

const ESLINT_CONFIG = `import authlint from 'authlint/eslint-plugin';

export default [authlint.configs.recommended];
`;

/** The environment without what `npm test` sets for its own run (npm_config_*, npm_lifecycle_*), which would steer the nested npm. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^(npm_|GITHUB_|FORCE_COLOR|NO_COLOR)/i.test(key)) env[key] = value;
  return env;
}

function sh(command: string, args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { cwd, env: cleanEnv(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface Row {
  file: string;
  rule: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  message: string;
}

function rows(json: string, cwd: string): Row[] {
  const results = JSON.parse(json) as { filePath: string; messages: { ruleId: string; line: number; column: number; endLine?: number; endColumn?: number; message: string }[] }[];
  return results.flatMap((result) =>
    result.messages.map((m) => ({ file: path.relative(cwd, result.filePath), rule: m.ruleId.replace(/^authlint\//, ''), line: m.line, column: m.column, endLine: m.endLine, endColumn: m.endColumn, message: m.message })),
  );
}

function outputs(json: string): Record<string, string | undefined> {
  const results = JSON.parse(json) as { filePath: string; output?: string }[];
  return Object.fromEntries(results.map((result) => [path.basename(result.filePath), result.output]));
}

describe('a fresh project: the packed tarball, npx authlint, npm run lint:auth and ESLint 10 with the recommended config', function () {
  this.timeout(120_000);
  let dir: string;

  before(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-fresh-'));
    // dist/ is built by `npm test`'s pretest; packing it as it is keeps the run quick.
    const pack = sh('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], ROOT);
    assert.equal(pack.status, 0, pack.stderr);
    const tarball = path.join(dir, (JSON.parse(pack.stdout) as { filename: string }[])[0].filename);
    const project = path.join(dir, 'app');
    fs.mkdirSync(path.join(project, 'src'), { recursive: true });
    assert.equal(sh('npm', ['init', '-y'], project).status, 0);
    const install = sh('npm', ['install', '--save-dev', '--offline', '--no-audit', '--no-fund', tarball, 'eslint@10'], project);
    if (install.status !== 0) {
      console.warn(`      skipped: npm could not install eslint@10 offline (its cache holds none):\n${install.stderr.split('\n').slice(0, 3).join('\n')}`);
      this.skip();
    }
    const pkg = JSON.parse(fs.readFileSync(path.join(project, 'package.json'), 'utf8'));
    pkg.scripts = { ...pkg.scripts, 'lint:auth': 'authlint --max-warnings 0' };
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify(pkg, null, 2));
    fs.writeFileSync(path.join(project, 'src', 'server.js'), SERVER);
    fs.writeFileSync(path.join(project, 'eslint.config.mjs'), ESLINT_CONFIG);
    dir = project;
  });

  after(() => {
    if (dir) fs.rmSync(path.basename(dir) === 'app' ? path.dirname(dir) : dir, { recursive: true, force: true });
  });

  it('installs ESLint 10 and the package with its bins and the plugin export', () => {
    const eslint = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', 'eslint', 'package.json'), 'utf8'));
    assert.match(eslint.version, /^10\./);
    assert.ok(fs.existsSync(path.join(dir, 'node_modules', '.bin', 'authlint')));
    const packed = fs.readdirSync(path.join(dir, 'node_modules', 'authlint'), { recursive: true, encoding: 'utf8' });
    for (const file of ['dist/cli.js', 'dist/cli-engine.js', 'dist/eslint-plugin.js', 'types/eslint-plugin.d.ts', 'docs/rules/missing-www-authenticate.md', 'examples/ci/gitlab-codequality.mjs', 'action.yml']) assert.ok(packed.includes(file), file);
    assert.ok(!packed.some((file) => /^(server|test|examples\/express-api)\//.test(file)), 'sources, tests and the example API stay out of the package');
  });

  it('npx authlint and npx eslint report the same finding at the same place', () => {
    const authlint = sh('npx', ['authlint', '.', '--format', 'json'], dir);
    const eslint = sh('npx', ['eslint', '.', '--format', 'json'], dir);
    assert.equal(authlint.status, 0, authlint.stderr);
    assert.equal(eslint.status, 0, eslint.stderr);
    const expected: Row[] = [{ file: 'src/server.js', rule: 'missing-www-authenticate', line: 7, column: 12, endLine: 7, endColumn: 27, message: '401 response without a WWW-Authenticate header: clients cannot tell which authentication scheme to use (RFC 9110 §15.5.2). Set `WWW-Authenticate: Bearer realm="api"` on this response.' }];
    assert.deepEqual(rows(authlint.stdout, dir), expected);
    assert.deepEqual(rows(eslint.stdout, dir), expected);
  });

  it('eslint --fix and authlint --fix make the same edit', () => {
    const authlint = outputs(sh('npx', ['authlint', '.', '--fix-dry-run', '--format', 'json'], dir).stdout);
    const eslint = outputs(sh('npx', ['eslint', '.', '--fix-dry-run', '--format', 'json'], dir).stdout);
    assert.equal(authlint['server.js'], SERVER.replace('res.status(401)', `res.set('WWW-Authenticate', 'Bearer realm="api"').status(401)`));
    assert.equal(eslint['server.js'], authlint['server.js']);
  });

  it('npm run lint:auth fails on the warning, as --max-warnings 0 asks', () => {
    const run = sh('npm', ['run', '--silent', 'lint:auth'], dir);
    assert.equal(run.status, 1);
    assert.match(run.stdout, /7:12 {2}warning {2}401 response without a WWW-Authenticate header/);
    assert.match(run.stderr, /authlint found too many warnings \(maximum: 0\)/);
  });
});
