import { REGISTRY } from '../core/frameworks';
import { ProjectIndex, type ModuleResolver } from '../core/project/index';
import { answersDiffer } from '../core/project/view';
import type { Settings } from '../core/types';
import { applyFixesElsewhere, lintFile, type FixMode } from './lint-file';
import type { FileReport } from './report';
import { lintForPool, lintInThreads, threadCount, type LintedFile } from './worker-pool';

export interface LintFilesOptions {
  fix: FixMode;
  /** Called after each file; the CLI draws progress from it. */
  onProgress?: (done: number, total: number) => void;
  /** The project the files belong to: every file of it (the linted ones among them), and how its imports resolve. */
  project?: { files: readonly string[]; resolver: ModuleResolver };
}

/**
 * Lints the files and returns one report per file, in sorted path order
 * whatever order they finish in, so the output is the same from run to run.
 * This is the one seam where files may be spread over worker threads.
 *
 * In a project, every file of it is linted once against its own
 * declarations alone, which also yields its facts and the questions its
 * analysis asked of the rest of the project. The facts make the project
 * index; a linted file is linted again against it only when the index
 * answers one of its questions differently (or when fixing), so the index
 * costs little more than one pass.
 */
export async function lintFiles(files: readonly string[], settings: Settings, options: LintFilesOptions): Promise<FileReport[]> {
  const sorted = [...new Set(files)].sort();
  if (!options.project) return (await lintAll(sorted, settings, options.fix, false, options.onProgress)).map((linted) => linted.report);
  const targets = new Set(sorted);
  const everything = [...new Set([...sorted, ...options.project.files])].sort();
  const first = await lintAll(everything, settings, 'off', true, targets.size === everything.length ? options.onProgress : undefined);
  const index = new ProjectIndex(options.project.resolver, REGISTRY.errorClasses);
  for (const linted of first) if (linted.project?.facts) index.set(linted.project.facts);
  const reports: FileReport[] = [];
  everything.forEach((file, i) => {
    if (!targets.has(file)) return;
    const linted = first[i];
    const again = options.fix !== 'off' || (linted.project && answersDiffer(index, file, linted.project.asked));
    reports.push(again ? lintFile(file, settings, options.fix, { index }) : linted.report);
  });
  return options.fix === 'off' ? reports : applyFixesElsewhere(reports, settings, index, options.fix);
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
