import type { AuthVocabularyConfig } from './model/auth-vocabulary';

/**
 * The analysis core's public types. Nothing here may import the LSP or VS Code:
 * the language server and the CLI are adapters over these shapes.
 */

export type Severity = 'off' | 'warn' | 'error';

/** A replacement of the text between two offsets of the original file. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** 0-based line and character (UTF-16 code units), as LSP counts them. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface Fix {
  /** What applying it does, shown as the quick fix's title. */
  title: string;
  edits: TextEdit[];
}

export interface Finding {
  ruleId: string;
  severity: Exclude<Severity, 'off'>;
  message: string;
  /** Offsets into the file text. */
  start: number;
  end: number;
  range: Range;
  /** The safe fix, applied by `--fix` and fix-on-save. */
  fix?: Fix;
  /** Set when a suppression comment covers the finding (kept for SARIF). */
  suppressed?: { kind: 'line' | 'file'; comment: string };
}

export interface Settings {
  rules: Record<string, Severity>;
  /** The WWW-Authenticate value the quick fix inserts. */
  challenge: string;
  /** Lower-cased request headers that carry the caller's credential. */
  credentialHeaders: string[];
  /** Words added to the vocabulary that tells authentication guards from authorization guards. */
  authVocabulary?: AuthVocabularyConfig;
}

export const DEFAULT_CHALLENGE = 'Bearer realm="api"';

export function defaultSettings(): Settings {
  return { rules: {}, challenge: DEFAULT_CHALLENGE, credentialHeaders: ['authorization'] };
}

export interface ParseFailure {
  message: string;
  start: number;
  range: Range;
}

export interface LintResult {
  filePath: string;
  /** Reported findings, suppressed ones included (they carry `suppressed`). */
  findings: Finding[];
  /** Set when the file does not parse; then there are no findings. */
  parseError?: ParseFailure;
}
