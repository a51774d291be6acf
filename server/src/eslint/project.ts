import fs from 'node:fs';
import path from 'node:path';
import { REGISTRY } from '../core/frameworks';
import { Prefilter, type TextScan } from '../core/prefilter';
import { lintInProject } from '../core/project/analyze';
import type { ModuleFacts } from '../core/project/facts';
import { ProjectIndex, type ModuleResolver } from '../core/project/index';
import { RULES } from '../core/rules';
import type { Settings } from '../core/types';
import { collectFiles } from '../workspace/files';
import { DiskModuleResolver } from '../workspace/module-resolver';
import { projectRootOf } from '../workspace/project-root';
import { readSource } from '../workspace/read-source';

/**
 * The project indexes of an ESLint run: one per project root (the CLI's:
 * the folder holding `.git`, else the outermost package.json), made on the
 * first file linted under it and shared by every file after. A file's facts
 * are read when an answer first needs them (an import followed, the central
 * handlers looked for), from the text ESLint last linted it with, else from
 * disk; so a run parses little more than the files ESLint lints.
 *
 * ESLint has no "run finished" hook, and hosts that keep the plugin loaded
 * (the editor's ESLint server, eslint_d) lint again after files change on
 * disk: a project idle for IDLE_MS checks its files' stamps before its next
 * file, and forgets the facts of those that changed.
 */
const IDLE_MS = 1000;

/** Resolves nothing: a file's facts come from its own analysis alone, as in the CLI's first pass. */
const NO_RESOLVER: ModuleResolver = { resolve: () => undefined, packageOf: () => '' };
const ALONE = new ProjectIndex(NO_RESOLVER, REGISTRY.errorClasses);

interface Stamp {
  mtimeMs: number;
  size: number;
}

/** What the project knows of one file: the text its facts and scan come from, and where that text came from. */
interface Entry {
  text: string;
  /** The file on disk when the text was read from it; for a text ESLint handed in, the time it did (a save after it supersedes it). */
  stamp: Stamp | { givenAt: number };
  scan?: TextScan;
  /** Whether the facts were made (they stay unset for a file that does not parse). */
  indexed: boolean;
}

export class EslintProject {
  readonly index: ProjectIndex;
  private files = new Set<string>();
  private readonly entries = new Map<string, Entry>();
  private readonly facts: FactsOnDemand;
  private readonly prefilter: Prefilter;
  private readonly quiet: Settings;
  private lastUsed = 0;

  constructor(
    readonly root: string,
    settings: Settings,
    private readonly ignore: { patterns: readonly string[]; base: string },
  ) {
    this.quiet = { ...settings, rules: Object.fromEntries(RULES.map((rule) => [rule.id, 'off' as const])) };
    this.prefilter = new Prefilter(REGISTRY);
    this.facts = new FactsOnDemand(this);
    this.index = new ProjectIndex(new DiskModuleResolver(root), REGISTRY.errorClasses, this.facts);
    this.files = this.walk();
  }

  /** Called before a file of the project is linted with `text`: the facts of that file are then those of `text`. */
  use(file: string, text: string, now = performance.now()): void {
    if (now - this.lastUsed > IDLE_MS && this.lastUsed > 0) this.refresh();
    this.lastUsed = now;
    const entry = this.entries.get(file);
    if (entry?.text === text) return;
    this.forget(file);
    this.entries.set(file, { text, stamp: { givenAt: Date.now() }, indexed: false });
  }

  /** Called when the linting is done: idle time is counted from here. */
  done(now = performance.now()): void {
    this.lastUsed = now;
  }

  /** Makes a file's facts if they are not made yet: from the text ESLint gave, else from disk. */
  load(file: string): void {
    if (!this.files.has(file) && !this.entries.has(file)) return;
    const entry = this.entryOf(file);
    if (!entry || entry.indexed) return;
    entry.indexed = true;
    const facts = lintInProject(entry.text, file, this.quiet, ALONE).facts;
    if (facts) this.facts.store(facts);
  }

  /** Makes the facts of every file that can hold a central error handler or mount another file's middleware (the CLI's prefilter decides which can). */
  loadWideFacts(): void {
    for (const file of this.files) {
      const entry = this.entryOf(file);
      if (!entry || entry.indexed) continue;
      entry.scan ??= this.prefilter.scan(entry.text, file);
      if (entry.scan.mayFind || entry.scan.mayHoldHandler || entry.scan.mayMount || entry.scan.mayChain) this.load(file);
    }
  }

  private entryOf(file: string): Entry | undefined {
    let entry = this.entries.get(file);
    if (entry) return entry;
    const read = readSource(file);
    if (!read.ok) return undefined;
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    entry = { text: read.text, stamp: stat ? { mtimeMs: stat.mtimeMs, size: stat.size } : { givenAt: Date.now() }, indexed: false };
    this.entries.set(file, entry);
    return entry;
  }

  private forget(file: string): void {
    this.entries.delete(file);
    this.facts.drop(file);
  }

  /** After a pause: files added or removed, and the facts of files read from disk that changed there since. */
  private refresh(): void {
    this.files = this.walk();
    for (const [file, entry] of this.entries) if (changedOnDisk(file, entry.stamp)) this.forget(file);
  }

  private walk(): Set<string> {
    return new Set(collectFiles([this.root], this.root, this.ignore.patterns, this.ignore.base).files);
  }
}

function changedOnDisk(file: string, stamp: Entry['stamp']): boolean {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if ('givenAt' in stamp) return !!stat && stat.mtimeMs > stamp.givenAt;
  return !stat || stat.mtimeMs !== stamp.mtimeMs || stat.size !== stamp.size;
}

/** The index's facts map: asking for a file's facts makes them, and walking all facts (central handlers, mounts) makes those of every file that can hold one. */
class FactsOnDemand extends Map<string, ModuleFacts> {
  constructor(private readonly project: EslintProject) {
    super();
  }

  override get(file: string): ModuleFacts | undefined {
    if (!super.has(file)) this.project.load(file);
    return super.get(file);
  }

  override values(): MapIterator<ModuleFacts> {
    this.project.loadWideFacts();
    return super.values();
  }

  store(facts: ModuleFacts): void {
    super.set(facts.file, facts);
  }

  drop(file: string): void {
    super.delete(file);
  }
}

/** The projects of this ESLint process, by root and by the settings their facts depend on (the challenge handler fixes insert). */
const projects = new Map<string, EslintProject>();
const rootOfDir = new Map<string, string>();

/**
 * The project a linted file belongs to, or undefined for a name that is not
 * a file on disk (a processor's virtual block, `<input>`): that one is
 * linted on its own.
 */
export function projectFor(filename: string, settings: Settings, ignore: { patterns: readonly string[]; base: string }): EslintProject | undefined {
  if (!path.isAbsolute(filename) || !fs.existsSync(filename)) return undefined;
  const dir = path.dirname(filename);
  let root = rootOfDir.get(dir);
  if (root === undefined) {
    root = projectRootOf(dir);
    rootOfDir.set(dir, root);
  }
  const key = JSON.stringify([root, settings.challenge, settings.credentialHeaders, settings.authVocabulary ?? null]);
  let project = projects.get(key);
  if (!project) projects.set(key, (project = new EslintProject(root, settings, ignore)));
  return project;
}
