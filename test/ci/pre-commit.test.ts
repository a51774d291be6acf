import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../cli/run-cli';

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
});
