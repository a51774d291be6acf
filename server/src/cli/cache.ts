import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { RULE_IDS } from '../core/rules/ids';
import type { Settings } from '../core/types';
import type { WalkMemo, WalkMemory } from '../workspace/files';
import { hashOf } from '../workspace/read-source';
import type { CacheStrategy } from './args';
import type { FileState } from './project-run';
import type { FileReport } from './report';

/** The name of the cache file, as `.eslintcache` is ESLint's. */
export const CACHE_FILE = '.authlintcache';
const FORMAT = 3;

type Stamp = { size: number; mtimeMs: number } | { sha256: string };

/** What the files that decide how imports resolve were like: each path's stamp, null where there was none. */
type Environment = Record<string, Stamp | null>;

interface CacheFile {
  tool: 'authlint';
  format: number;
  /** What the results were computed with: the tool's version, the settings, the rule set and how files are told apart. */
  key: string;
  /** The last run as a whole: hashes of its targets, of every file's stamp and of what its imports resolved through, and each target's report that says something. */
  run?: { targets: string; stamps: string; environment: string; reports: Record<string, FileReport> };
}

/** What follows the header: the stamp of every file the run read (the project's files and the targets), and each one's state. */
interface CacheBody {
  stamps: Record<string, Stamp>;
  states: Record<string, FileState>;
}

/** The last run's walks (workspace/files.ts), by what they were made with (walkKey). */
type Walks = Record<string, WalkMemo>;

/**
 * The file holds the header (CacheFile) as one line of JSON, then the walks
 * (Walks) as one line, then the body (CacheBody) as JSON: the bulk of it,
 * read only when the run as a whole cannot be served.
 */
const NEWLINE = 0x0a;
/** How much of the file is read at a time while looking for the end of the walks. */
const CHUNK = 1 << 16;

export interface CacheOptions {
  /** `--cache-location`, as given. */
  location: string | undefined;
  strategy: CacheStrategy;
  cwd: string;
  /** The folder holding the project (where imports resolve from). */
  root: string;
  version: string;
  settings: Settings;
  prefilter: boolean;
  warn: (message: string) => void;
}

/**
 * The cache (`--cache`): for each project file, what its last run knew of it
 * (its scan, or its facts, questions and report), kept while the file's
 * stamp (size and modification time, or its content's hash) is the same.
 * A report is only served while the project index still answers its
 * questions as recorded (cli/project-run.ts), so editing an error class in
 * one file re-lints the files that use it. A cache written with other
 * settings, rules or another version is started afresh; one that cannot be
 * read is ignored with a warning, and rewritten.
 *
 * When no file of the project changed, none was added or removed, the
 * targets are the same and so is everything imports resolve through (the
 * manifests, tsconfig files and what they extend, lockfiles, the listing of
 * node_modules), every answer the index gave would be given again: the last
 * run's reports are served whole, without parsing a file or building the
 * index (`served`).
 */
export class ResultCache {
  private readonly stamps = new Map<string, Stamp>();
  private readonly key: string;
  private environment: Environment = {};
  private stored: CacheFile | undefined;
  private walks: Walks = {};
  private readonly walked: Walks = {};
  /** Where the body starts in the file, while not read. */
  private bodyAt: number | undefined;
  private loaded: Map<string, FileState> | undefined;

  constructor(
    private readonly file: string,
    private readonly options: CacheOptions,
  ) {
    this.key = cacheKey(options);
    this.stored = this.read();
  }

  /** What a walk with these ignore patterns is to remember, and the last such walk's memo. */
  walkMemory(ignore: { patterns: readonly string[]; base: string }): WalkMemory & { key: string } {
    const key = JSON.stringify([ignore.patterns, ignore.base]);
    return { key, previous: this.walks[key], watch: WATCHED };
  }

  /** Keeps a walk's memo for the next run. */
  rememberWalk(key: string, memo: WalkMemo | undefined): void {
    if (memo) this.walked[key] = { ...this.walked[key], ...memo };
  }

  /**
   * Stamps every file the run may read, before linting, so that a file edited
   * during the run is linted again next time, and what imports resolve
   * through; `present` tells which of the WATCHED names each walked folder
   * holds, which spares looking for the others.
   */
  stamp(files: readonly string[], present: ReadonlyMap<string, readonly string[]>): void {
    for (const each of files) {
      const stamp = stampOf(each, this.options.strategy);
      if (stamp) this.stamps.set(each, stamp);
    }
    this.environment = environmentOf(files, this.options.root, this.options.strategy, present);
  }

  /** The reports of the last run, when it is this run: same targets, same files, same stamps and the same resolution. */
  served(targets: readonly string[]): FileReport[] | undefined {
    const run = this.stored?.run;
    if (!run || run.targets !== hashOfList(targets) || run.stamps !== hashOfStamps(this.stamps) || run.environment !== hashOfJson(this.environment)) return undefined;
    return targets.map((target) => run.reports[target] ?? emptyReport(target));
  }

  /** The states of the files unchanged since the cache was written. */
  get states(): Map<string, FileState> {
    if (this.loaded) return this.loaded;
    this.loaded = new Map();
    if (this.bodyAt === undefined) return this.loaded;
    let body: CacheBody;
    try {
      const bytes = fs.readFileSync(this.file);
      body = JSON.parse(bytes.toString('utf8', this.bodyAt)) as CacheBody;
      this.bodyAt = undefined;
      if (!body || typeof body.stamps !== 'object' || typeof body.states !== 'object' || !body.stamps || !body.states) throw new Error('no stamps or states');
    } catch {
      this.options.warn(`ignoring the cache ${this.file}: its file states cannot be read; it will be rewritten`);
      return this.loaded;
    }
    for (const [each, state] of Object.entries(body.states)) {
      const then = body.stamps[each];
      const now = this.stamps.get(each);
      if (now && then && sameStamp(now, then)) this.loaded.set(each, state);
    }
    return this.loaded;
  }

  /** Writes the run's states and walks; `reports` (the targets', in order) when they are the run's final reports, to be served whole next time. */
  save(states: Map<string, FileState>, targets: readonly string[], reports: readonly FileReport[] | undefined): void {
    const kept: Record<string, FileState> = {};
    const stamps: CacheBody['stamps'] = {};
    for (const [each, state] of states) {
      const stamp = this.stamps.get(each);
      if (stamp) kept[each] = state;
    }
    for (const [each, stamp] of this.stamps) stamps[each] = stamp;
    const content: CacheFile = { tool: 'authlint', format: FORMAT, key: this.key };
    if (reports) {
      const telling: Record<string, FileReport> = {};
      targets.forEach((target, i) => {
        if (!isEmpty(reports[i])) telling[target] = reports[i];
      });
      content.run = { targets: hashOfList(targets), stamps: hashOfStamps(this.stamps), environment: hashOfJson(this.environment), reports: telling };
    }
    const body: CacheBody = { stamps, states: kept };
    this.write(`${JSON.stringify(content)}\n${JSON.stringify(this.walked)}\n${JSON.stringify(body)}`);
  }

  private write(content: string): void {
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const temporary = `${this.file}.${process.pid}.tmp`;
      fs.writeFileSync(temporary, content);
      fs.renameSync(temporary, this.file);
    } catch (error) {
      this.options.warn(`could not write the cache ${this.file}: ${(error as Error).message}`);
    }
  }

  private read(): CacheFile | undefined {
    const lines = readLines(this.file, 2);
    if (!lines) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(lines.text[0]);
    } catch {
      this.options.warn(`ignoring the cache ${this.file}: it is not valid JSON; it will be rewritten`);
      return undefined;
    }
    const cache = parsed as Partial<CacheFile> | null;
    if (!cache || typeof cache !== 'object' || cache.tool !== 'authlint') {
      this.options.warn(`ignoring the cache ${this.file}: it is not an authlint cache; it will be rewritten`);
      return undefined;
    }
    // Another version, settings or rule set: nothing in it holds, as ESLint's cache.
    if (cache.format !== FORMAT || cache.key !== this.key) return undefined;
    let walks: unknown;
    try {
      walks = lines.text.length === 2 && lines.end !== undefined ? JSON.parse(lines.text[1]) : undefined;
    } catch {
      walks = undefined;
    }
    if (!walks || typeof walks !== 'object') {
      this.options.warn(`ignoring the cache ${this.file}: it is not an authlint cache; it will be rewritten`);
      return undefined;
    }
    this.walks = walks as Walks;
    this.bodyAt = lines.end;
    return cache as CacheFile;
  }
}

/**
 * The first `count` lines of a file, read a chunk at a time so that the
 * body after them is not read; `end` is where they end, undefined when the
 * file has fewer.
 */
function readLines(file: string, count: number): { text: string[]; end: number | undefined } | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const chunks: Buffer[] = [];
    const ends: number[] = [];
    let size = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(CHUNK);
      const read = fs.readSync(fd, chunk, 0, CHUNK, size);
      for (let at = chunk.indexOf(NEWLINE); at >= 0 && at < read && ends.length < count; at = chunk.indexOf(NEWLINE, at + 1)) ends.push(size + at);
      chunks.push(chunk.subarray(0, read));
      size += read;
      if (ends.length === count || read === 0) break;
    }
    const bytes = Buffer.concat(chunks);
    const text: string[] = [];
    let from = 0;
    for (const at of ends) {
      text.push(bytes.toString('utf8', from, at));
      from = at + 1;
    }
    if (ends.length < count) text.push(bytes.toString('utf8', from));
    return { text, end: ends.length === count ? from : undefined };
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/** Where the cache lives: `--cache-location` as a file, or a file named after the working folder inside a folder given (as ESLint does). */
export function cacheFile(location: string | undefined, cwd: string): string {
  if (!location) return path.resolve(cwd, CACHE_FILE);
  const resolved = path.resolve(cwd, location);
  const isFolder = /[\\/]$/.test(location) || fs.statSync(resolved, { throwIfNoEntry: false })?.isDirectory();
  if (!isFolder) return resolved;
  return path.join(resolved, `.cache_${createHash('sha256').update(cwd).digest('hex').slice(0, 16)}`);
}

function cacheKey(options: CacheOptions): string {
  const { version, settings, prefilter, strategy, root } = options;
  return createHash('sha256').update(JSON.stringify({ version, settings, rules: RULE_IDS, prefilter, strategy, root })).digest('hex');
}

/** Paths hold no NUL: joined by it, a list hashes without JSON's work. */
function hashOfList(list: readonly string[]): string {
  return createHash('sha256').update(list.join('\0')).digest('hex');
}

function hashOfStamps(stamps: ReadonlyMap<string, Stamp>): string {
  const parts: string[] = [];
  for (const [file, stamp] of stamps) parts.push(file, 'sha256' in stamp ? stamp.sha256 : `${stamp.size} ${stamp.mtimeMs}`);
  return hashOfList(parts);
}

/** What a file with nothing to say gets, as countMessages makes it, without its work for each of thousands. */
function emptyReport(filePath: string): FileReport {
  return { filePath, messages: [], suppressedMessages: [], errorCount: 0, fatalErrorCount: 0, warningCount: 0, fixableErrorCount: 0, fixableWarningCount: 0 };
}

function hashOfJson(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

/** A report with nothing to say, as a file the prefilter skips gets: made again rather than stored. */
function isEmpty(report: FileReport): boolean {
  return !report.messages.length && !report.suppressedMessages.length && !report.notices?.length && !report.skipped && report.output === undefined;
}

/** What, in each folder holding a project file, decides which package or tsconfig governs it. */
const GOVERNING = ['package.json', 'tsconfig.json', 'jsconfig.json'];
/** What, in a package's folder, says which workspace packages and dependencies there are. */
const INSTALLED = ['pnpm-workspace.yaml', 'package-lock.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb', 'node_modules'];
/** The names the walk reports the presence of in each folder (workspace/files.ts), so that most are not looked for. */
const WATCHED = [...GOVERNING, ...INSTALLED];
const EXTENDS = /"extends"\s*:\s*("(?:[^"\\]|\\.)*"|\[[^\]]*\])/;

/**
 * The stamps of what imports resolve through (workspace/module-resolver.ts):
 * the manifests and tsconfig files of every folder from a project file up
 * to the root, whether there or not; the tsconfig files they extend by
 * relative path; and in the root's and each package's folder its workspace
 * list, lockfiles and node_modules (addInstalled), where a workspace package
 * is linked. A configuration extended from a package is covered by the
 * lockfile that pins the package.
 */
function environmentOf(files: readonly string[], root: string, strategy: CacheStrategy, present: ReadonlyMap<string, readonly string[]>): Environment {
  const folders = new Set<string>();
  for (const file of files) {
    for (let dir = path.dirname(file); !folders.has(dir); dir = path.dirname(dir)) {
      folders.add(dir);
      if (dir === root || path.dirname(dir) === dir || !isWithin(root, dir)) break;
    }
  }
  const environment: Environment = {};
  const configs: string[] = [];
  for (const dir of folders) {
    // A walked folder's listing says which names are there: the others need no look.
    const listed = present.get(dir);
    const stamp = (file: string, name: string) => (listed && !listed.includes(name) ? undefined : stampOf(file, strategy));
    for (const name of GOVERNING) {
      const file = inFolder(dir, name);
      environment[file] = stamp(file, name) ?? null;
      if (name !== 'package.json' && environment[file]) configs.push(file);
    }
    // The root's workspace list is read whether or not a package.json is beside it.
    if (dir === root || environment[inFolder(dir, 'package.json')]) {
      for (const name of INSTALLED) {
        const file = inFolder(dir, name);
        if (!listed || listed.includes(name)) addInstalled(environment, file, strategy);
        else if (name !== 'node_modules' || strategy !== 'content') environment[file] = null;
      }
    }
  }
  for (let config = configs.pop(); config !== undefined; config = configs.pop()) {
    for (const extended of extendedConfigs(config)) {
      if (extended in environment) continue;
      environment[extended] = stampOf(extended, strategy) ?? null;
      if (environment[extended]) configs.push(extended);
    }
  }
  return environment;
}

/**
 * A lockfile by its stamp; node_modules, by metadata, by the modification
 * times of the folder and of each scope in it, which change when a package
 * or a link is added, removed or replaced. By content (a fresh install, as in
 * CI) it is what the lockfiles and manifests say, and only they are stamped.
 */
function addInstalled(environment: Environment, file: string, strategy: CacheStrategy): void {
  if (path.basename(file) !== 'node_modules') {
    environment[file] = stampOf(file, strategy) ?? null;
    return;
  }
  if (strategy === 'content') return;
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  environment[file] = stat ? { size: stat.size, mtimeMs: stat.mtimeMs } : null;
  if (!stat) return;
  let scopes: string[];
  try {
    scopes = fs.readdirSync(file).filter((name) => name.startsWith('@'));
  } catch {
    return;
  }
  for (const scope of scopes) {
    const scoped = fs.statSync(path.join(file, scope), { throwIfNoEntry: false });
    environment[path.join(file, scope)] = scoped ? { size: scoped.size, mtimeMs: scoped.mtimeMs } : null;
  }
}

/** The tsconfig files a config extends by relative path (the others come from packages). */
function extendedConfigs(config: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(config, 'utf8');
  } catch {
    return [];
  }
  const match = EXTENDS.exec(text);
  if (!match) return [];
  let values: unknown;
  try {
    values = JSON.parse(match[1]);
  } catch {
    return [];
  }
  return (Array.isArray(values) ? values : [values])
    .filter((value): value is string => typeof value === 'string' && (value.startsWith('.') || path.isAbsolute(value)))
    .map((value) => {
      const resolved = path.resolve(path.dirname(config), value);
      return resolved.endsWith('.json') ? resolved : `${resolved}.json`;
    });
}

function stampOf(file: string, strategy: CacheStrategy): Stamp | undefined {
  try {
    // Most paths looked at for the environment are not there: told without the cost of an exception.
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat?.isFile()) return undefined;
    if (strategy === 'content') return { sha256: hashOf(fs.readFileSync(file)) };
    return { size: stat.size, mtimeMs: stat.mtimeMs };
  } catch {
    return undefined;
  }
}

function sameStamp(a: Stamp, b: Stamp): boolean {
  if ('sha256' in a) return 'sha256' in b && a.sha256 === b.sha256;
  return 'size' in b && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

function isWithin(root: string, dir: string): boolean {
  return dir === root || dir.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/** `path.join` of a normalised folder and a name, without its normalising work (thousands of folders). */
function inFolder(dir: string, name: string): string {
  return dir.endsWith(path.sep) ? dir + name : dir + path.sep + name;
}
