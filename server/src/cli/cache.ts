import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { RULE_IDS } from '../core/rules';
import type { Settings } from '../core/types';
import { hashOf } from '../workspace/read-source';
import type { CacheStrategy } from './args';
import type { FileState } from './project-run';
import { countMessages, type FileReport } from './report';

/** The name of the cache file, as `.eslintcache` is ESLint's. */
export const CACHE_FILE = '.authlintcache';
const FORMAT = 2;

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

/**
 * The file holds the header (CacheFile) as one line of JSON, then the body
 * (CacheBody) as JSON: the bulk of it, parsed only when the run as a whole
 * cannot be served.
 */
const NEWLINE = 0x0a;

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
  private readonly environment: Environment;
  private stored: CacheFile | undefined;
  /** The file's bytes after the header, while not parsed. */
  private body: Buffer | undefined;
  private loaded: Map<string, FileState> | undefined;

  constructor(
    private readonly file: string,
    files: readonly string[],
    private readonly options: CacheOptions,
  ) {
    this.key = cacheKey(options);
    // Stamped before linting: a file edited during the run is linted again next time.
    for (const each of files) {
      const stamp = stampOf(each, options.strategy);
      if (stamp) this.stamps.set(each, stamp);
    }
    this.environment = environmentOf(files, options.root, options.strategy);
    this.stored = this.read();
  }

  /** The reports of the last run, when it is this run: same targets, same files, same stamps and the same resolution. */
  served(targets: readonly string[]): FileReport[] | undefined {
    const run = this.stored?.run;
    if (!run || run.targets !== hashOfJson(targets) || run.stamps !== hashOfJson([...this.stamps]) || run.environment !== hashOfJson(this.environment)) return undefined;
    return targets.map((target) => run.reports[target] ?? countMessages({ filePath: target, messages: [], suppressedMessages: [] }));
  }

  /** The states of the files unchanged since the cache was written. */
  get states(): Map<string, FileState> {
    if (this.loaded) return this.loaded;
    this.loaded = new Map();
    if (!this.body) return this.loaded;
    let body: CacheBody;
    try {
      body = JSON.parse(this.body.toString('utf8')) as CacheBody;
      this.body = undefined;
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

  /** Writes the run's states; `reports` (the targets', in order) when they are the run's final reports, to be served whole next time. */
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
      content.run = { targets: hashOfJson(targets), stamps: hashOfJson([...this.stamps]), environment: hashOfJson(this.environment), reports: telling };
    }
    const body: CacheBody = { stamps, states: kept };
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const temporary = `${this.file}.${process.pid}.tmp`;
      fs.writeFileSync(temporary, `${JSON.stringify(content)}\n${JSON.stringify(body)}`);
      fs.renameSync(temporary, this.file);
    } catch (error) {
      this.options.warn(`could not write the cache ${this.file}: ${(error as Error).message}`);
    }
  }

  private read(): CacheFile | undefined {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(this.file);
    } catch {
      return undefined;
    }
    const end = bytes.indexOf(NEWLINE);
    let parsed: unknown;
    try {
      parsed = JSON.parse(bytes.toString('utf8', 0, end < 0 ? bytes.length : end));
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
    if (end < 0) {
      this.options.warn(`ignoring the cache ${this.file}: it is not an authlint cache; it will be rewritten`);
      return undefined;
    }
    this.body = bytes.subarray(end + 1);
    return cache as CacheFile;
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
function environmentOf(files: readonly string[], root: string, strategy: CacheStrategy): Environment {
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
    for (const name of GOVERNING) {
      const file = path.join(dir, name);
      environment[file] = stampOf(file, strategy) ?? null;
      if (name !== 'package.json' && environment[file]) configs.push(file);
    }
    // The root's workspace list is read whether or not a package.json is beside it.
    if (dir === root || environment[path.join(dir, 'package.json')]) {
      for (const name of INSTALLED) addInstalled(environment, path.join(dir, name), strategy);
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
  const relative = path.relative(root, dir);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
