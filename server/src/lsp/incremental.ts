import ts from 'typescript';
import type { Range, TextDocument, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { lintIncrementally, type AnalysisState, type ProjectInput } from '../core/incremental';
import type { AskedQuestion } from '../core/project/view';
import { parse } from '../core/parse';
import type { LintResult, Settings } from '../core/types';
import { URI } from './uri';

interface Parsed {
  sourceFile: ts.SourceFile;
  /** The revision of the document `sourceFile` holds (see `revision`). */
  revision: number;
  filePath: string;
  /** The edits made since `revision`, in order, as TypeScript change ranges. */
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
   * A count of the changes each open document received. The client's version
   * numbers cannot tell texts apart (a client may repeat or reorder them), and
   * a TextDocument is updated in place, so this is what says a text is new.
   */
  private readonly revisions = new Map<string, number>();
  /** Documents whose text is unknown since a change that could not be read, until a full-text change. */
  private readonly lost = new Set<string>();

  /**
   * Wraps a TextDocuments factory (`TextDocument`) so that every change is
   * recorded as it is applied: each change's range is relative to the text
   * left by the change before it, so they are applied one at a time.
   */
  tracking(factory: DocumentFactory): DocumentFactory {
    return {
      create: (uri, languageId, version, content) => {
        this.parsed.delete(uri);
        this.lost.delete(uri);
        this.bump(uri);
        return factory.create(uri, languageId, version, typeof content === 'string' ? content : '');
      },
      update: (document, changes, version) => {
        this.bump(document.uri);
        const entry = this.parsed.get(document.uri);
        let current = document;
        for (const change of changes) {
          if (!isReadable(change)) {
            this.lost.add(document.uri);
            this.parsed.delete(document.uri);
            continue;
          }
          if (isFullText(change)) this.lost.delete(document.uri);
          entry?.edits.push(changeRange(current, change));
          current = factory.update(current, [change], version);
        }
        // The version moves on even when no change could be applied.
        return factory.update(current, [], version);
      },
    };
  }

  /** The document's revision: it changes with every change event, whatever version the client gave. */
  revision(uri: string): number {
    return this.revisions.get(uri) ?? 0;
  }

  /** Whether the server no longer knows the client's text (a malformed change), so it must publish nothing. */
  isLost(uri: string): boolean {
    return this.lost.has(uri);
  }

  private bump(uri: string): void {
    this.revisions.set(uri, this.revision(uri) + 1);
  }

  /**
   * Lints the document's current text, re-parsing and re-analysing
   * incrementally when its tree is known; in a project, against its index
   * (then `asked` is what the findings asked of it).
   */
  lint(document: TextDocument, settings: Settings, project?: ProjectInput): { result: LintResult; asked: AskedQuestion[] } {
    const entry = this.current(document);
    const analysis = entry.analysis;
    const previous = analysis && { state: analysis.state, change: ts.collapseTextChangeRangesAcrossMultipleVersions(analysis.changes) };
    const { result, state, asked } = lintIncrementally(entry.sourceFile, entry.filePath, settings, previous, project);
    // A version that does not parse leaves the last analysis standing, with its changes still to apply.
    if (state !== analysis?.state) entry.analysis = state && { state, changes: [] };
    return { result, asked };
  }

  /** The document's tree at its current version. */
  sourceFile(document: TextDocument): ts.SourceFile {
    return this.current(document).sourceFile;
  }

  /** Forgets a document: its tree and pending edits. */
  close(uri: string): void {
    this.parsed.delete(uri);
    this.lost.delete(uri);
    this.bump(uri);
  }

  private current(document: TextDocument): Parsed {
    const previous = this.parsed.get(document.uri);
    const revision = this.revision(document.uri);
    if (previous && previous.revision === revision) return previous;
    const text = document.getText();
    const filePath = URI.toPath(document.uri);
    const edit = previous && previous.filePath === filePath ? collapse(previous, text) : undefined;
    // After updateSourceFile the old tree is invalid, so it is replaced at once.
    const sourceFile = edit && previous ? updated(previous.sourceFile, text, edit) : parse(text, filePath);
    const analysis = edit && previous?.analysis && { state: previous.analysis.state, changes: [...previous.analysis.changes, edit] };
    const entry: Parsed = { sourceFile, revision, filePath, edits: [], analysis };
    this.parsed.set(document.uri, entry);
    return entry;
  }
}

/** TypeScript's line starts of a tree, which it computes from the whole text on the first position asked. */
type WithLineMap = ts.SourceFile & { lineMap?: readonly number[] };

/**
 * The tree re-parsed after `edit`, given the line starts of the old one
 * moved by the edit: only the edited text is scanned for line breaks,
 * where TypeScript would scan the whole text of a 20,000-line file at every
 * keystroke. Without line starts to carry (never asked, or another
 * TypeScript), it computes them itself as before.
 */
function updated(previous: ts.SourceFile, text: string, edit: ts.TextChangeRange): ts.SourceFile {
  const old = (previous as WithLineMap).lineMap;
  const next = ts.updateSourceFile(previous, text, edit) as WithLineMap;
  if (Array.isArray(old) && next.lineMap === undefined) next.lineMap = movedLineStarts(old, text, edit);
  return next;
}

/**
 * Line starts after `edit`, as ts.computeLineStarts gives them for `text`.
 * A line starts after a line break, but not between the two characters of a
 * CRLF, so whether an offset starts a line depends on the characters just
 * before and at it: those before the edit and those after it are as they
 * were, and only the offsets next to the new text are looked at.
 */
export function movedLineStarts(old: readonly number[], text: string, edit: ts.TextChangeRange): number[] {
  const start = edit.span.start;
  const oldEnd = ts.textSpanEnd(edit.span);
  const delta = edit.newLength - edit.span.length;
  const starts: number[] = [];
  let i = 0;
  for (; i < old.length && old[i] < start; i++) starts.push(old[i]);
  if (start === 0) starts.push(0);
  const last = Math.min(start + edit.newLength, text.length);
  for (let offset = Math.max(start, 1); offset <= last; offset++) if (startsLine(text, offset)) starts.push(offset);
  for (; i < old.length; i++) if (old[i] > oldEnd) starts.push(old[i] + delta);
  return starts;
}

function startsLine(text: string, offset: number): boolean {
  const before = text.charCodeAt(offset - 1);
  if (before === LF || before === LS || before === PS) return true;
  return before === CR && text.charCodeAt(offset) !== LF;
}

const LF = 10;
const CR = 13;
const LS = 0x2028;
const PS = 0x2029;

/**
 * The offsets an LSP change replaces in `document` (before the change), and
 * the length of the text put there. Read as TextDocument.update reads them:
 * positions clamped to the text, and an inverted range taken from its
 * earlier end, so the tree and the document's text never part.
 */
function changeRange(document: TextDocument, change: TextDocumentContentChangeEvent): ts.TextChangeRange {
  if (isFullText(change)) return ts.createTextChangeRange(ts.createTextSpan(0, document.getText().length), change.text.length);
  const { range } = change as { range: Range };
  const a = document.offsetAt(range.start);
  const b = document.offsetAt(range.end);
  return ts.createTextChangeRange(ts.createTextSpanFromBounds(Math.min(a, b), Math.max(a, b)), change.text.length);
}

/** A change that replaces the whole text, as TextDocument.update tells it (no range, or an undefined one). */
function isFullText(change: TextDocumentContentChangeEvent): boolean {
  return (change as { range?: unknown }).range === undefined;
}

/** Whether a change event from the client has the shape LSP gives it; anything else cannot be applied. */
function isReadable(change: unknown): change is TextDocumentContentChangeEvent {
  if (typeof change !== 'object' || change === null || typeof (change as { text?: unknown }).text !== 'string') return false;
  const range = (change as { range?: { start?: unknown; end?: unknown } }).range;
  if (range === undefined) return true;
  return isPosition(range?.start) && isPosition(range?.end);
}

function isPosition(position: unknown): boolean {
  const { line, character } = (position ?? {}) as { line?: unknown; character?: unknown };
  return Number.isInteger(line) && Number.isInteger(character);
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
