import * as path from 'node:path';
import {
  commands,
  Disposable,
  type ExtensionContext,
  LanguageStatusSeverity,
  languages,
  type OutputChannel,
  ProgressLocation,
  Uri,
  window,
} from 'vscode';
import {
  CancellationTokenSource,
  ExecuteCommandRequest,
  LanguageClient,
  State,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
  type ShowDocumentParams,
  ShowDocumentRequest,
  type ShowDocumentResult,
  WorkDoneProgress,
} from 'vscode-languageclient/node';

const LANGUAGES = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact'];

/** Commands the server executes; the names match server/src/lsp/code-actions.ts. */
const SERVER = {
  applyFixAll: 'authlint.server.applyFixAll',
  lintWorkspace: 'authlint.server.lintWorkspace',
};

/** What a workspace lint reports back, as the server's lintWorkspace command returns it. */
export interface WorkspaceLintSummary {
  files: number;
  problems: number;
  cancelled: boolean;
}

let client: LanguageClient | undefined;

/** Starts the authlint language server over IPC; all analysis happens there. */
export async function activate(context: ExtensionContext): Promise<{ client: LanguageClient }> {
  const output = window.createOutputChannel('authlint');
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: LANGUAGES.map((language) => ({ language })),
    outputChannel: output,
    middleware: { window: { showDocument: openDocsPreview } },
  };
  const languageClient = new LanguageClient('authlint', 'authlint', serverOptions, clientOptions);
  client = languageClient;

  context.subscriptions.push(
    output,
    statusItem(languageClient, output),
    commands.registerCommand('authlint.lintWorkspace', () => lintWorkspace(languageClient)),
    commands.registerCommand('authlint.fixAll', () => fixAll(languageClient)),
    commands.registerCommand('authlint.restartServer', () => languageClient.restart()),
    commands.registerCommand('authlint.showOutput', () => output.show(true)),
  );
  await languageClient.start();
  return { client: languageClient };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}

/** Rule docs ship as markdown beside the server; show them rendered rather than as source. */
async function openDocsPreview(params: ShowDocumentParams, next: ShowDocumentRequest.HandlerSignature): Promise<ShowDocumentResult> {
  if (!params.external && params.uri.startsWith('file:') && params.uri.endsWith('.md')) {
    try {
      await commands.executeCommand('markdown.showPreview', Uri.parse(params.uri));
      return { success: true };
    } catch {
      // Without the built-in markdown extension the source itself is shown below.
    }
  }
  return next(params, new CancellationTokenSource().token) as Promise<ShowDocumentResult>;
}

/**
 * Runs the server's workspace lint under a cancellable notification: the
 * server reports progress on our workDoneToken, and Cancel cancels the request.
 */
async function lintWorkspace(languageClient: LanguageClient): Promise<WorkspaceLintSummary | undefined> {
  const options = { location: ProgressLocation.Notification, title: 'authlint: linting the workspace', cancellable: true };
  const summary = await window.withProgress(options, async (progress, token) => {
    const workDoneToken = `authlint.lintWorkspace.${Date.now()}`;
    let reported = 0;
    const listener = languageClient.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
      if (value.kind !== 'report') return;
      progress.report({ message: value.message, increment: value.percentage !== undefined ? value.percentage - reported : undefined });
      reported = value.percentage ?? reported;
    });
    try {
      const params = { command: SERVER.lintWorkspace, arguments: [], workDoneToken };
      return (await languageClient.sendRequest(ExecuteCommandRequest.type, params, token)) as WorkspaceLintSummary | null;
    } catch (error) {
      if (token.isCancellationRequested) return null;
      throw error;
    } finally {
      listener.dispose();
    }
  });
  if (summary) {
    const verdict = summary.cancelled ? 'cancelled after' : 'in';
    void window.showInformationMessage(`authlint: ${summary.problems} problem${summary.problems === 1 ? '' : 's'} ${verdict} ${summary.files} file${summary.files === 1 ? '' : 's'}.`);
  }
  return summary ?? undefined;
}

async function fixAll(languageClient: LanguageClient): Promise<boolean> {
  const document = window.activeTextEditor?.document;
  if (!document || !LANGUAGES.includes(document.languageId)) return false;
  const target = { uri: languageClient.code2ProtocolConverter.asUri(document.uri), version: document.version };
  return window.withProgress({ location: ProgressLocation.Window, title: 'authlint: fixing' }, async () =>
    Boolean(await languageClient.sendRequest(ExecuteCommandRequest.type, { command: SERVER.applyFixAll, arguments: [target] })),
  );
}

/** What the server tells of a document it leaves unlinted; the name matches server/src/lsp/server.ts. */
const STATUS_NOTIFICATION = 'authlint/status';
interface DocumentStatus {
  uri: string;
  skipped: string | null;
}

/**
 * The `{}` language status entry: the server's state and the number of
 * findings, or why the active document is not linted (too large, say); opens the output.
 */
function statusItem(languageClient: LanguageClient, output: OutputChannel): Disposable {
  const skipped = new Map<string, string>();
  const item = languages.createLanguageStatusItem('authlint.status', LANGUAGES);
  item.name = 'authlint';
  item.command = { title: 'Show output', command: 'authlint.showOutput' };
  const update = (): void => {
    const state = languageClient.state;
    if (state !== State.Running) {
      item.text = state === State.Starting ? '$(sync~spin) authlint: starting' : '$(error) authlint: stopped';
      item.severity = state === State.Starting ? LanguageStatusSeverity.Information : LanguageStatusSeverity.Error;
      item.busy = state === State.Starting;
      return;
    }
    const active = window.activeTextEditor?.document.uri.toString();
    const reason = active === undefined ? undefined : skipped.get(active);
    if (reason !== undefined) {
      item.text = '$(warning) authlint: not linted';
      item.detail = `${reason}, as the CLI skips it`;
      item.severity = LanguageStatusSeverity.Warning;
      item.busy = false;
      return;
    }
    const findings = countFindings();
    item.text = `$(shield) authlint: ${findings} finding${findings === 1 ? '' : 's'}`;
    item.detail = 'server running';
    item.severity = LanguageStatusSeverity.Information;
    item.busy = false;
  };
  const stateChanges = languageClient.onDidChangeState((change) => {
    if (change.newState === State.Stopped) output.appendLine('authlint: the server stopped.');
    update();
  });
  const statusChanges = languageClient.onNotification(STATUS_NOTIFICATION, (status: DocumentStatus) => {
    const uri = languageClient.protocol2CodeConverter.asUri(status.uri).toString();
    if (status.skipped) skipped.set(uri, status.skipped);
    else skipped.delete(uri);
    update();
  });
  const diagnosticChanges = languages.onDidChangeDiagnostics(update);
  const editorChanges = window.onDidChangeActiveTextEditor(update);
  update();
  return Disposable.from(item, stateChanges, statusChanges, diagnosticChanges, editorChanges);
}

function countFindings(): number {
  let count = 0;
  for (const [, diagnostics] of languages.getDiagnostics()) {
    for (const diagnostic of diagnostics) if (diagnostic.source === 'authlint') count++;
  }
  return count;
}
