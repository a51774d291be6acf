import type { FileEdits, Finding, LintResult, TextEdit } from './types';

/** Fixes can enable other fixes (ESLint's approach, and its number): ten passes is far more than any real file needs. */
export const MAX_FIX_PASSES = 10;

export interface AppliedFixes {
  text: string;
  /** How many fixes were applied. */
  applied: number;
  /** The findings whose fixes were applied. */
  fixed: Finding[];
  /** The edits made, sorted, relative to the text before them. */
  edits: TextEdit[];
}

/**
 * Applies, in one pass over the text, the fixes of as many findings as do not
 * overlap one another; the rest wait for the next pass (ESLint's approach).
 * An edit identical to one already chosen (the import two fixes both add) is
 * shared rather than a conflict. A fix whose own edits overlap or fall outside
 * the text is never applied. Costs O(n log n) in the number of fixes and O(1)
 * copies of the text, however many fixes there are.
 */
export function applyFixes(text: string, findings: readonly Finding[]): AppliedFixes {
  const candidates = findings
    .filter((f) => f.fix && !f.suppressed && f.fix.edits.length > 0)
    .map((finding) => ({ finding, edits: ownEdits(finding.fix!.edits, text.length) }))
    .filter((c): c is { finding: Finding; edits: TextEdit[] } => c.edits !== undefined)
    .sort((a, b) => compareEdits(a.edits[0], b.edits[0]));
  const chosen: TextEdit[] = [];
  const fixed: Finding[] = [];
  for (const candidate of candidates) {
    const fresh = candidate.edits.filter((edit) => !hasSame(chosen, edit));
    if (fresh.some((edit) => conflictsWithChosen(chosen, edit))) continue;
    for (const edit of fresh) chosen.splice(insertionIndex(chosen, edit), 0, edit);
    fixed.push(candidate.finding);
  }
  return { text: applyEdits(text, chosen), applied: fixed.length, fixed, edits: chosen };
}

/** A fix's edits sorted, duplicates dropped; undefined when they overlap one another or leave the text. */
function ownEdits(edits: readonly TextEdit[], length: number): TextEdit[] | undefined {
  const sorted = [...edits].sort(compareEdits).filter((edit, i, all) => i === 0 || !sameEdit(edit, all[i - 1]));
  if (sorted.some((e) => e.start < 0 || e.end > length || e.start > e.end)) return undefined;
  for (let i = 1; i < sorted.length; i++) if (overlaps(sorted[i - 1], sorted[i])) return undefined;
  return sorted;
}

/**
 * Applies non-overlapping edits to `text` in one pass, copying each
 * unchanged stretch once. Edits at the same offset apply in sorted order: an
 * insertion before the replacement that starts there.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  if (edits.length === 0) return text;
  const sorted = [...edits].sort(compareEdits);
  const pieces: string[] = [];
  let position = 0;
  for (const edit of sorted) {
    pieces.push(text.slice(position, edit.start), edit.text);
    position = edit.end;
  }
  pieces.push(text.slice(position));
  return pieces.join('');
}

function compareEdits(a: TextEdit, b: TextEdit): number {
  return a.start - b.start || a.end - b.end;
}

function sameEdit(a: TextEdit, b: TextEdit): boolean {
  return a.start === b.start && a.end === b.end && a.text === b.text;
}

/** Where `edit` goes in the sorted `chosen`: after every edit that sorts before or equal to it. */
function insertionIndex(chosen: readonly TextEdit[], edit: TextEdit): number {
  let low = 0;
  let high = chosen.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareEdits(chosen[mid], edit) <= 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Whether the sorted `chosen` holds an edit identical to `edit`. */
function hasSame(chosen: readonly TextEdit[], edit: TextEdit): boolean {
  for (let i = insertionIndex(chosen, edit) - 1; i >= 0 && compareEdits(chosen[i], edit) === 0; i--) {
    if (chosen[i].text === edit.text) return true;
  }
  return false;
}

/**
 * Whether `edit` conflicts with an edit of the sorted, mutually
 * non-overlapping `chosen`. Their ends are sorted too, so only the few
 * around `edit`'s position need looking at.
 */
function conflictsWithChosen(chosen: readonly TextEdit[], edit: TextEdit): boolean {
  let low = 0;
  let high = chosen.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (chosen[mid].end < edit.start) low = mid + 1;
    else high = mid;
  }
  for (let i = low; i < chosen.length && chosen[i].start <= edit.end; i++) if (overlaps(chosen[i], edit)) return true;
  return false;
}

/** Two edits conflict when their ranges intersect, both insert at the same point, or one inserts inside the other. */
function overlaps(a: TextEdit, b: TextEdit): boolean {
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  return (a.start < b.end && b.start < a.end) || (a.start === a.end && a.start > b.start && a.start < b.end) || (b.start === b.end && b.start > a.start && b.start < a.end);
}

export interface FixOutcome {
  /** The fixed text (the input when nothing applied). */
  text: string;
  /** The lint result of `text`: what remains. */
  result: LintResult;
  applied: number;
  /** Fixes left out because the code would no longer parse with them, described for the user. */
  refused: string[];
  /** The edits of each pass, each relative to the text the pass started from: they map offsets of the input to `text`. */
  passes: TextEdit[][];
  /** The edits to other files of the fixes applied here, and of the fixes that edit only other files. */
  elsewhere: FileEdits[];
}

export interface FixSourceOptions {
  /** The lint result of `text`, when the caller has it (the editor does): saves the first lint. */
  initial?: LintResult;
}

/**
 * Applies the fixes of `text` in passes, re-linting after each, until none is
 * left or none applies, at most MAX_FIX_PASSES times. A pass applies every
 * fix that does not overlap another, so N independent fixes cost two lints,
 * not N. A pass whose result does not parse is split in halves until the fixes
 * that break parsing are found and refused, so the returned text always
 * parses when the input did. Nothing is fixed in a text that does not parse.
 */
export function fixSource(text: string, lintText: (text: string) => LintResult, options: FixSourceOptions = {}): FixOutcome {
  let current = text;
  let result = options.initial ?? lintText(text);
  let applied = 0;
  const refused = new Map<string, string>();
  const passes: TextEdit[][] = [];
  const elsewhere = new Elsewhere();
  if (result.parseError) return { text, result, applied, refused: [], passes, elsewhere: [] };
  for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
    const fixable = result.findings.filter((f) => f.fix && !f.suppressed && f.fix.edits.length > 0 && !refused.has(fixKey(f, current)));
    if (fixable.length === 0) break;
    const refusedBefore = refused.size;
    const attempt = parsingFixes(current, fixable, lintText, refused);
    if (!attempt) {
      // The fixes that overlapped the refused ones may still apply on their own.
      if (refused.size > refusedBefore) continue;
      break;
    }
    for (const finding of attempt.fixed) elsewhere.add(finding);
    passes.push(attempt.edits);
    [current, result, applied] = [attempt.text, attempt.result, applied + attempt.applied];
  }
  for (const finding of result.findings) if (!finding.suppressed && finding.fix?.edits.length === 0) elsewhere.add(finding);
  return { text: current, result, applied, refused: [...refused.values()], passes, elsewhere: elsewhere.list() };
}

/**
 * The largest set of `fixable` (found by halving) whose fixes leave `text`
 * parsing, applied, with its lint result; each fix found to break parsing
 * on its own is recorded in `refused`. Undefined when none can be applied.
 */
function parsingFixes(
  text: string,
  fixable: Finding[],
  lintText: (text: string) => LintResult,
  refused: Map<string, string>,
): (AppliedFixes & { result: LintResult }) | undefined {
  const chosen = applyFixes(text, fixable);
  if (chosen.applied === 0) return undefined;
  const whole = lintText(chosen.text);
  if (!whole.parseError) return { ...chosen, result: whole };
  let kept: Finding[] = [];
  let last: (AppliedFixes & { result: LintResult }) | undefined;
  const tryGroup = (group: Finding[]): void => {
    const attempt = applyFixes(text, [...kept, ...group]);
    const result = lintText(attempt.text);
    if (!result.parseError) {
      kept = attempt.fixed;
      last = { ...attempt, result };
      return;
    }
    if (group.length === 1) {
      const [finding] = group;
      refused.set(fixKey(finding, text), `${finding.ruleId} at line ${finding.range.start.line + 1}: "${finding.fix!.title}" would leave code that does not parse (${result.parseError.message})`);
      return;
    }
    const half = Math.ceil(group.length / 2);
    tryGroup(group.slice(0, half));
    tryGroup(group.slice(half));
  };
  const half = Math.ceil(chosen.fixed.length / 2);
  tryGroup(chosen.fixed.slice(0, half));
  if (chosen.fixed.length > 1) tryGroup(chosen.fixed.slice(half));
  return last;
}

/** Identifies a fix across passes, where offsets shift: the rule, the edit texts and the line it starts on. */
function fixKey(finding: Finding, text: string): string {
  const lineStart = text.lastIndexOf('\n', finding.start - 1) + 1;
  const lineEnd = text.indexOf('\n', finding.start);
  const line = text.slice(lineStart, lineEnd === -1 ? text.length : lineEnd).trim();
  return [finding.ruleId, line, ...finding.fix!.edits.map((e) => e.text)].join('\0');
}

/** The other-file edits of a set of fixes, each edit once however many fixes carry it. */
class Elsewhere {
  private readonly byFile = new Map<string, Map<string, TextEdit>>();

  add(finding: Finding): void {
    for (const file of finding.fix?.elsewhere ?? []) {
      let edits = this.byFile.get(file.filePath);
      if (!edits) this.byFile.set(file.filePath, (edits = new Map()));
      for (const edit of file.edits) edits.set(editKey(edit), edit);
    }
  }

  list(): FileEdits[] {
    return [...this.byFile].map(([filePath, edits]) => ({ filePath, edits: [...edits.values()].sort(compareEdits) }));
  }
}

function editKey(edit: TextEdit): string {
  return `${edit.start}:${edit.end}:${edit.text}`;
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

/**
 * Where an offset of the text before `passes` (a fixSource outcome's) is in
 * the text after them; undefined when an edit replaced the text around it.
 */
export function mapOffset(offset: number, passes: readonly (readonly TextEdit[])[]): number | undefined {
  let mapped = offset;
  for (const edits of passes) {
    let shift = 0;
    for (const edit of edits) {
      if (edit.start >= mapped && !(edit.start === edit.end && edit.start === mapped)) break;
      if (edit.end > mapped) return undefined;
      shift += edit.text.length - (edit.end - edit.start);
    }
    mapped += shift;
  }
  return mapped;
}

/** Whether two lists of edits are the same edits. */
export function sameEdits(a: readonly TextEdit[], b: readonly TextEdit[]): boolean {
  const [x, y] = [[...a].sort(compareEdits), [...b].sort(compareEdits)];
  return x.length === y.length && x.every((edit, i) => sameEdit(edit, y[i]));
}
