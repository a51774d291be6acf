import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { threadCount } from '../../server/src/cli/worker-pool';
import { CONFORMANCE, FIXTURES, runCli } from './run-cli';

/** Folders of fixtures; the conformance suite joins them where the checkout has it. */
const FOLDERS = [path.join(FIXTURES, 'project'), path.join(CONFORMANCE, 'cases')].filter((dir) => fs.existsSync(dir));

describe('CLI: worker threads', () => {
  for (const dir of FOLDERS) {
    it(`reports the same with 1, 2 and 3 threads: ${path.relative(path.join(FIXTURES, '..', '..', '..'), dir)}`, () => {
      const runs = ['1', '2', '3'].map((threads) => runCli(['--format', 'json', '.'], { cwd: dir, env: { AUTHLINT_THREADS: threads } }));
      const [single, ...parallel] = runs;
      assert.notEqual(single.status, 2, single.stderr);
      assert.ok(JSON.parse(single.stdout).length > 1, 'the folder should hold several files');
      for (const run of parallel) {
        assert.equal(run.status, single.status, run.stderr);
        assert.equal(run.stdout, single.stdout);
        assert.equal(run.stderr, single.stderr);
      }
    });
  }

  it('takes AUTHLINT_THREADS as given, else one thread for each 32 MB of source, at most the cores', () => {
    const files = (count: number) => Array.from({ length: count }, (_, i) => `file${i}.ts`);
    const megabytes = (size: number) => () => size * 1024 * 1024;
    assert.equal(threadCount(files(500), { AUTHLINT_THREADS: '3' }, megabytes(0.01)), 3);
    assert.equal(threadCount(files(2), { AUTHLINT_THREADS: '8' }, megabytes(0.01)), 2);
    assert.equal(threadCount(files(10), {}, megabytes(0.01)), 1);
    assert.equal(threadCount(files(3000), {}, megabytes(0.005)), 1, '15 MB of source is linted fastest on one thread');
    assert.equal(threadCount([], {}), 1);
    assert.equal(threadCount(files(100), {}, megabytes(10)), Math.min(3, os.availableParallelism()));
  });
});
