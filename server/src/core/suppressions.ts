import ts from 'typescript';

const MARKER = 'authlint-disable';
const DIRECTIVE = /^(?:\/\/|\/\*)\s*authlint-disable(-next-line|-line)?(?=\s|\*\/|$)([^]*?)(?:\*\/)?$/;

export interface Directive {
  kind: 'file' | 'line';
  /** 0-based line the directive applies to (for `line`). */
  line: number;
  /** Rule ids it names; empty means every rule. */
  ruleIds: string[];
  comment: string;
  start: number;
  end: number;
}

/**
 * The suppression comments of a file: `// authlint-disable-next-line [ids]`,
 * `// authlint-disable-line [ids]`, `/* authlint-disable [ids] *\/` for the
 * whole file. Text after `--` is a reason, as in ESLint.
 */
export function findDirectives(sourceFile: ts.SourceFile): Directive[] {
  const text = sourceFile.text;
  if (!text.includes(MARKER)) return [];
  const directives: Directive[] = [];
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, sourceFile.languageVariant, text);
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (token !== ts.SyntaxKind.SingleLineCommentTrivia && token !== ts.SyntaxKind.MultiLineCommentTrivia) continue;
    const comment = scanner.getTokenText();
    if (!comment.includes(MARKER)) continue;
    const match = DIRECTIVE.exec(comment);
    if (!match) continue;
    const start = scanner.getTokenStart();
    const line = sourceFile.getLineAndCharacterOfPosition(start).line;
    const ruleIds = match[2].split('--')[0].split(/[\s,]+/).filter(Boolean);
    if (match[1] === '-next-line') directives.push({ kind: 'line', line: line + 1, ruleIds, comment, start, end: scanner.getTokenEnd() });
    else if (match[1] === '-line') directives.push({ kind: 'line', line, ruleIds, comment, start, end: scanner.getTokenEnd() });
    else if (token === ts.SyntaxKind.MultiLineCommentTrivia) directives.push({ kind: 'file', line, ruleIds, comment, start, end: scanner.getTokenEnd() });
  }
  return directives;
}

/** The directive that silences a finding of `ruleId` starting on `line`, if any. */
export function suppressionFor(directives: Directive[], ruleId: string, line: number): Directive | undefined {
  return directives.find(
    (d) => (d.kind === 'file' || d.line === line) && (d.ruleIds.length === 0 || d.ruleIds.includes(ruleId)),
  );
}
