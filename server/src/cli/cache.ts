import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { RULE_IDS } from '../core/rules';
import type { Settings } from '../core/types';
import { hashOf } from '../workspace/read-source';
import type { CacheStrategy } from './args';
import type { FileState } from './project-run';

/** The name of the cache file, as `.eslintcache` is ESLint's. */
export const CACHE_FILE = '.authlintcache';
const FORMAT = 1;

type Stamp = { size: number; mtimeMs: number } | { sha256: string };

interface CacheFile {
  tool: 'authlint';
  format: number;
  /** What the results were computed with: the tool's version, the settings, the rule set and how files are told apart. */
  key: string;
  files: Record<string, { stamp: Stamp; state: FileState }>;
}

export interface CacheOptions {
  /** `--cache-location`, as given. */
  location: string | undefined;
  strategy: CacheStrategy;
  cwd: string;
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
 */
export class ResultCache {
  readonly states = new Map<string, FileState>();
  private readonly stamps = new Map<string, Stamp>();
  private readonly key: string;

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
    const stored = this.read();
    if (!stored) return;
    for (const [each, entry] of Object.entries(stored.files)) {
      const now = this.stamps.get(each);
      if (now && sameStamp(now, entry.stamp)) this.states.set(each, entry.state);
    }
  }

  save(states: Map<string, FileState>): void {
    const files: CacheFile['files'] = {};
    for (const [each, state] of states) {
      const stamp = this.stamps.get(each);
      if (stamp) files[each] = { stamp, state };
    }
    const content: CacheFile = { tool: 'authlint', format: FORMAT, key: this.key, files };
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const temporary = `${this.file}.${process.pid}.tmp`;
      fs.writeFileSync(temporary, JSON.stringify(content));
      fs.renameSync(temporary, this.file);
    } catch (error) {
      this.options.warn(`could not write the cache ${this.file}: ${(error as Error).message}`);
    }
  }

  private read(): CacheFile | undefined {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch {
      return undefined;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      this.options.warn(`ignoring the cache ${this.file}: it is not valid JSON; it will be rewritten`);
      return undefined;
    }
    const cache = parsed as Partial<CacheFile> | null;
    if (!cache || typeof cache !== 'object' || cache.tool !== 'authlint' || typeof cache.files !== 'object' || cache.files === null) {
      this.options.warn(`ignoring the cache ${this.file}: it is not an authlint cache; it will be rewritten`);
      return undefined;
    }
    // Another version, settings or rule set: nothing in it holds, as ESLint's cache.
    if (cache.format !== FORMAT || cache.key !== this.key) return undefined;
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
  const { version, settings, prefilter, strategy } = options;
  return createHash('sha256').update(JSON.stringify({ version, settings, rules: RULE_IDS, prefilter, strategy })).digest('hex');
}

function stampOf(file: string, strategy: CacheStrategy): Stamp | undefined {
  try {
    if (strategy === 'content') return { sha256: hashOf(fs.readFileSync(file)) };
    const stat = fs.statSync(file);
    return { size: stat.size, mtimeMs: stat.mtimeMs };
  } catch {
    return undefined;
  }
}

function sameStamp(a: Stamp, b: Stamp): boolean {
  if ('sha256' in a) return 'sha256' in b && a.sha256 === b.sha256;
  return 'size' in b && a.size === b.size && a.mtimeMs === b.mtimeMs;
}
