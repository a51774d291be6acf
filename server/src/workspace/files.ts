import fs from 'node:fs';
import path from 'node:path';
import { isLintedPath, LINTED_EXTENSIONS } from '../core/parse';
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

export interface FileWalk {
  files: string[];
  warnings: string[];
  /** Folders that should have been linted but could not be read: the lint is incomplete. */
  errors: string[];
}

/**
 * The files to lint under the given paths, sorted: a file named on the command
 * line is linted whatever its folder; folders are walked skipping build
 * output, `*.d.ts`, and what `.gitignore` files and the config's `ignore`
 * exclude (its globs are relative to `ignoreBase`, the config file's folder).
 * A quoted glob (`"src/**\/*.ts"`, as ESLint users write in npm scripts) is
 * expanded the same way.
 */
export function collectFiles(paths: readonly string[], cwd: string, configIgnores: readonly string[], ignoreBase: string = cwd): FileWalk {
  const files = new Set<string>();
  const warnings: string[] = [];
  const errors: string[] = [];
  const configRules = configIgnores.map(compilePattern).filter((r): r is IgnoreRule => !!r);
  const state: WalkState = { cwd, ignoreBase, configRules, files, warnings, errors };
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
    else if (stat.isDirectory()) walk(absolute, gitignoreScopes(absolute), new Set(), state);
    else throw new UsageError(`${given} is neither a file nor a folder (a pipe or device cannot be linted; use --stdin)`);
  }
  return { files: [...files].sort(), warnings, errors };
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
  if (fs.existsSync(base)) walk(base, gitignoreScopes(base), new Set(), { ...state, files: found });
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
}

/**
 * Walks a folder. `real` is its real path when known: a folder entered by a
 * plain (not linked) entry of a folder whose real path is known has its
 * parent's real path and its own name, so only links are resolved.
 */
function walk(dir: string, scopes: IgnoreScope[], visited: Set<string>, state: WalkState, known?: string): void {
  let real: string;
  try {
    real = known ?? fs.realpathSync.native(dir);
  } catch (error) {
    state.errors.push(`Cannot read the folder ${path.relative(state.cwd, dir) || dir}: ${(error as Error).message}`);
    return;
  }
  if (visited.has(real)) {
    state.warnings.push(`Skipped ${path.relative(state.cwd, dir) || dir}: symbolic link loop`);
    return;
  }
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    state.errors.push(`Cannot read the folder ${path.relative(state.cwd, dir) || dir}: ${(error as Error).message}`);
    return;
  }
  // `visited` holds the real paths of the folders being walked, this one's ancestors: a link back to one is a loop.
  visited.add(real);
  walkEntries(dir, real, entries, scopes, visited, state);
  visited.delete(real);
}

function walkEntries(dir: string, real: string, entries: fs.Dirent[], scopes: IgnoreScope[], visited: Set<string>, state: WalkState): void {
  // Looked for among the entries rather than by failing reads: most folders have neither.
  const own = entries.some((entry) => entry.name === '.gitignore') ? readGitignore(dir) : undefined;
  // A folder holding `.git` (a folder, or a submodule's file) is a repository root: as in git, no `.gitignore` from above applies.
  const inherited = entries.some((entry) => entry.name === '.git') ? [] : scopes;
  const here = own ? [...inherited, own] : inherited;
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = joinName(dir, entry.name);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    const linked = entry.isSymbolicLink();
    if (linked) {
      try {
        const stat = fs.statSync(full);
        isDir = stat.isDirectory();
        isFile = stat.isFile();
      } catch (error) {
        const loop = (error as NodeJS.ErrnoException).code === 'ELOOP';
        state.warnings.push(`Skipped ${path.relative(state.cwd, full)}: ${loop ? 'symbolic link loop' : 'broken symbolic link'}`);
        continue;
      }
    }
    if (isDir && SKIPPED_DIRS.has(entry.name)) continue;
    if (!isDir && !(isFile && isLintedPath(entry.name))) continue;
    if (ignoredBy(here, full, isDir) || ignoredByConfig(state, full, isDir)) continue;
    if (isDir) walk(full, here, visited, state, linked ? undefined : joinName(real, entry.name));
    else state.files.add(full);
  }
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

/** `.gitignore` files from the repository root (the folder holding `.git`) down to `dir`. */
function gitignoreScopes(dir: string): IgnoreScope[] {
  const chain: string[] = [];
  for (let current = path.dirname(dir); ; current = path.dirname(current)) {
    chain.unshift(current);
    if (fs.existsSync(path.join(current, '.git')) || path.dirname(current) === current) break;
  }
  if (!fs.existsSync(path.join(chain[0], '.git'))) return [];
  return chain.map(readGitignore).filter((s): s is IgnoreScope => !!s);
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
