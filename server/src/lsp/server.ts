import fs from 'node:fs';
import path from 'node:path';
import {
  type CancellationToken,
  CodeActionKind,
  type Connection,
  type Diagnostic,
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ExecuteCommandRequest,
  type ExecuteCommandParams,
  type InitializeParams,
  type InitializeResult,
  ErrorCodes,
  ResponseError,
  TextDocumentSyncKind,
  TextDocuments,
  type WorkDoneProgressReporter,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { fixSource } from '../core/fix';
import type { ProjectInput } from '../core/incremental';
import { lint } from '../core/lint';
import { lintInProject } from '../core/project/analyze';
import { answersDiffer, type AskedQuestion } from '../core/project/view';
import { docsUrl } from '../core/rules/rule';
import type { Finding, LintResult, Settings } from '../core/types';
import { codeActions, fixAllEdit, FIX_ALL_KIND, ServerCommands } from './code-actions';
import { IncrementalAnalysis } from './incremental';
import { ProjectIndexes, type EditorProject, type Progress } from './project';
import { SettingsResolver } from './settings';
import { URI } from './uri';
import { skipReason } from '../workspace/read-source';
import { lintWorkspace } from './workspace-lint';

const LANGUAGES = new Set(['typescript', 'typescriptreact', 'javascript', 'javascriptreact']);
/**
 * The wait after a keystroke before linting a document whose last lint was
 * slow (a large file analysed from scratch), to gather a burst of keystrokes.
 * A lint quicker than the time between two fast keystrokes (one that
 * re-analysed only the edited handler) runs at once: waiting would cost more.
 * Either way, edits that arrive during a lint are collapsed into the next one.
 */
const DEBOUNCE_MS = 20;
const FAST_LINT_MS = 50;
const CONFIG_GLOBS = ['**/.authlintrc.json', '**/package.json'];
/** What the project index reads: sources, and what decides how their imports resolve. */
const PROJECT_GLOBS = ['**/*.{ts,tsx,js,jsx,mjs,cjs,mts,cts}', '**/tsconfig.json'];
/** The wait after the last edit of an open document before its facts are read again for the project index. */
const FACTS_DELAY_MS = 200;
const SOURCE = /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/;

interface Linted {
  /** The document's revision (IncrementalAnalysis.revision) the result is for. */
  revision: number;
  result: LintResult;
  /** How long the lint took, in milliseconds. */
  took: number;
  settings: Settings;
  /** What the findings asked of the project index, to tell when a change of it may change them. */
  asked: AskedQuestion[];
  /** What the document was linted against; undefined outside a project (an untitled document). */
  project: ProjectInput | undefined;
}

/** Wires the analysis core to an LSP connection: diagnostics while typing, code actions, commands. */
export function startServer(connection: Connection): void {
  // Open documents are re-parsed incrementally from the ranges of their didChange events.
  const incremental = new IncrementalAnalysis();
  const documents = new TextDocuments(incremental.tracking(TextDocument));
  const linted = new Map<string, Linted>();
  const timers = new Map<string, NodeJS.Timeout>();
  const factTimers = new Map<string, NodeJS.Timeout>();
  /** Lints under way (waiting for settings), which indexing gives way to. */
  let validating = 0;
  let projects: ProjectIndexes | undefined;
  /** Closed files whose findings a workspace lint published; kept fresh on configuration changes. */
  const closedWithFindings = new Set<string>();
  let settingsResolver: SettingsResolver | undefined;
  let initParams: InitializeParams;
  /** Documents left unlinted (too large, minified), each told once. */
  const skipped = new Map<string, string>();

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    initParams = params;
    settingsResolver = new SettingsResolver(connection, initParams);
    projects = projectIndexes();
    // Documents opened before the handshake wait for it.
    for (const document of documents.all()) schedule(document, 0);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        executeCommandProvider: { commands: Object.values(ServerCommands) },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'authlint', version: AUTHLINT_VERSION },
    };
  });

  connection.onInitialized(() => {
    if (!settingsResolver) return;
    const workspace = initParams.capabilities.workspace;
    if (settingsResolver.canPullConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'authlint' });
    }
    if (workspace?.didChangeWatchedFiles?.dynamicRegistration) {
      const watchers = [...CONFIG_GLOBS, ...PROJECT_GLOBS].map((globPattern) => ({ globPattern }));
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers });
    }
    if (workspace?.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders(() => {
        void workspaceFolders().then((folders) => projects?.setFolders(folders));
        environmentChanged();
      });
    }
    const pending = pendingWatches ?? [];
    pendingWatches = undefined;
    for (const root of pending) watchRoot(root);
    void workspaceFolders().then((folders) => projects?.setFolders(folders));
  });

  /** The project indexes, reading open documents' trees and telling open documents when an index changed. */
  const projectIndexes = (): ProjectIndexes =>
    new ProjectIndexes({
      settingsFor: (dir) => resolver().resolve(URI.fromPath(path.join(dir, 'index.ts'))),
      ignoreFor: (dir) => {
        const scope = resolver().projectFor(dir);
        return { patterns: scope?.config.ignore ?? [], base: scope?.dir ?? dir };
      },
      openText: (file) => {
        const text = documents.get(URI.fromPath(file))?.getText();
        return text !== undefined && !skipReason(text) ? text : undefined;
      },
      startProgress,
      watch: watchRoot,
      busy: () => timers.size > 0 || validating > 0,
      changed: projectChanged,
      log: (message) => connection.console.log(message),
    });

  const watchedRoots = new Set<string>();
  /** Roots to watch once the client is initialized: registrations before it are not allowed. */
  let pendingWatches: string[] | undefined = [];
  /** Watches a project root outside the workspace folders (a monorepo around a sub-package folder), where the client supports patterns relative to a folder. */
  const watchRoot = (root: string): void => {
    const watched = initParams.capabilities.workspace?.didChangeWatchedFiles;
    if (!watched?.dynamicRegistration || !watched.relativePatternSupport || watchedRoots.has(root)) return;
    if (pendingWatches) return void pendingWatches.push(root);
    watchedRoots.add(root);
    const baseUri = URI.fromPath(root);
    const watchers = [...CONFIG_GLOBS, ...PROJECT_GLOBS].map((pattern) => ({ globPattern: { baseUri, pattern } }));
    void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers });
  };

  /** A progress the server starts, shown only by clients that said they can show one. */
  const startProgress = async (title: string): Promise<Progress | undefined> => {
    if (!initParams.capabilities.window?.workDoneProgress) return undefined;
    const reporter = await connection.window.createWorkDoneProgress();
    reporter.begin(title, 0, undefined, false);
    return { report: (percentage, message) => reporter.report(percentage, message), done: () => reporter.done() };
  };

  /** An index changed: the open documents whose recorded questions it now answers differently are linted again. */
  const projectChanged = (project: EditorProject): void => {
    for (const document of documents.all()) {
      const entry = linted.get(document.uri);
      if (!entry || entry.revision !== incremental.revision(document.uri)) continue;
      const file = URI.toPath(document.uri);
      if (projects?.projectOf(file) !== project) continue;
      if (answersDiffer(project.index, file, entry.asked)) schedule(document, 0);
      // The same answers: the findings stand, and what they were found against moves on.
      else entry.project = { index: project.index, generation: project.generation };
    }
  };

  /** Reads an open document's facts again once its edits pause, so the other files see its text. */
  const scheduleFacts = (uri: string): void => {
    if (!projects || !uri.startsWith('file:') || !SOURCE.test(uri)) return;
    clearTimeout(factTimers.get(uri));
    factTimers.set(
      uri,
      setTimeout(() => {
        factTimers.delete(uri);
        void projects?.update(URI.toPath(uri));
      }, FACTS_DELAY_MS),
    );
  };

  /** Settings or a config file changed: forget every resolved setting and lint again. */
  const environmentChanged = (): void => {
    if (!settingsResolver) return;
    settingsResolver.reset();
    for (const document of documents.all()) schedule(document, 0);
    for (const uri of closedWithFindings) void lintClosed(uri);
  };

  connection.onDidChangeConfiguration((change) => {
    settingsResolver?.changed(change?.settings);
    environmentChanged();
  });
  connection.onDidChangeWatchedFiles((params) => {
    let configChanged = false;
    for (const change of params?.changes ?? []) {
      if (typeof change?.uri !== 'string' || !change.uri.startsWith('file:')) continue;
      const file = URI.toPath(change.uri);
      const name = path.basename(file);
      if (name === 'tsconfig.json' || name === 'package.json') {
        const project = projects?.projectOf(file);
        if (project) projects?.rebuild(project.root);
      }
      if (name === '.authlintrc.json' || name === 'package.json') configChanged = true;
      // An open document's text, not the disk, is what the index sees for it.
      else if (SOURCE.test(file) && !documents.get(change.uri)) void projects?.update(file);
    }
    if (configChanged) environmentChanged();
  });

  const debounceFor = (uri: string): number => ((linted.get(uri)?.took ?? FAST_LINT_MS) < FAST_LINT_MS ? 0 : DEBOUNCE_MS);

  const schedule = (document: TextDocument, delay = debounceFor(document.uri)): void => {
    if (!settingsResolver || !LANGUAGES.has(document.languageId)) return;
    clearTimeout(timers.get(document.uri));
    timers.set(
      document.uri,
      setTimeout(() => {
        timers.delete(document.uri);
        void validate(document.uri);
      }, delay),
    );
  };

  const safeLint = (uri: string, run: () => LintResult): LintResult => {
    try {
      return run();
    } catch (error) {
      connection.console.error(`authlint: internal error linting ${uri}: ${(error as Error).stack ?? error}`);
      return { filePath: URI.toPath(uri), findings: [] };
    }
  };

  /**
   * Lints the document as it is now, or gives no findings when its text is
   * not to be linted (as the CLI skips it) or is unknown since a change the
   * server could not read: findings about text the client does not have are
   * worse than none.
   */
  const timedLint = (document: TextDocument, settings: Settings): Linted => {
    const revision = incremental.revision(document.uri);
    const started = performance.now();
    const empty: LintResult = { filePath: URI.toPath(document.uri), findings: [] };
    const reason = skipReason(document.getText());
    noteSkipped(document.uri, reason);
    const project = document.uri.startsWith('file:') ? projects?.inputFor(URI.toPath(document.uri)) : undefined;
    let asked: AskedQuestion[] = [];
    const result =
      reason || incremental.isLost(document.uri)
        ? empty
        : safeLint(document.uri, () => {
            const linted = incremental.lint(document, settings, project);
            asked = linted.asked;
            return linted.result;
          });
    return { revision, result, took: performance.now() - started, settings, asked, project };
  };

  const noteSkipped = (uri: string, reason: string | undefined): void => {
    if (skipped.get(uri) === reason) return;
    if (reason) skipped.set(uri, reason);
    else skipped.delete(uri);
    void connection.sendNotification(STATUS_NOTIFICATION, { uri, skipped: reason ?? null });
    if (reason) connection.console.info(`Not linting ${URI.toPath(uri)}: ${reason} (the CLI skips it too)`);
  };

  const validate = async (uri: string): Promise<void> => {
    validating++;
    try {
      await validateNow(uri);
    } finally {
      validating--;
    }
  };

  const validateNow = async (uri: string): Promise<void> => {
    const document = documents.get(uri);
    if (!document || !settingsResolver) return;
    const revision = incremental.revision(uri);
    const settings = await settingsResolver.forDocument(uri);
    // A newer edit or a close while settings were fetched makes this run stale.
    const current = documents.get(uri);
    if (!current || incremental.revision(uri) !== revision) return;
    const entry = timedLint(current, settings);
    linted.set(uri, entry);
    void connection.sendDiagnostics({ uri, version: current.version, diagnostics: toDiagnostics(entry.result, relatedSupport()) });
  };

  const relatedSupport = (): boolean => !!initParams?.capabilities.textDocument?.publishDiagnostics?.relatedInformation;

  const lintClosed = async (uri: string): Promise<void> => {
    let text: string;
    try {
      text = fs.readFileSync(URI.toPath(uri), 'utf8');
    } catch {
      closedWithFindings.delete(uri);
      void connection.sendDiagnostics({ uri, diagnostics: [] });
      return;
    }
    if (!settingsResolver) return;
    const settings = await settingsResolver.resolve(uri);
    if (documents.get(uri)) return;
    publishClosed(uri, safeLint(uri, () => lintInContext(text, URI.toPath(uri), settings)));
  };

  const publishClosed = (uri: string, result: LintResult): void => {
    const diagnostics = toDiagnostics(result, relatedSupport());
    if (diagnostics.length > 0) closedWithFindings.add(uri);
    else closedWithFindings.delete(uri);
    void connection.sendDiagnostics({ uri, diagnostics });
  };

  const currentLint = async (document: TextDocument): Promise<Linted> => {
    let entry = linted.get(document.uri);
    if (!entry || entry.revision !== incremental.revision(document.uri)) {
      const settings = await resolver().forDocument(document.uri);
      entry = timedLint(document, settings);
      linted.set(document.uri, entry);
    }
    return entry;
  };

  documents.onDidOpen((e) => {
    schedule(e.document, 0);
    scheduleFacts(e.document.uri);
  });
  documents.onDidChangeContent((e) => {
    schedule(e.document);
    scheduleFacts(e.document.uri);
  });
  documents.onDidClose((e) => {
    const uri = e.document.uri;
    clearTimeout(timers.get(uri));
    timers.delete(uri);
    clearTimeout(factTimers.get(uri));
    factTimers.delete(uri);
    linted.delete(uri);
    incremental.close(uri);
    skipped.delete(uri);
    settingsResolver?.forget(uri);
    // A file the workspace lint covered keeps its findings in the Problems panel, from its saved text.
    if (closedWithFindings.has(uri)) void lintClosed(uri);
    else void connection.sendDiagnostics({ uri, diagnostics: [] });
    // Its saved text is what the index sees from now on.
    if (uri.startsWith('file:') && SOURCE.test(uri)) void projects?.update(URI.toPath(uri));
  });

  /** The settings resolver, for a request; LSP's answer to a request before `initialize` is ServerNotInitialized. */
  const resolver = (): SettingsResolver => {
    if (!settingsResolver) throw new ResponseError(ErrorCodes.ServerNotInitialized, 'authlint: the server is not initialized yet');
    return settingsResolver;
  };

  connection.onCodeAction(async (params) => {
    resolver();
    if (typeof params?.textDocument?.uri !== 'string' || !Array.isArray(params.context?.diagnostics)) {
      throw new ResponseError(ErrorCodes.InvalidParams, 'authlint: textDocument/codeAction needs textDocument.uri and context.diagnostics');
    }
    const document = documents.get(params.textDocument.uri);
    if (!document) return [];
    const entry = await currentLint(document);
    return codeActions(document, entry.result, params, { otherFile, fixedText: () => fixedText(document, entry) });
  });

  /** Another file's text and version, for a fix that edits it: the open document's, else what is on disk. */
  const otherFile = (filePath: string): { uri: string; document: TextDocument; open: boolean } | undefined => {
    const uri = URI.fromPath(filePath);
    const open = documents.get(uri);
    if (open) return { uri, document: open, open: true };
    try {
      return { uri, document: TextDocument.create(uri, 'typescript', 0, fs.readFileSync(filePath, 'utf8')), open: false };
    } catch {
      return undefined;
    }
  };

  /** The document with every safe fix applied, in passes as `--fix` applies them, leaving out any that would not parse. */
  const fixedText = (document: TextDocument, entry: Linted): string => {
    const filePath = URI.toPath(document.uri);
    const project = entry.project;
    const lintText = (text: string): LintResult => (project ? lintInProject(text, filePath, entry.settings, project.index).result : lint(text, filePath, entry.settings));
    return fixSource(document.getText(), (text) => safeLint(document.uri, () => lintText(text)), { initial: entry.result }).text;
  };

  /** Lints a file's text against its project's index (a file: URI's), as the CLI would. */
  const lintInContext = (text: string, filePath: string, settings: Settings): LintResult => {
    const project = path.isAbsolute(filePath) ? projects?.inputFor(filePath) : undefined;
    return project ? lintInProject(text, filePath, settings, project.index).result : lint(text, filePath, settings);
  };

  // Registered as a plain request: onExecuteCommand would strip the client's workDoneToken from params.
  connection.onRequest(ExecuteCommandRequest.type, async (params: ExecuteCommandParams, token) => {
    resolver();
    switch (params?.command) {
      case ServerCommands.applyFixAll:
        return applyFixAll(params.arguments?.[0] as { uri: string; version: number } | undefined);
      case ServerCommands.showDocumentation:
        return showDocumentation(String(params.arguments?.[0] ?? ''));
      case ServerCommands.lintWorkspace:
        return runWorkspaceLint(params, token);
      default:
        return null;
    }
  });

  const applyFixAll = async (target: { uri: string; version: number } | undefined): Promise<boolean> => {
    const document = target && documents.get(target.uri);
    if (!document || document.version !== target.version) return false;
    const entry = await currentLint(document);
    const edit = fixAllEdit(document, fixedText(document, entry));
    if (!edit) return false;
    return (await connection.workspace.applyEdit({ label: 'Fix all authlint problems', edit })).applied;
  };

  const showDocumentation = async (ruleId: string): Promise<boolean> => {
    const local = bundledDocs(ruleId);
    const published = docsUrl(ruleId);
    const target = local ? { uri: local, takeFocus: true } : published ? { uri: published, external: true } : undefined;
    if (!target) return false;
    if (!initParams.capabilities.window?.showDocument?.support) {
      void connection.window.showInformationMessage(`authlint: documentation for ${ruleId}: ${target.uri}`);
      return false;
    }
    return (await connection.window.showDocument(target)).success;
  };

  /**
   * Progress goes to the client's workDoneToken when it sent one (the VS Code
   * client does, to show a cancellable notification), else to a token the
   * server creates. Either the request's or the progress's cancellation stops it.
   */
  const runWorkspaceLint = async (params: ExecuteCommandParams, request: CancellationToken): Promise<unknown> => {
    const folders = await workspaceFolders();
    let progress: WorkDoneProgressReporter;
    let dismissed: CancellationToken | undefined;
    if (params.workDoneToken !== undefined) {
      progress = connection.window.attachWorkDoneProgress(params.workDoneToken);
    } else {
      const created = await connection.window.createWorkDoneProgress();
      progress = created;
      dismissed = created.token;
    }
    progress.begin('authlint: linting the workspace', 0, undefined, true);
    try {
      const summary = await lintWorkspace(
        folders,
        {
          settingsFor: (uri) => resolver().resolve(uri),
          projectFor: (dir) => resolver().projectFor(dir),
          isOpen: (uri) => !!documents.get(uri),
          lintFile: (uri, text, settings) => safeLint(uri, () => lintInContext(text, URI.toPath(uri), settings)),
          publish: publishClosed,
          progress: (done, total) => progress.report(Math.floor((done / Math.max(total, 1)) * 100), `${done}/${total} files`),
          log: (message) => connection.console.log(message),
        },
        { get isCancellationRequested() { return request.isCancellationRequested || !!dismissed?.isCancellationRequested; } },
      );
      connection.console.log(`Workspace lint: ${summary.problems} problems in ${summary.files} files${summary.cancelled ? ' (cancelled)' : ''}`);
      return summary;
    } finally {
      progress.done();
    }
  };

  const workspaceFolders = async (): Promise<string[]> => {
    const folders = initParams.capabilities.workspace?.workspaceFolders
      ? await connection.workspace.getWorkspaceFolders()
      : initParams.workspaceFolders;
    const uris = folders?.map((f) => f.uri) ?? (initParams.rootUri ? [initParams.rootUri] : []);
    return uris.filter((uri) => uri.startsWith('file:')).map((uri) => URI.toPath(uri));
  };

  documents.listen(connection);
  connection.listen();
}

declare const AUTHLINT_VERSION: string;

/** The rule's docs page shipped beside the bundle (`docs/rules/<id>.md`), so the link works offline. */
const docsLinks = new Map<string, string | undefined>();
function bundledDocs(ruleId: string): string | undefined {
  if (!docsLinks.has(ruleId)) {
    const file = path.join(__dirname, '..', 'docs', 'rules', `${ruleId}.md`);
    docsLinks.set(ruleId, fs.existsSync(file) ? URI.fromPath(file) : undefined);
  }
  return docsLinks.get(ruleId);
}

/** Tells the client a document is left unlinted (`skipped` says why) or linted again (`skipped: null`), for its status item. */
const STATUS_NOTIFICATION = 'authlint/status';

function toDiagnostics(result: LintResult, related: boolean): Diagnostic[] {
  if (result.parseError) return [];
  return result.findings.filter((f) => !f.suppressed).map((finding) => toDiagnostic(finding, related));
}

function toDiagnostic(finding: Finding, related: boolean): Diagnostic {
  const href = bundledDocs(finding.ruleId) ?? docsUrl(finding.ruleId);
  const diagnostic: Diagnostic = {
    range: finding.range,
    severity: finding.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    source: 'authlint',
    code: finding.ruleId,
    ...(href ? { codeDescription: { href } } : {}),
    message: finding.message,
  };
  if (related && finding.related?.length) {
    diagnostic.relatedInformation = finding.related.map((r) => ({ location: { uri: URI.fromPath(r.filePath), range: r.range }, message: r.message }));
  }
  return diagnostic;
}
