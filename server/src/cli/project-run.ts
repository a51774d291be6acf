import { REGISTRY } from '../core/frameworks';
import { Prefilter, type TextScan } from '../core/prefilter';
import type { ModuleFacts, Value } from '../core/project/facts';
import { ProjectIndex, type ExportFilter, type ModuleResolver } from '../core/project/index';
import { answersDiffer } from '../core/project/view';
import type { Settings } from '../core/types';
import { readSource } from '../workspace/read-source';
import { lintFile, type FixMode, type ProjectRun } from './lint-file';
import { countMessages, type FileReport } from './report';
import type { LintedFile } from './worker-pool';

/** An escape in a string or identifier, which may spell a name the text does not write as such. */
const ESCAPE = /\\(?:u|x|[0-7])/;
const EXPORT_ALL = /\bexport\s*\*\s*from\b/;
const WORD = /[\w$\u0080-\uffff]+/g;
/** Stands, among a text's words, for an `export =` (no word can be spelled so). */
const EXPORT_EQUALS = 'export =';

/**
 * What the run knows of one project file: what its text says (undefined when
 * it was not scanned: no prefilter, or unreadable), and what linting it gave
 * (undefined while it is skipped).
 */
export interface FileState {
  scan: TextScan | undefined;
  linted: LintedFile | undefined;
}

/** How many files were served from the cache, parsed and linted again: the CLI prints them with AUTHLINT_DEBUG=stats. */
export interface RunStats {
  files: number;
  targets: number;
  cached: number;
  parsed: number;
  relinted: number;
}

export interface ProjectRunOptions {
  fix: FixMode;
  prefilter: boolean;
  resolver: ModuleResolver;
  /** Lints files as a project's first pass (on worker threads): each file against its own declarations alone. */
  lintFirst: (files: string[]) => Promise<LintedFile[]>;
  /** States a cache holds for files unchanged since it was written. */
  cached?: Map<string, FileState>;
}

/**
 * Lints the targets as part of their project, parsing only the files whose
 * analysis can find something or whose facts another file's analysis reads.
 *
 * Files are first read and scanned (core/prefilter.ts); those whose text can
 * lead to a finding are linted. Then, to a fixed point: every linted target
 * whose questions the index now answers differently is linted again; any
 * file whose facts an answer looked for and did not find is linted (for its
 * facts); a skipped target that imports a binding the index says carries a
 * status is linted; and once some answer needed the central handlers (or
 * the mounts of a middleware), every file that can hold one is linted. At the fixed point no answer a target
 * was given depends on a file left unparsed, so each target's report is the
 * one a run that parses everything gives, and a skipped target's is empty.
 */
export async function lintProject(targets: readonly string[], everything: readonly string[], settings: Settings, options: ProjectRunOptions): Promise<{ reports: FileReport[]; states: Map<string, FileState>; stats: RunStats; index: ProjectIndex }> {
  const stats: RunStats = { files: everything.length, targets: targets.length, cached: 0, parsed: 0, relinted: 0 };
  const states = new Map<string, FileState>();
  const prefilter = options.prefilter ? new Prefilter(REGISTRY) : undefined;
  const toLint: string[] = [];
  for (const file of everything) {
    const cached = options.cached?.get(file);
    if (cached) stats.cached++;
    const state: FileState = cached ?? { scan: prefilter && scanFile(prefilter, file), linted: undefined };
    states.set(file, state);
    if (!state.linted && (!state.scan || state.scan.mayFind)) toLint.push(file);
  }
  const project = new ProjectFiles(states, options.resolver, prefilter);
  const index = new ProjectIndex(options.resolver, REGISTRY.errorClasses, project.facts, undefined, project);
  const addLinted = async (files: string[]) => {
    const linted = await options.lintFirst(files);
    stats.parsed += files.length;
    files.forEach((file, i) => project.linted(file, linted[i]));
  };
  await addLinted(toLint);
  for (const [file, state] of states) if (state.linted) project.linted(file, state.linted);
  const isTarget = new Set(targets);
  let handlersNeeded = false;
  let mountsNeeded = false;
  let chainsNeeded = false;
  /**
   * What each file's last answers looked for and did not find. Facts are only
   * added during a run, so its answers can change only once one of these is
   * linted (or, for the central handlers, once any file is): until then it is
   * not asked again.
   */
  const waiting = new Map<string, Set<string>>();
  const settled = (file: string): boolean => {
    const misses = waiting.get(file);
    return misses !== undefined && ![...misses].some((missed) => states.get(missed)?.linted);
  };
  for (;;) {
    project.missing.clear();
    const next = new Set<string>();
    for (const file of targets) {
      const linted = states.get(file)!.linted;
      if (!linted?.project) continue;
      const asksWide = linted.project.asked.some(({ question }) => question.kind === 'handlers' || question.kind === 'mounted' || question.kind === 'decoration-mounted' || question.kind === 'challenged');
      if (!asksWide && settled(file)) continue;
      const misses = project.missesOf(() => {
        if (answersDiffer(index, file, linted.project!.asked)) {
          states.get(file)!.linted = relint(file, settings, index, linted.project!.facts);
          stats.relinted++;
        }
      });
      waiting.set(file, misses);
      const asked = states.get(file)!.linted!.project!.asked;
      handlersNeeded ||= asked.some(({ question }) => question.kind === 'handlers');
      mountsNeeded ||= asked.some(({ question }) => question.kind === 'mounted' || question.kind === 'decoration-mounted');
      chainsNeeded ||= asked.some(({ question }) => question.kind === 'challenged');
    }
    // Whatever the targets' answers looked for must be there.
    for (const file of project.missing) next.add(file);
    for (const file of project.skipped()) {
      const scan = states.get(file)!.scan!;
      if ((handlersNeeded && scan.mayHoldHandler) || (mountsNeeded && scan.mayMount) || (chainsNeeded && (scan.mayMount || scan.mayChain))) next.add(file);
      else if (isTarget.has(file) && !settled(file)) {
        let carries = false;
        waiting.set(file, project.missesOf(() => (carries = importsStatus(file, scan, index, project, next))));
        if (carries) next.add(file);
      }
    }
    if (next.size === 0) break;
    // A file's first pass knew only its own declarations: it is asked against the index next round.
    for (const file of next) waiting.delete(file);
    await addLinted([...next].sort());
  }
  const reports = targets.map((file) => {
    const linted = states.get(file)!.linted;
    if (!linted) return countMessages({ filePath: file, messages: [], suppressedMessages: [] });
    if (options.fix === 'off') return linted.report;
    return lintFile(file, settings, options.fix, { index });
  });
  return { reports, states, stats, index };
}

/** Reads a file and scans its text; undefined when it cannot be read (linting it reports why). */
function scanFile(prefilter: Prefilter, file: string): TextScan | undefined {
  const read = readSource(file);
  return read.ok ? prefilter.scan(read.text, file) : undefined;
}

/** Lints a file again against the index; its facts stay those of its first pass, which the index holds. */
function relint(file: string, settings: Settings, index: ProjectIndex, facts: ModuleFacts | undefined): LintedFile {
  const run: ProjectRun = { index };
  const report = lintFile(file, settings, 'off', run);
  return { report, project: run.outcome && { facts, asked: run.outcome.asked } };
}

/**
 * Whether a skipped target imports a binding that may carry a status into
 * it: one the index says carries auth (what its analysis would ask first),
 * whose resolution went through a file whose text can name a status. Every
 * name its import clauses mention is asked about; a module its clauses name
 * no bindings of stands for all its exports. Without such a file on the way,
 * no 401 or 403 can reach the target's code from another file: its own text
 * names none, so its analysis finds nothing. A file an answer needs the facts
 * of is added to `next` when a file that names a status can be reached from it.
 */
function importsStatus(file: string, scan: TextScan, index: ProjectIndex, project: ProjectFiles, next: Set<string>): boolean {
  const refs: Value[] = [];
  for (const clause of scan.imports) {
    const target = index.resolver.resolve(clause.specifier, file);
    if (!target || !project.has(target)) continue;
    const names = clause.names ?? exportNames(target, index, project, next, new Set());
    for (const name of names) refs.push({ kind: 'ref', module: clause.specifier, name, path: [] });
  }
  return refs.some((ref) => {
    project.missing.clear();
    project.touched.clear();
    const carries = index.carriesAuth(file, [ref]);
    for (const needed of project.missing) if (project.reachesStatus(needed)) next.add(needed);
    return carries && [...project.touched].some((touched) => project.namesStatus(touched));
  });
}

/** Every name a linted module exports, through `export *`; a skipped module is added to `next` when it can lead to a status. */
function exportNames(file: string, index: ProjectIndex, project: ProjectFiles, next: Set<string>, seen: Set<string>): string[] {
  if (seen.has(file)) return [];
  seen.add(file);
  const facts = index.get(file);
  if (!facts) {
    if (project.has(file) && project.reachesStatus(file)) next.add(file);
    return [];
  }
  const names = Object.keys(facts.exports);
  for (const specifier of facts.reexportAll) {
    const target = index.resolver.resolve(specifier, file);
    if (target) names.push(...exportNames(target, index, project, next, seen));
  }
  return names;
}

/**
 * The project's files as the run knows them: the facts of those linted (the
 * index's, noting each file asked for that is not linted yet, and each one
 * read), and what the texts of the others say.
 */
class ProjectFiles implements ExportFilter {
  readonly missing = new Set<string>();
  readonly touched = new Set<string>();
  readonly facts: Map<string, ModuleFacts>;
  private readonly reaching = new Map<string, boolean>();
  private readonly naming = new Map<string, boolean>();
  /** Every file looked for and not found while `missesOf` runs. */
  private misses: Set<string> | undefined;
  /** The words of each unparsed file's text that an import asked about, read once. */
  private readonly words = new Map<string, Set<string> | undefined>();

  constructor(
    private readonly states: Map<string, FileState>,
    private readonly resolver: ModuleResolver,
    private readonly prefilter: Prefilter | undefined,
  ) {
    const files = this;
    this.facts = new (class extends Map<string, ModuleFacts> {
      override get(file: string): ModuleFacts | undefined {
        const facts = super.get(file);
        if (facts) files.touched.add(file);
        else if (states.get(file)?.linted === undefined && states.has(file)) {
          files.missing.add(file);
          files.misses?.add(file);
        }
        return facts;
      }
    })();
  }

  has(file: string): boolean {
    return this.states.has(file);
  }

  /** The files whose facts were looked for and missing while `run` ran. */
  missesOf(run: () => void): Set<string> {
    const misses = (this.misses = new Set());
    try {
      run();
    } finally {
      this.misses = undefined;
    }
    return misses;
  }

  /**
   * Whether a file's facts can export `name`: a declaration, an export
   * clause, a CommonJS assignment or an object entry naming it all write the
   * word, and anything else comes through an `export *`. A file that cannot
   * is not parsed for its facts; one not read, or with escapes, may.
   */
  mayExport(file: string, name: string): boolean {
    if (this.facts.has(file) || !this.states.has(file)) return true;
    let words = this.words.get(file);
    if (!this.words.has(file)) {
      const read = readSource(file);
      words = read.ok && !ESCAPE.test(read.text) && !EXPORT_ALL.test(read.text) ? new Set(read.text.match(WORD)) : undefined;
      if (words && read.ok && /\bexport\s*=/.test(read.text)) words.add(EXPORT_EQUALS);
      this.words.set(file, words);
    }
    if (!words) return true;
    // `export default`, `export { x as default }`, `module.exports =`, `export =`.
    return name === 'default' ? words.has('default') || words.has('exports') || words.has(EXPORT_EQUALS) : words.has(name);
  }

  linted(file: string, linted: LintedFile): void {
    this.states.get(file)!.linted = linted;
    if (linted.project?.facts) this.facts.set(file, linted.project.facts);
  }

  *skipped(): IterableIterator<string> {
    for (const [file, state] of this.states) if (!state.linted) yield file;
  }

  /** Whether the file's text can name a status (a file not scanned, or not read, may). */
  namesStatus(file: string): boolean {
    const scan = this.states.get(file)?.scan;
    if (!scan || !this.prefilter) return true;
    if (!scan.mayFind) return false;
    let names = this.naming.get(file);
    if (names === undefined) {
      const read = readSource(file);
      names = !read.ok || this.prefilter.namesStatus(read.text);
      this.naming.set(file, names);
    }
    return names;
  }

  /** Whether a file that names a status can be reached from this one through imports. */
  reachesStatus(file: string): boolean {
    const known = this.reaching.get(file);
    if (known !== undefined) return known;
    const seen = new Set([file]);
    const queue = [file];
    let reaches = false;
    while (queue.length && !reaches) {
      const current = queue.pop()!;
      const scan = this.states.get(current)?.scan;
      if (this.reaching.get(current) === true || this.namesStatus(current) || !scan) reaches = true;
      // A file already known to reach none has had all its imports followed.
      else if (this.reaching.get(current) === undefined) {
        for (const clause of scan.imports) {
          const target = this.resolver.resolve(clause.specifier, current);
          if (target !== undefined && this.has(target) && !seen.has(target)) {
            seen.add(target);
            queue.push(target);
          }
        }
      }
    }
    this.reaching.set(file, reaches);
    return reaches;
  }
}
