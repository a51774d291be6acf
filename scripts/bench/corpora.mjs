// The benchmark's real corpora: public repositories materialised from the
// bare mirrors the `fetch` tool leaves under /work/.mirror (or AUTHLINT_MIRRORS),
// never committed. A corpus whose mirror is absent is skipped with a note.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const MIRRORS = process.env.AUTHLINT_MIRRORS ?? '/work/.mirror';
const WORK = process.env.AUTHLINT_BENCH_TREES ?? path.join(os.tmpdir(), 'bench');

export const REAL_CORPORA = [
  { name: 'parse-server', mirror: 'parse-community+parse-server' },
  { name: 'medusa', mirror: 'medusajs+medusa' },
];

/**
 * The folder holding `corpus`'s tree at its mirror's HEAD, written once per
 * commit; `{ skipped }` says why there is none.
 */
export function materialise(corpus) {
  const gitDir = [path.join(MIRRORS, corpus.mirror, 'repo'), path.join(MIRRORS, corpus.mirror)].find((dir) => fs.existsSync(path.join(dir, 'HEAD')));
  if (!gitDir) return { skipped: `no mirror at ${path.join(MIRRORS, corpus.mirror)} (fetch github:${corpus.mirror.replace('+', '/')} to add it)` };
  const git = (...args) => execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const commit = git('rev-parse', 'HEAD').trim();
  const dir = path.join(WORK, corpus.name);
  const marker = path.join(dir, '.git', 'bench-commit');
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === commit) return { dir, commit };
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  // A mirror may lack its largest blobs; they are left out of the tree rather than failing the archive.
  const blobs = git('ls-tree', '-r', '-z', 'HEAD').split('\0').filter(Boolean).map((line) => {
    const tab = line.indexOf('\t');
    const [, type, id] = line.slice(0, tab).split(' ');
    return { type, id, file: line.slice(tab + 1) };
  }).filter((entry) => entry.type === 'blob');
  const check = spawnSync('git', ['--git-dir', gitDir, 'cat-file', '--batch-check'], { input: blobs.map((b) => b.id).join('\n') + '\n', encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const missing = new Set(check.stdout.split('\n').filter((line) => line.endsWith(' missing')).map((line) => line.split(' ')[0]));
  const excluded = blobs.filter((b) => missing.has(b.id)).map((b) => `:(exclude,literal)${b.file}`);
  const archive = spawnSync('git', ['--git-dir', gitDir, 'archive', 'HEAD', '--', '.', ...excluded], { maxBuffer: 4 * 1024 * 1024 * 1024 });
  if (archive.status !== 0) return { skipped: `git archive failed: ${archive.stderr.toString().trim()}` };
  const untar = spawnSync('tar', ['-x', '-C', dir], { input: archive.stdout });
  if (untar.status !== 0) return { skipped: `tar failed: ${untar.stderr.toString().trim()}` };
  // The tree is a repository of its own: the CLI's project and shard root.
  fs.mkdirSync(path.join(dir, '.git'), { recursive: true });
  fs.writeFileSync(marker, commit);
  return { dir, commit, missing: missing.size };
}
