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
  /** Edits to the file the finding is in. */
  edits: TextEdit[];
  /**
   * Edits to other files of the project (the central error handler that should
   * set the challenge for every site it serves). Many findings may carry the
   * same edit: applying one applies it for all.
   */
  elsewhere?: FileEdits[];
}

export interface FileEdits {
  /** Absolute path of the file edited. */
  filePath: string;
  edits: TextEdit[];
}

/** Another place that explains a finding: the handler that sends the response a status was decided for. */
export interface RelatedLocation {
  /** Absolute path; the finding's own file when the place is in it. */
  filePath: string;
  start: number;
  end: number;
  range: Range;
  message: string;
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
  /** Places in this or other files that explain the finding (SARIF relatedLocations, LSP relatedInformation). */
  related?: RelatedLocation[];
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
  /**
   * The roots of the projects linted (workspace/project-root.ts), set by the
   * adapters: a folder such as `test/` makes test code only beneath one.
   */
  projectRoots?: string[];
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
