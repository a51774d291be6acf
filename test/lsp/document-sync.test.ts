import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Diagnostic, Range } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { MAX_FILE_BYTES } from '../../server/src/workspace/read-source';
import { jsonOf, runCli } from '../cli/run-cli';
import { LspClient, uriOf } from './lsp-client';

const SERVER = path.resolve(__dirname, '../../dist/server.js');

/** Handlers sit between `//---` markers; each has a comment, on the line of its 401, that the random edits write into. */
const MARKER = '//---\r\n';
const HANDLER = (route: string, status = 401) =>
  `app.get('/${route}', (req, res) => {\r\n  /* 😀 zone */ if (!req.user) return res.status(${status}).json({ error: 'sign in' });\r\n  res.json({ ok: '𝒜' });\r\n});\r\n${MARKER}`;
const BASE = `import express from 'express';\r\nconst app = express();\r\n${MARKER}${HANDLER('a')}${HANDLER('b', 403)}${HANDLER('c')}`;
/** What the edits write into a comment: astral characters, line breaks of both kinds, text, nothing. */
const COMMENT_PIECES = ['😀', '𝒜x', '\r\n', '\n', '\r\n\r\n', 'note', '', ' '];

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(items: readonly T[], next: () => number): T {
  return items[Math.floor(next() * items.length)];
}

/** The offsets of every match of `pattern` in `text`. */
function matches(text: string, pattern: RegExp): RegExpExecArray[] {
  return [...text.matchAll(new RegExp(pattern.source, 'g'))];
}

/** An offset in [from, to] that does not split a surrogate pair (a lone surrogate cannot be written to a file for the CLI). */
function offsetBetween(text: string, from: number, to: number, next: () => number): number {
  let offset = from + Math.floor(next() * (to - from + 1));
  if (offset > from && /[\ud800-\udbff]/.test(text[offset - 1])) offset--;
  return offset;
}

/**
 * A random change that keeps the code parsing, so findings come and go and
 * move: text written into a handler's comment (before its 401 on the same
 * line, so UTF-16 columns shift), a handler added or removed, a status
 * flipped. Its range is sometimes inverted, or runs past the end of its line
 * or of the text, which the server must read as TextDocument does.
 */
function randomChange(document: TextDocument, next: () => number): { range: Range; text: string } {
  const text = document.getText();
  const roll = next();
  let start: number;
  let end: number;
  let insert: string;
  const comments = matches(text, /\/\*[^]*?\*\//);
  const markers = matches(text, /\/\/---\r\n/);
  if (roll < 0.55 && comments.length) {
    const comment = pick(comments, next);
    const inner = [comment.index + 2, comment.index + comment[0].length - 2];
    start = offsetBetween(text, inner[0], inner[1], next);
    end = offsetBetween(text, start, inner[1], next);
    insert = pick(COMMENT_PIECES, next);
  } else if (roll < 0.65 || markers.length < 3) {
    const marker = pick(markers, next);
    start = end = marker.index + marker[0].length;
    insert = HANDLER(`r${Math.floor(next() * 1000)}`, next() < 0.7 ? 401 : 403);
  } else if (roll < 0.8) {
    const k = Math.floor(next() * (markers.length - 1));
    start = markers[k].index + markers[k][0].length;
    end = markers[k + 1].index + markers[k + 1][0].length;
    insert = '';
  } else if (roll < 0.9) {
    const status = pick(matches(text, /status\((401|403)\)/), next);
    start = status.index + 7;
    end = start + 3;
    insert = status[1] === '401' ? '403' : '401';
  } else {
    // The rest of a line, given as a character far past its end, which is read as the end of the line.
    const line = pick(matches(text, /res\.json\([^\r\n]*/), next);
    const position = document.positionAt(line.index);
    return { range: { start: position, end: { line: position.line, character: position.character + 500 } }, text: pick(["res.json({ ok: '😀😀' });", 'res.json({});'], next) };
  }
  let range: Range = { start: document.positionAt(start), end: document.positionAt(end) };
  const shape = next();
  if (shape < 0.15) range = { start: range.end, end: range.start };
  else if (end === text.length && shape < 0.5) range = { start: range.start, end: { line: document.lineCount + 3, character: 7 } };
  return { range, text: insert };
}

interface Expected {
  code: string | number | undefined;
  range: Range;
  message: string;
}

const shape = (d: Diagnostic[]): Expected[] => d.map(({ code, range, message }) => ({ code, range, message }));

/** What a fresh CLI run reports for `text` saved at `file`, as LSP diagnostics. */
function cliDiagnostics(file: string, text: string): Expected[] {
  fs.writeFileSync(file, text);
  const [result] = jsonOf(runCli(['--format', 'json', file]));
  return result.messages.map((m) => ({
    code: m.ruleId ?? undefined,
    range: { start: { line: m.line - 1, character: m.column - 1 }, end: { line: m.endLine! - 1, character: m.endColumn! - 1 } },
    message: m.message,
  }));
}

function cliFixed(file: string, text: string): string {
  fs.writeFileSync(file, text);
  const [result] = jsonOf(runCli(['--fix-dry-run', '--format', 'json', file]));
  return result.output ?? text;
}

/** Writes raw bytes to a fresh server's standard input and collects every message it sends back within `waitMs`. */
async function rawSession(frames: (string | object)[], waitMs = 1500): Promise<{ messages: { id?: unknown; result?: unknown; error?: { code: number; message: string }; method?: string }[]; exitCode: number | null }> {
  const server = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  server.stdout.on('data', (chunk) => (out += chunk));
  for (const frame of frames) {
    const body = typeof frame === 'string' ? undefined : JSON.stringify({ jsonrpc: '2.0', ...frame });
    server.stdin.write(body === undefined ? (frame as string) : `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await new Promise((resolve) => setTimeout(resolve, waitMs));
  const exitCode = server.exitCode;
  server.kill();
  const messages = out.split(/Content-Length: \d+\r\n\r\n/).filter(Boolean).map((body) => JSON.parse(body));
  return { messages, exitCode };
}

const OPEN_ANY = (uri: string, text: string) => ({ method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'typescript', version: 1, text } } });
const CODE_ACTION = (id: number, uri: string) => ({
  id,
  method: 'textDocument/codeAction',
  params: { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['source.fixAll'] } },
});

describe('language server: its text never drifts from the client\'s', function () {
  this.timeout(120_000);
  let client: LspClient | undefined;
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-sync-'));
  });
  afterEach(async () => {
    if (client && client.exitCode === null) await client.shutdown();
    client = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const seed of [1, 2, 3]) {
    it(`after random incremental edits (CRLF, astral characters, inverted and out-of-range ranges, repeated and decreasing versions) reports what a fresh CLI run does, seed ${seed}`, async () => {
      const next = random(seed);
      client = new LspClient({ folders: [dir] });
      await client.initialize();
      const file = path.join(dir, 'routes.ts');
      const uri = await client.open(file, BASE);
      let version = 1;
      for (let event = 0; event < 150; event++) {
        const count = 1 + Math.floor(next() * 3);
        let document = TextDocument.create(uri, 'typescript', 0, client.text(uri));
        const changes: { range: Range; text: string }[] = [];
        for (let i = 0; i < count; i++) {
          const change = randomChange(document, next);
          changes.push(change);
          document = TextDocument.update(document, [change], 0);
        }
        const roll = next();
        version = roll < 0.1 ? version : roll < 0.15 ? Math.max(1, version - 2) : version + 1;
        await client.changeIncrementally(uri, changes, version);
        if (next() < 0.2) await new Promise((resolve) => setTimeout(resolve, 5));
      }
      // A last, empty change with a version never used: its diagnostics are those of the final text.
      const end = TextDocument.create(uri, 'typescript', 0, client.text(uri)).positionAt(client.text(uri).length);
      await client.changeIncrementally(uri, [{ range: { start: end, end }, text: '' }], 10_000);
      const published = await client.diagnosticsAt(uri, 10_000);
      const text = client.text(uri);
      assert.deepEqual(shape(published), cliDiagnostics(file, text));

      const actions = await client.codeActions(uri, [], ['source.fixAll']);
      const fixed = actions.length ? TextDocument.applyEdits(TextDocument.create(uri, 'typescript', 0, text), actions[0].edit!.documentChanges!.flatMap((c) => ('edits' in c ? c.edits : []))) : text;
      assert.equal(fixed, cliFixed(file, text), 'fix-all makes the edits --fix makes');
    });
  }

  it('starts afresh when a document is closed and reopened with other text, and ignores the file on disk while it is open', async () => {
    client = new LspClient({ folders: [dir] });
    await client.initialize();
    const file = path.join(dir, 'a.ts');
    fs.writeFileSync(file, 'export const clean = 1;\n');
    let uri = await client.open(file, BASE);
    assert.equal((await client.diagnosticsAt(uri, 1)).length, 3);
    // The file changes on disk (a branch switch) while the editor holds other text: the editor's text stands.
    fs.writeFileSync(file, `${BASE}${HANDLER('e')}`);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 2 }] });
    await client.connection.sendRequest('workspace/executeCommand', { command: 'authlint.server.lintWorkspace', arguments: [] });
    assert.deepEqual(shape(await client.diagnosticsAt(uri, 1)), cliDiagnostics(path.join(dir, 'copy.ts'), BASE));
    await client.close(uri);
    await client.diagnosticsFor(uri, (d) => d.length === 0);
    const reopened = `${BASE}${HANDLER('e')}`.replace("res.status(401).json({ error: 'sign in' })", "res.status(401).set('WWW-Authenticate', 'Bearer').json({})");
    uri = await client.open(file, reopened);
    assert.deepEqual(shape(await client.diagnosticsAt(uri, 1)), cliDiagnostics(path.join(dir, 'copy.ts'), reopened));
  });

  it('reads a bare initialize, and waits for it before linting a document opened early', async () => {
    const uri = uriOf(path.join(dir, 'early.ts'));
    const { messages, exitCode } = await rawSession([CODE_ACTION(0, uri), OPEN_ANY(uri, BASE), { id: 1, method: 'initialize', params: {} }, { method: 'initialized', params: {} }]);
    assert.equal(exitCode, null, 'the server is still running');
    const early = messages.find((m) => m.id === 0)!;
    assert.equal(early.error?.code, -32002, 'a request before initialize: ServerNotInitialized');
    assert.ok(messages.find((m) => m.id === 1)?.result, 'initialize answered');
    const published = messages.filter((m) => m.method === 'textDocument/publishDiagnostics');
    assert.equal(published.length, 1);
    assert.equal((published[0] as { params: { diagnostics: unknown[] } }).params.diagnostics.length, 3);

    const none = await rawSession([{ id: 1, method: 'initialize' }, { method: 'initialized' }, OPEN_ANY(uri, BASE), CODE_ACTION(2, uri)]);
    assert.ok(none.messages.find((m) => m.id === 1)?.result, 'initialize without params answered');
    assert.equal((none.messages.find((m) => m.id === 2)?.result as unknown[]).length, 1, 'the fix-all action');
  });

  it('answers malformed frames and requests with JSON-RPC errors and goes on', async () => {
    const uri = uriOf(path.join(dir, 'a.ts'));
    const { messages, exitCode } = await rawSession([
      { id: 1, method: 'initialize', params: { capabilities: {} } },
      'Content-Length: 9\r\n\r\n{bad json',
      'Content-Length: 2\r\n\r\n[]',
      { id: 3, x: 1 },
      { id: 4, method: 'textDocument/codeAction', params: 'garbage' },
      OPEN_ANY(uri, BASE),
      CODE_ACTION(5, uri),
    ]);
    assert.equal(exitCode, null);
    const errors = messages.filter((m) => m.error).map((m) => [m.id, m.error!.code]);
    assert.deepEqual(errors, [[null, -32700], [null, -32600], [null, -32600], [4, -32602]]);
    assert.ok((messages.find((m) => m.id === 5)?.result as unknown[]).length > 0, 'later requests are served');
  });

  it('publishes nothing while a change it cannot read leaves the text unknown, and recovers on a full-text change', async () => {
    client = new LspClient({ folders: [dir] });
    await client.initialize();
    const uri = await client.open(path.join(dir, 'a.ts'), BASE);
    assert.equal((await client.diagnosticsAt(uri, 1)).length, 3);
    await client.sendChange(uri, 2, [{ range: { start: { line: 0 }, end: { line: 0, character: 1 } }, text: 'x' }]);
    assert.deepEqual(await client.diagnosticsAt(uri, 2), []);
    await client.sendChange(uri, 3, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'y' }]);
    assert.deepEqual(await client.diagnosticsAt(uri, 3), [], 'an edit to unknown text is still unknown text');
    await client.sendChange(uri, 4, [{ text: BASE }]);
    assert.deepEqual(shape(await client.diagnosticsAt(uri, 4)), cliDiagnostics(path.join(dir, 'copy.ts'), BASE));
  });

  it('reads an inverted range as swapped and one past the end as clamped, as vscode-languageserver-textdocument does', async () => {
    client = new LspClient({ folders: [dir] });
    await client.initialize();
    const uri = await client.open(path.join(dir, 'a.ts'), BASE);
    assert.equal((await client.diagnosticsAt(uri, 1)).length, 3);
    const mirror = TextDocument.create(uri, 'typescript', 1, BASE);
    // Handler b's 403 becomes a 401, written with its range's ends the wrong way round.
    const at = mirror.positionAt(BASE.indexOf('status(403)') + 'status('.length);
    const inverted = { range: { start: { line: at.line, character: at.character + 3 }, end: at }, text: '401' };
    // A handler appended with a range on lines the document does not have.
    const past = { range: { start: { line: mirror.lineCount + 5, character: 2 }, end: { line: mirror.lineCount + 9, character: 0 } }, text: HANDLER('d') };
    await client.sendChange(uri, 2, [inverted, past]);
    TextDocument.update(mirror, [inverted, past], 2);
    assert.match(mirror.getText(), /status\(401\)[^]*app\.get\('\/d'/, 'the mirror swapped and clamped');
    assert.deepEqual(shape(await client.diagnosticsAt(uri, 2)), cliDiagnostics(path.join(dir, 'copy.ts'), mirror.getText()));
  });

  it('leaves a document over the CLI\'s size limit unlinted, says so, and lints it again once it is small', async () => {
    client = new LspClient({ folders: [dir] });
    await client.initialize();
    const filler = `// ${'x'.repeat(70)}\n`;
    const huge = BASE + filler.repeat(Math.ceil(MAX_FILE_BYTES / filler.length) + 1);
    const uri = await client.open(path.join(dir, 'big.ts'), huge);
    assert.deepEqual(await client.diagnosticsAt(uri, 1), []);
    await client.until(() => client!.statuses.some((s) => s.uri === uri && s.skipped));
    assert.match(client.statuses.at(-1)!.skipped!, /^larger than 2 MB \(2\.0 MB\), likely generated$/);
    await client.change(uri, BASE);
    assert.equal((await client.diagnosticsAt(uri, 2)).length, 3);
    await client.until(() => client!.statuses.at(-1)?.skipped === null);
  });
});
