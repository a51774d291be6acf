import { REGISTRY } from '../core/frameworks';
import { Prefilter } from '../core/prefilter';
import type { ModuleResolver } from '../core/project/index';
import type { Settings } from '../core/types';
import { applyFixesElsewhere, type FixMode } from './lint-file';
import { lintProject, type FileState, type RunStats } from './project-run';
import { countMessages, type FileReport } from './report';
import { readSource } from '../workspace/read-source';
import { lintForPool, lintInThreads, threadCount, type LintedFile } from './worker-pool';

export interface LintFilesOptions {
  fix: FixMode;
  /** Called after each file; the CLI draws progress from it. */
  onProgress?: (done: number, total: number) => void;
  /** The project the files belong to: every file of it (the linted ones among them), and how its imports resolve. */
  project?: { files: readonly string[]; resolver: ModuleResolver };
  /** Parse only the files whose text can lead to a finding (default); `--no-prefilter` parses all. */
  prefilter?: boolean;
  /** What an earlier run left of the files unchanged since (`--cache`); the run's states are written back to it. */
  cache?: RunCache;
  /** Told how the run went (AUTHLINT_DEBUG=stats). */
  onStats?: (stats: RunStats) => void;
}

/** The cache as the run uses it (cli/cache.ts). */
export interface RunCache {
  states: Map<string, FileState>;
  save(states: Map<string, FileState>, targets: readonly string[], reports: readonly FileReport[] | undefined): void;
}

/**
 * Lints the files and returns one report per file, in sorted path order
 * whatever order they finish in, so the output is the same from run to run.
 * This is the one seam where files may be spread over worker threads.
 *
 * In a project, each file parsed is linted once against its own
 * declarations alone, which also yields its facts and the questions its
 * analysis asked of the rest of the project. The facts make the project
 * index; a linted file is linted again against it only when the index
 * answers one of its questions differently (or when fixing), so the index
 * costs little more than one pass. Which files are parsed at all is
 * project-run.ts's business.
 */
export async function lintFiles(files: readonly string[], settings: Settings, options: LintFilesOptions): Promise<FileReport[]> {
  const sorted = [...new Set(files)].sort();
  if (!options.project) return lintAlone(sorted, settings, options);
  const everything = [...new Set([...sorted, ...options.project.files])].sort();
  const { reports, states, stats, index } = await lintProject(sorted, everything, settings, {
    fix: options.fix,
    prefilter: options.prefilter ?? true,
    resolver: options.project.resolver,
    lintFirst: (batch) => lintAll(batch, settings, 'off', true, options.onProgress),
    cached: options.cache?.states,
  });
  options.cache?.save(states, sorted, options.fix === 'off' ? reports : undefined);
  options.onStats?.(stats);
  return options.fix === 'off' ? reports : applyFixesElsewhere(reports, settings, index, options.fix);
}

/** Lints each file on its own (no project): with the prefilter, a file whose text cannot lead to a finding gets an empty report unparsed. */
async function lintAlone(files: string[], settings: Settings, options: LintFilesOptions): Promise<FileReport[]> {
  const prefilter = options.prefilter ? new Prefilter(REGISTRY) : undefined;
  const kept = prefilter ? files.filter((file) => mayFind(prefilter, file)) : files;
  const linted = new Map((await lintAll(kept, settings, options.fix, false, options.onProgress)).map((file, i) => [kept[i], file.report]));
  return files.map((file) => linted.get(file) ?? countMessages({ filePath: file, messages: [], suppressedMessages: [] }));
}

/** Whether a file's text can lead to a finding; an unreadable file is kept, for linting it reports why. */
function mayFind(prefilter: Prefilter, file: string): boolean {
  const read = readSource(file);
  return !read.ok || prefilter.scan(read.text, file).mayFind;
}

async function lintAll(files: string[], settings: Settings, fix: FixMode, project: boolean, onProgress: LintFilesOptions['onProgress']): Promise<LintedFile[]> {
  const threads = threadCount(files);
  if (threads > 1) {
    let done = 0;
    return lintInThreads(files, settings, fix, threads, () => onProgress?.(++done, files.length), project);
  }
  const input = { files, settings, fix, project, next: new Int32Array(1) };
  const linted: LintedFile[] = [];
  for (let index = 0; index < files.length; index++) {
    linted.push(lintForPool(input, index));
    onProgress?.(linted.length, files.length);
  }
  return linted;
}
