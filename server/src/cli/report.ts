import { applyEdits } from '../core/fix';
import type { Finding, LintResult, RelatedLocation, TextEdit } from '../core/types';

/** One message in ESLint's JSON shape: 1-based lines and columns, severity 1 (warn) or 2 (error). */
export interface Message {
  ruleId: string | null;
  severity: 1 | 2;
  message: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  fatal?: true;
  fix?: { range: [number, number]; text: string };
  /** Edits the fix makes to other files (ESLint has none): each file's edits as ESLint's `{range, text}`. */
  fixElsewhere?: { filePath: string; fixes: { range: [number, number]; text: string }[] }[];
  /** Places that explain the finding, in this or other files (SARIF relatedLocations); ESLint has none. */
  related?: RelatedMessage[];
  /** Kept out of ESLint's counts; SARIF reports it as a suppression. */
  suppressions?: { kind: 'directive'; justification: string }[];
  messageId?: string;
}

/** A related location with ESLint's 1-based lines and columns. */
export interface RelatedMessage {
  filePath: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
}

export interface FileReport {
  filePath: string;
  messages: Message[];
  suppressedMessages: Message[];
  errorCount: number;
  fatalErrorCount: number;
  warningCount: number;
  fixableErrorCount: number;
  fixableWarningCount: number;
  /** The fixed text, present when `--fix` or `--fix-dry-run` changed the file. */
  output?: string;
  /** The text the messages point into (the fixed text after `--fix`); kept out of the JSON output. */
  source?: string;
  /** What to tell the user on stderr about this file (skipped, unreadable, a refused fix); kept out of the JSON output. */
  notices?: Notice[];
  /** Set when the file was not linted (binary, not UTF-8, huge or minified); such a file is left out of the report. */
  skipped?: true;
}

/** An `error` notice means the file could not be checked at all, which makes the exit status 2. */
export interface Notice {
  level: 'warning' | 'error';
  text: string;
}

export function toMessage(finding: Finding, text: string): Message {
  const message: Message = {
    ruleId: finding.ruleId,
    severity: finding.severity === 'error' ? 2 : 1,
    message: finding.message,
    line: finding.range.start.line + 1,
    column: finding.range.start.character + 1,
    endLine: finding.range.end.line + 1,
    endColumn: finding.range.end.character + 1,
  };
  if (finding.fix && finding.fix.edits.length) message.fix = singleRangeFix(finding.fix.edits, text);
  if (finding.fix?.elsewhere?.length) {
    message.fixElsewhere = finding.fix.elsewhere.map((file) => ({ filePath: file.filePath, fixes: file.edits.map((e) => ({ range: [e.start, e.end], text: e.text })) }));
  }
  if (finding.related?.length) message.related = finding.related.map(relatedMessage);
  if (finding.suppressed) message.suppressions = [{ kind: 'directive', justification: justificationOf(finding.suppressed.comment) }];
  return message;
}

function relatedMessage(related: RelatedLocation): RelatedMessage {
  const { filePath, range, message } = related;
  return { filePath, line: range.start.line + 1, column: range.start.character + 1, endLine: range.end.line + 1, endColumn: range.end.character + 1, message };
}

/** The reason written after `--` in a suppression comment, as ESLint reports it; empty when none is given. */
function justificationOf(comment: string): string {
  const reason = /\s--\s*([^]*?)\s*(?:\*\/)?$/.exec(comment);
  return reason ? reason[1] : '';
}

/** ESLint's fix is one range, so a fix of several edits is reported as the span they cover, rewritten. */
function singleRangeFix(edits: readonly TextEdit[], text: string): Message['fix'] {
  if (edits.length === 1) return { range: [edits[0].start, edits[0].end], text: edits[0].text };
  const start = Math.min(...edits.map((e) => e.start));
  const end = Math.max(...edits.map((e) => e.end));
  const shifted = edits.map((e) => ({ ...e, start: e.start - start, end: e.end - start }));
  return { range: [start, end], text: applyEdits(text.slice(start, end), shifted) };
}

/** The report of one linted file; `text` is the text that was linted. */
export function fileReport(result: LintResult, text: string): FileReport {
  const messages: Message[] = [];
  const suppressedMessages: Message[] = [];
  if (result.parseError) {
    messages.push({
      ruleId: null,
      fatal: true,
      severity: 2,
      message: result.parseError.message,
      line: result.parseError.range.start.line + 1,
      column: result.parseError.range.start.character + 1,
    });
  }
  for (const finding of result.findings) (finding.suppressed ? suppressedMessages : messages).push(toMessage(finding, text));
  // Kept, as ESLint keeps it, only where there is something to point into: a long run holds no clean file's text.
  const source = messages.length || suppressedMessages.length ? text : undefined;
  return countMessages({ filePath: result.filePath, messages, suppressedMessages, source });
}

export function countMessages(report: Pick<FileReport, 'filePath' | 'messages' | 'suppressedMessages'> & Partial<FileReport>): FileReport {
  const errors = report.messages.filter((m) => m.severity === 2);
  const warnings = report.messages.filter((m) => m.severity === 1);
  return {
    ...report,
    errorCount: errors.length,
    fatalErrorCount: errors.filter((m) => m.fatal).length,
    warningCount: warnings.length,
    fixableErrorCount: errors.filter(isFixable).length,
    fixableWarningCount: warnings.filter(isFixable).length,
  };
}

/** Whether `--fix` fixes the message: in its own file, or by editing another. */
function isFixable(message: Message): boolean {
  return !!(message.fix || message.fixElsewhere);
}
