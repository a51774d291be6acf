import type ts from 'typescript';
import type { Range } from './types';

/** The one place that turns file offsets into 0-based line/character ranges. */
export function rangeOf(sourceFile: ts.SourceFile, start: number, end: number): Range {
  const s = sourceFile.getLineAndCharacterOfPosition(start);
  const e = sourceFile.getLineAndCharacterOfPosition(end);
  return { start: { line: s.line, character: s.character }, end: { line: e.line, character: e.character } };
}

/** Offset of a 0-based line/character in `text` (clamped to the text). */
export function offsetAt(lineStarts: readonly number[], textLength: number, line: number, character: number): number {
  if (line >= lineStarts.length) return textLength;
  if (line < 0) return 0;
  const next = line + 1 < lineStarts.length ? lineStarts[line + 1] : textLength;
  return Math.min(lineStarts[line] + Math.max(0, character), next);
}
