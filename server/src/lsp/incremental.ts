import ts from 'typescript';
import type { TextDocument, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { lintIncrementally, type AnalysisState } from '../core/incremental';
import { parse } from '../core/parse';
import type { LintResult, Settings } from '../core/types';
import { URI } from './uri';

interface Parsed {
  sourceFile: ts.SourceFile;
  /** The document version `sourceFile` holds. */
  version: number;
  filePath: string;
  /** The edits made since `version`, in order, as TypeScript change ranges. */
  edits: ts.TextChangeRange[];
  /** The last analysis of this document, and the changes made to the text since, in order. */
  analysis?: { state: AnalysisState; changes: ts.TextChangeRange[] };
}

interface DocumentFactory {
  create(uri: string, languageId: string, version: number, content: string): TextDocument;
  update(document: TextDocument, changes: TextDocumentContentChangeEvent[], version: number): TextDocument;
}

/**
 * Keeps one parsed tree per open document and brings it up to date with
 * `ts.updateSourceFile`, from the change ranges of the editor's incremental
 * `didChange` events, so that an edit to a large file re-parses only what it
 * touched; the analysis then re-runs only for the top-level statements the
 * edit touched (core/incremental.ts). Edits made between two lints are
 * collapsed into one range. A closed document holds nothing.
 */
export class IncrementalAnalysis {
  private readonly parsed = new Map<string, Parsed>();

  /**
   * Wraps a TextDocuments factory (`TextDocument`) so that every change is
   * recorded as it is applied: each change's range is relative to the text
   * left by the change before it, so they are applied one at a time.
   */
  tracking(factory: DocumentFactory): DocumentFactory {
    return {
      create: (uri, languageId, version, content) => {
        this.parsed.delete(uri);
        return factory.create(uri, languageId, version, content);
      },
      update: (document, changes, version) => {
        const entry = this.parsed.get(document.uri);
        if (!entry) return factory.update(document, changes, version);
        let current = document;
        for (const change of changes) {
          entry.edits.push(changeRange(current, change));
          current = factory.update(current, [change], version);
        }
        return current;
      },
    };
  }

  /** Lints the document's current text, re-parsing and re-analysing incrementally when its tree is known. */
  lint(document: TextDocument, settings: Settings): LintResult {
    const entry = this.current(document);
    const analysis = entry.analysis;
    const previous = analysis && { state: analysis.state, change: ts.collapseTextChangeRangesAcrossMultipleVersions(analysis.changes) };
    const { result, state } = lintIncrementally(entry.sourceFile, entry.filePath, settings, previous);
    // A version that does not parse leaves the last analysis standing, with its changes still to apply.
    if (state !== analysis?.state) entry.analysis = state && { state, changes: [] };
    return result;
  }

  /** The document's tree at its current version. */
  sourceFile(document: TextDocument): ts.SourceFile {
    return this.current(document).sourceFile;
  }

  /** Forgets a document: its tree and pending edits. */
  close(uri: string): void {
    this.parsed.delete(uri);
  }

  private current(document: TextDocument): Parsed {
    const previous = this.parsed.get(document.uri);
    if (previous && previous.version === document.version) return previous;
    const text = document.getText();
    const filePath = URI.toPath(document.uri);
    const edit = previous && previous.filePath === filePath ? collapse(previous, text) : undefined;
    // After updateSourceFile the old tree is invalid, so it is replaced at once.
    const sourceFile = edit && previous ? ts.updateSourceFile(previous.sourceFile, text, edit) : parse(text, filePath);
    const analysis = edit && previous?.analysis && { state: previous.analysis.state, changes: [...previous.analysis.changes, edit] };
    const entry: Parsed = { sourceFile, version: document.version, filePath, edits: [], analysis };
    this.parsed.set(document.uri, entry);
    return entry;
  }
}

/** The offsets an LSP change replaces in `document` (before the change), and the length of the text put there. */
function changeRange(document: TextDocument, change: TextDocumentContentChangeEvent): ts.TextChangeRange {
  if (!('range' in change)) return ts.createTextChangeRange(ts.createTextSpan(0, document.getText().length), change.text.length);
  const start = document.offsetAt(change.range.start);
  const end = document.offsetAt(change.range.end);
  return ts.createTextChangeRange(ts.createTextSpanFromBounds(start, end), change.text.length);
}

/**
 * All edits since the last parse as one range, or undefined when they cannot
 * be trusted to turn the old text into `text` (then the file is parsed afresh).
 */
function collapse(previous: Parsed, text: string): ts.TextChangeRange | undefined {
  if (previous.edits.length === 0) return undefined;
  const range = ts.collapseTextChangeRangesAcrossMultipleVersions(previous.edits);
  const oldLength = previous.sourceFile.text.length;
  const fits = range.span.start + range.span.length <= oldLength && oldLength - range.span.length + range.newLength === text.length;
  return fits ? range : undefined;
}
