import type { Finding, TextEdit } from './types';

/**
 * Applies the edits of as many fixes as do not overlap one another, in
 * order; the rest wait for the next pass (ESLint's approach).
 */
export function applyFixes(text: string, findings: readonly Finding[]): { text: string; applied: number } {
  const fixes = findings
    .filter((f) => f.fix && !f.suppressed && f.fix.edits.length > 0)
    .map((f) => ({ edits: [...f.fix!.edits].sort((a, b) => a.start - b.start) }))
    .sort((a, b) => a.edits[0].start - b.edits[0].start);
  const chosen: TextEdit[] = [];
  let applied = 0;
  for (const fix of fixes) {
    if (fix.edits.some((edit) => chosen.some((other) => overlaps(edit, other)))) continue;
    chosen.push(...fix.edits);
    applied++;
  }
  return { text: applyEdits(text, chosen), applied };
}

/** Applies non-overlapping edits to `text`. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let result = text;
  for (const edit of sorted) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  return result;
}

/** Two edits conflict when their ranges intersect, or both insert at the same point. */
function overlaps(a: TextEdit, b: TextEdit): boolean {
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  return a.start < b.end && b.start < a.end || (a.start === a.end && a.start > b.start && a.start < b.end) || (b.start === b.end && b.start > a.start && b.start < a.end);
}

/**
 * Makes fix edits use the text's own line ending: rules write `\n`, and a
 * CRLF file must stay CRLF after a fix, in the editor as after `--fix`.
 */
export function matchLineEndings(text: string, findings: Finding[]): void {
  if (!findings.some((f) => f.fix) || !usesCrlf(text)) return;
  for (const finding of findings) {
    if (!finding.fix) continue;
    finding.fix = { ...finding.fix, edits: finding.fix.edits.map((e) => ({ ...e, text: e.text.replace(/\r?\n/g, '\r\n') })) };
  }
}

/** Whether most of the text's line breaks are CRLF. */
function usesCrlf(text: string): boolean {
  const crlf = text.split('\r\n').length - 1;
  if (crlf === 0) return false;
  const lf = text.split('\n').length - 1 - crlf;
  return crlf >= lf;
}
