import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  type ClientCapabilities,
  type CodeAction,
  type Diagnostic,
  type InitializeParams,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Range,
  type ShowMessageParams,
  StreamMessageReader,
  StreamMessageWriter,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';

const SERVER = path.resolve(__dirname, '../../dist/server.js');

export const uriOf = (file: string): string => pathToFileURL(file).toString();

export interface ClientOptions {
  /** Answer `workspace/configuration` with this (per scope URI); omit to not offer the capability. */
  configuration?: (scopeUri: string | undefined) => unknown;
  initializationOptions?: unknown;
  /** Workspace folders; the first is also the root. */
  folders?: string[];
  /** Called with each `$/progress` value and its token, e.g. to cancel. */
  onProgress?: (value: { kind: string }, token: string | number) => void;
  /** Leave out `window.workDoneProgress` (a client that cannot show server-started progress). */
  noWorkDoneProgress?: boolean;
  /** Offer `publishDiagnostics.relatedInformation`. */
  relatedInformation?: boolean;
}

/**
 * A minimal LSP client over the built server's stdio: it records published
 * diagnostics, answers the server's requests as an editor would, and keeps
 * open documents' text so returned edits can be applied and sent back.
 */
export class LspClient {
  readonly connection: ProtocolConnection;
  readonly messages: ShowMessageParams[] = [];
  readonly logs: string[] = [];
  readonly shownDocuments: string[] = [];
  readonly progress: { kind: string; title?: string; message?: string; percentage?: number }[] = [];
  /** The tokens the server asked to create with `window/workDoneProgress/create`. */
  readonly createdProgress: (string | number)[] = [];
  /** Every `client/registerCapability` registration, in order. */
  readonly registrations: { method: string; registerOptions?: unknown }[] = [];
  /** Every `authlint/status` notification, in order. */
  readonly statuses: { uri: string; skipped: string | null }[] = [];
  private readonly process: ChildProcess;
  private readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  private readonly waiters = new Set<() => void>();
  private readonly documents = new Map<string, TextDocument>();
  private stderr = '';

  constructor(private readonly options: ClientOptions = {}) {
    this.process = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.process.stderr!.on('data', (chunk) => (this.stderr += chunk));
    this.connection = createProtocolConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.diagnostics.set(params.uri, params);
      for (const wake of this.waiters) wake();
    });
    this.connection.onNotification('window/showMessage', (params: ShowMessageParams) => this.messages.push(params));
    this.connection.onNotification('authlint/status', (params: { uri: string; skipped: string | null }) => {
      this.statuses.push(params);
      for (const wake of this.waiters) wake();
    });
    this.connection.onNotification('window/logMessage', (params: ShowMessageParams) => this.logs.push(params.message));
    this.connection.onRequest('window/showMessageRequest', (params: ShowMessageParams) => (this.messages.push(params), null));
    this.connection.onRequest('client/registerCapability', (params: { registrations: { method: string; registerOptions?: unknown }[] }) => {
      this.registrations.push(...params.registrations);
      return null;
    });
    this.connection.onRequest('window/workDoneProgress/create', (params: { token: string | number }) => {
      this.createdProgress.push(params.token);
      return null;
    });
    this.connection.onNotification('$/progress', (params: { token: string | number; value: { kind: string } }) => {
      this.progress.push(params.value);
      this.options.onProgress?.(params.value, params.token);
      for (const wake of this.waiters) wake();
    });
    this.connection.onRequest('window/showDocument', (params: { uri: string }) => (this.shownDocuments.push(params.uri), { success: true }));
    this.connection.onRequest('workspace/configuration', (params: { items: { scopeUri?: string }[] }) =>
      params.items.map((item) => this.options.configuration?.(item.scopeUri) ?? null),
    );
    this.connection.onRequest('workspace/workspaceFolders', () => this.workspaceFolders());
    this.connection.onRequest('workspace/applyEdit', (params: { edit: WorkspaceEdit }) => {
      this.applyWorkspaceEdit(params.edit);
      return { applied: true };
    });
    this.connection.listen();
  }

  /** Sends `initialize` with exactly `params` (a client that leaves out what LSP requires), then `initialized`. */
  async initializeWith(params: unknown): Promise<unknown> {
    const result = await this.connection.sendRequest('initialize', params);
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  async initialize(): Promise<void> {
    const capabilities: ClientCapabilities = {
      workspace: {
        configuration: !!this.options.configuration,
        workspaceFolders: true,
        didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true },
        didChangeConfiguration: { dynamicRegistration: true },
        applyEdit: true,
        workspaceEdit: { documentChanges: true },
      },
      window: { workDoneProgress: !this.options.noWorkDoneProgress, showDocument: { support: true } },
      textDocument: {
        publishDiagnostics: { versionSupport: true, ...(this.options.relatedInformation ? { relatedInformation: true } : {}) },
        codeAction: { dynamicRegistration: false },
      },
    };
    const root = this.options.folders?.[0];
    const params: InitializeParams = {
      processId: process.pid,
      rootUri: root ? uriOf(root) : null,
      workspaceFolders: this.workspaceFolders(),
      capabilities,
      initializationOptions: this.options.initializationOptions,
    };
    await this.connection.sendRequest('initialize', params);
    await this.connection.sendNotification('initialized', {});
  }

  private workspaceFolders(): { uri: string; name: string }[] | null {
    return this.options.folders?.map((folder) => ({ uri: uriOf(folder), name: path.basename(folder) })) ?? null;
  }

  async open(file: string, text: string, languageId = 'typescript'): Promise<string> {
    const uri = uriOf(file);
    this.diagnostics.delete(uri);
    this.documents.set(uri, TextDocument.create(uri, languageId, 1, text));
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  text(uri: string): string {
    return this.documents.get(uri)!.getText();
  }

  version(uri: string): number {
    return this.documents.get(uri)!.version;
  }

  /** Replaces the document's whole text, as a full-content `didChange`. */
  async change(uri: string, text: string): Promise<void> {
    const previous = this.documents.get(uri)!;
    const next = TextDocument.create(uri, previous.languageId, previous.version + 1, text);
    this.documents.set(uri, next);
    await this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: next.version },
      contentChanges: [{ text }],
    });
  }

  /**
   * Sends incremental changes as one `didChange` (each range relative to the
   * text the one before it left), applied to the client's copy as
   * vscode-languageserver-textdocument applies them. `version` defaults to the next one.
   */
  async changeIncrementally(uri: string, changes: { range: Range; text: string }[], version?: number): Promise<void> {
    const document = this.documents.get(uri)!;
    const next = version ?? document.version + 1;
    this.documents.set(uri, TextDocument.update(document, changes, next));
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: next }, contentChanges: changes });
  }

  /** Sends a `didChange` as given, without touching the client's copy (a malformed one). */
  async sendChange(uri: string, version: number, contentChanges: unknown[]): Promise<void> {
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
  }

  /** Tells the server files changed on disk (`workspace/didChangeWatchedFiles`; type 1 created, 2 changed, 3 deleted). */
  async filesChanged(changes: { file: string; type: 1 | 2 | 3 }[]): Promise<void> {
    await this.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: changes.map((c) => ({ uri: uriOf(c.file), type: c.type })) });
  }

  async close(uri: string): Promise<void> {
    this.documents.delete(uri);
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** The diagnostics published for `uri` at exactly `version`, waiting for them. */
  async diagnosticsAt(uri: string, version: number, timeoutMs = 10_000): Promise<Diagnostic[]> {
    await this.until(() => this.diagnostics.get(uri)?.version === version, timeoutMs, () => `no diagnostics for ${uri} at version ${version}; last at ${this.diagnostics.get(uri)?.version}`);
    return this.diagnostics.get(uri)!.diagnostics;
  }

  /** Resolves once `done()` holds, re-checking whenever the server notifies something. */
  async until(done: () => boolean, timeoutMs = 10_000, describe: () => string = () => 'condition'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`timed out waiting for ${describe()}; server stderr: ${this.stderr}`);
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          this.waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, remaining);
        this.waiters.add(wake);
      });
    }
  }

  /** Applies a workspace edit to the client's copy and sends the result to the server, refusing stale versions. */
  async applyWorkspaceEdit(edit: WorkspaceEdit): Promise<void> {
    for (const change of edit.documentChanges ?? []) {
      if (!('textDocument' in change)) throw new Error('unexpected resource operation');
      const document = this.documents.get(change.textDocument.uri);
      if (!document) throw new Error(`edit for a document that is not open: ${change.textDocument.uri}`);
      if (change.textDocument.version !== null && change.textDocument.version !== document.version) {
        throw new Error(`stale edit: version ${change.textDocument.version}, document at ${document.version}`);
      }
      await this.change(document.uri, TextDocument.applyEdits(document, change.edits));
    }
  }

  /** The next diagnostics published for `uri` that satisfy `accept` (the current ones if they already do). */
  async diagnosticsFor(uri: string, accept: (diagnostics: Diagnostic[]) => boolean = () => true, timeoutMs = 10_000): Promise<Diagnostic[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const current = this.diagnostics.get(uri);
      if (current && accept(current.diagnostics)) return current.diagnostics;
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; last: ${JSON.stringify(current?.diagnostics)}; server stderr: ${this.stderr}`);
      }
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          this.waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, remaining);
        this.waiters.add(wake);
      });
    }
  }

  codeActions(uri: string, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return this.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range,
      context: { diagnostics, only },
    }) as Promise<CodeAction[]>;
  }

  get exitCode(): number | null {
    return this.process.exitCode;
  }

  async shutdown(): Promise<void> {
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    await new Promise<void>((resolve) => (this.process.exitCode !== null ? resolve() : this.process.once('exit', () => resolve())));
    this.connection.dispose();
  }
}
