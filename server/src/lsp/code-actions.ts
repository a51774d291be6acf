import {
  CodeAction,
  CodeActionKind,
  Command,
  type CodeActionParams,
  type Diagnostic,
  type TextDocumentEdit,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { applyFixes } from '../core/fix';
import type { FileEdits, Finding, LintResult, TextEdit } from '../core/types';
import { disableFileEdit, disableLineEdit } from './disable';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.authlint`;

/** Commands the server executes (`workspace/executeCommand`). */
export const ServerCommands = {
  /** Args: `{uri, version}`. Applies every safe fix in the document through `workspace/applyEdit`. */
  applyFixAll: 'authlint.server.applyFixAll',
  /** Args: rule id. Opens the rule's bundled docs through `window/showDocument`. */
  showDocumentation: 'authlint.server.showDocumentation',
  /** No args. Lints every file of every workspace folder, with progress; returns `{files, problems}`. */
  lintWorkspace: 'authlint.server.lintWorkspace',
} as const;

/** What building code actions needs from the server beyond the document. */
export interface CodeActionHost {
  /** Another file a fix edits, to place its edits: the open document (stamped with its version), else the file on disk. */
  otherFile(filePath: string): { uri: string; document: TextDocument; open: boolean } | undefined;
  /** The document with every safe fix applied, as `--fix` would leave it. */
  fixedText(): string;
}

/**
 * Code actions in vscode-eslint's order: for each finding its quick fix
 * (preferred), then once per rule "fix all", "disable for this line",
 * "disable for the entire file" and "show documentation"; or, when the client
 * asks for source actions, `source.fixAll.authlint`. Every edit is stamped
 * with the document version it was computed for, so a stale one is refused.
 */
export function codeActions(document: TextDocument, result: LintResult, params: CodeActionParams, host: CodeActionHost): CodeAction[] {
  const findings = result.findings.filter((f) => !f.suppressed);
  const only = params.context.only;
  if (only && wants(only, FIX_ALL_KIND)) {
    const edit = fixAllEdit(document, host.fixedText());
    return edit ? [CodeAction.create('Fix all authlint problems', edit, FIX_ALL_KIND)] : [];
  }
  if (only && !wants(only, CodeActionKind.QuickFix)) return [];

  const actions: CodeAction[] = [];
  const seenRules = new Set<string>();
  for (const diagnostic of params.context.diagnostics) {
    if (diagnostic.source !== 'authlint') continue;
    const finding = findings.find((f) => f.ruleId === diagnostic.code && rangesEqual(f.range, diagnostic.range));
    if (!finding) continue;
    const edit = finding.fix && fixEdit(document, finding, host);
    if (finding.fix && edit) {
      const action = CodeAction.create(finding.fix.title, edit, CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      actions.push(action);
    }
    if (seenRules.has(finding.ruleId)) continue;
    seenRules.add(finding.ruleId);
    actions.push(...ruleActions(document, findings, finding, diagnostic));
  }
  return actions;
}

function ruleActions(document: TextDocument, findings: readonly Finding[], finding: Finding, diagnostic: Diagnostic): CodeAction[] {
  const ruleId = finding.ruleId;
  const text = document.getText();
  const actions: CodeAction[] = [];
  const sameRule = findings.filter((f) => f.ruleId === ruleId && f.fix?.edits.length);
  if (sameRule.length > 1) {
    const edit = fixAllEdit(document, applyFixes(text, sameRule).text);
    if (edit) actions.push(CodeAction.create(`Fix all ${ruleId} problems in this file`, edit, CodeActionKind.QuickFix));
  }
  const line = CodeAction.create(`Disable ${ruleId} for this line`, workspaceEdit(document, [disableLineEdit(text, finding)]), CodeActionKind.QuickFix);
  line.diagnostics = [diagnostic];
  const file = CodeAction.create(`Disable ${ruleId} for the entire file`, workspaceEdit(document, [disableFileEdit(text, ruleId)]), CodeActionKind.QuickFix);
  file.diagnostics = [diagnostic];
  const docs = CodeAction.create(`Show documentation for ${ruleId}`, Command.create(`Show documentation for ${ruleId}`, ServerCommands.showDocumentation, ruleId), CodeActionKind.QuickFix);
  return [...actions, line, file, docs];
}

/**
 * The edit that turns the document into `fixed`, or none when nothing
 * changes. Fixing all stays in the document (as ESLint's does): a fix's
 * edits to other files come only with its own quick fix, where the user sees them.
 */
export function fixAllEdit(document: TextDocument, fixed: string): WorkspaceEdit | undefined {
  const text = document.getText();
  if (fixed === text) return undefined;
  return workspaceEdit(document, [minimalEdit(text, fixed)]);
}

/**
 * A finding's quick fix: its edits to the document and to every other file
 * it touches, each stamped with the open document's version (or none for a
 * closed file). Undefined when another file it edits cannot be read, or its
 * edits fall outside that file: half a fix is none.
 */
function fixEdit(document: TextDocument, finding: Finding, host: CodeActionHost): WorkspaceEdit | undefined {
  const changes: TextDocumentEdit[] = [];
  if (finding.fix!.edits.length) changes.push(documentEdit(document, finding.fix!.edits));
  for (const file of finding.fix!.elsewhere ?? []) {
    const other = otherFileChange(file, host);
    if (!other) return undefined;
    changes.push(other);
  }
  return changes.length ? { documentChanges: changes } : undefined;
}

function otherFileChange(file: FileEdits, host: CodeActionHost): TextDocumentEdit | undefined {
  const other = host.otherFile(file.filePath);
  const length = other?.document.getText().length ?? -1;
  if (!other || file.edits.some((e) => e.start < 0 || e.start > e.end || e.end > length)) return undefined;
  return { textDocument: { uri: other.uri, version: other.open ? other.document.version : null }, edits: lspEdits(other.document, file.edits) };
}

/** One edit covering only what differs, so the cursor and folding outside it stay put. */
function minimalEdit(before: string, after: string): TextEdit {
  let start = 0;
  const shorter = Math.min(before.length, after.length);
  while (start < shorter && before[start] === after[start]) start++;
  let end = 0;
  while (end < shorter - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  return { start, end: before.length - end, text: after.slice(start, after.length - end) };
}

function workspaceEdit(document: TextDocument, edits: readonly TextEdit[]): WorkspaceEdit {
  return { documentChanges: [documentEdit(document, edits)] };
}

function documentEdit(document: TextDocument, edits: readonly TextEdit[]): TextDocumentEdit {
  return { textDocument: { uri: document.uri, version: document.version }, edits: lspEdits(document, edits) };
}

function lspEdits(document: TextDocument, edits: readonly TextEdit[]): LspTextEdit[] {
  return edits.map((edit) => ({ range: { start: document.positionAt(edit.start), end: document.positionAt(edit.end) }, newText: edit.text }));
}

/** Whether a kind the client asked for (`only`) covers `kind`: equal, or a parent in the dotted hierarchy. */
function wants(only: readonly string[], kind: string): boolean {
  return only.some((asked) => kind === asked || kind.startsWith(`${asked}.`));
}

function rangesEqual(a: Finding['range'], b: Diagnostic['range']): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}
