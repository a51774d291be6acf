import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { collectFiles, type WalkMemo } from '../../server/src/workspace/files';

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

/** Sets every file's and folder's modification time a minute back, as a tree untouched for a while is: one changed just now is not trusted (RACY_MS). */
function settle(root: string): void {
  const past = new Date(Date.now() - 60_000);
  const visit = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) visit(path.join(dir, entry.name));
      else if (entry.isFile()) fs.utimesSync(path.join(dir, entry.name), past, past);
    }
    fs.utimesSync(dir, past, past);
  };
  visit(root);
}

describe('workspace: the walk remembered (--cache)', () => {
  const made: string[] = [];
  after(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));
  const watch = ['package.json'];

  /** Walks `root` with the memo of the last walk, and checks the result is a fresh walk's. */
  function rewalk(root: string, previous: WalkMemo | undefined): { files: string[]; memo: WalkMemo | undefined; read: number } {
    const fresh = collectFiles([root], root, ['ignored/']).files;
    let read = 0;
    const readdir = fs.readdirSync;
    (fs as { readdirSync: unknown }).readdirSync = (...args: Parameters<typeof readdir>) => {
      read++;
      return readdir(...args);
    };
    try {
      const walk = collectFiles([root], root, ['ignored/'], root, { previous, watch });
      assert.deepEqual(walk.files, fresh);
      return { files: walk.files.map((file) => path.relative(root, file).split(path.sep).join('/')), memo: walk.memo, read };
    } finally {
      (fs as { readdirSync: unknown }).readdirSync = readdir;
    }
  }

  function project(): string {
    const root = tree({ '.git/HEAD': '', '.gitignore': '*.gen.ts\n', 'package.json': '{}', 'src/a.ts': '', 'src/a.gen.ts': '', 'src/deep/b.ts': '', 'ignored/c.ts': '', 'docs/readme.md': '' });
    made.push(root);
    settle(root);
    return root;
  }

  it('reads no folder again while none changed, and tells which watched names each holds', () => {
    const root = project();
    const first = rewalk(root, undefined);
    assert.deepEqual(first.files, ['src/a.ts', 'src/deep/b.ts']);
    const second = rewalk(root, JSON.parse(JSON.stringify(first.memo)));
    assert.equal(second.read, 0);
    assert.deepEqual(second.files, first.files);
    const walk = collectFiles([root], root, ['ignored/'], root, { previous: second.memo, watch });
    assert.deepEqual(walk.present?.get(root), ['package.json']);
    assert.deepEqual(walk.present?.get(path.join(root, 'src')), []);
  });

  it('finds a new file, in a folder that had none too, and forgets a deleted one', () => {
    const root = project();
    let memo = rewalk(root, undefined).memo;
    fs.writeFileSync(path.join(root, 'src', 'deep', 'new.ts'), '');
    fs.writeFileSync(path.join(root, 'docs', 'page.tsx'), '');
    fs.rmSync(path.join(root, 'src', 'a.ts'));
    const after = rewalk(root, memo);
    assert.deepEqual(after.files, ['docs/page.tsx', 'src/deep/b.ts', 'src/deep/new.ts']);
    // Only the changed folders are read again.
    assert.equal(after.read, 3);
    memo = after.memo;
    fs.mkdirSync(path.join(root, 'src', 'deep', 'more'));
    fs.writeFileSync(path.join(root, 'src', 'deep', 'more', 'x.ts'), '');
    assert.deepEqual(rewalk(root, memo).files, ['docs/page.tsx', 'src/deep/b.ts', 'src/deep/more/x.ts', 'src/deep/new.ts']);
  });

  it('does not trust a folder changed just before it was read', () => {
    const root = project();
    fs.writeFileSync(path.join(root, 'src', 'fresh.ts'), '');
    const memo = rewalk(root, undefined).memo;
    // src changed within the racy window of the first walk: read again, though its time is the same.
    assert.ok(rewalk(root, memo).read >= 1);
  });

  it('applies an edited, a new or a removed .gitignore to everything below it', () => {
    const root = project();
    let memo = rewalk(root, undefined).memo;
    const settled = (file: string, text: string) => {
      fs.writeFileSync(file, text);
      const past = new Date(Date.now() - 30_000);
      fs.utimesSync(file, past, past);
    };
    // Edited in place, keeping the folder's time: the rules change, the listing does not.
    settled(path.join(root, '.gitignore'), '*.gen.ts\ndeep/\n');
    let walk = rewalk(root, memo);
    assert.deepEqual(walk.files, ['src/a.ts']);
    settled(path.join(root, 'src', '.gitignore'), '!a.gen.ts\n');
    walk = rewalk(root, walk.memo);
    assert.deepEqual(walk.files, ['src/a.gen.ts', 'src/a.ts']);
    settle(root);
    memo = rewalk(root, walk.memo).memo;
    fs.rmSync(path.join(root, 'src', '.gitignore'));
    assert.deepEqual(rewalk(root, memo).files, ['src/a.ts']);
  });

  it('applies an edited .gitignore above the folder walked', () => {
    const root = project();
    const src = path.join(root, 'src');
    const fresh = () => collectFiles([src], src, []).files;
    const first = collectFiles([src], src, [], src, { watch });
    fs.writeFileSync(path.join(root, '.gitignore'), '*.gen.ts\ndeep/\n');
    const past = new Date(Date.now() - 30_000);
    fs.utimesSync(path.join(root, '.gitignore'), past, past);
    assert.deepEqual(collectFiles([src], src, [], src, { previous: first.memo, watch }).files, fresh());
    assert.deepEqual(fresh(), [path.join(src, 'a.ts')]);
  });

  it('looks at symbolic links afresh: a broken one mended, a folder one repointed', function () {
    const root = project();
    try {
      fs.symlinkSync(path.join(root, 'elsewhere'), path.join(root, 'src', 'linked'));
    } catch {
      this.skip();
    }
    settle(root);
    const first = collectFiles([root], root, [], root, { watch });
    assert.match(first.warnings.join('\n'), /broken symbolic link/);
    fs.mkdirSync(path.join(root, 'elsewhere'));
    fs.writeFileSync(path.join(root, 'elsewhere', 'y.ts'), '');
    settle(root);
    const second = collectFiles([root], root, [], root, { previous: first.memo, watch });
    assert.deepEqual(second.warnings, []);
    assert.ok(second.files.includes(path.join(root, 'src', 'linked', 'y.ts')));
    fs.writeFileSync(path.join(root, 'elsewhere', 'z.ts'), '');
    const third = collectFiles([root], root, [], root, { previous: second.memo, watch });
    assert.ok(third.files.includes(path.join(root, 'src', 'linked', 'z.ts')));
  });
});
