import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Log } from 'sarif';
import { MAX_FILE_BYTES, MAX_LINE_LENGTH } from '../../server/src/workspace/read-source';
import { canRunAs, jsonOf, MISSING_CHALLENGE, removeTempProjects, runCli, tempProject, unprivilegedUser } from './run-cli';

/** Paths of the files a JSON report lists, relative to `dir`. */
function linted(stdout: string, dir: string): string[] {
  return (JSON.parse(stdout) as { filePath: string }[]).map((r) => path.relative(dir, r.filePath).split(path.sep).join('/'));
}

describe('CLI: bad input', () => {
  after(removeTempProjects);

  it('skips binary and non-UTF-8 files with a warning, and lints the rest', () => {
    const project = tempProject({
      'src/login.ts': MISSING_CHALLENGE,
      'src/image.js': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x1a, 0x0a]),
      'src/latin1.ts': Buffer.from('// caf\xe9\nexport const x = 1;\n', 'latin1'),
    });
    const run = runCli(['--format', 'json'], { cwd: project });
    assert.equal(run.status, 0);
    assert.deepEqual(linted(run.stdout, project), ['src/login.ts']);
    assert.match(run.stderr, /src\/image\.js: skipped: binary file/);
    assert.match(run.stderr, /src\/latin1\.ts: skipped: not UTF-8 text/);
  });

  it('skips a huge file and a minified bundle, saying why', () => {
    const line = 'export const value = 1; // padding to make a realistic line length for generated code\n';
    const project = tempProject({
      'src/login.ts': MISSING_CHALLENGE,
      'src/generated.ts': line.repeat(Math.ceil((MAX_FILE_BYTES + 1) / line.length)),
      'src/vendor.min.js': `${'var a=1;'.repeat(MAX_LINE_LENGTH / 4)}\n`,
    });
    const run = runCli(['--format', 'json'], { cwd: project });
    assert.equal(run.status, 0);
    assert.deepEqual(linted(run.stdout, project), ['src/login.ts']);
    assert.match(run.stderr, /src\/generated\.ts: skipped: larger than 2 MB \(2\.0 MB\), likely generated/);
    assert.match(run.stderr, /src\/vendor\.min\.js: skipped: has a line over 10000 characters, likely minified/);
  });

  it('exits 2 with a clear error for a missing path or a device', () => {
    const project = tempProject({ 'src/login.ts': MISSING_CHALLENGE });
    const run = runCli(['src', 'no/such/dir'], { cwd: project });
    assert.equal(run.status, 2);
    assert.equal(run.stderr, 'authlint: No such file or folder: no/such/dir\n');
    assert.equal(run.stdout, '');
    const device = runCli(['/dev/null'], { cwd: project });
    assert.equal(device.status, 2);
    assert.match(device.stderr, /\/dev\/null is neither a file nor a folder/);
  });

  it('exits 2 naming an unreadable file and folder, after linting the others and reporting the file as fatal', function () {
    const project = tempProject({ 'src/login.ts': MISSING_CHALLENGE, 'src/secret.ts': 'export const x = 1;\n', 'src/private/hidden.ts': MISSING_CHALLENGE });
    fs.chmodSync(path.join(project, 'src', 'secret.ts'), 0o000);
    fs.chmodSync(path.join(project, 'src', 'private'), 0o000);
    const user = unprivilegedUser();
    if (user) {
      // Root reads through chmod 000, so the bin runs as nobody, who must reach the project and the build.
      fs.chmodSync(project, 0o755);
      fs.chmodSync(path.join(project, 'src', 'login.ts'), 0o644);
      if (!canRunAs(user)) this.skip();
    }
    const run = runCli(['--format', 'json'], { cwd: project, ...user });
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /authlint: src\/secret\.ts: cannot read it: EACCES: permission denied/);
    assert.match(run.stderr, /authlint: Cannot read the folder src\/private: EACCES: permission denied/);
    const results = jsonOf(run);
    assert.deepEqual(results.map((r) => path.basename(r.filePath)), ['login.ts', 'secret.ts']);
    assert.equal(results[0].warningCount, 1, 'the readable file is still linted');
    assert.deepEqual([results[1].messages[0].fatal, results[1].messages[0].ruleId], [true, null]);

    const sarif = runCli(['--format', 'sarif'], { cwd: project, ...user });
    const [invocation] = (JSON.parse(sarif.stdout) as Log).runs[0].invocations!;
    assert.equal(invocation.executionSuccessful, false, 'SARIF says the run was incomplete');
    assert.match(invocation.toolExecutionNotifications![0].message.text!, /EACCES/);
  });

  it('warns about a symbolic link loop and lints each file once', () => {
    const project = tempProject({ 'src/login.ts': MISSING_CHALLENGE });
    fs.symlinkSync('..', path.join(project, 'src', 'up'));
    fs.symlinkSync('self.ts', path.join(project, 'src', 'self.ts'));
    const run = runCli(['--format', 'json'], { cwd: project });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(linted(run.stdout, project), ['src/login.ts']);
    assert.match(run.stderr, /Skipped src\/self\.ts: symbolic link loop/);
    assert.match(run.stderr, /Skipped src\/up: symbolic link loop/);
  });

  it('exits 2 naming the file and key of an invalid config', function () {
    // Sixteen runs of the CLI.
    this.timeout(90_000);
    const cases: [string, RegExp][] = [
      ['{ "rules": ', /\.authlintrc\.json: invalid JSON/],
      ['{ "rulez": {} }', /\.authlintrc\.json: unknown key "rulez"/],
      ['{ "rules": { "missing-www-authenticate": "loud" } }', /\.authlintrc\.json: "rules\.missing-www-authenticate": severity must be/],
      ['{ "rules": { "no-such-rule": "error" } }', /\.authlintrc\.json: "rules": unknown rule "no-such-rule"/],
      ['{ "ignore": "dist" }', /\.authlintrc\.json: "ignore" must be an array/],
      ['{ "credentialHeaders": [""] }', /\.authlintrc\.json: "credentialHeaders" must be an array of header names/],
      ['{ "challenge": 401 }', /\.authlintrc\.json: "challenge" must be a WWW-Authenticate value/],
      ['{ "challenge": "" }', /\.authlintrc\.json: "challenge": "" is not a valid WWW-Authenticate value: the value holds no challenge/],
      ['{ "challenge": "Basic" }', /\.authlintrc\.json: "challenge": "Basic" is not a valid WWW-Authenticate value: a `Basic` challenge without `realm`/],
      ['{ "challenge": "Bearer realm=api" }', /"challenge": "Bearer realm=api" is not a valid WWW-Authenticate value: `realm=api`: senders must use the quoted-string form/],
      ['{ "challenge": "Bearer realm=\\"api" }', /"challenge": .* the quoted string is never closed/],
      // A line break would split the response the fix writes it into (header injection), so the key is named and the run stops.
      ['{ "challenge": "Bearer realm=\\"api\\"\\r\\nSet-Cookie: a=b" }', /\.authlintrc\.json: "challenge": .* a line break \(U\+000D\) cannot be part of a header value/],
      ['{ "challenge": "Basic realm=\\"a\\nb\\"" }', /\.authlintrc\.json: "challenge": .* a line break \(U\+000A\) cannot be part of a header value/],
      ['{ "authVocabulary": ["admin"] }', /\.authlintrc\.json: "authVocabulary" must be an object/],
    ];
    for (const [config, expected] of cases) {
      const project = tempProject({ '.authlintrc.json': config, 'a.ts': MISSING_CHALLENGE });
      const run = runCli([], { cwd: project });
      assert.equal(run.status, 2, `${config}: ${run.stderr}`);
      assert.match(run.stderr, expected);
      assert.ok(run.stderr.includes(path.join(project, '.authlintrc.json')), 'names the file with its path');
    }
    const pkg = tempProject({ 'package.json': '{ "authlint": { "rules": [] } }', 'a.ts': MISSING_CHALLENGE });
    assert.match(runCli([], { cwd: pkg }).stderr, /package\.json#authlint: "rules" must be an object/);
    assert.match(runCli(['--config', 'missing.json'], { cwd: pkg }).stderr, /Config file not found: missing\.json/);
  });

  it('exits 0 with a note for a folder with nothing to lint', () => {
    const project = tempProject({ 'README.md': '# nothing here\n', 'types.d.ts': 'export {};\n', 'node_modules/dep/index.js': MISSING_CHALLENGE });
    const stylish = runCli([], { cwd: project });
    assert.deepEqual([stylish.status, stylish.stdout], [0, '']);
    assert.equal(stylish.stderr, 'authlint: no JavaScript or TypeScript files to lint in .\n');
    const json = runCli(['--format', 'json'], { cwd: project });
    assert.deepEqual([json.status, json.stdout], [0, '[]\n']);
  });

  it('skips node_modules, build output and .gitignored paths', () => {
    const project = tempProject({
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.gitignore': 'tmp/\n*.gen.ts\n',
      'src/login.ts': MISSING_CHALLENGE,
      'src/api.gen.ts': MISSING_CHALLENGE,
      'tmp/scratch.ts': MISSING_CHALLENGE,
      ...Object.fromEntries(['node_modules/x', 'dist', 'build', 'out', 'coverage', '.next', '.nuxt', '.output'].map((dir) => [`${dir}/a.js`, MISSING_CHALLENGE])),
    });
    const run = runCli(['--format', 'json'], { cwd: project });
    assert.deepEqual(linted(run.stdout, project), ['src/login.ts']);
  });

  it('lints and indexes a repository inside a folder the outer repository ignores', () => {
    const corpus: Record<string, string> = {
      // No status in the route: it gets its 401 only through the index (the error class in another file).
      'src/errors.ts': 'export class Denied extends Error {\n  readonly status = 401;\n}\n',
      'src/routes/profile.ts': "import { Denied } from '../errors';\nexport function profile(req: any) {\n  if (!req.user) throw new Denied();\n  return req.user;\n}\n",
      'src/app.ts':
        "import express from 'express';\nimport { profile } from './routes/profile';\nconst app = express();\napp.get('/me', (req, res) => res.json(profile(req)));\napp.use((err: any, req: any, res: any, next: any) => {\n  res.status(err.status).json({ message: err.message });\n});\nexport default app;\n",
    };
    const outer = tempProject({
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.gitignore': '.bench/\n*.ts\n',
      ...Object.fromEntries(Object.entries(corpus).map(([file, text]) => [`.bench/corpus/${file}`, text])),
      '.bench/corpus/.git/HEAD': 'ref: refs/heads/main\n',
    });
    const inner = path.join(outer, '.bench', 'corpus');
    for (const run of [runCli(['--format', 'json', '.bench/corpus'], { cwd: outer }), runCli(['--format', 'json'], { cwd: inner })]) {
      assert.deepEqual(linted(run.stdout, inner), ['src/app.ts', 'src/errors.ts', 'src/routes/profile.ts']);
      const profile = jsonOf(run).find((result) => result.filePath.endsWith(path.join('routes', 'profile.ts')))!;
      assert.equal(profile.messages.length, 1, run.stdout);
    }
  });
});
