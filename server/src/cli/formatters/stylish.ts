import path from 'node:path';
import type { FileReport } from '../report';

interface Colors {
  underline(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  bold(s: string): string;
}

function palette(enabled: boolean): Colors {
  const wrap = (open: number, close: number) => (s: string) => (enabled ? `\u001b[${open}m${s}\u001b[${close}m` : s);
  return { underline: wrap(4, 24), dim: wrap(2, 22), red: wrap(31, 39), yellow: wrap(33, 39), bold: wrap(1, 22) };
}

/** ESLint's `stylish` output: a block per file, then a summary line. */
export function formatStylish(reports: readonly FileReport[], options: { color: boolean; cwd: string }): string {
  const c = palette(options.color);
  const lines: string[] = [];
  let errors = 0;
  let warnings = 0;
  let fixableErrors = 0;
  let fixableWarnings = 0;
  for (const report of reports) {
    errors += report.errorCount;
    warnings += report.warningCount;
    fixableErrors += report.fixableErrorCount;
    fixableWarnings += report.fixableWarningCount;
    if (report.messages.length === 0) continue;
    lines.push('', c.underline(path.relative(options.cwd, report.filePath) || report.filePath));
    const rows = report.messages.map((m) => [
      `  ${m.line}:${m.column}`,
      m.severity === 2 ? c.red('error') : c.yellow('warning'),
      m.message,
      c.dim(m.ruleId ?? ''),
    ]);
    const widths = [0, 1].map((i) => Math.max(...rows.map((r) => visibleLength(r[i]))));
    for (const row of rows) {
      lines.push(`${pad(row[0], widths[0])}  ${pad(row[1], widths[1])}  ${row[2]}  ${row[3]}`.trimEnd());
    }
  }
  const total = errors + warnings;
  if (total === 0) return '';
  const summary = `\u2716 ${total} problem${total === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'})`;
  lines.push('', (errors ? c.red : c.yellow)(c.bold(summary)));
  if (fixableErrors + fixableWarnings > 0) {
    lines.push(
      (errors ? c.red : c.yellow)(
        c.bold(`  ${fixableErrors} error${fixableErrors === 1 ? '' : 's'} and ${fixableWarnings} warning${fixableWarnings === 1 ? '' : 's'} potentially fixable with the \`--fix\` option.`),
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}

function visibleLength(s: string): number {
  return s.replace(/\u001b\[\d+m/g, '').length;
}

function pad(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - visibleLength(s)));
}
