import { fixSource } from '../core/fix';
import { lint } from '../core/lint';
import { lintInProject, type ProjectLintResult } from '../core/project/analyze';
import type { ProjectIndex } from '../core/project/index';
import type { Settings } from '../core/types';
import { readSource } from '../workspace/read-source';
import { countMessages, fileReport, type FileReport, type Notice } from './report';
import type { ReadStamp } from '../workspace/read-source';
import { writeFileAtomic } from './write-file';

/** `write` is `--fix`; `dry-run` is `--fix-dry-run`, which puts the fixed text in the report's `output` only. */
export type FixMode = 'off' | 'write' | 'dry-run';

/**
 * Lints one file from disk and, in `write` mode, writes its fixes. Needs no
 * terminal or shared state, so it can run in a worker thread: everything the
 * user should hear about the file travels in the report's `notices`.
 */
export function lintFile(file: string, settings: Settings, fix: FixMode, project?: ProjectRun): FileReport {
  const read = readSource(file);
  if (!read.ok) {
    if ('skipped' in read) return { ...countMessages({ filePath: file, messages: [], suppressedMessages: [] }), skipped: true, notices: [{ level: 'warning', text: `skipped: ${read.skipped}` }] };
    return countMessages({
      filePath: file,
      messages: [{ ruleId: null, fatal: true, severity: 2, message: `Cannot lint this file: ${read.error}`, line: 1, column: 1 }],
      suppressedMessages: [],
      notices: [{ level: 'error', text: read.error }],
    });
  }
  return lintSource({ text: read.text, bom: read.bom, filePath: file, fix, stamp: read.stamp }, settings, project);
}

/** A file linted as part of a project: the index it is linted against, and what its analysis gave and asked (set by the lint). */
export interface ProjectRun {
  index: ProjectIndex;
  outcome?: Omit<ProjectLintResult, 'result'>;
}

export interface Source {
  text: string;
  /** Whether the file began with a byte order mark (not part of `text`); `--fix` writes it back. */
  bom: boolean;
  /** The path reported. */
  filePath: string;
  /** The path whose extension decides how to parse, when it differs (standard input without a name). */
  parseAs?: string;
  fix: FixMode;
  /** How the file was when read; set for files on disk, which `write` mode then rewrites. */
  stamp?: ReadStamp;
}

/** Lints (and fixes, per `source.fix`) text from a file or standard input. */
export function lintSource(source: Source, settings: Settings, project?: ProjectRun): FileReport {
  const parseAs = source.parseAs ?? source.filePath;
  const lintText = (text: string) => {
    if (!project) return lint(text, parseAs, settings);
    const { result, ...outcome } = lintInProject(text, parseAs, settings, project.index);
    project.outcome = outcome;
    return result;
  };
  if (source.fix === 'off') return withPath(fileReport(lintText(source.text), source.text), source.filePath);
  const outcome = fixSource(source.text, lintText);
  const notices: Notice[] = outcome.refused.map((text) => ({ level: 'warning', text: `fix not applied: ${text}` }));
  const changed = outcome.text !== source.text;
  if (changed && source.fix === 'write' && source.stamp) {
    try {
      writeFileAtomic(source.filePath, (source.bom ? '\ufeff' : '') + outcome.text, source.stamp);
    } catch (error) {
      notices.push({ level: 'error', text: `could not write the fixes: ${(error as Error).message}` });
      return withNotices(withPath(fileReport(lintText(source.text), source.text), source.filePath), notices);
    }
  }
  const report = withPath(fileReport(outcome.result, outcome.text), source.filePath);
  if (changed) report.output = (source.bom ? '\ufeff' : '') + outcome.text;
  return withNotices(report, notices);
}

function withPath(report: FileReport, filePath: string): FileReport {
  report.filePath = filePath;
  return report;
}

function withNotices(report: FileReport, notices: Notice[]): FileReport {
  if (notices.length) report.notices = notices;
  return report;
}
