import { applyFixes } from '../core/fix';
import type { Finding, LintResult } from '../core/types';

/** Fixes can enable other fixes (ESLint's approach); ten passes is far more than any real file needs. */
export const MAX_FIX_PASSES = 10;

export interface FixOutcome {
  /** The fixed text (the input when nothing applied). */
  text: string;
  /** The lint result of `text`: what remains. */
  result: LintResult;
  applied: number;
  /** Fixes left out because the code would no longer parse with them, described for the user. */
  refused: string[];
}

/**
 * Applies the fixes of `text` in passes until none is left or none applies,
 * re-linting after each pass. A pass whose result does not parse is retried
 * one fix at a time, and each fix that breaks parsing is refused, so the
 * returned text always parses when the input did. Nothing is fixed in a text
 * that does not parse.
 */
export function fixSource(text: string, lintText: (text: string) => LintResult): FixOutcome {
  let current = text;
  let result = lintText(text);
  let applied = 0;
  const refused = new Map<string, string>();
  if (result.parseError) return { text, result, applied, refused: [] };
  for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
    const fixable = result.findings.filter((f) => f.fix && !f.suppressed && !refused.has(fixKey(f, current)));
    if (fixable.length === 0) break;
    const attempt = applyFixes(current, fixable);
    if (attempt.applied === 0) break;
    const next = lintText(attempt.text);
    if (!next.parseError) {
      [current, result, applied] = [attempt.text, next, applied + attempt.applied];
      continue;
    }
    const single = firstParsingFix(current, fixable, lintText, refused);
    if (!single) break;
    [current, result, applied] = [single.text, single.result, applied + 1];
  }
  return { text: current, result, applied, refused: [...refused.values()] };
}

/** Tries the fixes one by one, recording each that breaks parsing, and returns the first that does not. */
function firstParsingFix(
  text: string,
  fixable: Finding[],
  lintText: (text: string) => LintResult,
  refused: Map<string, string>,
): { text: string; result: LintResult } | undefined {
  for (const finding of fixable) {
    const fixed = applyFixes(text, [finding]).text;
    const result = lintText(fixed);
    if (!result.parseError) return { text: fixed, result };
    refused.set(fixKey(finding, text), `${finding.ruleId} at line ${finding.range.start.line + 1}: "${finding.fix!.title}" would leave code that does not parse (${result.parseError.message})`);
  }
  return undefined;
}

/** Identifies a fix across passes, where offsets shift: the rule, the edit texts and the line it starts on. */
function fixKey(finding: Finding, text: string): string {
  const lineStart = text.lastIndexOf('\n', finding.start - 1) + 1;
  const lineEnd = text.indexOf('\n', finding.start);
  const line = text.slice(lineStart, lineEnd === -1 ? text.length : lineEnd).trim();
  return [finding.ruleId, line, ...finding.fix!.edits.map((e) => e.text)].join('\0');
}
