import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Diagnostic, TextDocumentEdit } from 'vscode-languageserver-protocol/node';
import { LspClient, uriOf } from './lsp-client';

const FIXTURES = path.resolve(__dirname, '../fixtures/project');
const RULE = 'missing-www-authenticate';
/** The line of the fixture's error handler that answers every error, without a challenge. */
const SEND = '  res.status(statusCode).send({ code: statusCode, message });';
const CHALLENGED = `  if (statusCode === 401) res.set('WWW-Authenticate', 'Bearer realm="api"');\n${SEND}`;

/** The finding that names the handler in the other file: only the project index can tell it. */
const crossFile = (d: Diagnostic[]): boolean => d.some((x) => x.code === RULE && /to the error handler in (\.\/|\.\.\/middlewares\/)error\.js,/.test(x.message));
const none = (d: Diagnostic[]): boolean => d.length === 0;

/** A copy of a multi-file fixture in a temporary folder, to edit on disk. */
function copyFixture(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-lsp-project-'));
  fs.cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

const read = (dir: string, file: string): string => fs.readFileSync(path.join(dir, file), 'utf8');

describe('language server: the project index', function () {
  this.timeout(30_000);
  let client: LspClient | undefined;
  let dir: string | undefined;

  afterEach(async () => {
    if (client && client.exitCode === null) await client.shutdown();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    client = dir = undefined;
  });

  it('reports a 401 served by an error handler in another file, with related information there, after indexing with progress', async () => {
    dir = copyFixture('express-api-error');
    client = new LspClient({ folders: [dir], relatedInformation: true });
    await client.initialize();
    const service = await client.open(path.join(dir, 'src/services/auth.service.js'), read(dir, 'src/services/auth.service.js'), 'javascript');

    const diagnostics = await client.diagnosticsFor(service, crossFile);
    assert.equal(diagnostics.length, 1);
    const [finding] = diagnostics;
    assert.deepEqual(finding.range.start, { line: 7, character: 10 });
    assert.match(finding.message, /carries a 401 to the error handler in \.\.\/middlewares\/error\.js/);
    assert.deepEqual(
      finding.relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line]),
      [[uriOf(path.join(dir, 'src/middlewares/error.js')), 19]],
    );

    // The index was built under a progress the server created, from begin to end.
    assert.equal(client.createdProgress.length, 1);
    await client.until(() => client!.progress.some((p) => p.kind === 'end'));
    const kinds = client.progress.map((p) => p.kind);
    assert.equal(kinds[0], 'begin');
    assert.match(client.progress[0].title ?? '', /^authlint: indexing /);
    assert.equal(kinds.at(-1), 'end');
    // Sources and tsconfig.json are watched, beside the config files.
    const watched = client.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles')?.registerOptions as { watchers: { globPattern: string }[] };
    assert.ok(watched.watchers.some((w) => w.globPattern === '**/*.{ts,tsx,js,jsx,mjs,cjs,mts,cts}'));
    assert.ok(watched.watchers.some((w) => w.globPattern === '**/tsconfig.json'));
  });

  it('clears the finding in one open file when the open handler file sets the challenge, and brings it back when it stops', async () => {
    dir = copyFixture('express-api-error');
    client = new LspClient({ folders: [dir] });
    await client.initialize();
    const service = await client.open(path.join(dir, 'src/services/auth.service.js'), read(dir, 'src/services/auth.service.js'), 'javascript');
    const handlerText = read(dir, 'src/middlewares/error.js');
    const handler = await client.open(path.join(dir, 'src/middlewares/error.js'), handlerText, 'javascript');
    await client.diagnosticsFor(service, crossFile);

    // Edited in the editor, not saved: the open document's text is what counts.
    await client.change(handler, handlerText.replace(SEND, CHALLENGED));
    await client.diagnosticsFor(service, none);
    assert.equal(read(dir, 'src/middlewares/error.js'), handlerText);

    await client.change(handler, handlerText);
    await client.diagnosticsFor(service, crossFile);
  });

  it('follows the handler file changed on disk (workspace/didChangeWatchedFiles), and closing it goes back to what is saved', async () => {
    dir = copyFixture('express-api-error');
    client = new LspClient({ folders: [dir] });
    await client.initialize();
    const service = await client.open(path.join(dir, 'src/services/auth.service.js'), read(dir, 'src/services/auth.service.js'), 'javascript');
    const auth = await client.open(path.join(dir, 'src/middlewares/auth.js'), read(dir, 'src/middlewares/auth.js'), 'javascript');
    await client.diagnosticsFor(service, crossFile);
    await client.diagnosticsFor(auth, crossFile);

    const handlerFile = path.join(dir, 'src/middlewares/error.js');
    const saved = read(dir, 'src/middlewares/error.js');
    fs.writeFileSync(handlerFile, saved.replace(SEND, CHALLENGED));
    await client.filesChanged([{ file: handlerFile, type: 2 }]);
    await client.diagnosticsFor(service, none);
    await client.diagnosticsFor(auth, none);

    // Opened with the old text, then closed: the disk's challenged handler counts again.
    const handler = await client.open(handlerFile, saved, 'javascript');
    await client.diagnosticsFor(service, crossFile);
    await client.close(handler);
    await client.diagnosticsFor(service, none);

    fs.rmSync(handlerFile);
    await client.filesChanged([{ file: handlerFile, type: 3 }]);
    // Without a handler, the ApiError is no response the file can judge.
    await client.diagnosticsFor(service, none);
  });

  it('offers the cross-file quick fix as a WorkspaceEdit on the handler file', async () => {
    dir = copyFixture('express-api-error');
    client = new LspClient({ folders: [dir] });
    await client.initialize();
    const service = await client.open(path.join(dir, 'src/services/auth.service.js'), read(dir, 'src/services/auth.service.js'), 'javascript');
    const diagnostics = await client.diagnosticsFor(service, crossFile);
    const handlerFile = path.join(dir, 'src/middlewares/error.js');

    const closedFix = (await client.codeActions(service, diagnostics)).find((a) => a.isPreferred);
    assert.ok(closedFix, 'no quick fix');
    assert.equal(closedFix.title, 'Add WWW-Authenticate: Bearer realm="api" for 401s in ../middlewares/error.js');
    const [closedEdit] = closedFix.edit!.documentChanges as TextDocumentEdit[];
    assert.equal(closedFix.edit!.documentChanges!.length, 1);
    assert.deepEqual(closedEdit.textDocument, { uri: uriOf(handlerFile), version: null });

    // With the handler open, the edit is stamped with its version; applied, it clears the finding in the service.
    const handler = await client.open(handlerFile, read(dir, 'src/middlewares/error.js'), 'javascript');
    const openFix = (await client.codeActions(service, diagnostics)).find((a) => a.isPreferred)!;
    const [openEdit] = openFix.edit!.documentChanges as TextDocumentEdit[];
    assert.deepEqual(openEdit.textDocument, { uri: handler, version: 1 });
    await client.applyWorkspaceEdit(openFix.edit!);
    assert.match(client.text(handler), /if \(statusCode === 401\) res\.setHeader\('WWW-Authenticate', 'Bearer realm="api"'\);\n {2}res\.status\(statusCode\)/);
    await client.diagnosticsFor(service, none);
  });

  it('starts no progress for a client that cannot show one, and still indexes', async () => {
    dir = copyFixture('express-api-error');
    client = new LspClient({ folders: [dir], noWorkDoneProgress: true });
    await client.initialize();
    const auth = await client.open(path.join(dir, 'src/middlewares/auth.js'), read(dir, 'src/middlewares/auth.js'), 'javascript');
    await client.diagnosticsFor(auth, crossFile);
    assert.deepEqual(client.createdProgress, []);
    assert.deepEqual(client.progress, []);
  });

  it('indexes the project around a file outside every workspace folder', async () => {
    dir = copyFixture('express-api-error');
    client = new LspClient({});
    await client.initialize();
    const auth = await client.open(path.join(dir, 'src/middlewares/auth.js'), read(dir, 'src/middlewares/auth.js'), 'javascript');
    await client.diagnosticsFor(auth, crossFile);
  });

  it('leaves a 401 alone when the handler in another file sets the challenge', async () => {
    dir = copyFixture('express-challenged-handler');
    client = new LspClient({ folders: [dir] });
    await client.initialize();
    const service = await client.open(path.join(dir, 'src/services/auth.service.js'), read(dir, 'src/services/auth.service.js'), 'javascript');
    await client.until(() => client!.progress.some((p) => p.kind === 'end'));
    // Linted again after indexing only if the answers changed; either way, nothing to report.
    assert.deepEqual(await client.diagnosticsFor(service), []);
  });
});
