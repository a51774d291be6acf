import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { collectFiles } from '../../server/src/workspace/files';

function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-walk-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

function walked(root: string, start = root): string[] {
  return collectFiles([start], start, []).files.map((file) => path.relative(root, file).split(path.sep).join('/'));
}

describe('workspace: the file walk', () => {
  const made: string[] = [];
  after(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it('applies no .gitignore from above a nested repository root, started there or met on the way', () => {
    const root = tree({
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.gitignore': '.bench/\n*.gen.ts\n',
      'src/app.ts': '',
      'src/api.gen.ts': '',
      // Ignored by the outer repository: the outer walk skips it, as git does.
      '.bench/corpus/.git/HEAD': 'ref: refs/heads/main\n',
      '.bench/corpus/.gitignore': 'tmp/\n',
      '.bench/corpus/src/a.ts': '',
      '.bench/corpus/src/b.gen.ts': '',
      '.bench/corpus/tmp/scratch.ts': '',
      // A submodule (its `.git` is a file) the outer repository does not ignore.
      'vendor/lib/.git': 'gitdir: ../../.git/modules/lib\n',
      'vendor/lib/client.gen.ts': '',
    });
    made.push(root);
    assert.deepEqual(walked(root), ['src/app.ts', 'vendor/lib/client.gen.ts']);
    assert.deepEqual(walked(root, path.join(root, '.bench', 'corpus')), ['.bench/corpus/src/a.ts', '.bench/corpus/src/b.gen.ts']);
    assert.deepEqual(walked(root, path.join(root, '.bench', 'corpus', 'src')), ['.bench/corpus/src/a.ts', '.bench/corpus/src/b.gen.ts']);
  });

  it('still applies the repository root\'s .gitignore to a folder walked below it', () => {
    const root = tree({ '.git/HEAD': 'ref: refs/heads/main\n', '.gitignore': '*.gen.ts\n/src/tmp/\n', 'src/app.ts': '', 'src/api.gen.ts': '', 'src/tmp/x.ts': '' });
    made.push(root);
    assert.deepEqual(walked(root, path.join(root, 'src')), ['src/app.ts']);
  });
});
