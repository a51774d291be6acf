import path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { REGISTRY } from '../core/frameworks';
import { lintSourceInProject } from '../core/project/analyze';
import type { ModuleFacts } from '../core/project/facts';
import { ProjectIndex, type ModuleResolver } from '../core/project/index';
import { parse } from '../core/parse';
import { RULES } from '../core/rules';
import type { Settings } from '../core/types';
import { readSource } from '../workspace/read-source';

/** One file to read the facts of: from `text` (an open document's), else from disk. */
export interface FactsRequest {
  file: string;
  text: string | undefined;
  settings: Settings;
}

export interface ReadFacts {
  /** Undefined when the file cannot be read or does not parse. */
  facts: ModuleFacts | undefined;
  /** The facts as JSON, to tell cheaply whether a file's facts changed. */
  json: string;
}

/** Resolves nothing: a file's facts come from its own code alone (facts never depend on other files). */
const NO_RESOLVER: ModuleResolver = { resolve: () => undefined, packageOf: () => '' };
const ALONE = new ProjectIndex(NO_RESOLVER, REGISTRY.errorClasses);
const WORKER_MARK = 'authlintFactsWorker';
/**
 * The worker's young generation, smaller than V8's default as the CLI's lint
 * workers have it: each file's tree dies as soon as its facts are read.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8 };
const quietCache = new WeakMap<Settings, Settings>();

/** A file's facts, as its own analysis finds them. */
export function readFacts({ file, text, settings }: FactsRequest): ReadFacts {
  let source = text;
  if (source === undefined) {
    const read = readSource(file);
    if (!read.ok) return { facts: undefined, json: 'undefined' };
    source = read.text;
  }
  const facts = lintSourceInProject(parse(source, file), file, quiet(settings), ALONE).facts;
  return { facts, json: JSON.stringify(facts) ?? 'undefined' };
}

/** The settings with every rule off: indexing needs the facts, not the findings. */
function quiet(settings: Settings): Settings {
  let off = quietCache.get(settings);
  if (!off) {
    off = { ...settings, rules: Object.fromEntries(RULES.map((rule) => [rule.id, 'off' as const])) };
    quietCache.set(settings, off);
  }
  return off;
}

interface Pending {
  request: FactsRequest;
  resolve: (read: ReadFacts) => void;
}

/**
 * Reads files' facts for the project index on a worker thread, so that
 * indexing a project, and reading again the facts of a large open document
 * after each pause in typing (a whole analysis of it), never holds up the
 * diagnostics of a keystroke. Requests are answered in order. Where no worker
 * can run, or once it failed, facts are read on this thread.
 */
export class FactsReader {
  private worker: Worker | undefined;
  private failed = false;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly log: (message: string) => void) {}

  read(request: FactsRequest): Promise<ReadFacts> {
    const worker = this.failed ? undefined : (this.worker ?? this.start());
    if (!worker) return Promise.resolve(this.readHere(request));
    return new Promise((resolve) => {
      const id = this.nextId++;
      this.pending.set(id, { request, resolve });
      worker.postMessage({ id, request });
      // Only requests waiting for an answer keep the process alive.
      if (this.pending.size === 1) worker.ref();
    });
  }

  private start(): Worker | undefined {
    try {
      this.worker = startWorker();
    } catch (error) {
      this.log(`authlint: facts are read on the main thread: ${(error as Error).message}`);
      this.failed = true;
      return undefined;
    }
    this.worker.on('message', (message: { id: number; read?: ReadFacts; error?: string }) => this.answered(message));
    this.worker.on('error', (error) => {
      this.log(`authlint: the indexing worker failed, facts are read on the main thread: ${error.stack ?? error}`);
      this.fail();
    });
    this.worker.on('exit', () => this.fail());
    // Standard output is the protocol's: whatever the worker prints goes to the log.
    for (const stream of [this.worker.stdout, this.worker.stderr]) stream.on('data', (chunk: Buffer) => this.log(chunk.toString().trimEnd()));
    this.worker.unref();
    return this.worker;
  }

  /** Stops the worker: what a process that keeps running does once it needs no more facts. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.failed = true;
    this.worker = undefined;
    await worker?.terminate();
  }

  private answered({ id, read, error }: { id: number; read?: ReadFacts; error?: string }): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker?.unref();
    if (error !== undefined) this.log(`authlint: reading the facts of ${pending.request.file} failed: ${error}`);
    pending.resolve(read ?? { facts: undefined, json: 'undefined' });
  }

  private fail(): void {
    if (this.failed) return;
    this.failed = true;
    this.worker = undefined;
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const { request, resolve } of pending) resolve(this.readHere(request));
  }

  private readHere(request: FactsRequest): ReadFacts {
    try {
      return readFacts(request);
    } catch (error) {
      this.log(`authlint: reading the facts of ${request.file} failed: ${(error as Error).stack ?? error}`);
      return { facts: undefined, json: 'undefined' };
    }
  }
}

/**
 * A worker running the server's own bundle, which serves facts when it is
 * not on the main thread (lsp/index.ts); from source (tests under tsx),
 * index.ts through tsx's loader, which a worker does not inherit.
 */
function startWorker(): Worker {
  const options = { workerData: { [WORKER_MARK]: true }, resourceLimits: WORKER_LIMITS, stdout: true, stderr: true };
  if (!__filename.endsWith('.ts')) return new Worker(__filename, options);
  const source = `require('tsx/cjs'); require(${JSON.stringify(path.join(__dirname, 'index.ts'))});`;
  return new Worker(source, { ...options, eval: true });
}

/** Whether this thread is the facts worker. */
export function isFactsWorker(): boolean {
  return !isMainThread && (workerData as Record<string, unknown> | null)?.[WORKER_MARK] === true;
}

/** The facts worker's loop: one answer per request, in order. */
export function serveFacts(): void {
  parentPort!.on('message', ({ id, request }: { id: number; request: FactsRequest }) => {
    try {
      parentPort!.postMessage({ id, read: readFacts(request) });
    } catch (error) {
      parentPort!.postMessage({ id, error: (error as Error).stack ?? String(error) });
    }
  });
}
