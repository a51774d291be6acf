import {
  CodeAction,
  CodeActionKind,
  Command,
  type CodeActionParams,
  type Diagnostic,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { applyFixes } from '../core/fix';
import type { Finding, LintResult, TextEdit } from '../core/types';
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

/**
 * Code actions in vscode-eslint's order: for each finding its quick fix
 * (preferred), then once per rule "fix all", "disable for this line",
 * "disable for the entire file" and "show documentation"; or, when the client
 * asks for source actions, `source.fixAll.authlint`. Every edit is stamped
 * with the document version it was computed for, so a stale one is refused.
 */
export function codeActions(document: TextDocument, result: LintResult, params: CodeActionParams): CodeAction[] {
  const findings = result.findings.filter((f) => !f.suppressed);
  const only = params.context.only;
  if (only && wants(only, FIX_ALL_KIND)) return fixAllAction(document, findings, FIX_ALL_KIND, 'Fix all authlint problems');
  if (only && !wants(only, CodeActionKind.QuickFix)) return [];

  const actions: CodeAction[] = [];
  const seenRules = new Set<string>();
  for (const diagnostic of params.context.diagnostics) {
    if (diagnostic.source !== 'authlint') continue;
    const finding = findings.find((f) => f.ruleId === diagnostic.code && rangesEqual(f.range, diagnostic.range));
    if (!finding) continue;
    if (finding.fix) {
      const action = CodeAction.create(finding.fix.title, workspaceEdit(document, finding.fix.edits), CodeActionKind.QuickFix);
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
  const sameRule = findings.filter((f) => f.ruleId === ruleId && f.fix);
  if (sameRule.length > 1) actions.push(...fixAllAction(document, sameRule, CodeActionKind.QuickFix, `Fix all ${ruleId} problems in this file`));
  const line = CodeAction.create(`Disable ${ruleId} for this line`, workspaceEdit(document, [disableLineEdit(text, finding)]), CodeActionKind.QuickFix);
  line.diagnostics = [diagnostic];
  const file = CodeAction.create(`Disable ${ruleId} for the entire file`, workspaceEdit(document, [disableFileEdit(text, ruleId)]), CodeActionKind.QuickFix);
  file.diagnostics = [diagnostic];
  const docs = CodeAction.create(`Show documentation for ${ruleId}`, Command.create(`Show documentation for ${ruleId}`, ServerCommands.showDocumentation, ruleId), CodeActionKind.QuickFix);
  return [...actions, line, file, docs];
}

/** The edit that applies every safe fix of the document, or none when nothing changes. */
export function fixAllEdit(document: TextDocument, findings: readonly Finding[]): WorkspaceEdit | undefined {
  const fixable = findings.filter((f) => f.fix && !f.suppressed);
  if (fixable.length === 0) return undefined;
  const text = document.getText();
  const { text: fixed } = applyFixes(text, fixable);
  if (fixed === text) return undefined;
  return workspaceEdit(document, [minimalEdit(text, fixed)]);
}

function fixAllAction(document: TextDocument, findings: readonly Finding[], kind: string, title: string): CodeAction[] {
  const edit = fixAllEdit(document, findings);
  return edit ? [CodeAction.create(title, edit, kind)] : [];
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
  const lspEdits: LspTextEdit[] = edits.map((edit) => ({
    range: { start: document.positionAt(edit.start), end: document.positionAt(edit.end) },
    newText: edit.text,
  }));
  return { documentChanges: [{ textDocument: { uri: document.uri, version: document.version }, edits: lspEdits }] };
}

/** Whether a kind the client asked for (`only`) covers `kind`: equal, or a parent in the dotted hierarchy. */
function wants(only: readonly string[], kind: string): boolean {
  return only.some((asked) => kind === asked || kind.startsWith(`${asked}.`));
}

function rangesEqual(a: Finding['range'], b: Diagnostic['range']): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}
