import type { Settings } from '../core/types';
import { lintFile, type FixMode } from './lint-file';
import type { FileReport } from './report';
import { lintInThreads, threadCount } from './worker-pool';

export interface LintFilesOptions {
  fix: FixMode;
  /** Called after each file; the CLI draws progress from it. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Lints the files and returns one report per file, in sorted path order
 * whatever order they finish in, so the output is the same from run to run.
 * This is the one seam where files may be spread over worker threads.
 */
export async function lintFiles(files: readonly string[], settings: Settings, options: LintFilesOptions): Promise<FileReport[]> {
  const sorted = [...files].sort();
  const threads = threadCount(sorted);
  if (threads > 1) {
    let done = 0;
    return lintInThreads(sorted, settings, options.fix, threads, () => options.onProgress?.(++done, sorted.length));
  }
  const reports: FileReport[] = [];
  for (const file of sorted) {
    reports.push(lintFile(file, settings, options.fix));
    options.onProgress?.(reports.length, sorted.length);
  }
  return reports;
}
