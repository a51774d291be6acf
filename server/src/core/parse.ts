import ts from 'typescript';
import type { ParseFailure } from './types';
import { extensionOf } from './linted-paths';
import { rangeOf } from './positions';

export { extensionOf, isLintedPath, LINTED_EXTENSIONS } from './linted-paths';

/** The script kind TypeScript parses each extension the linter reads as (core/linted-paths.ts). */
const SCRIPT_KINDS: Record<string, ts.ScriptKind> = {
  '.ts': ts.ScriptKind.TS,
  '.mts': ts.ScriptKind.TS,
  '.cts': ts.ScriptKind.TS,
  '.tsx': ts.ScriptKind.TSX,
  '.js': ts.ScriptKind.JS,
  '.mjs': ts.ScriptKind.JS,
  '.cjs': ts.ScriptKind.JS,
  '.jsx': ts.ScriptKind.JSX,
};

export function scriptKindFor(filePath: string): ts.ScriptKind {
  // Plain JavaScript may hold JSX (React server components, Next.js pages), so
  // an unknown extension parses as JSX rather than failing outright.
  return SCRIPT_KINDS[extensionOf(filePath)] ?? ts.ScriptKind.JSX;
}

/**
 * Parses without parent pointers: `buildModel`'s walk sets them, so the parser
 * need not walk the tree a second time. Code that reads `parent` runs after it.
 * JSDoc comments are not parsed (as typescript-eslint allows): no rule reads
 * them, and in documented code they cost a tenth of the parse.
 */
export function parse(text: string, filePath: string): ts.SourceFile {
  const options = { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone };
  return ts.createSourceFile(filePath, text, options, false, scriptKindFor(filePath));
}

/**
 * The first syntax error TypeScript's parser recovered from, if any. The parser
 * never throws; it records these on the source file (an internal but stable field
 * that typescript-eslint reads too).
 */
export function syntaxErrorOf(sourceFile: ts.SourceFile): ParseFailure | undefined {
  const diagnostics = (sourceFile as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics;
  const first = diagnostics?.find((d) => d.category === ts.DiagnosticCategory.Error);
  if (!first) return undefined;
  const start = first.start ?? 0;
  return {
    message: `Parsing error: ${ts.flattenDiagnosticMessageText(first.messageText, '\n')}`,
    start,
    range: rangeOf(sourceFile, start, start),
  };
}
