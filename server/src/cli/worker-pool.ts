import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Settings } from '../core/types';
import type { LaunchData } from './launch';
import { lintFile, type FixMode, type ProjectRun } from './lint-file';
import { REGISTRY } from '../core/frameworks';
import { ProjectIndex, type ModuleResolver } from '../core/project/index';
import type { FileReport } from './report';

/**
 * Bytes of source a thread must have to lint before starting it pays: each
 * thread loads TypeScript and warms up V8's compilers afresh, a second of CPU
 * on 2 cores that the CLI already keeps busy with V8's own background work;
 * with less, one thread finishes first (measured on 15 and 57 MB of source).
 */
const BYTES_PER_THREAD = 32 * 1024 * 1024;

/** What a worker is given: the files, and a shared counter from which every thread claims the next index. */
export interface WorkerInput {
  files: readonly string[];
  settings: Settings;
  fix: FixMode;
  next: Int32Array;
  /** Whether to lint as the first pass over a project: then each file's facts and questions come back with its report. */
  project: boolean;
}

/** A file's report, with its project facts and questions in a project's first pass. */
export interface LintedFile {
  report: FileReport;
  project?: ProjectRun['outcome'];
}

export type WorkerMessage = { index: number; linted: LintedFile } | { error: string };

/** Resolves nothing: a project's first pass lints each file against its own declarations alone. */
const NO_RESOLVER: ModuleResolver = { resolve: () => undefined, packageOf: () => '' };

/** Lints a file for the pool: in a project's first pass, against an index of that file alone. */
export function lintForPool(input: WorkerInput, index: number): LintedFile {
  if (!input.project) return { report: lintFile(input.files[index], input.settings, input.fix) };
  const run: ProjectRun = { index: new ProjectIndex(NO_RESOLVER, REGISTRY.errorClasses) };
  const report = lintFile(input.files[index], input.settings, input.fix, run);
  return { report, project: run.outcome };
}

/**
 * How many threads lint, this one included: `AUTHLINT_THREADS` when set (the
 * test of thread-independent output sets it), otherwise one for each
 * BYTES_PER_THREAD of source, at most the available cores.
 */
export function threadCount(files: readonly string[], env: NodeJS.ProcessEnv = process.env, sizeOf: (file: string) => number = fileSize): number {
  const requested = Number.parseInt(env.AUTHLINT_THREADS ?? '', 10);
  if (requested >= 1) return Math.max(1, Math.min(requested, files.length));
  const cores = os.availableParallelism();
  let bytes = 0;
  for (const file of files) {
    bytes += sizeOf(file);
    // Enough for every core: the other files need not be looked at.
    if (bytes >= cores * BYTES_PER_THREAD) return cores;
  }
  return Math.max(1, Math.floor(bytes / BYTES_PER_THREAD));
}

/** A file's size, 0 when it cannot be read (linting it will say why). */
function fileSize(file: string): number {
  return fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0;
}

/** Claims the next unclaimed file index; every thread draws from the same counter, so a slow file never idles the others. */
export function claim(next: Int32Array): number {
  return Atomics.add(next, 0, 1);
}

/**
 * Lints `files` on `threads` threads: this one and `threads - 1` workers. The
 * reports come back in the order of `files`, whichever thread linted each, so
 * the output does not depend on the thread count.
 */
export async function lintInThreads(
  files: readonly string[],
  settings: Settings,
  fix: FixMode,
  threads: number,
  onReport: () => void,
  project = false,
): Promise<LintedFile[]> {
  const reports: LintedFile[] = new Array(files.length);
  const input: WorkerInput = { files, settings, fix, project, next: new Int32Array(new SharedArrayBuffer(4)) };
  const workers = Array.from({ length: threads - 1 }, () => runWorker(input, reports, onReport));
  await Promise.all([lintHere(input, reports, onReport), ...workers]);
  return reports;
}

/** This thread's share, yielding between files so that workers' reports (and progress) are taken in as they come. */
async function lintHere(input: WorkerInput, reports: LintedFile[], onReport: () => void): Promise<void> {
  for (let index = claim(input.next); index < input.files.length; index = claim(input.next)) {
    reports[index] = lintForPool(input, index);
    onReport();
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

function runWorker(input: WorkerInput, reports: LintedFile[], onReport: () => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(input);
    let failure: Error | undefined;
    worker.on('message', (message: WorkerMessage) => {
      if ('error' in message) {
        failure = new Error(message.error);
        // The run fails as a whole; the other threads need not lint what is left.
        Atomics.store(input.next, 0, input.files.length);
      } else {
        reports[message.index] = message.linted;
        onReport();
      }
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (failure) reject(failure);
      else if (code !== 0) reject(new Error(`lint worker exited with code ${code}`));
      else resolve();
    });
  });
}

/**
 * A lint worker's young generation, smaller than V8's default: each file's
 * syntax tree dies as soon as the file is linted, so a smaller nursery costs no
 * measurable CPU and saves each worker about 30 MB at its peak.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8 };

/**
 * A worker running the CLI bundle, which lints when it is not on the main
 * thread: through dist/launch.js with this thread's code cache when this is
 * the bundle, or index.ts itself when running from source (tests under tsx).
 */
function startWorker(input: WorkerInput): Worker {
  if (__filename.endsWith('.ts')) return new Worker(path.join(__dirname, 'index.ts'), { workerData: { input } satisfies LaunchData });
  const launch = path.join(__dirname, 'launch.js');
  const { codeCacheForWorkers } = require(launch) as typeof import('./launch');
  return new Worker(launch, { workerData: { input, codeCache: codeCacheForWorkers() } satisfies LaunchData, resourceLimits: WORKER_LIMITS });
}
