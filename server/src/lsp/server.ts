import {
  CodeAction,
  CodeActionKind,
  type CodeActionParams,
  type Connection,
  type Diagnostic,
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  type InitializeParams,
  type InitializeResult,
  TextDocumentSyncKind,
  TextDocuments,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from './uri';
import { lint } from '../core/lint';
import { docsUrl } from '../core/rules/rule';
import { applyFixes } from '../core/fix';
import type { Finding, LintResult, Settings, TextEdit } from '../core/types';
import { SettingsResolver } from './settings';
import { disableFileEdit, disableLineEdit } from './disable';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.authlint`;
const LANGUAGES = new Set(['typescript', 'typescriptreact', 'javascript', 'javascriptreact']);
const DEBOUNCE_MS = 150;

interface Linted {
  version: number;
  result: LintResult;
}

/** Wires the analysis core to an LSP connection: diagnostics while typing, quick fixes, fix-all. */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const linted = new Map<string, Linted>();
  const timers = new Map<string, NodeJS.Timeout>();
  let settingsResolver: SettingsResolver;

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    settingsResolver = new SettingsResolver(connection, params);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND, CodeActionKind.SourceFixAll] },
      },
      serverInfo: { name: 'authlint', version: AUTHLINT_VERSION },
    };
  });

  connection.onInitialized(() => {
    if (settingsResolver.canPullConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, undefined);
    }
  });

  connection.onDidChangeConfiguration((change) => {
    settingsResolver.changed(change.settings);
    for (const document of documents.all()) schedule(document, 0);
  });

  const schedule = (document: TextDocument, delay = DEBOUNCE_MS): void => {
    if (!LANGUAGES.has(document.languageId)) return;
    clearTimeout(timers.get(document.uri));
    timers.set(
      document.uri,
      setTimeout(() => {
        timers.delete(document.uri);
        void validate(document.uri);
      }, delay),
    );
  };

  const validate = async (uri: string): Promise<void> => {
    const document = documents.get(uri);
    if (!document) return;
    const version = document.version;
    const settings = await settingsResolver.forDocument(uri);
    // A newer edit or a close while settings were fetched makes this run stale.
    const current = documents.get(uri);
    if (!current || current.version !== version) return;
    const result = lintDocument(current, settings);
    linted.set(uri, { version, result });
    void connection.sendDiagnostics({ uri, version, diagnostics: toDiagnostics(result) });
  };

  documents.onDidOpen((e) => schedule(e.document, 0));
  documents.onDidChangeContent((e) => schedule(e.document));
  documents.onDidClose((e) => {
    clearTimeout(timers.get(e.document.uri));
    timers.delete(e.document.uri);
    linted.delete(e.document.uri);
    settingsResolver.forget(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onCodeAction(async (params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return [];
    let entry = linted.get(document.uri);
    if (!entry || entry.version !== document.version) {
      const settings = await settingsResolver.forDocument(document.uri);
      entry = { version: document.version, result: lintDocument(document, settings) };
      linted.set(document.uri, entry);
    }
    return codeActions(document, entry.result, params);
  });

  documents.listen(connection);
  connection.listen();
}

declare const AUTHLINT_VERSION: string;

function lintDocument(document: TextDocument, settings: Settings): LintResult {
  return lint(document.getText(), URI.toPath(document.uri), settings);
}

function toDiagnostics(result: LintResult): Diagnostic[] {
  if (result.parseError) return [];
  return result.findings.filter((f) => !f.suppressed).map((finding) => toDiagnostic(finding));
}

function toDiagnostic(finding: Finding): Diagnostic {
  return {
    range: finding.range,
    severity: finding.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    source: 'authlint',
    code: finding.ruleId,
    codeDescription: { href: docsUrl(finding.ruleId) },
    message: finding.message,
    data: { start: finding.start, end: finding.end },
  };
}

function toLspEdits(document: TextDocument, edits: readonly TextEdit[]): LspTextEdit[] {
  return edits.map((edit) => ({ range: { start: document.positionAt(edit.start), end: document.positionAt(edit.end) }, newText: edit.text }));
}

function workspaceEdit(document: TextDocument, edits: readonly TextEdit[]): WorkspaceEdit {
  return { documentChanges: [{ textDocument: { uri: document.uri, version: document.version }, edits: toLspEdits(document, edits) }] };
}

/** Quick fix (preferred), fix all of the rule, disable for the line and the file; or `source.fixAll.authlint`. */
function codeActions(document: TextDocument, result: LintResult, params: CodeActionParams): CodeAction[] {
  const findings = result.findings.filter((f) => !f.suppressed);
  const only = params.context.only;
  if (only && only.some((kind) => kind === CodeActionKind.SourceFixAll || kind === FIX_ALL_KIND || kind === CodeActionKind.Source)) {
    return fixAllAction(document, findings, FIX_ALL_KIND, 'Fix all authlint problems');
  }
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
    const sameRule = findings.filter((f) => f.ruleId === finding.ruleId && f.fix);
    if (sameRule.length > 1) actions.push(...fixAllAction(document, sameRule, CodeActionKind.QuickFix, `Fix all ${finding.ruleId} problems in this file`));
    const line = disableLineEdit(document.getText(), finding);
    actions.push(CodeAction.create(`Disable ${finding.ruleId} for this line`, workspaceEdit(document, [line]), CodeActionKind.QuickFix));
    const file = disableFileEdit(document.getText(), finding.ruleId);
    actions.push(CodeAction.create(`Disable ${finding.ruleId} for the entire file`, workspaceEdit(document, [file]), CodeActionKind.QuickFix));
  }
  return actions;
}

function fixAllAction(document: TextDocument, findings: readonly Finding[], kind: string, title: string): CodeAction[] {
  const fixable = findings.filter((f) => f.fix);
  if (fixable.length === 0) return [];
  const text = document.getText();
  const { text: fixed } = applyFixes(text, fixable);
  if (fixed === text) return [];
  const whole: TextEdit = { start: 0, end: text.length, text: fixed };
  return [CodeAction.create(title, workspaceEdit(document, [whole]), kind)];
}

function rangesEqual(a: Finding['range'], b: Diagnostic['range']): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

