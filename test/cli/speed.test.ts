import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONFORMANCE, jsonOf, ROOT, runCli, type CliRun } from './run-cli';

/** Every fixture folder of the repository, the examples, and the conformance suite where the checkout has it. */
function fixtureFolders(): string[] {
  const roots = [path.join(ROOT, 'test', 'fixtures'), path.join(ROOT, 'examples')];
  const folders = roots.flatMap((root) => fs.readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => path.join(root, e.name)));
  const nested = folders.flatMap((dir) => fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory() && e.name !== 'src').map((e) => path.join(dir, e.name)));
  const cases = path.join(CONFORMANCE, 'cases');
  return [...folders, ...nested, ...(fs.existsSync(cases) ? [cases] : [])];
}

interface Stats {
  files: number;
  targets: number;
  cached: number;
  parsed: number;
  relinted: number;
  /** Set when the last run's reports were served whole, with no index built. */
  whole?: true;
}

function statsOf(run: CliRun): Stats {
  const line = run.stderr.split('\n').find((l) => l.startsWith('authlint: stats: '));
  assert.ok(line, `no stats in:\n${run.stderr}`);
  return JSON.parse(line.slice('authlint: stats: '.length)) as Stats;
}

const STATS = { AUTHLINT_DEBUG: 'stats' };

/** A small Express project whose statuses travel between files through every path the index follows. */
const PROJECT: Record<string, string> = {
  'package.json': '{ "name": "speed-fixture", "private": true }',
  // No status anywhere in it: the class only carries what it is given.
  'src/errors/app-error.ts': 'export class AppError extends Error {\n  constructor(readonly status: number, message: string) {\n    super(message);\n  }\n}\n',
  'src/errors/denied.ts': "import { AppError } from './app-error';\nexport class Denied extends AppError {\n  constructor(message = 'denied') {\n    super(401, message);\n  }\n}\n",
  'src/errors/index.ts': "export * from './app-error';\nexport * from './denied';\n",
  'src/codes.ts': 'export const NOT_SIGNED_IN = 401;\n',
  // An alias of another module's constant, with no status in its own text.
  'src/aliases.ts': "import { NOT_SIGNED_IN } from './codes';\nexport const GO_AWAY = NOT_SIGNED_IN;\n",
  // Neither of these names a status: each gets one only through its imports.
  'src/routes/profile.ts': "import { Denied } from '../errors';\nexport function profile(req: any) {\n  if (!req.user) throw new Denied();\n  return req.user;\n}\n",
  'src/routes/session.ts': "import type { Response } from 'express';\nimport { GO_AWAY } from '../aliases';\nexport function session(res: Response) {\n  res.status(GO_AWAY).json({ error: 'no session' });\n}\n",
  'src/routes/plain.ts': "import { AppError } from '../errors';\nexport function missing(id: string) {\n  throw new AppError(404, `no ${id}`);\n}\n",
  'src/util/format.ts': 'export function format(value: number): string {\n  return value.toFixed(2);\n}\n',
  // A central handler that names no status either: it sends the error's own.
  'src/app.ts':
    "import express from 'express';\nimport { profile } from './routes/profile';\nconst app = express();\napp.get('/me', (req, res) => res.json(profile(req)));\napp.use((err: any, req: any, res: any, next: any) => {\n  res.status(err.status).json({ message: err.message });\n});\nexport default app;\n",
};

/** Barrels (`export *`) that make most of a project reachable, as in a monorepo's `utils` package. */
const BARRELS: Record<string, string> = {
  'package.json': '{ "name": "barrel-fixture", "private": true }',
  'src/utils/index.ts': "export * from './format';\nexport * from './errors';\nexport * from './dates';\n",
  'src/utils/format.ts': 'export function money(cents: number): string {\n  return (cents / 100).toFixed(2);\n}\n',
  'src/utils/dates.ts': 'export const day = 24 * 60 * 60 * 1000;\nexport type Day = number;\n',
  'src/utils/errors/index.ts': "export * from './base';\nexport * from './session';\n",
  // The status is two barrels away from the route that throws it.
  'src/utils/errors/base.ts': 'export class HttpError extends Error {\n  constructor(readonly status: number, message: string) {\n    super(message);\n  }\n}\n',
  'src/utils/errors/session.ts': "import { HttpError } from './base';\nexport class SessionExpired extends HttpError {\n  constructor() {\n    super(401, 'session expired');\n  }\n}\n",
  'src/routes/account.ts': "import { SessionExpired, money } from '../utils';\nexport function balance(req: any) {\n  if (!req.session) throw new SessionExpired();\n  return money(req.session.cents);\n}\n",
  'src/routes/report.ts': "import { money, day } from '../utils';\nimport type { Day } from '../utils';\nexport function report(total: number, span: Day) {\n  return `${money(total)} over ${span / day} days`;\n}\n",
  'src/routes/missing.ts': "import { HttpError } from '../utils';\nexport function missing() {\n  throw new HttpError(404, 'not here');\n}\n",
  'src/app.ts':
    "import express from 'express';\nimport { balance } from './routes/account';\nconst app = express();\napp.get('/balance', (req, res) => res.json(balance(req)));\napp.use((err: any, req: any, res: any, next: any) => {\n  res.status(err.status).json({ message: err.message });\n});\nexport default app;\n",
};

/** Texts where a status or a forwarder's word shows only in comments, inside longer names, or where a comment-looking line is a template's. */
const LOOKALIKES: Record<string, string> = {
  'package.json': '{ "name": "lookalike-fixture", "private": true }',
  'src/commented.ts': "import type { Response } from 'express';\n// res.status(401) used to be sent here\n/**\n * Answers `403` when … (see the docs)\n */\nexport function gone(res: Response) {\n  res.status(410).end();\n}\n",
  'src/tls.ts': "export const tls = { rejectUnauthorized: false };\nexport const stamp = '2024-10-09T13:26:26.401Z';\n",
  'src/refetch.ts': 'export function refetchAll(cache: { refetch(): void }) {\n  cache.refetch();\n}\n',
  // The line starting with `/*` is the template's text: the 401 after the template is code.
  'src/template.ts':
    "import type { Response } from 'express';\nexport function deny(res: Response) {\n  const sql = `\n/* a hint for the planner\n`;\n  res.status(401).send(sql);\n  return `*/`;\n}\n",
  'src/hex.ts': "import type { Response } from 'express';\nexport function hex(res: Response) {\n  res.status(0x191).end();\n}\n",
};

function writeProject(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-speed-'));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

/** Sets every file's and folder's modification time back to a fixed past, as a tree untouched for a while is: the walk does not trust a folder changed just before it was read. */
function settleTree(dir: string): void {
  const past = new Date('2024-01-01T00:00:00Z');
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) settleTree(path.join(dir, entry.name));
    else fs.utimesSync(path.join(dir, entry.name), past, past);
  }
  fs.utimesSync(dir, past, past);
}

/** How many folders the walk read, and how many it took from the cache's memo. */
function walkOf(run: CliRun): { read: number; remembered: number } {
  const line = run.stderr.split('\n').find((l) => l.startsWith('authlint: walk: '));
  assert.ok(line, `no walk in:\n${run.stderr}`);
  return JSON.parse(line.slice('authlint: walk: '.length)) as { read: number; remembered: number };
}

function lintJson(dir: string, args: string[] = []): { run: CliRun; stats: Stats } {
  const run = runCli(['--format', 'json', ...args, '.'], { cwd: dir, env: STATS });
  assert.notEqual(run.status, 2, run.stderr);
  return { run, stats: statsOf(run) };
}

describe('CLI: prefilter', () => {
  for (const dir of fixtureFolders()) {
    it(`reports the same with and without the prefilter: ${path.relative(ROOT, dir) || dir}`, () => {
      const filtered = runCli(['--format', 'json', '.'], { cwd: dir });
      const full = runCli(['--format', 'json', '--no-prefilter', '.'], { cwd: dir });
      assert.equal(filtered.status, full.status, filtered.stderr);
      assert.equal(filtered.stdout, full.stdout);
      assert.equal(filtered.stderr, full.stderr);
    });
  }

  it('keeps the files a status reaches only through imports, an alias, a barrel or a central handler, and skips the rest', () => {
    const dir = writeProject(PROJECT);
    const filtered = lintJson(dir);
    const full = lintJson(dir, ['--no-prefilter']);
    assert.equal(filtered.run.stdout, full.run.stdout);
    const findings = jsonOf(filtered.run).flatMap((r) => r.messages.map((m) => `${path.relative(dir, r.filePath)}:${m.line} ${m.ruleId}`));
    assert.deepEqual(findings.sort(), ['src/routes/profile.ts:3 missing-www-authenticate', 'src/routes/session.ts:4 missing-www-authenticate']);
    assert.equal(full.stats.parsed, Object.keys(PROJECT).length - 1);
    assert.ok(filtered.stats.parsed < full.stats.parsed, `the prefilter parsed ${filtered.stats.parsed} of ${full.stats.parsed} files`);
  });

  it('keeps a status that reaches a route through two barrels, and skips the files that import only plain names from them', () => {
    const dir = writeProject(BARRELS);
    const filtered = lintJson(dir);
    const full = lintJson(dir, ['--no-prefilter']);
    assert.equal(filtered.run.stdout, full.run.stdout);
    const findings = jsonOf(filtered.run).flatMap((r) => r.messages.map((m) => `${path.relative(dir, r.filePath)}:${m.line} ${m.ruleId}`));
    assert.deepEqual(findings, ['src/routes/account.ts:3 missing-www-authenticate']);
    assert.ok(filtered.stats.parsed < full.stats.parsed, `the prefilter parsed ${filtered.stats.parsed} of ${full.stats.parsed} files`);
  });

  it('does not take comments, longer names or dates for statuses, and does take a template whose text looks like a comment', () => {
    const dir = writeProject(LOOKALIKES);
    const filtered = lintJson(dir);
    const full = lintJson(dir, ['--no-prefilter']);
    assert.equal(filtered.run.stdout, full.run.stdout);
    const findings = jsonOf(filtered.run).flatMap((r) => r.messages.map((m) => `${path.relative(dir, r.filePath)}:${m.line} ${m.ruleId}`));
    assert.deepEqual(findings.sort(), ['src/hex.ts:3 missing-www-authenticate', 'src/template.ts:6 missing-www-authenticate']);
    // Only the two files that send a 401 are parsed.
    assert.equal(filtered.stats.parsed, 2);
  });

  it('parses every file with --no-prefilter', () => {
    const dir = writeProject(PROJECT);
    const { stats } = lintJson(dir, ['--no-prefilter']);
    assert.equal(stats.parsed, stats.files);
  });
});

describe('CLI: --cache', () => {
  it('serves unchanged files from the cache, and lints a file again when a file it depends on changes', () => {
    const dir = writeProject(PROJECT);
    const first = lintJson(dir, ['--cache']);
    assert.equal(first.stats.cached, 0);
    assert.ok(fs.existsSync(path.join(dir, '.authlintcache')));
    const second = lintJson(dir, ['--cache']);
    assert.equal(second.run.stdout, first.run.stdout);
    assert.equal(second.stats.cached, second.stats.files);
    assert.equal(second.stats.parsed, 0);
    assert.equal(second.stats.relinted, 0);
    assert.equal(second.stats.whole, true);
    // The class the route throws now carries a 404: the route's finding must go, though the route did not change.
    const denied = path.join(dir, 'src/errors/denied.ts');
    fs.writeFileSync(denied, fs.readFileSync(denied, 'utf8').replace('401', '404'));
    const third = lintJson(dir, ['--cache']);
    const uncached = lintJson(dir, ['--no-prefilter']);
    assert.equal(third.run.stdout, uncached.run.stdout);
    assert.equal(third.stats.cached, third.stats.files - 1);
    const profile = jsonOf(third.run).find((r) => r.filePath.endsWith(path.join('routes', 'profile.ts')))!;
    assert.deepEqual(profile.messages, []);
  });

  it('tells changed files by content with --cache-strategy content, and keeps the cache in a folder given as --cache-location', () => {
    const dir = writeProject(PROJECT);
    const folder = path.join(dir, 'cache') + path.sep;
    lintJson(dir, ['--cache', '--cache-strategy', 'content', '--cache-location', folder]);
    const written = fs.readdirSync(folder);
    assert.equal(written.length, 1);
    assert.match(written[0], /^\.cache_[0-9a-f]+$/);
    // Same content, new modification time: still served.
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(path.join(dir, 'src/codes.ts'), later, later);
    const again = lintJson(dir, ['--cache', '--cache-strategy', 'content', '--cache-location', folder]);
    assert.equal(again.stats.cached, again.stats.files);
    fs.writeFileSync(path.join(dir, 'src/codes.ts'), 'export const NOT_SIGNED_IN = 403;\n');
    const changed = lintJson(dir, ['--cache', '--cache-strategy', 'content', '--cache-location', folder]);
    assert.equal(changed.run.stdout, lintJson(dir).run.stdout);
    assert.ok(changed.stats.relinted > 0);
  });

  it('ignores a corrupt or foreign cache with a warning, and rewrites it', () => {
    const dir = writeProject(PROJECT);
    const expected = lintJson(dir).run.stdout;
    const cache = path.join(dir, '.authlintcache');
    for (const content of ['{ not json', '{"version":"eslint","files":[]}']) {
      fs.writeFileSync(cache, content);
      const { run, stats } = lintJson(dir, ['--cache']);
      assert.equal(run.stdout, expected);
      assert.match(run.stderr, /authlint: warning: ignoring the cache .*\.authlintcache: .*it will be rewritten/);
      assert.equal(stats.cached, 0);
      assert.equal(JSON.parse(fs.readFileSync(cache, 'utf8').split('\n')[0]).tool, 'authlint');
    }
  });

  it('remembers the walk of a settled tree, and still sees a new file, a deleted one, a new tsconfig and an edited .gitignore', () => {
    const dir = writeProject({ ...PROJECT, '.gitignore': 'generated/\n' });
    fs.mkdirSync(path.join(dir, '.git'));
    settleTree(dir);
    // Kept outside the tree, so that writing it changes no folder there.
    const cache = ['--cache', '--cache-location', path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-cache-')), 'cache')];
    lintJson(dir, cache);
    const again = lintJson(dir, cache);
    assert.equal(again.stats.whole, true);
    assert.deepEqual(walkOf(again.run), { read: 0, remembered: 5 });
    const same = () => {
      const cached = lintJson(dir, cache);
      assert.equal(cached.run.stdout, lintJson(dir, ['--no-prefilter']).run.stdout);
      return cached;
    };
    const report = (run: CliRun, file: string) => jsonOf(run).find((r) => r.filePath === path.join(dir, file));
    fs.writeFileSync(path.join(dir, 'src/routes/extra.ts'), "import type { Response } from 'express';\nexport function extra(res: Response) {\n  res.status(401).json({});\n}\n");
    let run = same();
    assert.equal(walkOf(run.run).read, 1);
    assert.ok(report(run.run, 'src/routes/extra.ts')!.messages.length > 0);
    fs.rmSync(path.join(dir, 'src/routes/session.ts'));
    run = same();
    assert.equal(report(run.run, 'src/routes/session.ts'), undefined);
    fs.writeFileSync(path.join(dir, 'src/util/tsconfig.json'), '{ "compilerOptions": { "strict": true } }\n');
    run = same();
    assert.equal(run.stats.whole, undefined);
    // Edited in place: the root folder's time stays, the rules change.
    fs.writeFileSync(path.join(dir, '.gitignore'), 'generated/\nsrc/routes/\n');
    run = same();
    assert.equal(report(run.run, 'src/routes/extra.ts'), undefined);
  });

  it('serves a run whole without loading the engine, and with it TypeScript', () => {
    const dir = writeProject(PROJECT);
    const codeCaches = fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-code-caches-'));
    const run = (tmpdir: string) => runCli(['--format', 'json', '--cache', '.'], { cwd: dir, env: { ...STATS, TMPDIR: tmpdir } });
    const first = run(path.join(codeCaches, 'first'));
    const second = run(path.join(codeCaches, 'second'));
    assert.equal(statsOf(second).whole, true);
    assert.equal(second.stdout, first.stdout);
    // Each bundle a run compiles leaves its code cache (cli/code-cache.ts): the first run compiled both, the served one only dist/cli.js.
    const compiled = (tmpdir: string) => fs.readdirSync(tmpdir).flatMap((folder) => fs.readdirSync(path.join(tmpdir, folder))).map((name) => /^(cli-engine|cli)-/.exec(name)?.[1]).sort();
    assert.deepEqual(compiled(path.join(codeCaches, 'first')), ['cli', 'cli-engine']);
    assert.deepEqual(compiled(path.join(codeCaches, 'second')), ['cli']);
    fs.rmSync(codeCaches, { recursive: true, force: true });
  });

  it('serves files from the cache when the project listing leaves them out (a checkout inside an ignored folder)', () => {
    const outer = writeProject({ '.gitignore': 'inner/\n' });
    fs.mkdirSync(path.join(outer, '.git'));
    const dir = path.join(outer, 'inner');
    for (const [file, text] of Object.entries(PROJECT)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
    fs.mkdirSync(path.join(dir, '.git'));
    const first = lintJson(dir, ['--cache']);
    const second = lintJson(dir, ['--cache']);
    assert.equal(second.run.stdout, first.run.stdout);
    assert.equal(second.stats.cached, second.stats.files);
  });

  it('lints again when a new file changes where an import resolves, though no file changed', () => {
    const dir = writeProject(PROJECT);
    const first = lintJson(dir, ['--cache']);
    const before = jsonOf(first.run).find((r) => r.filePath.endsWith(path.join('routes', 'profile.ts')))!;
    assert.equal(before.messages.length, 1);
    // `../errors` now resolves to this file, whose Denied carries no status, rather than to errors/index.ts.
    fs.writeFileSync(path.join(dir, 'src/errors.ts'), "export class Denied extends Error {}\n");
    const second = lintJson(dir, ['--cache']);
    assert.equal(second.stats.whole, undefined);
    assert.equal(second.run.stdout, lintJson(dir, ['--no-prefilter']).run.stdout);
    const after = jsonOf(second.run).find((r) => r.filePath.endsWith(path.join('routes', 'profile.ts')))!;
    assert.deepEqual(after.messages, []);
  });

  for (const strategy of ['metadata', 'content']) {
    it(`lints again when tsconfig paths send an import elsewhere (--cache-strategy ${strategy})`, () => {
      const dir = writeProject({
        ...PROJECT,
        'tsconfig.json': '{ "extends": "./tsconfig.base.json" }\n',
        'tsconfig.base.json': '{ "compilerOptions": { "baseUrl": ".", "paths": { "@errors": ["src/errors/index.ts"] } } }\n',
        'src/quiet.ts': 'export class Denied extends Error {}\n',
        'src/routes/token.ts': "import { Denied } from '@errors';\nexport function token(req: any) {\n  if (!req.token) throw new Denied();\n  return req.token;\n}\n",
        'src/app.ts': PROJECT['src/app.ts'].replace("import { profile } from './routes/profile';", "import { profile } from './routes/profile';\nimport { token } from './routes/token';\napp.get('/token', (req, res) => res.json(token(req)));"),
      });
      const cache = ['--cache', '--cache-strategy', strategy];
      const first = lintJson(dir, cache);
      assert.equal(jsonOf(first.run).find((r) => r.filePath.endsWith(path.join('routes', 'token.ts')))!.messages.length, 1);
      assert.equal(lintJson(dir, cache).stats.whole, true);
      // Only the file a tsconfig extends changes: no source file does.
      fs.writeFileSync(path.join(dir, 'tsconfig.base.json'), '{ "compilerOptions": { "baseUrl": ".", "paths": { "@errors": ["src/quiet.ts"] } } }\n');
      const later = new Date(Date.now() + 5000);
      fs.utimesSync(path.join(dir, 'tsconfig.base.json'), later, later);
      const changed = lintJson(dir, cache);
      assert.equal(changed.stats.whole, undefined);
      assert.equal(changed.run.stdout, lintJson(dir, ['--no-prefilter']).run.stdout);
      assert.deepEqual(jsonOf(changed.run).find((r) => r.filePath.endsWith(path.join('routes', 'token.ts')))!.messages, []);
    });
  }

  it('serves a run whole only for the same targets', () => {
    const dir = writeProject(PROJECT);
    lintJson(dir, ['--cache']);
    const run = runCli(['--format', 'json', '--cache', 'src/routes'], { cwd: dir, env: STATS });
    assert.equal(statsOf(run).whole, undefined);
    assert.equal(run.stdout, runCli(['--format', 'json', 'src/routes'], { cwd: dir, env: STATS }).stdout);
  });

  it('starts afresh when the settings change', () => {
    const dir = writeProject(PROJECT);
    lintJson(dir, ['--cache']);
    const { run, stats } = lintJson(dir, ['--cache', '--rule', 'missing-www-authenticate=error']);
    assert.equal(stats.cached, 0);
    assert.equal(run.status, 1);
  });
});

describe('CLI: --shard', () => {
  it('splits the files into shares whose reports add up to one run, none in two', () => {
    const dir = writeProject(PROJECT);
    const full = jsonOf(runCli(['--format', 'json', '.'], { cwd: dir }));
    for (const count of [2, 3]) {
      const shards = Array.from({ length: count }, (_, i) => jsonOf(runCli(['--format', 'json', '--shard', `${i + 1}/${count}`, '.'], { cwd: dir })));
      const union = shards.flat().sort((a, b) => (a.filePath < b.filePath ? -1 : 1));
      assert.deepEqual(union, full);
      assert.equal(new Set(union.map((r) => r.filePath)).size, union.length);
      assert.ok(shards.every((shard) => shard.length < full.length));
    }
  });

  it('refuses a shard that is not I/N with I from 1 to N', () => {
    for (const spec of ['3/2', '0/2', '1/0', '1', 'a/b']) {
      const run = runCli(['--shard', spec, '.']);
      assert.equal(run.status, 2, spec);
      assert.match(run.stderr, /^authlint: --shard /);
    }
  });
});
