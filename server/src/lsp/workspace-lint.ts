import fs from 'node:fs';
import path from 'node:path';
import { collectFiles } from '../workspace/files';
import type { LintResult, Settings } from '../core/types';
import type { ProjectScope } from './settings';
import { URI } from './uri';

export interface WorkspaceLintHost {
  /** Settings for a file; files of one folder share them, so they are asked once per folder. */
  settingsFor(uri: string): Promise<Settings>;
  projectFor(dir: string): ProjectScope | undefined;
  /** Open documents are linted live and skipped here. */
  isOpen(uri: string): boolean;
  lintFile(uri: string, text: string, settings: Settings): LintResult;
  publish(uri: string, result: LintResult): void;
  progress(done: number, total: number): void;
  log(message: string): void;
}

export interface WorkspaceLintSummary {
  files: number;
  problems: number;
  cancelled: boolean;
}

/**
 * Lints every file of the given folders as the CLI would walk them (its
 * skipped folders, `.gitignore` and the config's `ignore`), publishing each
 * closed file's findings so they show in the Problems panel. Yields to the
 * event loop between files so edits and cancellation are served meanwhile.
 */
export async function lintWorkspace(folders: readonly string[], host: WorkspaceLintHost, token: { readonly isCancellationRequested: boolean }): Promise<WorkspaceLintSummary> {
  const files = folders.flatMap((folder) => filesOf(folder, host));
  const settingsByDir = new Map<string, Promise<Settings>>();
  const summary: WorkspaceLintSummary = { files: 0, problems: 0, cancelled: false };
  for (const file of files) {
    if (token.isCancellationRequested) return { ...summary, cancelled: true };
    host.progress(summary.files, files.length);
    const uri = URI.fromPath(file);
    summary.files++;
    if (host.isOpen(uri)) continue;
    const dir = path.dirname(file);
    if (!settingsByDir.has(dir)) settingsByDir.set(dir, host.settingsFor(uri));
    const settings = await settingsByDir.get(dir)!;
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      host.log(`Skipped ${file}: ${(error as Error).message}`);
      continue;
    }
    const result = host.lintFile(uri, text, settings);
    summary.problems += result.findings.filter((f) => !f.suppressed).length;
    host.publish(uri, result);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return summary;
}

function filesOf(folder: string, host: WorkspaceLintHost): string[] {
  const project = host.projectFor(folder);
  try {
    const walk = collectFiles([folder], folder, project?.config.ignore ?? [], project?.dir ?? folder);
    for (const warning of walk.warnings) host.log(warning);
    return walk.files;
  } catch (error) {
    host.log(`Cannot lint ${folder}: ${(error as Error).message}`);
    return [];
  }
}
