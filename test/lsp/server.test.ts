import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CancellationTokenSource, DiagnosticSeverity, type CodeAction, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { LspClient, uriOf } from './lsp-client';

const RULE = 'missing-www-authenticate';

const HANDLERS = `import express from 'express';
const app = express();
app.get('/me', (req, res) => {
  if (!req.user) return res.status(401).json({ error: 'sign in' });
  res.json(req.user);
});
app.get('/you', (req, res) => {
  if (!req.user) return res.sendStatus(401);
  res.json(req.user);
});
`;

const some = (d: Diagnostic[]): boolean => d.length > 0;
const none = (d: Diagnostic[]): boolean => d.length === 0;

function tempProject(files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-lsp-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function titled(actions: CodeAction[], title: string): CodeAction {
  const action = actions.find((a) => a.title === title);
  assert.ok(action, `no action "${title}" among ${JSON.stringify(actions.map((a) => a.title))}`);
  return action;
}

describe('language server over stdio', function () {
  this.timeout(30_000);
  let client: LspClient;
  let dir: string;

  afterEach(async () => {
    if (client && client.exitCode === null) await client.shutdown();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('publishes diagnostics, offers code actions, and clears them once the fix is applied', async () => {
    dir = tempProject();
    client = new LspClient({ folders: [dir] });
    await client.initialize();
    const uri = await client.open(path.join(dir, 'handlers.ts'), HANDLERS);

    const diagnostics = await client.diagnosticsFor(uri, some);
    assert.equal(diagnostics.length, 2);
    const [first] = diagnostics;
    assert.equal(first.code, RULE);
    assert.equal(first.source, 'authlint');
    assert.equal(first.severity, DiagnosticSeverity.Warning);
    assert.deepEqual(first.range, { start: { line: 3, character: 24 }, end: { line: 3, character: 39 } });
    assert.match(first.codeDescription!.href, new RegExp(`${RULE}\\.md$`));

    const actions = await client.codeActions(uri, [first]);
    assert.deepEqual(actions.map((a) => a.title), [
      'Add WWW-Authenticate: Bearer realm="api"',
      `Fix all ${RULE} problems in this file`,
      `Disable ${RULE} for this line`,
      `Disable ${RULE} for the entire file`,
      `Show documentation for ${RULE}`,
    ]);
    const quickFix = actions[0];
    assert.equal(quickFix.isPreferred, true);
    assert.equal(quickFix.kind, 'quickfix');

    await client.applyWorkspaceEdit(quickFix.edit!);
    assert.match(client.text(uri).split('\n')[3], /res\.set\('WWW-Authenticate', 'Bearer realm="api"'\)\.status\(401\)/);
    const remaining = await client.diagnosticsFor(uri, (d) => d.length === 1);
    assert.equal(remaining[0].range.start.line, 7);

    const [fixAll] = await client.codeActions(uri, remaining, ['source.fixAll']);
    assert.equal(fixAll.kind, 'source.fixAll.authlint');
    await client.applyWorkspaceEdit(fixAll.edit!);
    await client.diagnosticsFor(uri, none);
  });

  it('fixes every problem of the rule at once, with edits stamped with the document version', async () => {
    dir = tempProject();
    client = new LspClient();
    await client.initialize();
    const uri = await client.open(path.join(dir, 'handlers.ts'), HANDLERS);
    const diagnostics = await client.diagnosticsFor(uri, some);
    const fixAll = titled(await client.codeActions(uri, [diagnostics[1]]), `Fix all ${RULE} problems in this file`);
    const [change] = fixAll.edit!.documentChanges as { textDocument: { version: number } }[];
    assert.equal(change.textDocument.version, client.version(uri));

    await client.change(uri, `// edited\n${client.text(uri)}`);
    await assert.rejects(client.applyWorkspaceEdit(fixAll.edit!), /stale edit/);
    const fresh = titled(await client.codeActions(uri, [(await client.diagnosticsFor(uri, (d) => d[0]?.range.start.line === 4))[0]]), `Fix all ${RULE} problems in this file`);
    await client.applyWorkspaceEdit(fresh.edit!);
    await client.diagnosticsFor(uri, none);
  });

  it('disables the rule for one line, extending a directive that is already there', async () => {
    dir = tempProject();
    client = new LspClient();
    await client.initialize();
    const text = HANDLERS.replace("  if (!req.user) return res.sendStatus(401);", '  // authlint-disable-next-line some-other-rule\n  if (!req.user) return res.sendStatus(401);');
    const uri = await client.open(path.join(dir, 'handlers.ts'), text);
    const diagnostics = await client.diagnosticsFor(uri, some);

    await client.applyWorkspaceEdit(titled(await client.codeActions(uri, [diagnostics[0]]), `Disable ${RULE} for this line`).edit!);
    assert.match(client.text(uri), new RegExp(`\\n  // authlint-disable-next-line ${RULE}\\n  if \\(!req.user\\) return res.status\\(401\\)`));
    const left = await client.diagnosticsFor(uri, (d) => d.length === 1);

    await client.applyWorkspaceEdit(titled(await client.codeActions(uri, left), `Disable ${RULE} for this line`).edit!);
    assert.match(client.text(uri), new RegExp(`// authlint-disable-next-line some-other-rule, ${RULE}\\n`));
    await client.diagnosticsFor(uri, none);
  });

  it('disables the rule for the file after a shebang, and opens the bundled docs', async () => {
    dir = tempProject();
    client = new LspClient();
    await client.initialize();
    const uri = await client.open(path.join(dir, 'server.js'), `#!/usr/bin/env node\n${HANDLERS}`, 'javascript');
    const diagnostics = await client.diagnosticsFor(uri, some);
    const actions = await client.codeActions(uri, [diagnostics[0]]);

    const docs = titled(actions, `Show documentation for ${RULE}`);
    await client.connection.sendRequest('workspace/executeCommand', docs.command);
    assert.equal(client.shownDocuments.length, 1);
    assert.match(client.shownDocuments[0], new RegExp(`^file://.*/docs/rules/${RULE}\\.md$`));

    await client.applyWorkspaceEdit(titled(actions, `Disable ${RULE} for the entire file`).edit!);
    assert.ok(client.text(uri).startsWith(`#!/usr/bin/env node\n/* authlint-disable ${RULE} */\n`));
    await client.diagnosticsFor(uri, none);
  });

  it('applies every fix through the applyFixAll command, and refuses a stale version', async () => {
    dir = tempProject();
    client = new LspClient();
    await client.initialize();
    const uri = await client.open(path.join(dir, 'handlers.ts'), HANDLERS);
    await client.diagnosticsFor(uri, some);
    const stale = await client.connection.sendRequest('workspace/executeCommand', { command: 'authlint.server.applyFixAll', arguments: [{ uri, version: 0 }] });
    assert.equal(stale, false);
    const applied = await client.connection.sendRequest('workspace/executeCommand', { command: 'authlint.server.applyFixAll', arguments: [{ uri, version: client.version(uri) }] });
    assert.equal(applied, true);
    await client.diagnosticsFor(uri, none);
  });

  it('reads settings from initializationOptions when the client cannot be asked', async () => {
    dir = tempProject();
    client = new LspClient({ initializationOptions: { settings: { rules: { [RULE]: 'error' }, challenge: 'Basic realm="admin"' } } });
    await client.initialize();
    const uri = await client.open(path.join(dir, 'handlers.ts'), HANDLERS);
    const diagnostics = await client.diagnosticsFor(uri, some);
    assert.equal(diagnostics[0].severity, DiagnosticSeverity.Error);
    const [quickFix] = await client.codeActions(uri, [diagnostics[0]]);
    assert.match(JSON.stringify(quickFix.edit), /Basic realm=\\"admin\\"/);

    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { authlint: { enable: false } } });
    await client.diagnosticsFor(uri, none);
  });

  it('reports an invalid authlint.challenge setting once, naming it, and fixes with the default challenge', async () => {
    dir = tempProject();
    client = new LspClient({ configuration: () => ({ challenge: 'Basic realm=admin' }) });
    await client.initialize();
    const uri = await client.open(path.join(dir, 'handlers.ts'), HANDLERS);
    const diagnostics = await client.diagnosticsFor(uri, some);
    const [quickFix] = await client.codeActions(uri, [diagnostics[0]]);
    assert.match(JSON.stringify(quickFix.edit), /Bearer realm=\\"api\\"/);
    await client.diagnosticsFor(await client.open(path.join(dir, 'other.ts'), HANDLERS), some);
    assert.equal(client.messages.length, 1);
    assert.match(client.messages[0].message, /setting "authlint\.challenge": "Basic realm=admin" is not a valid WWW-Authenticate value: `realm=admin`: senders must use the quoted-string form/);
  });

  it('reads initializationOptions shaped as {authlint: …}, as Helix sends its config', async () => {
    dir = tempProject();
    client = new LspClient({ initializationOptions: { authlint: { rules: { [RULE]: 'off' } } } });
    await client.initialize();
    assert.deepEqual(await client.diagnosticsFor(await client.open(path.join(dir, 'handlers.ts'), HANDLERS)), []);
  });

  it('asks workspace/configuration per document, and applies a change without a restart', async () => {
    dir = tempProject();
    let rules: Record<string, string> = { [RULE]: 'error' };
    const scopes: (string | undefined)[] = [];
    client = new LspClient({ configuration: (scope) => (scopes.push(scope), { enable: true, rules }) });
    await client.initialize();
    const uri = await client.open(path.join(dir, 'handlers.ts'), HANDLERS);
    const diagnostics = await client.diagnosticsFor(uri, some);
    assert.equal(diagnostics[0].severity, DiagnosticSeverity.Error);
    assert.ok(scopes.includes(uri));

    rules = { [RULE]: 'off' };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.diagnosticsFor(uri, none);
  });

  it('prefers the project .authlintrc.json, watches it, and keeps the last good one when it breaks', async () => {
    dir = tempProject({ '.authlintrc.json': JSON.stringify({ rules: { [RULE]: 'error' } }) });
    client = new LspClient({ configuration: () => ({ rules: { [RULE]: 'warn' } }) });
    await client.initialize();
    const uri = await client.open(path.join(dir, 'src', 'handlers.ts'), HANDLERS);
    const diagnostics = await client.diagnosticsFor(uri, some);
    assert.equal(diagnostics[0].severity, DiagnosticSeverity.Error, 'the project file wins over user settings');

    const rc = path.join(dir, '.authlintrc.json');
    const changed = () => client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(rc), type: 2 }] });
    fs.writeFileSync(rc, '{ "rules": { ');
    await changed();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const afterBreak = await client.diagnosticsFor(uri, some);
    assert.equal(afterBreak[0].severity, DiagnosticSeverity.Error, 'the last good config stays in force');
    assert.equal(client.messages.length, 1);
    assert.match(client.messages[0].message, /\.authlintrc\.json: invalid JSON.*last valid configuration stays in force/);

    fs.writeFileSync(rc, JSON.stringify({ rules: { [RULE]: 'off' } }));
    await changed();
    await client.diagnosticsFor(uri, none);
  });

  it('answers a 2,000-line handler file with diagnostics', async () => {
    dir = tempProject();
    client = new LspClient();
    await client.initialize();
    const handler = (i: number) => `app.get('/r${i}', (req, res) => {
  if (!req.user) {
    return res.status(401).json({ error: 'sign in' });
  }
  const item = lookup(req.params.id, ${i});
  res.json(item);
});
`;
    const count = 290;
    const text = `import express from 'express';\nconst app = express();\n${Array.from({ length: count }, (_, i) => handler(i)).join('')}`;
    assert.ok(text.split('\n').length >= 2000);
    const started = Date.now();
    const uri = await client.open(path.join(dir, 'big.ts'), text);
    const diagnostics = await client.diagnosticsFor(uri, some);
    assert.equal(diagnostics.length, count);
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  });

  it('survives a file that does not parse: no diagnostics, no crash, and it recovers once fixed', async () => {
    dir = tempProject();
    client = new LspClient();
    await client.initialize();
    const uri = await client.open(path.join(dir, 'broken.ts'), 'app.get("/", (req, res) => { res.status(401).end( ;\n');
    assert.deepEqual(await client.diagnosticsFor(uri), []);
    assert.deepEqual(await client.codeActions(uri, []), []);
    await client.change(uri, HANDLERS);
    await client.diagnosticsFor(uri, some);
    assert.equal(client.exitCode, null);
  });

  it('lints the whole workspace, publishing findings for closed files, with progress', async () => {
    dir = tempProject({
      'src/closed.ts': HANDLERS,
      'src/clean.ts': 'export const x = 1;\n',
      'node_modules/dep/index.js': HANDLERS,
      'dist/bundle.js': HANDLERS,
    });
    client = new LspClient({ folders: [dir] });
    await client.initialize();
    const open = await client.open(path.join(dir, 'src', 'open.ts'), HANDLERS);
    await client.diagnosticsFor(open, some);

    const summary = await client.connection.sendRequest('workspace/executeCommand', { command: 'authlint.server.lintWorkspace', arguments: [] });
    assert.deepEqual(summary, { files: 2, problems: 2, cancelled: false });
    const closed = await client.diagnosticsFor(uriOf(path.join(dir, 'src', 'closed.ts')), some);
    assert.equal(closed.length, 2);
    assert.deepEqual([client.progress[0].kind, client.progress.at(-1)!.kind], ['begin', 'end']);
  });

  it('stops a workspace lint when the user cancels its progress', async () => {
    dir = tempProject(Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`src/h${i}.ts`, HANDLERS])));
    client = new LspClient({
      folders: [dir],
      onProgress: (value, token) => {
        if (value.kind === 'report') void client.connection.sendNotification('window/workDoneProgress/cancel', { token });
      },
    });
    await client.initialize();
    const summary = (await client.connection.sendRequest('workspace/executeCommand', { command: 'authlint.server.lintWorkspace', arguments: [] })) as { files: number; cancelled: boolean };
    assert.equal(summary.cancelled, true);
    assert.ok(summary.files < 200, `linted ${summary.files} files`);
    assert.equal(client.progress.at(-1)!.kind, 'end');
  });

  it('reports on the client\'s workDoneToken and stops when the request is cancelled', async () => {
    dir = tempProject(Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`src/h${i}.ts`, HANDLERS])));
    const cancel = new CancellationTokenSource();
    const tokens = new Set<string | number>();
    client = new LspClient({
      folders: [dir],
      onProgress: (value, token) => {
        tokens.add(token);
        if (value.kind === 'report') cancel.cancel();
      },
    });
    await client.initialize();
    const params = { command: 'authlint.server.lintWorkspace', arguments: [], workDoneToken: 'lint-1' };
    const summary = (await client.connection.sendRequest('workspace/executeCommand', params, cancel.token)) as { files: number; cancelled: boolean };
    assert.equal(summary.cancelled, true);
    assert.ok(summary.files < 200, `linted ${summary.files} files`);
    // Besides the client's token, only the progress the server itself created (indexing the folder) is reported.
    assert.deepEqual([...tokens].filter((token) => !client.createdProgress.includes(token)), ['lint-1']);
  });

  it('resolves settings per workspace folder: each folder\'s .authlintrc.json governs its files', async () => {
    dir = tempProject({
      'api/.authlintrc.json': JSON.stringify({ rules: { [RULE]: 'error' } }),
      'api/src/closed.ts': HANDLERS,
      'legacy/.authlintrc.json': JSON.stringify({ rules: { [RULE]: 'off' }, ignore: ['generated/'] }),
      'legacy/src/closed.ts': HANDLERS,
      'web/generated/x.ts': HANDLERS,
      'web/package.json': JSON.stringify({ name: 'web', authlint: { ignore: ['generated/'] } }),
      'web/src/closed.ts': HANDLERS,
    });
    const folders = ['api', 'legacy', 'web'].map((name) => path.join(dir, name));
    client = new LspClient({ folders, configuration: () => ({ rules: { [RULE]: 'warn' } }) });
    await client.initialize();
    const api = await client.open(path.join(dir, 'api', 'src', 'open.ts'), HANDLERS);
    const legacy = await client.open(path.join(dir, 'legacy', 'src', 'open.ts'), HANDLERS);
    const web = await client.open(path.join(dir, 'web', 'generated', 'open.ts'), HANDLERS);
    assert.equal((await client.diagnosticsFor(api, some))[0].severity, DiagnosticSeverity.Error);
    assert.deepEqual(await client.diagnosticsFor(legacy), []);
    assert.deepEqual(await client.diagnosticsFor(web), [], "package.json#authlint's ignore applies to open files too");

    const summary = await client.connection.sendRequest('workspace/executeCommand', { command: 'authlint.server.lintWorkspace', arguments: [] });
    assert.deepEqual(summary, { files: 3, problems: 4, cancelled: false });
    assert.equal((await client.diagnosticsFor(uriOf(path.join(dir, 'api', 'src', 'closed.ts')), some))[0].severity, DiagnosticSeverity.Error);
    assert.equal((await client.diagnosticsFor(uriOf(path.join(dir, 'web', 'src', 'closed.ts')), some))[0].severity, DiagnosticSeverity.Warning);
  });
});
