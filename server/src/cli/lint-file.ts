import path from 'node:path';
import { applyEdits, fixSource, mapOffset, sameEdits } from '../core/fix';
import { lint } from '../core/lint';
import { lintInProject, type ProjectLintResult } from '../core/project/analyze';
import type { ProjectIndex } from '../core/project/index';
import type { FileEdits, Settings, TextEdit } from '../core/types';
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
  const fixRun: FixRun = { text: source.text, fixed: outcome.text, passes: outcome.passes, elsewhere: outcome.elsewhere, bom: source.bom, lintText };
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
  fixRuns.set(report, fixRun);
  return withNotices(report, notices);
}

/** What fixing one file did: the text read, the text fixed, and the edits its fixes make to other files. */
interface FixRun {
  text: string;
  fixed: string;
  passes: TextEdit[][];
  elsewhere: FileEdits[];
  bom: boolean;
  lintText: (text: string) => ReturnType<typeof lint>;
}

const fixRuns = new WeakMap<FileReport, FixRun>();

/**
 * Applies, once all files are fixed, the edits their fixes make to other
 * files (a central error handler that many 401s reach): each edit once, however
 * many fixes carry it. The edits were computed against the file as the index
 * read it, which its own fixes may have changed since: they are applied only
 * where the analysis of the file as it is now makes the same edits at the
 * places the old ones map to, so a file changed in between is left alone. The
 * file is written atomically, and every report concerned is made again from
 * the texts as they end up, with the index knowing the edited file's new facts.
 */
export function applyFixesElsewhere(reports: FileReport[], settings: Settings, index: ProjectIndex, fix: FixMode): FileReport[] {
  const wanted = new Map<string, { groups: FileEdits[]; from: Set<number> }>();
  reports.forEach((report, i) => {
    for (const group of fixRuns.get(report)?.elsewhere ?? []) {
      let entry = wanted.get(group.filePath);
      if (!entry) wanted.set(group.filePath, (entry = { groups: [], from: new Set() }));
      if (!entry.groups.some((known) => sameEdits(known.edits, group.edits))) entry.groups.push(group);
      entry.from.add(i);
    }
  });
  if (wanted.size === 0) return reports;
  const result = [...reports];
  const byPath = new Map(reports.map((report, i) => [report.filePath, i]));
  const relint = new Set<number>();
  for (const [file, { groups, from }] of wanted) {
    const at = byPath.get(file);
    const outcome = applyToFile(file, groups, at === undefined ? undefined : fixRuns.get(reports[at]), settings, index, fix);
    const shown = path.relative(process.cwd(), file);
    const notice = outcome.ok ? `fixed 401 responses in ${shown} (the error handler this file's 401 reaches)` : `fix not applied in ${shown}: ${outcome.reason}`;
    for (const i of from) result[i] = withNotices(result[i], [...(result[i].notices ?? []), { level: 'warning', text: notice }]);
    if (!outcome.ok) continue;
    index.set(outcome.facts);
    if (at !== undefined) {
      const run = fixRuns.get(reports[at]);
      const report = withPath(fileReport(outcome.result, outcome.text), file);
      report.output = (outcome.bom ? '\ufeff' : '') + outcome.text;
      if (run) fixRuns.set(report, { ...run, fixed: outcome.text });
      result[at] = withNotices(report, reports[at].notices ?? []);
    }
    for (const i of from) relint.add(i);
  }
  // The files whose fixes reached the edited ones: their findings about them are answered now.
  for (const i of relint) {
    const run = fixRuns.get(result[i]);
    if (!run) continue;
    const report = withPath(fileReport(run.lintText(run.fixed), run.fixed), result[i].filePath);
    if (result[i].output !== undefined) report.output = result[i].output;
    result[i] = withNotices(report, result[i].notices ?? []);
  }
  return result;
}

type ElsewhereOutcome =
  | { ok: true; text: string; bom: boolean; result: ReturnType<typeof lint>; facts: NonNullable<ProjectLintResult['facts']> }
  | { ok: false; reason: string };

function applyToFile(file: string, groups: FileEdits[], own: FixRun | undefined, settings: Settings, index: ProjectIndex, fix: FixMode): ElsewhereOutcome {
  const read = readSource(file);
  if (!read.ok) return { ok: false, reason: 'skipped' in read ? read.skipped : read.error };
  // In a dry run the file on disk is as it was; its own fixes are in its report.
  const current = own && fix === 'dry-run' ? own.fixed : read.text;
  if (own && current !== own.fixed) return { ok: false, reason: 'the file changed while it was being fixed' };
  const now = lintInProject(current, file, settings, index);
  if (!now.facts) return { ok: false, reason: 'the file does not parse' };
  const handlerFixes = now.facts.handlers.flatMap((handler) => (handler.fix ? [handler.fix] : []));
  const edits: TextEdit[] = [];
  for (const group of groups) {
    const moved = group.edits.map((edit) => ({ ...edit, start: mapOffset(edit.start, own?.passes ?? []), end: mapOffset(edit.end, own?.passes ?? []) }));
    const still = handlerFixes.find((candidate) => moved.every((e) => e.start !== undefined && e.end !== undefined) && sameEdits(candidate, moved as TextEdit[]));
    if (!still) return { ok: false, reason: 'its error handler is no longer as the fix expected' };
    for (const edit of still) if (!edits.some((e) => e.start === edit.start && e.end === edit.end && e.text === edit.text)) edits.push(edit);
  }
  const text = applyEdits(current, edits);
  const after = lintInProject(text, file, settings, index);
  if (after.result.parseError || !after.facts) return { ok: false, reason: 'the edit would leave code that does not parse' };
  if (fix === 'write') {
    try {
      writeFileAtomic(file, (read.bom ? '\ufeff' : '') + text, read.stamp);
    } catch (error) {
      return { ok: false, reason: (error as Error).message };
    }
  }
  return { ok: true, text, bom: read.bom, result: after.result, facts: after.facts };
}

function withPath(report: FileReport, filePath: string): FileReport {
  report.filePath = filePath;
  return report;
}

function withNotices(report: FileReport, notices: Notice[]): FileReport {
  if (notices.length) report.notices = notices;
  return report;
}
