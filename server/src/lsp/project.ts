import path from 'node:path';
import { REGISTRY } from '../core/frameworks';
import type { ProjectInput } from '../core/incremental';
import { ProjectIndex, type ModuleResolver } from '../core/project/index';
import type { Settings } from '../core/types';
import { collectFiles } from '../workspace/files';
import { DiskModuleResolver } from '../workspace/module-resolver';
import { projectRootOf } from '../workspace/project-root';
import { FactsReader } from './facts-reader';

/** Resolves nothing: before its project is indexed, a file is analysed against its own declarations alone, as in the CLI's first pass. */
const NO_RESOLVER: ModuleResolver = { resolve: () => undefined, packageOf: () => '' };
const ALONE: ProjectInput = { index: new ProjectIndex(NO_RESOLVER, REGISTRY.errorClasses), generation: 0 };
/** How many files' facts are asked of the facts reader at once while indexing: enough to keep it busy. */
const IN_FLIGHT = 4;
/** How often indexing reports its progress. */
const PROGRESS_MS = 100;
/** How long indexing waits while the server has documents to lint, before it looks again. */
const BUSY_WAIT_MS = 5;
/** Generations count across projects, so that a document moved to another project never sees its old number. */
let generations = 0;

export interface EditorProject {
  /** The project root around the workspace folder or file, as the CLI finds it (workspace/project-root.ts). */
  root: string;
  index: ProjectIndex;
  /** Changes whenever the index does. */
  generation: number;
  ready: boolean;
}

/** A `window/workDoneProgress` the server created, or none when the client cannot show one. */
export interface Progress {
  report(percentage: number, message: string): void;
  done(): void;
}

export interface ProjectHost {
  /** Settings for the files of a folder: the handlers' fixes insert its challenge. */
  settingsFor(dir: string): Promise<Settings>;
  /** The config's `ignore` globs for a folder and the folder they are relative to. */
  ignoreFor(dir: string): { patterns: readonly string[]; base: string };
  /** The text of an open document (what the index sees for it); undefined for a closed file, or one left unlinted. */
  openText(file: string): string | undefined;
  startProgress(title: string): Promise<Progress | undefined>;
  /** Asks the client to report changes of the project's files under `root`, which lies outside every workspace folder (their watchers do not see it). */
  watch(root: string): void;
  /** Whether open documents wait to be linted: indexing gives way to them. */
  busy(): boolean;
  /** The index of `project` changed (it is ready, or a file's facts changed). */
  changed(project: EditorProject): void;
  log(message: string): void;
}

interface Entry extends EditorProject {
  /** Set when the build it belongs to is superseded (a new build, the folder removed). */
  build: { cancelled: boolean };
  settings: Promise<Settings>;
  /** Where the settings and `ignore` globs are read from: the first workspace folder of the project, as the CLI reads them from its working folder. */
  configDir: string;
  /** The last read of each file's facts asked for: an answer to an older one is stale. */
  reads: Map<string, number>;
  /** Each indexed file's facts as JSON, to tell whether a new read changed them. */
  json: Map<string, string>;
}

/**
 * The project indexes of the language server: one per project root, found
 * by the CLI's rule from each workspace folder (a sub-package of a monorepo
 * indexes the repository around it, and folders sharing a root share one
 * index) and from each file outside every folder. Each is built in the
 * background, in batches that yield to the message loop, and then kept up to
 * date one file at a time; the facts of an open document come from its text.
 */
export class ProjectIndexes {
  private readonly projects = new Map<string, Entry>();
  /** The workspace folders, each with its project root. */
  private folders = new Map<string, string>();
  /** The project root of each folder outside the workspace folders that held an open file. */
  private readonly rootOfDir = new Map<string, string>();
  private readonly reader: FactsReader;
  private reads = 0;

  constructor(private readonly host: ProjectHost) {
    // Its worker holds the process open only while it has facts to read: the server's exit ends it.
    this.reader = new FactsReader((message) => host.log(message));
  }

  /** The workspace folders: builds the index of each new project root, drops those no folder leads to any more. */
  setFolders(folders: readonly string[]): void {
    const next = new Map(folders.map((folder) => path.resolve(folder)).map((folder) => [folder, this.folders.get(folder) ?? projectRootOf(folder)]));
    const roots = new Set(next.values());
    for (const root of new Set(this.folders.values())) {
      const entry = this.projects.get(root);
      if (entry && !roots.has(root)) {
        entry.build.cancelled = true;
        this.projects.delete(root);
      }
    }
    this.folders = next;
    for (const [folder, root] of next) if (!this.projects.has(root)) this.start(root, folder);
  }

  /** The project a file belongs to: that of the innermost folder holding it, else of the project root around it, indexed on first use. */
  projectOf(file: string): EditorProject | undefined {
    if (!path.isAbsolute(file)) return undefined;
    const folder = [...this.folders.keys()].filter((f) => isWithin(f, file)).sort((a, b) => b.length - a.length)[0];
    const root = folder !== undefined ? this.folders.get(folder)! : this.rootOutside(path.dirname(file));
    return this.projects.get(root) ?? this.start(root, root);
  }

  private rootOutside(dir: string): string {
    let root = this.rootOfDir.get(dir);
    if (root === undefined) {
      root = projectRootOf(dir);
      this.rootOfDir.set(dir, root);
    }
    return root;
  }

  /** What a file is analysed against: its project's index once built, its own declarations alone before. */
  inputFor(file: string): ProjectInput {
    const project = this.projectOf(file);
    return project?.ready ? { index: project.index, generation: project.generation } : ALONE;
  }

  /** Every project, for telling open documents that their index changed. */
  all(): IterableIterator<EditorProject> {
    return this.projects.values();
  }

  /** Indexes the project afresh: its tsconfig.json or a package.json changed, which changes how its imports resolve. */
  rebuild(root: string): void {
    const entry = this.projects.get(root);
    if (!entry) return;
    entry.build.cancelled = true;
    this.projects.delete(root);
    this.start(root, entry.configDir);
  }

  /**
   * Re-reads one file's facts: from its open document, else from disk (a
   * file deleted or unreadable leaves the index). Tells the host when they changed.
   */
  async update(file: string): Promise<void> {
    const entry = this.projects.get(this.projectOf(file)?.root ?? '');
    if (!entry || !SOURCE.test(file)) return;
    if ((await this.readInto(entry, file, await entry.settings)) && entry.ready) this.host.changed(entry);
  }

  /**
   * Reads a file's facts into its project's index; true when they changed.
   * An answer overtaken by a later read of the same file is dropped.
   */
  private async readInto(entry: Entry, file: string, settings: Settings): Promise<boolean> {
    const read = ++this.reads;
    entry.reads.set(file, read);
    const { facts, json } = await this.reader.read({ file, text: this.host.openText(file), settings });
    if (entry.reads.get(file) !== read || this.projects.get(entry.root) !== entry) return false;
    if ((entry.json.get(file) ?? 'undefined') === json) return false;
    if (facts) {
      entry.index.set(facts);
      entry.json.set(file, json);
    } else {
      entry.index.delete(file);
      entry.json.delete(file);
    }
    entry.generation = ++generations;
    return true;
  }

  private start(root: string, configDir: string): Entry {
    const entry: Entry = {
      root,
      index: new ProjectIndex(new DiskModuleResolver(root), REGISTRY.errorClasses),
      generation: 0,
      ready: false,
      build: { cancelled: false },
      settings: this.host.settingsFor(configDir),
      configDir,
      reads: new Map(),
      json: new Map(),
    };
    this.projects.set(root, entry);
    if (![...this.folders.keys()].some((folder) => folder === root || isWithin(folder, root))) this.host.watch(root);
    void this.build(entry).catch((error) => this.host.log(`authlint: indexing ${root} failed: ${(error as Error).stack ?? error}`));
    return entry;
  }

  /** Lets the message loop run, and waits while documents are to be linted. */
  private async giveWay(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    while (this.host.busy()) await new Promise((resolve) => setTimeout(resolve, BUSY_WAIT_MS));
  }

  private async build(entry: Entry): Promise<void> {
    const started = performance.now();
    const progress = await this.host.startProgress(`authlint: indexing ${path.basename(entry.root)}`);
    try {
      const settings = await entry.settings;
      // The documents opened with the workspace are linted (on their own) before the walk.
      await this.giveWay();
      const ignore = this.host.ignoreFor(entry.configDir);
      const walk = collectFiles([entry.root], entry.root, ignore.patterns, ignore.base);
      const files = walk.files;
      const reading = new Set<Promise<unknown>>();
      let done = 0;
      let reported = performance.now();
      for (const file of files) {
        if (entry.build.cancelled) return;
        const read = this.readInto(entry, file, settings).finally(() => {
          reading.delete(read);
          done++;
        });
        reading.add(read);
        if (reading.size >= IN_FLIGHT) await Promise.race(reading);
        if (performance.now() - reported > PROGRESS_MS) {
          progress?.report(Math.floor((done / files.length) * 100), `${done}/${files.length} files`);
          reported = performance.now();
        }
        await this.giveWay();
      }
      await Promise.all(reading);
      if (entry.build.cancelled) return;
      entry.generation = ++generations;
      entry.ready = true;
      this.host.log(`Indexed ${entry.root}: ${files.length} files in ${Math.round(performance.now() - started)} ms`);
      this.host.changed(entry);
    } finally {
      progress?.done();
    }
  }
}

const SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

function isWithin(dir: string, file: string): boolean {
  const relative = path.relative(dir, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}
