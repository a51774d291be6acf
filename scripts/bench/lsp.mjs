// Times the language server as an editor sees it: a one-character didChange
// on a large open file, until the publishDiagnostics for that version arrives.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';

/** A minimal LSP client over stdio: Content-Length framing, requests, notifications. */
class Client {
  constructor(command, args) {
    this.child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
    this.buffer = Buffer.alloc(0);
    this.nextId = 1;
    this.pending = new Map();
    this.listeners = [];
    this.child.stdout.on('data', (chunk) => this.receive(chunk));
  }

  receive(chunk) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd === -1) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString())[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString());
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.dispatch(message);
    }
  }

  dispatch(message) {
    if (message.id !== undefined && this.pending.has(message.id) && !message.method) {
      this.pending.get(message.id)(message.result);
      this.pending.delete(message.id);
    } else if (message.id !== undefined && message.method) {
      // Server-to-client requests (registrations, configuration) get an empty answer.
      this.send({ jsonrpc: '2.0', id: message.id, result: null });
    } else {
      for (const listener of [...this.listeners]) listener(message);
    }
  }

  send(message) {
    const body = Buffer.from(JSON.stringify(message));
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  request(method, params) {
    const id = this.nextId++;
    this.send({ jsonrpc: '2.0', id, method, params });
    return new Promise((resolve) => this.pending.set(id, resolve));
  }

  notify(method, params) {
    this.send({ jsonrpc: '2.0', method, params });
  }

  /** Resolves with the first notification that `test` accepts. */
  waitFor(test) {
    return new Promise((resolve) => {
      const listener = (message) => {
        if (!test(message)) return;
        this.listeners.splice(this.listeners.indexOf(listener), 1);
        resolve(message);
      };
      this.listeners.push(listener);
    });
  }
}

/**
 * Opens `file` in the server, then types one character and deletes it again,
 * `samples` times, timing each change until its diagnostics arrive. The edit
 * lands inside a handler in the middle of the file, as typing does.
 */
export async function measureEdits(serverBin, file, samples) {
  const text = fs.readFileSync(file, 'utf8');
  const uri = pathToFileURL(file).href;
  const client = new Client(process.execPath, [serverBin, '--stdio']);
  await client.request('initialize', { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: {} });
  client.notify('initialized', {});

  const diagnosticsFor = (version) =>
    client.waitFor((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri && m.params.version === version);
  const opened = Date.now();
  const first = diagnosticsFor(1);
  client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text } });
  const firstDiagnostics = await first;
  const openMs = Date.now() - opened;

  const lines = text.split('\n');
  const line = lines.findIndex((l, i) => i > lines.length / 2 && l.includes('const user = await verifyToken'));
  const character = lines[line].indexOf('user') + 4;
  const timings = [];
  let version = 1;
  for (let i = 0; i < samples; i++) {
    version++;
    const insert = i % 2 === 0;
    const range = insert
      ? { start: { line, character }, end: { line, character } }
      : { start: { line, character }, end: { line, character: character + 1 } };
    const done = diagnosticsFor(version);
    const start = process.hrtime.bigint();
    client.notify('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range, rangeLength: insert ? 0 : 1, text: insert ? 'x' : '' }],
    });
    await done;
    timings.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  await client.request('shutdown', null);
  client.notify('exit', null);
  return { samples: timings, openMs, diagnostics: firstDiagnostics.params.diagnostics.length, lines: lines.length - 1 };
}
