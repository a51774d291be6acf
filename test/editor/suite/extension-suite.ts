import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';

const RULE = 'missing-www-authenticate';
const HANDLERS = `import express from 'express';

const app = express();

app.get('/me', (req, res) => {
  if (!req.user) return res.status(401).json({ error: 'sign in' });
  res.json(req.user);
});

app.get('/orders', (req, res) => {
  if (!req.user) return res.sendStatus(401);
  res.json([]);
});
`;

const root = (): string => vscode.workspace.workspaceFolders![0].uri.fsPath;

async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function findings(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'authlint');
}

const findingCount = (uri: vscode.Uri, count: number): Promise<vscode.Diagnostic[]> =>
  waitFor(`${count} authlint diagnostic(s) on ${path.basename(uri.fsPath)}`, () => {
    const current = findings(uri);
    return current.length === count && current;
  });

/** Writes a file into the workspace and opens it in an editor. */
async function openFile(name: string, text = HANDLERS): Promise<vscode.TextEditor> {
  const file = path.join(root(), 'src', name);
  fs.writeFileSync(file, text);
  return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
}

/** Code actions at a diagnostic; the first request right after diagnostics arrive is sometimes cancelled, so retry. */
async function codeActionsAt(uri: vscode.Uri, diagnostic: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
  for (let attempt = 0; ; attempt++) {
    try {
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range);
      const ours = actions.filter((a) => a.diagnostics?.some((d) => d.source === 'authlint') || a.title.includes(RULE) || a.isPreferred);
      if (ours.length > 0 || attempt >= 5) return ours;
    } catch (error) {
      if (attempt >= 5 || !/Canceled/.test(String(error))) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

async function apply(action: vscode.CodeAction | undefined): Promise<void> {
  assert.ok(action?.edit, 'the action carries an edit');
  assert.ok(await vscode.workspace.applyEdit(action.edit));
}

describe('authlint in VS Code', () => {
  before(async () => {
    const extension = vscode.extensions.getExtension('authlint.authlint');
    assert.ok(extension, 'the extension is installed');
    await extension.activate();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('shows diagnostics with the rule id and a link to its docs', async () => {
    const editor = await openFile('diagnostics.ts');
    const [first, second] = await findingCount(editor.document.uri, 2);
    assert.equal(first.range.start.line, 5);
    assert.equal(second.range.start.line, 10);
    assert.equal(first.severity, vscode.DiagnosticSeverity.Warning);
    const code = first.code as { value: string; target: vscode.Uri };
    assert.equal(code.value, RULE);
    assert.match(code.target.toString(), new RegExp(`${RULE}\\.md$`));
  });

  it('applies the quick fix and clears its diagnostic', async () => {
    const editor = await openFile('quick-fix.ts');
    const [first] = await findingCount(editor.document.uri, 2);
    const actions = await codeActionsAt(editor.document.uri, first);
    await apply(actions.find((a) => a.isPreferred));
    assert.match(editor.document.lineAt(5).text, /res\.set\('WWW-Authenticate', 'Bearer realm="api"'\)/);
    await findingCount(editor.document.uri, 1);
  });

  it('fixes every problem in the file: the fix-all action and the command', async () => {
    const editor = await openFile('fix-all.ts');
    const [first] = await findingCount(editor.document.uri, 2);
    const actions = await codeActionsAt(editor.document.uri, first);
    await apply(actions.find((a) => a.title === `Fix all ${RULE} problems in this file`));
    await findingCount(editor.document.uri, 0);

    const other = await openFile('fix-all-command.ts');
    await findingCount(other.document.uri, 2);
    assert.equal(await vscode.commands.executeCommand('authlint.fixAll'), true);
    await findingCount(other.document.uri, 0);
  });

  it('fixes on save through source.fixAll.authlint', async () => {
    const settings = vscode.workspace.getConfiguration('editor');
    await settings.update('codeActionsOnSave', { 'source.fixAll.authlint': true }, vscode.ConfigurationTarget.Workspace);
    try {
      const editor = await openFile('fix-on-save.ts');
      await findingCount(editor.document.uri, 2);
      await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), '// edited\n'));
      await vscode.commands.executeCommand('workbench.action.files.save');
      await findingCount(editor.document.uri, 0);
      assert.ok(!editor.document.isDirty);
      assert.match(fs.readFileSync(editor.document.uri.fsPath, 'utf8'), /WWW-Authenticate/);
    } finally {
      await settings.update('codeActionsOnSave', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('disables the rule for one line', async () => {
    const editor = await openFile('disable-line.ts');
    const [, second] = await findingCount(editor.document.uri, 2);
    const actions = await codeActionsAt(editor.document.uri, second);
    await apply(actions.find((a) => a.title === `Disable ${RULE} for this line`));
    assert.equal(editor.document.lineAt(10).text, `  // authlint-disable-next-line ${RULE}`);
    const [left] = await findingCount(editor.document.uri, 1);
    assert.equal(left.range.start.line, 5);
  });

  it('turns a rule off through a setting, without a restart', async () => {
    const editor = await openFile('setting.ts');
    await findingCount(editor.document.uri, 2);
    const settings = vscode.workspace.getConfiguration('authlint');
    await settings.update('rules', { [RULE]: 'off' }, vscode.ConfigurationTarget.Workspace);
    try {
      await findingCount(editor.document.uri, 0);
    } finally {
      await settings.update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await findingCount(editor.document.uri, 2);
  });

  it('picks up a .authlintrc.json change, which wins over user settings', async () => {
    const editor = await openFile('project-config.ts');
    await findingCount(editor.document.uri, 2);
    const rc = path.join(root(), '.authlintrc.json');
    fs.writeFileSync(rc, JSON.stringify({ rules: { [RULE]: 'error' } }));
    try {
      await waitFor('error severity from .authlintrc.json', () => findings(editor.document.uri)[0]?.severity === vscode.DiagnosticSeverity.Error);
      fs.writeFileSync(rc, JSON.stringify({ rules: { [RULE]: 'off' } }));
      await findingCount(editor.document.uri, 0);
    } finally {
      fs.rmSync(rc, { force: true });
    }
    await waitFor('warnings again without .authlintrc.json', () => findings(editor.document.uri)[0]?.severity === vscode.DiagnosticSeverity.Warning);
  });

  it('shows the rule documentation shipped with the extension, as a markdown preview', async () => {
    const editor = await openFile('docs.ts');
    const [first] = await findingCount(editor.document.uri, 2);
    const docs = (await codeActionsAt(editor.document.uri, first)).find((a) => a.title === `Show documentation for ${RULE}`);
    assert.ok(docs?.command, 'a show-documentation action');
    await vscode.commands.executeCommand(docs.command.command, ...(docs.command.arguments ?? []));
    const tabs = (): vscode.Tab[] => vscode.window.tabGroups.all.flatMap((group) => group.tabs);
    const preview = await waitFor('a tab showing the rule docs', () => tabs().find((tab) => tab.label.includes(`${RULE}.md`)));
    assert.match(preview.label, /Preview/);
  });

  it('restarts the server, which then lints edits again', async () => {
    const editor = await openFile('restart.ts');
    await findingCount(editor.document.uri, 2);
    await vscode.commands.executeCommand('authlint.restartServer');
    const orders = new vscode.Range(9, 0, 13, 0);
    await editor.edit((edit) => edit.delete(orders));
    await findingCount(editor.document.uri, 1);
  });

  it('lints the whole workspace, reporting a file that is not open', async () => {
    const closed = vscode.Uri.file(path.join(root(), 'src', 'closed.js'));
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === closed.toString()));
    assert.equal(findings(closed).length, 0);
    const summary = await vscode.commands.executeCommand<{ files: number; problems: number; cancelled: boolean }>('authlint.lintWorkspace');
    assert.ok(summary && summary.files >= 1 && !summary.cancelled, JSON.stringify(summary));
    const reported = await findingCount(closed, 2);
    assert.equal(reported[0].code && (reported[0].code as { value: string }).value, RULE);
  });
});
