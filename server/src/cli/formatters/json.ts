import type { FileReport, Message } from '../report';

/** One file's result as ESLint's JSON formatter writes it, so ESLint's formatters (codeframe reads `source`) read ours. */
interface EslintResult {
  filePath: string;
  messages: Message[];
  suppressedMessages: Message[];
  errorCount: number;
  fatalErrorCount: number;
  warningCount: number;
  fixableErrorCount: number;
  fixableWarningCount: number;
  output?: string;
  source?: string;
  usedDeprecatedRules: { ruleId: string; replacedBy: string[] }[];
}

/** ESLint's `json` formatter: the array of file results, without the CLI's own bookkeeping. */
export function formatJson(reports: readonly FileReport[]): string {
  return JSON.stringify(reports.map(eslintResult));
}

function eslintResult(report: FileReport): EslintResult {
  const { filePath, messages, suppressedMessages, errorCount, fatalErrorCount, warningCount, fixableErrorCount, fixableWarningCount, output } = report;
  // As ESLint: the fixed text when fixes changed the file, else the text linted when there is a problem to show in it.
  const text = output !== undefined ? { output } : errorCount + warningCount > 0 && report.source !== undefined ? { source: report.source } : {};
  return { filePath, messages, suppressedMessages, errorCount, fatalErrorCount, warningCount, fixableErrorCount, fixableWarningCount, ...text, usedDeprecatedRules: [] };
}
