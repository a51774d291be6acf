import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, findConfig, readConfigFile, resolveSettings, type ProjectConfig } from '../core/config';
import type { ProjectIndex } from '../core/project/index';
import type { Settings } from '../core/types';
import { HELP, parseArgs, type CliOptions } from './args';
import { collectFiles, UsageError, type FileWalk } from '../workspace/files';
import { projectRootsOf } from '../workspace/project-root';
import { formatJson } from './formatters/json';
import { formatStylish } from './formatters/stylish';
import type { FixMode } from './lint-file';
import { cacheFile, ResultCache } from './cache';
import { loadEngine } from './engine-loader';
import type { ModuleResolver } from '../core/project/index';
import type { RunStats } from './project-run';
import { inShard } from './shard';
import { progressReporter } from './progress';
import { decodeSource, readSource } from '../workspace/read-source';
import { repositoryRoot } from './repo-root';
import { countMessages, type FileReport } from './report';

declare const AUTHLINT_VERSION: string;

export interface CliIo {
  argv: string[];
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => Buffer;
  /** Whether standard output is a terminal (colours). */
  isTTY: boolean;
  /** Whether standard error is a terminal (progress). */
  stderrIsTTY: boolean;
  env: NodeJS.ProcessEnv;
}

/** Runs the CLI and returns its exit status: 0 clean, 1 findings over the limits, 2 bad usage, broken config or internal error. */
export async function run(io: CliIo): Promise<number> {
  try {
    return await runChecked(io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      io.stderr(`authlint: ${error.message}\n`);
      return 2;
    }
    io.stderr(`authlint: internal error: ${(error as Error).stack ?? error}\n`);
    return 2;
  }
}

async function runChecked(io: CliIo): Promise<number> {
  const options = parseArgs(io.argv);
  if (options.help) {
    io.stdout(HELP);
    return 0;
  }
  if (options.version) {
    io.stdout(`${AUTHLINT_VERSION}\n`);
    return 0;
  }
  const { settings, ignore } = loadSettings(options, io.cwd);
  const fix: FixMode = options.fix ? 'write' : options.fixDryRun ? 'dry-run' : 'off';
  const { reports, incomplete } = options.stdin ? { reports: [lintStdin(options, settings, fix, io)], incomplete: false } : await lintPaths(options, settings, ignore, fix, io);
  for (const report of reports) {
    for (const notice of report.notices ?? []) io.stderr(`authlint: ${displayPath(report.filePath, io.cwd)}: ${notice.text}\n`);
  }
  const linted = reports.filter((report) => !report.skipped);
  writeReport(format(linted, options, io), options, io);
  // As ESLint says it, on standard error, whatever the format.
  if (tooManyWarnings(reports, options)) io.stderr(`authlint found too many warnings (maximum: ${options.maxWarnings}).\n`);
  return incomplete ? 2 : exitStatus(reports, options);
}

interface ConfigIgnore {
  patterns: string[];
  /** The config file's folder: its `ignore` globs are relative to it. */
  base: string;
}

function loadSettings(options: CliOptions, cwd: string): { settings: Settings; ignore: ConfigIgnore } {
  let config: ProjectConfig | undefined;
  let base = cwd;
  if (options.config) {
    const file = path.resolve(cwd, options.config);
    if (!fs.existsSync(file)) throw new UsageError(`Config file not found: ${options.config}`);
    config = readConfigFile(file);
    if (!config) throw new UsageError(`${options.config} has no "authlint" section`);
    base = path.dirname(file);
  } else {
    const found = findConfig(cwd);
    config = found?.config;
    if (found) base = path.dirname(found.file);
  }
  const settings = resolveSettings(config, { rules: options.rules });
  return { settings, ignore: { patterns: config?.ignore ?? [], base } };
}

/** The reports of the files under the paths; `incomplete` when a folder that should have been linted could not be read. */
async function lintPaths(options: CliOptions, given: Settings, ignore: ConfigIgnore, fix: FixMode, io: CliIo): Promise<{ reports: FileReport[]; incomplete: boolean }> {
  const paths = options.paths.length ? options.paths : ['.'];
  const targets = paths.map((p) => path.resolve(io.cwd, p));
  // Test folders are read beneath the project roots, whatever folder was named.
  const { roots, base } = projectRootsOf(targets);
  const settings: Settings = { ...given, projectRoots: roots };
  // AUTHLINT_DEBUG=no-index lints each file on its own: what the project index costs is measured against it.
  const indexed = !debug(io, 'no-index');
  const cache = options.cache && indexed ? openCache(options, settings, base, io) : undefined;
  const memory = cache?.walkMemory(ignore);
  const collected = collectFiles(paths, io.cwd, ignore.patterns, ignore.base, memory);
  if (memory) cache?.rememberWalk(memory.key, collected.memo);
  if (collected.folders && debug(io, 'stats')) io.stderr(`authlint: walk: ${JSON.stringify(collected.folders)}\n`);
  const { warnings, errors } = collected;
  for (const message of [...warnings, ...errors]) io.stderr(`authlint: ${message}\n`);
  if (collected.files.length === 0 && errors.length === 0) io.stderr(`authlint: no JavaScript or TypeScript files to lint in ${paths.join(', ')}\n`);
  const shard = options.shard;
  const root = repositoryRoot(io.cwd, io.env);
  const files = shard ? collected.files.filter((file) => inShard(file, root, shard)) : collected.files;
  const progress = progressReporter(io);
  try {
    const project = indexed ? projectAround(targets, io.cwd, ignore, collected, cache) : undefined;
    // Stamped: every file the run may read, the targets among them even where the project listing leaves them out.
    if (cache && project) cache.stamp([...new Set([...files, ...project.files])].sort(), project.present);
    const onStats = debug(io, 'stats') ? (stats: RunStats) => io.stderr(`authlint: stats: ${JSON.stringify(stats)}\n`) : undefined;
    const reports = servedWhole(files, project, cache, fix, onStats) ?? (await loadEngine().lintFiles(files, settings, { fix, onProgress: progress.update, project, prefilter: options.prefilter, cache, onStats }));
    return { reports, incomplete: errors.length > 0 };
  } finally {
    progress.done();
  }
}

/**
 * The last run's reports when nothing they depend on changed (cli/cache.ts),
 * told before the engine is loaded: such a run parses nothing, builds no
 * index and loads no TypeScript.
 */
function servedWhole(files: readonly string[], project: Project | undefined, cache: ResultCache | undefined, fix: FixMode, onStats: ((stats: RunStats & { whole?: true }) => void) | undefined): FileReport[] | undefined {
  if (!project || !cache || fix !== 'off') return undefined;
  const targets = [...new Set(files)].sort();
  const served = cache.served(targets);
  if (!served) return undefined;
  const everything = new Set([...targets, ...project.files]).size;
  onStats?.({ files: everything, targets: targets.length, cached: everything, parsed: 0, relinted: 0, whole: true });
  return served;
}

function debug(io: CliIo, flag: string): boolean {
  return io.env.AUTHLINT_DEBUG?.split(',').includes(flag) ?? false;
}

function openCache(options: CliOptions, settings: Settings, root: string, io: CliIo): ResultCache {
  const warn = (message: string) => io.stderr(`authlint: warning: ${message}\n`);
  const location = cacheFile(options.cacheLocation, io.cwd);
  return new ResultCache(location, { location: options.cacheLocation, strategy: options.cacheStrategy, cwd: io.cwd, root, version: AUTHLINT_VERSION, settings, prefilter: options.prefilter, warn });
}

interface Project {
  files: string[];
  /** Made when first asked for: it loads TypeScript. */
  readonly resolver: ModuleResolver;
  root: string;
  /** For the cache: which of its watched names each walked folder holds. */
  present: Map<string, readonly string[]>;
}

/**
 * The project the linted paths belong to (the repository around them), so
 * that a file gets the same findings whether it is linted alone or with
 * everything: its files and how its imports resolve. `targetWalk` is the
 * targets' walk, the project's own when the targets are its folders.
 */
function projectAround(targets: readonly string[], cwd: string, ignore: ConfigIgnore, targetWalk?: FileWalk, cache?: ResultCache): Project {
  const { roots, base } = projectRootsOf(targets);
  // The targets are the project's folders themselves (`authlint .` at its root): their walk is the project's.
  const same = targetWalk && roots.length === targets.length && roots.every((root) => targets.includes(root));
  const memory = same ? undefined : cache?.walkMemory(ignore);
  const walk = same ? targetWalk : collectFiles(roots, cwd, ignore.patterns, ignore.base, memory);
  if (memory) cache?.rememberWalk(memory.key, walk.memo);
  const present = new Map([...(targetWalk?.present ?? []), ...(walk.present ?? [])]);
  let resolver: ModuleResolver | undefined;
  return {
    files: walk.files,
    get resolver() {
      return (resolver ??= new (loadEngine().DiskModuleResolver)(base));
    },
    root: base,
    present,
  };
}

function lintStdin(options: CliOptions, given: Settings, fix: FixMode, io: CliIo): FileReport {
  // ESLint reports unnamed standard input as "<text>"; it is parsed as TypeScript, which also reads plain JavaScript.
  const filePath = options.stdinFilename ? path.resolve(io.cwd, options.stdinFilename) : '<text>';
  const read = decodeSource(io.readStdin());
  if (!read.ok) {
    const reason = 'skipped' in read ? read.skipped : read.error;
    return countMessages({ filePath, messages: [{ ruleId: null, fatal: true, severity: 2, message: `Cannot lint standard input: ${reason}`, line: 1, column: 1 }], suppressedMessages: [] });
  }
  const { lintSource } = loadEngine();
  if (!options.stdinFilename) return lintSource({ text: read.text, bom: read.bom, filePath, parseAs: '<text>.ts', fix }, given);
  const settings: Settings = { ...given, projectRoots: projectRootsOf([filePath]).roots };
  return lintSource({ text: read.text, bom: read.bom, filePath, fix }, settings, { index: stdinProjectIndex(filePath, io.cwd, settings) });
}

function format(reports: FileReport[], options: CliOptions, io: CliIo): string {
  const color = useColor(options, io);
  switch (options.format) {
    case 'json':
      return formatJson(reports);
    case 'sarif':
      return loadEngine().formatSarif(reports, { root: repositoryRoot(io.cwd, io.env), version: AUTHLINT_VERSION });
    case 'github':
      return loadEngine().formatGithub(reports, { root: repositoryRoot(io.cwd, io.env), cwd: io.cwd, color });
    case 'stylish':
      return formatStylish(reports, { color, cwd: io.cwd });
  }
}

/**
 * `--color`/`--no-color` when given; otherwise colour only on a terminal,
 * never into a file, never with NO_COLOR set (no-color.org), and FORCE_COLOR
 * forces it, as chalk does for ESLint.
 */
function useColor(options: CliOptions, io: CliIo): boolean {
  if (options.color !== undefined) return options.color;
  if (options.outputFile || io.env.NO_COLOR) return false;
  const force = io.env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  return io.isTTY;
}

function writeReport(output: string, options: CliOptions, io: CliIo): void {
  if (!options.outputFile) {
    // ESLint prints its report with console.log: a JSON report ends the line too.
    if (output) io.stdout(output.endsWith('\n') ? output : `${output}\n`);
    return;
  }
  const file = path.resolve(io.cwd, options.outputFile);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, output);
  } catch (error) {
    throw new UsageError(`Cannot write the report to ${options.outputFile}: ${(error as Error).message}`);
  }
}

function displayPath(filePath: string, cwd: string): string {
  return path.isAbsolute(filePath) ? path.relative(cwd, filePath) || filePath : filePath;
}

/** 2 when a file could not be checked or fixed (the lint is incomplete), then ESLint's: 1 for errors or too many warnings. */
function exitStatus(reports: FileReport[], options: CliOptions): number {
  if (reports.some((report) => report.notices?.some((notice) => notice.level === 'error'))) return 2;
  const errors = reports.reduce((n, r) => n + r.errorCount, 0);
  return errors > 0 || tooManyWarnings(reports, options) ? 1 : 0;
}

/** Whether the warnings exceed `--max-warnings` (a negative limit, as in ESLint, is none). */
function tooManyWarnings(reports: FileReport[], options: CliOptions): boolean {
  const warnings = reports.reduce((n, r) => n + r.warningCount, 0);
  return options.maxWarnings !== undefined && options.maxWarnings >= 0 && warnings > options.maxWarnings;
}

/** The index of the project around a file given on standard input: its other files as they are on disk. */
function stdinProjectIndex(filePath: string, cwd: string, settings: Settings): ProjectIndex {
  const project = projectAround([filePath], cwd, { patterns: [], base: cwd });
  const sources = project.files.filter((file) => file !== filePath).flatMap((file) => {
    const read = readSource(file);
    return read.ok ? [{ filePath: file, text: read.text }] : [];
  });
  return loadEngine().indexProject(sources, project.resolver, settings);
}
