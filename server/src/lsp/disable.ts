import type { Finding, TextEdit } from '../core/types';

const NEXT_LINE = /^(\s*)\/\/\s*authlint-disable-next-line\b(.*)$/;

/**
 * `// authlint-disable-next-line <rule>` above the finding's line, with its
 * indentation; extends a directive already there instead of stacking another.
 */
export function disableLineEdit(text: string, finding: Finding): TextEdit {
  const lineStart = text.lastIndexOf('\n', finding.start - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  if (lineStart > 0) {
    const previousStart = text.lastIndexOf('\n', lineStart - 2) + 1;
    const previousEnd = lineStart - 1 - (text[lineStart - 2] === '\r' ? 1 : 0);
    const previous = text.slice(previousStart, previousEnd);
    const match = NEXT_LINE.exec(previous);
    if (match) {
      const [rules, reason] = match[2].split('--');
      const ids = rules.split(/[\s,]+/).filter(Boolean);
      if (ids.length > 0 && !ids.includes(finding.ruleId)) {
        const newText = `${match[1]}// authlint-disable-next-line ${[...ids, finding.ruleId].join(', ')}${reason !== undefined ? ` --${reason}` : ''}`;
        return { start: previousStart, end: previousEnd, text: newText };
      }
    }
  }
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return { start: lineStart, end: lineStart, text: `${indent}// authlint-disable-next-line ${finding.ruleId}${eol}` };
}

/** `/* authlint-disable <rule> *\/` at the top of the file, after a shebang. */
export function disableFileEdit(text: string, ruleId: string): TextEdit {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const at = text.startsWith('#!') ? text.indexOf('\n') + 1 || text.length : 0;
  const prefix = at > 0 && at === text.length && !text.endsWith('\n') ? eol : '';
  return { start: at, end: at, text: `${prefix}/* authlint-disable ${ruleId} */${eol}` };
}
