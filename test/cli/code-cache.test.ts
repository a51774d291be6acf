import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FIXTURES, runCli, type CliRun } from './run-cli';

/** The CLI keeps a V8 code cache in a folder of the user's under TMPDIR (server/src/cli/code-cache.ts); it must never change a run. */
describe('CLI: code cache', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-code-cache-test-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const lint = (tmpdir: string): CliRun => runCli(['--format', 'json', '.'], { cwd: path.join(FIXTURES, 'project'), env: { TMPDIR: tmpdir, AUTHLINT_THREADS: '2' } });
  const cacheFiles = (): string[] => {
    const folders = fs.readdirSync(tmp).filter((name) => name.startsWith('authlint-code-cache-'));
    return folders.flatMap((folder) => fs.readdirSync(path.join(tmp, folder)).map((name) => path.join(tmp, folder, name)));
  };

  it('reports the same without a cache, with one, and with a corrupt one', () => {
    const first = lint(tmp);
    assert.notEqual(first.status, 2, first.stderr);
    assert.equal(cacheFiles().length, 2, 'the first run stores the caches of the CLI and of its engine');
    const second = lint(tmp);
    for (const file of cacheFiles()) fs.writeFileSync(file, 'not a code cache');
    const third = lint(tmp);
    for (const run of [second, third]) assert.deepEqual(run, first);
  });

  it('runs the same where no cache can be written', () => {
    const first = lint(tmp);
    const file = path.join(tmp, 'a-file');
    fs.writeFileSync(file, '');
    assert.deepEqual(lint(path.join(file, 'tmp')), first);
  });

  it('neither reads nor writes a cache folder that other users can write to', () => {
    const folder = path.join(tmp, `authlint-code-cache-${process.getuid?.() ?? os.userInfo().username}`);
    fs.mkdirSync(folder);
    fs.chmodSync(folder, 0o777);
    const run = lint(tmp);
    assert.notEqual(run.status, 2, run.stderr);
    assert.deepEqual(fs.readdirSync(folder), []);
  });
});
