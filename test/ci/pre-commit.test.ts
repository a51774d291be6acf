import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { parseArgs } from '../../server/src/cli/args';
import { ROOT, runCli } from '../cli/run-cli';

describe('pre-commit hook (.pre-commit-hooks.yaml)', () => {
  it('runs the package bin on the files authlint reads', () => {
    const hooks = parse(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string; entry: string; language: string; files: string; exclude: string }[];
    assert.equal(hooks.length, 1);
    const [hook] = hooks;
    assert.equal(hook.id, 'authlint');
    assert.equal(hook.language, 'node');
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    assert.ok(hook.entry.split(' ')[0] in pkg.bin);
    const files = new RegExp(hook.files);
    const exclude = new RegExp(hook.exclude);
    const picked = ['a.ts', 'b.tsx', 'c.mts', 'd.cjs', 'e.jsx', 'f.d.ts', 'g.json', 'h.md'].filter((f) => files.test(f) && !exclude.test(f));
    assert.deepEqual(picked, ['a.ts', 'b.tsx', 'c.mts', 'd.cjs', 'e.jsx']);
  });

  it('passes the staged files to options the CLI knows, and fails the commit on a warning', () => {
    const [hook] = parse(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as { entry: string }[];
    const args = hook.entry.split(' ').slice(1);
    const staged = ['src/auth.ts', 'src/ok.ts'];
    assert.deepEqual(parseArgs([...args, ...staged]).paths, staged);
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-pre-commit-'));
    try {
      fs.cpSync(path.join(ROOT, 'examples', 'express-api', 'src'), path.join(repo, 'src'), { recursive: true });
      assert.equal(runCli([...args, staged[1]], { cwd: repo }).status, 0);
      const run = runCli([...args, ...staged], { cwd: repo });
      assert.equal(run.status, 1);
      assert.match(run.stderr, /too many warnings \(maximum: 0\)/);
    } finally {
      fs.rmSync(repo, { recursive: true, force: true });
    }
  });
});
