import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { docsUrl } from '../../core/rules/rule';
import type { FileReport, Message } from '../report';
import { formatStylish } from './stylish';

/** GitHub shows this many annotations of each kind per step and drops the rest. */
export const ANNOTATIONS_SHOWN = 10;

export interface GithubOptions {
  /** The repository root (GITHUB_WORKSPACE): annotation paths are relative to it. */
  root: string;
  cwd: string;
  color: boolean;
}

/**
 * GitHub Actions workflow commands (`::error` / `::warning`), one per
 * finding, which GitHub turns into annotations on the pull request; then,
 * because GitHub shows only the first ten of each kind, the full stylish
 * report, fenced by `stop-commands` so nothing in it is read as a command.
 */
export function formatGithub(reports: readonly FileReport[], options: GithubOptions): string {
  const lines: string[] = [];
  const counts = { error: 0, warning: 0 };
  for (const report of reports) {
    const file = path.relative(options.root, report.filePath).split(path.sep).join('/');
    for (const message of report.messages) {
      const kind = message.severity === 2 ? 'error' : 'warning';
      counts[kind]++;
      lines.push(annotation(kind, file, message));
    }
  }
  const stylish = formatStylish(reports, { color: options.color, cwd: options.cwd });
  if (!stylish) return lines.length ? `${lines.join('\n')}\n` : '';
  if (counts.error > ANNOTATIONS_SHOWN || counts.warning > ANNOTATIONS_SHOWN) {
    lines.push(`authlint: GitHub shows the first ${ANNOTATIONS_SHOWN} errors and ${ANNOTATIONS_SHOWN} warnings as annotations; all ${counts.error} errors and ${counts.warning} warnings are listed below.`);
  }
  const token = `authlint-${randomBytes(8).toString('hex')}`;
  lines.push(`::stop-commands::${token}`, stylish.trimEnd(), `::${token}::`);
  return `${lines.join('\n')}\n`;
}

function annotation(kind: 'error' | 'warning', file: string, message: Message): string {
  const properties: [string, string | number | undefined][] = [
    ['file', file],
    ['line', message.line],
    ['endLine', message.endLine],
    ['col', message.column],
    ['endColumn', message.endColumn],
    ['title', message.ruleId ? `authlint: ${message.ruleId}` : 'authlint: file not linted'],
  ];
  const props = properties
    .filter((p): p is [string, string | number] => p[1] !== undefined)
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',');
  const link = message.ruleId ? docsUrl(message.ruleId) : undefined;
  const text = link ? `${message.message}\n${link}` : message.message;
  return `::${kind} ${props}::${escapeData(text)}`;
}

/** The escaping GitHub's runner undoes in a command's message. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value also escapes the characters that separate properties. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
