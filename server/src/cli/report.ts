import type { Finding, LintResult } from '../core/types';

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
  /** Kept out of ESLint's counts; SARIF reports it as a suppression. */
  suppressions?: { kind: 'directive'; justification: string }[];
  messageId?: string;
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
  /** The fixed text, present when `--fix` changed the file. */
  output?: string;
  source?: string;
}

export function toMessage(finding: Finding): Message {
  const message: Message = {
    ruleId: finding.ruleId,
    severity: finding.severity === 'error' ? 2 : 1,
    message: finding.message,
    line: finding.range.start.line + 1,
    column: finding.range.start.character + 1,
    endLine: finding.range.end.line + 1,
    endColumn: finding.range.end.character + 1,
  };
  // ESLint's fix is one range; a multi-edit fix is reported as its span rewritten.
  if (finding.fix) message.fix = singleRangeFix(finding.fix.edits);
  if (finding.suppressed) message.suppressions = [{ kind: 'directive', justification: finding.suppressed.comment }];
  return message;
}

function singleRangeFix(edits: { start: number; end: number; text: string }[]): Message['fix'] {
  if (edits.length === 1) return { range: [edits[0].start, edits[0].end], text: edits[0].text };
  return undefined;
}

export function fileReport(result: LintResult, extra: Message[] = []): FileReport {
  const messages: Message[] = [...extra];
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
  for (const finding of result.findings) (finding.suppressed ? suppressedMessages : messages).push(toMessage(finding));
  return countMessages({ filePath: result.filePath, messages, suppressedMessages });
}

export function countMessages(report: Pick<FileReport, 'filePath' | 'messages' | 'suppressedMessages'> & Partial<FileReport>): FileReport {
  const errors = report.messages.filter((m) => m.severity === 2);
  const warnings = report.messages.filter((m) => m.severity === 1);
  return {
    ...report,
    errorCount: errors.length,
    fatalErrorCount: errors.filter((m) => m.fatal).length,
    warningCount: warnings.length,
    fixableErrorCount: errors.filter((m) => m.fix).length,
    fixableWarningCount: warnings.filter((m) => m.fix).length,
  };
}
