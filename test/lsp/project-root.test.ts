import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { projectRootOf } from '../../server/src/workspace/project-root';
import { jsonOf, runCli } from '../cli/run-cli';
import { LspClient, uriOf } from './lsp-client';

const FIXTURES = path.resolve(__dirname, '../fixtures/project');
/** The app's middleware, whose 401s come from error classes of a sibling workspace package (@acme/errors). */
const MIDDLEWARE = 'apps/api/src/middleware/require-user.ts';

/** A copy of a fixture monorepo as a repository of its own (a `.git` folder at its root), in a temporary folder. */
function copyRepository(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-lsp-root-'));
  fs.cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  fs.mkdirSync(path.join(dir, '.git'));
  return dir;
}

/** What `npx authlint` run in `cwd` reports for `file`, as rule, position and message. */
function cliFindings(cwd: string, file: string): string[] {
  const reports = jsonOf(runCli(['--format', 'json', '.'], { cwd }));
  const report = reports.find((r) => r.filePath === file);
  assert.ok(report, `the CLI linted ${file}`);
  return report.messages.map((m) => `${m.ruleId} ${m.line}:${m.column} ${m.message}`).sort();
}

const editorFindings = (diagnostics: Diagnostic[]): string[] =>
  diagnostics.map((d) => `${d.code} ${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`).sort();

describe('language server: the project root of a workspace folder', function () {
  this.timeout(30_000);
  let client: LspClient | undefined;
  let dir: string | undefined;

  afterEach(async () => {
    if (client && client.exitCode === null) await client.shutdown();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    client = dir = undefined;
  });

  it('indexes the monorepo around a sub-package folder and reports what the CLI run in that folder reports', async () => {
    dir = copyRepository('workspace-errors');
    const folder = path.join(dir, 'apps/api');
    const file = path.join(dir, MIDDLEWARE);
    const expected = cliFindings(folder, file);
    // The error classes live in packages/errors, outside the folder: only the repository's index knows they carry 401s.
    assert.equal(expected.length, 2);
    assert.ok(expected.every((f) => /^missing-www-authenticate .*`AuthenticationError` carries a 401 to the error handler in \.\/errors\.ts/.test(f)));

    client = new LspClient({ folders: [folder] });
    await client.initialize();
    const uri = await client.open(file, fs.readFileSync(file, 'utf8'));
    const diagnostics = await client.diagnosticsFor(uri, (d) => d.length === expected.length);
    assert.deepEqual(editorFindings(diagnostics), expected);
    assert.match(client.progress[0]?.title ?? '', new RegExp(`^authlint: indexing ${path.basename(dir)}$`));
    // The repository lies outside the folder, whose watchers do not see it: it is watched by a pattern relative to it.
    const watchers = client.registrations
      .filter((r) => r.method === 'workspace/didChangeWatchedFiles')
      .flatMap((r) => (r.registerOptions as { watchers: { globPattern: unknown }[] }).watchers.map((w) => w.globPattern));
    assert.ok(watchers.some((g) => typeof g === 'object' && (g as { baseUri: string }).baseUri === uriOf(dir!) && (g as { pattern: string }).pattern === '**/*.{ts,tsx,js,jsx,mjs,cjs,mts,cts}'));
  });

  it('builds one index for two folders of the same repository', async () => {
    dir = copyRepository('workspace-errors');
    client = new LspClient({ folders: [path.join(dir, 'apps/api'), path.join(dir, 'packages/errors')] });
    await client.initialize();
    const uri = await client.open(path.join(dir, MIDDLEWARE), fs.readFileSync(path.join(dir, MIDDLEWARE), 'utf8'));
    await client.diagnosticsFor(uri, (d) => d.length === 2);
    await client.until(() => client!.progress.some((p) => p.kind === 'end'));
    assert.equal(client.createdProgress.length, 1);
    assert.equal(client.logs.filter((l) => l.startsWith('Indexed ')).length, 1);
  });

  it('agrees with the CLI when the handler in the repository sets the challenge', async () => {
    dir = copyRepository('workspace-errors-challenged');
    const folder = path.join(dir, 'apps/api');
    const file = path.join(dir, MIDDLEWARE);
    assert.deepEqual(cliFindings(folder, file), []);
    client = new LspClient({ folders: [folder] });
    await client.initialize();
    const uri = await client.open(file, fs.readFileSync(file, 'utf8'));
    await client.until(() => client!.logs.some((l) => l.startsWith(`Indexed ${dir}`)));
    // Linted again after indexing only if the answers changed; either way, nothing to report.
    assert.deepEqual(editorFindings(await client.diagnosticsFor(uri)), []);
  });
});

describe('project root of a path', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-root-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const make = (file: string, text = '{}') => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  };

  it('is the repository around a sub-package', () => {
    make('repo/.git/HEAD', 'ref: refs/heads/main\n');
    make('repo/package.json');
    make('repo/packages/api/package.json');
    assert.equal(projectRootOf(path.join(dir, 'repo/packages/api')), path.join(dir, 'repo'));
    assert.equal(projectRootOf(path.join(dir, 'repo/packages/api/package.json')), path.join(dir, 'repo'));
  });

  it('is the outermost package.json without a repository, and a folder holding several repositories is its own', () => {
    make('mono/package.json');
    make('mono/packages/api/package.json');
    assert.equal(projectRootOf(path.join(dir, 'mono/packages/api')), path.join(dir, 'mono'));
    make('several/a/.git', 'gitdir: elsewhere\n');
    make('several/b/.git', 'gitdir: elsewhere\n');
    assert.equal(projectRootOf(path.join(dir, 'several')), path.join(dir, 'several'));
    assert.equal(projectRootOf(path.join(dir, 'several/b')), path.join(dir, 'several/b'));
  });
});
