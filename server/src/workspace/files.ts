import fs from 'node:fs';
import path from 'node:path';
import { isLintedPath, LINTED_EXTENSIONS } from '../core/linted-paths';
import { compilePattern, isIgnored, type IgnoreRule } from './glob';

/** Folders never walked: dependencies, VCS data and build output (SPEC.md). */
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist', 'build', 'out', 'coverage', '.next', '.nuxt', '.output']);

export class UsageError extends Error {}

interface IgnoreScope {
  base: string;
  rules: IgnoreRule[];
  /** Matches what any of the rules matches: most paths match none, and are told so in one test. */
  any: RegExp;
}

/** A folder's `.gitignore`, read only when a folder under it must be read. */
type LazyScope = () => IgnoreScope | undefined;

export interface FileWalk {
  files: string[];
  warnings: string[];
  /** Folders that should have been linted but could not be read: the lint is incomplete. */
  errors: string[];
  /** With `memory`: what this walk saw, for the next one; none when a folder could not be read. */
  memo?: WalkMemo;
  /** With `memory`: for each folder walked, which of the watched names it holds. */
  present?: Map<string, readonly string[]>;
  /** With `memory`: how many folders were read, and how many taken from the memo. */
  folders?: { read: number; remembered: number };
}

/**
 * What a walk saw of a folder, so that the next walk takes it as read while
 * the folder's modification time and inode are unchanged: adding, removing
 * or renaming an entry changes the folder's modification time, replacing the
 * folder changes its inode. An edit to a file inside changes neither, and
 * needs none: the walk lists files, it does not read them.
 */
export interface FolderMemo {
  /** Modification time (ms) when read; -1 when read too soon after a change to be trusted (RACY_MS). */
  m: number;
  i: number;
  /** The entries kept, in walk order, each as its kind and name: "f" a file, "d" a folder, "l" a symbolic link (looked at afresh each walk). */
  e: string[];
  /** The memos of the folders kept (through links too), by name. */
  d: Record<string, FolderMemo>;
  /** Its `.gitignore`'s size and modification time, when it has one (its rules decide what is kept below). */
  g?: [number, number];
  /** Whether it holds `.git`, where the rules from above stop. */
  r?: true;
  /** The watched names it holds. */
  n?: string[];
}

/** A walked folder's memo, with what decided the rules from above it: the `.gitignore` files up to the repository root. */
export type RootMemo = FolderMemo & { above: string };

/** The memos of the folders given to one walk, by absolute path. */
export type WalkMemo = Record<string, RootMemo>;

/** What a walk is told to remember (collectFiles). */
export interface WalkMemory {
  /** The last walk's memo, made with the same ignore patterns and watched names. */
  previous?: WalkMemo;
  /** The names whose presence in each folder the walk reports (FileWalk.present). */
  watch: readonly string[];
}

/**
 * A folder changed within this long before it was read may change again
 * with the same modification time (file systems keep time in coarse ticks,
 * some in 2 s), a change the next walk could not see: its memo is not
 * trusted, as git treats a "racily clean" index entry.
 */
const RACY_MS = 2000;

/**
 * The files to lint under the given paths, sorted: a file named on the command
 * line is linted whatever its folder; folders are walked skipping build
 * output, `*.d.ts`, and what `.gitignore` files and the config's `ignore`
 * exclude (its globs are relative to `ignoreBase`, the config file's folder).
 * A quoted glob (`"src/**\/*.ts"`, as ESLint users write in npm scripts) is
 * expanded the same way. With `memory`, folders unchanged since the previous
 * walk are taken from its memo instead of being read.
 */
export function collectFiles(paths: readonly string[], cwd: string, configIgnores: readonly string[], ignoreBase: string = cwd, memory?: WalkMemory): FileWalk {
  const files = new Set<string>();
  const warnings: string[] = [];
  const errors: string[] = [];
  const configRules = configIgnores.map(compilePattern).filter((r): r is IgnoreRule => !!r);
  const recorder: Recorder | undefined = memory && { previous: memory.previous ?? {}, memo: {}, watch: new Set(memory.watch), present: new Map(), now: Date.now(), read: 0, remembered: 0 };
  const state: WalkState = { cwd, ignoreBase, configRules, files, warnings, errors, recorder };
  for (const given of paths) {
    const absolute = path.resolve(cwd, given);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && isGlob(given)) {
        expandGlob(given, state);
        continue;
      }
      throw new UsageError(code === 'ENOENT' ? `No such file or folder: ${given}` : `Cannot read ${given}: ${(error as Error).message}`);
    }
    if (stat.isFile()) addNamedFile(given, absolute, state);
    else if (stat.isDirectory()) walkRoot(absolute, state, stat);
    else throw new UsageError(`${given} is neither a file nor a folder (a pipe or device cannot be linted; use --stdin)`);
  }
  const walk: FileWalk = { files: [...files].sort(), warnings, errors };
  if (recorder) {
    walk.present = recorder.present;
    walk.folders = { read: recorder.read, remembered: recorder.remembered };
    if (!errors.length) walk.memo = recorder.memo;
  }
  return walk;
}

/** Walks a folder given to the walk (or a glob's base), from its memo when the rules from above it are the same. */
function walkRoot(dir: string, state: WalkState, stat?: fs.Stats): void {
  const { scopes, files } = ancestorScopes(dir);
  const recorder = state.recorder;
  if (!recorder) {
    walk(dir, scopes, new Set(), state);
    return;
  }
  const above = JSON.stringify(files.map((file) => [file, gitignoreStamp(file, recorder.now) ?? null]));
  const previous = recorder.previous[dir];
  const memo = walk(dir, scopes, new Set(), state, undefined, stat, previous?.above === above ? previous : undefined);
  if (memo) recorder.memo[dir] = { ...memo, above };
}

/** A file named on the command line: linted unless the config ignores it or it is not JavaScript or TypeScript. */
function addNamedFile(given: string, absolute: string, state: WalkState): void {
  if (!isLintedPath(absolute)) state.warnings.push(`${given} is not a source file authlint reads (${LINTED_EXTENSIONS.join(' ')}, not *.d.ts); not linted`);
  else if (isIgnored(state.configRules, toPosix(path.relative(state.ignoreBase, absolute)), false)) state.warnings.push(`${given} is ignored by the config's "ignore" patterns; not linted`);
  else state.files.add(absolute);
}

function isGlob(given: string): boolean {
  return /[*?[]/.test(given);
}

/** Walks the glob's fixed leading folder and keeps the files the rest of the pattern matches. */
function expandGlob(given: string, state: WalkState): void {
  const segments = toPosix(given).split('/');
  const fixed = segments.findIndex(isGlob);
  const base = path.resolve(state.cwd, segments.slice(0, fixed).join('/') || '.');
  // A leading "/" anchors the pattern to `base`, as the shell would.
  const pattern = compilePattern(`/${segments.slice(fixed).join('/')}`)!;
  const found = new Set<string>();
  if (fs.existsSync(base)) walkRoot(base, { ...state, files: found });
  const matched = [...found].filter((file) => pattern.regex.test(toPosix(path.relative(base, file))));
  if (matched.length === 0) throw new UsageError(`No files matching the pattern "${given}"`);
  for (const file of matched) state.files.add(file);
}

interface WalkState {
  cwd: string;
  ignoreBase: string;
  configRules: IgnoreRule[];
  files: Set<string>;
  warnings: string[];
  errors: string[];
  recorder: Recorder | undefined;
}

interface Recorder {
  previous: WalkMemo;
  memo: WalkMemo;
  watch: Set<string>;
  present: Map<string, readonly string[]>;
  /** When the walk began, for RACY_MS. */
  now: number;
  read: number;
  remembered: number;
}

/**
 * Walks a folder and returns its memo when recording. `known` is its real
 * path when known: a folder entered by a plain (not linked) entry of a
 * folder whose real path is known has its parent's real path and its own
 * name, so only links are resolved. `previous` is its memo from the last
 * walk, taken as read when the folder is unchanged; `rulesChanged` says the
 * ignore rules above it changed, so that no memo below holds.
 */
function walk(dir: string, scopes: LazyScope[], visited: Set<string>, state: WalkState, known?: string, stat?: fs.Stats, previous?: FolderMemo, rulesChanged = false): FolderMemo | undefined {
  let real: string;
  try {
    real = known ?? fs.realpathSync.native(dir);
    // Taken before the folder is read: a change after it gives a time the next walk tells apart.
    if (state.recorder) stat ??= fs.statSync(dir);
  } catch (error) {
    state.errors.push(`Cannot read the folder ${path.relative(state.cwd, dir) || dir}: ${(error as Error).message}`);
    return undefined;
  }
  if (visited.has(real)) {
    state.warnings.push(`Skipped ${path.relative(state.cwd, dir) || dir}: symbolic link loop`);
    return undefined;
  }
  // `visited` holds the real paths of the folders being walked, this one's ancestors: a link back to one is a loop.
  visited.add(real);
  const folder: Folder = { dir, real, scopes, visited, state };
  const memo = previous && stat && !rulesChanged && unchanged(dir, previous, stat) ? replay(folder, previous) : read(folder, stat, previous, rulesChanged);
  visited.delete(real);
  return memo;
}

interface Folder {
  dir: string;
  real: string;
  /** The rules from above. */
  scopes: LazyScope[];
  visited: Set<string>;
  state: WalkState;
}

function unchanged(dir: string, previous: FolderMemo, stat: fs.Stats): boolean {
  if (previous.m === -1 || previous.m !== stat.mtimeMs || previous.i !== stat.ino) return false;
  // An edited `.gitignore` changes what its folder keeps, not the folder's time.
  return !previous.g || sameStamp(previous.g, gitignoreStamp(joinName(dir, '.gitignore')));
}

/** A folder unchanged since the last walk: its kept entries, its folders from their memos, its links looked at afresh; its memo again when none below changed. */
function replay(folder: Folder, previous: FolderMemo): FolderMemo {
  const { dir, real, visited, state } = folder;
  const here = scopesHere(folder, !!previous.g, !!previous.r);
  const recorder = state.recorder!;
  recorder.present.set(dir, previous.n ?? []);
  recorder.remembered++;
  const below: Record<string, FolderMemo> = {};
  let changed = false;
  for (const entry of previous.e) {
    const name = entry.slice(1);
    const full = joinName(dir, name);
    if (entry[0] === 'f') {
      state.files.add(full);
      continue;
    }
    const child = entry[0] === 'd' ? walk(full, here, visited, state, joinName(real, name), undefined, previous.d[name]) : walkLink(folder, here, name, previous.d[name], false);
    if (child) below[name] = child;
    if (child !== previous.d[name]) changed = true;
  }
  return changed ? { ...previous, d: below } : previous;
}

/** Reads a folder, taking what it can of its folders from their memos when the rules that apply to them are the same. */
function read(folder: Folder, stat: fs.Stats | undefined, previous: FolderMemo | undefined, rulesChanged: boolean): FolderMemo | undefined {
  const { dir, real, visited, state } = folder;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    state.errors.push(`Cannot read the folder ${path.relative(state.cwd, dir) || dir}: ${(error as Error).message}`);
    return undefined;
  }
  // Looked for among the entries rather than by failing reads: most folders have neither.
  const hasGitignore = entries.some((entry) => entry.name === '.gitignore');
  // A folder holding `.git` (a folder, or a submodule's file) is a repository root: as in git, no `.gitignore` from above applies.
  const isRepository = entries.some((entry) => entry.name === '.git');
  const here = scopesHere(folder, hasGitignore, isRepository);
  const recorder = state.recorder;
  const memo = recorder && stat ? memoOf(folder, stat, entries, hasGitignore, isRepository) : undefined;
  const below = rulesChanged || !previous || !memo || previous.r !== memo.r || !sameStamp(previous.g, memo.g) ? undefined : previous;
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let resolved: IgnoreScope[] | undefined;
  for (const entry of entries) {
    if (entry.isSymbolicLink()) {
      memo?.e.push(`l${entry.name}`);
      if (memo) keep(memo, entry.name, walkLink(folder, here, entry.name, below?.d[entry.name], !below));
      else walkLink(folder, here, entry.name, undefined, true);
      continue;
    }
    const isDir = entry.isDirectory();
    if (isDir && SKIPPED_DIRS.has(entry.name)) continue;
    if (!isDir && !(entry.isFile() && isLintedPath(entry.name))) continue;
    const full = joinName(dir, entry.name);
    resolved ??= resolve(here);
    if (ignoredBy(resolved, full, isDir) || ignoredByConfig(state, full, isDir)) continue;
    memo?.e.push(`${isDir ? 'd' : 'f'}${entry.name}`);
    if (!isDir) state.files.add(full);
    else if (memo) keep(memo, entry.name, walk(full, here, visited, state, joinName(real, entry.name), undefined, below?.d[entry.name], !below));
    else walk(full, here, visited, state, joinName(real, entry.name));
  }
  return memo;
}

function memoOf(folder: Folder, stat: fs.Stats, entries: fs.Dirent[], hasGitignore: boolean, isRepository: boolean): FolderMemo {
  const recorder = folder.state.recorder!;
  recorder.read++;
  const racy = stat.mtimeMs >= recorder.now - RACY_MS;
  const memo: FolderMemo = { m: racy ? -1 : stat.mtimeMs, i: stat.ino, e: [], d: {} };
  if (hasGitignore) memo.g = gitignoreStamp(joinName(folder.dir, '.gitignore'), recorder.now) ?? [-1, -1];
  if (isRepository) memo.r = true;
  const present = entries.filter((entry) => recorder.watch.has(entry.name)).map((entry) => entry.name);
  if (present.length) memo.n = present;
  recorder.present.set(folder.dir, present);
  return memo;
}

function keep(memo: FolderMemo, name: string, child: FolderMemo | undefined): void {
  if (child) memo.d[name] = child;
}

/** A symbolic link, looked at afresh each walk: what it points to may change without its folder changing. */
function walkLink(folder: Folder, here: LazyScope[], name: string, previous: FolderMemo | undefined, rulesChanged: boolean): FolderMemo | undefined {
  const { dir, visited, state } = folder;
  const full = joinName(dir, name);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(full);
  } catch (error) {
    const loop = (error as NodeJS.ErrnoException).code === 'ELOOP';
    state.warnings.push(`Skipped ${path.relative(state.cwd, full)}: ${loop ? 'symbolic link loop' : 'broken symbolic link'}`);
    return undefined;
  }
  const isDir = stat.isDirectory();
  if (isDir && SKIPPED_DIRS.has(name)) return undefined;
  if (!isDir && !(stat.isFile() && isLintedPath(name))) return undefined;
  if (ignoredBy(resolve(here), full, isDir) || ignoredByConfig(state, full, isDir)) return undefined;
  if (!isDir) {
    state.files.add(full);
    return undefined;
  }
  return walk(full, here, visited, state, undefined, stat, previous, rulesChanged);
}

/** The rules for a folder's entries: those from above (none in a repository root), then its own `.gitignore`. */
function scopesHere(folder: Folder, hasGitignore: boolean, isRepository: boolean): LazyScope[] {
  const inherited = isRepository ? [] : folder.scopes;
  return hasGitignore ? [...inherited, once(() => readGitignore(folder.dir))] : inherited;
}

function resolve(scopes: LazyScope[]): IgnoreScope[] {
  return scopes.map((scope) => scope()).filter((scope): scope is IgnoreScope => !!scope);
}

function once<T>(make: () => T): () => T {
  let made = false;
  let value: T;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value;
  };
}

/** A `.gitignore`'s size and modification time; with `now`, a time too recent to trust (RACY_MS) is recorded as -1, which matches none. */
function gitignoreStamp(file: string, now?: number): [number, number] | undefined {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat) return undefined;
  return [stat.size, now !== undefined && stat.mtimeMs >= now - RACY_MS ? -1 : stat.mtimeMs];
}

function sameStamp(a: [number, number] | undefined, b: [number, number] | undefined): boolean {
  return a === b || (!!a && !!b && a[0] === b[0] && a[1] === b[1] && a[1] !== -1);
}

/** `path.join` of a folder's normalised path and an entry's name, without its normalising work. */
function joinName(dir: string, name: string): string {
  return dir.endsWith(path.sep) ? dir + name : dir + path.sep + name;
}

function ignoredByConfig(state: WalkState, full: string, isDir: boolean): boolean {
  return state.configRules.length > 0 && isIgnored(state.configRules, toPosix(relativeTo(state.ignoreBase, full)), isDir);
}

/** `path.relative`, without its work where `file` lies below `base` (as walked files lie below the scopes and the config's folder). */
function relativeTo(base: string, file: string): string {
  const prefix = base.endsWith(path.sep) ? base : base + path.sep;
  return file.startsWith(prefix) ? file.slice(prefix.length) : path.relative(base, file);
}

function ignoredBy(scopes: IgnoreScope[], full: string, isDir: boolean): boolean {
  let ignored = false;
  for (const scope of scopes) {
    const relative = toPosix(relativeTo(scope.base, full));
    if (!scope.any.test(relative)) continue;
    for (const rule of scope.rules) {
      if (rule.dirOnly && !isDir) continue;
      if (rule.regex.test(relative)) ignored = !rule.negate;
    }
  }
  return ignored;
}

/** The rules of the `.gitignore` files from the repository root (the folder holding `.git`) down to `dir`'s parent, and those files' paths. */
function ancestorScopes(dir: string): { scopes: LazyScope[]; files: string[] } {
  const chain: string[] = [];
  for (let current = path.dirname(dir); ; current = path.dirname(current)) {
    chain.unshift(current);
    if (fs.existsSync(path.join(current, '.git')) || path.dirname(current) === current) break;
  }
  if (!fs.existsSync(path.join(chain[0], '.git'))) return { scopes: [], files: [] };
  return { scopes: chain.map((folder) => once(() => readGitignore(folder))), files: chain.map((folder) => path.join(folder, '.gitignore')) };
}

function readGitignore(dir: string): IgnoreScope | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, '.gitignore'), 'utf8');
  } catch {
    return undefined;
  }
  const rules = text.split(/\r?\n/).map(compilePattern).filter((r): r is IgnoreRule => !!r);
  if (!rules.length) return undefined;
  // Each rule's pattern is anchored at both ends (workspace/glob.ts).
  const any = new RegExp(`^(?:${rules.map((rule) => `(?:${rule.regex.source.slice(1, -1)})`).join('|')})$`);
  return { base: dir, rules, any };
}

export function toPosix(p: string): string {
  return path.sep === '/' ? p : p.split(path.sep).join('/');
}
