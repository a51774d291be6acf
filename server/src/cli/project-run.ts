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
/** Whatever may be an `export *` (`export * from`, `export type * from`, `export * as ns from`, and any comment in between). */
const MAY_EXPORT_ALL = /\bexport\b(?:\s*type\b)?[^\w$'"\x60;{}()]*\*/g;
/** An `export *` written plainly: its specifier, when it re-exports every name (not `export * as ns`, which binds a name of its own). */
const EXPORT_ALL = /\bexport\s*(?:type\s+)?\*\s*(?:as\s+[\w$]+\s*)?from\s*(['"\x60])([^'"\x60\n]+)\1/g;
const WORD = /[\w$\u0080-\uffff]+/g;
/** Stands, among a text's words, for an `export =` (no word can be spelled so). */
const EXPORT_EQUALS = 'export =';

/** What a file's text says of its exports: its words, and the project files its `export *` re-export. */
interface FileText {
  words: Set<string>;
  reexportAll: string[];
}

/** The specifiers of a text's `export * from`, or undefined when some `export *` is not written plainly. */
function reexportedModules(text: string): string[] | undefined {
  const specifiers: string[] = [];
  let plain = 0;
  for (const match of text.matchAll(EXPORT_ALL)) {
    plain++;
    if (!/\bas\s/.test(match[0])) specifiers.push(match[2]);
  }
  return (text.match(MAY_EXPORT_ALL)?.length ?? 0) > plain ? undefined : specifiers;
}

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
    const next = new Set<string>();
    // The facts do not change within a round: what an imported name leads to is worked out once for all the files importing it.
    const probe = new ImportProbe(index, project, next);
    /**
     * Whether a file whose text cannot lead to a finding imports nothing that
     * may carry a status into it: then its report is empty (its first pass's,
     * and a full run's), and its answers need no other file's facts.
     */
    const inert = (file: string): boolean => {
      const scan = states.get(file)!.scan;
      if (!scan || scan.mayFind) return false;
      let carries = false;
      waiting.set(file, project.missesOf(() => (carries = probe.importsStatus(file, scan))));
      return !carries;
    };
    for (const file of targets) {
      const linted = states.get(file)!.linted;
      if (!linted?.project) continue;
      const asksWide = linted.project.asked.some(({ question }) => question.kind === 'handlers' || question.kind === 'mounted' || question.kind === 'decoration-mounted' || question.kind === 'challenged');
      if (!asksWide && settled(file)) continue;
      // A report served from the cache was made against an earlier index: only an empty one is what an inert file gets.
      if (isEmpty(linted.report) && inert(file)) continue;
      const misses = project.missesOf(() => {
        if (answersDiffer(index, file, linted.project!.asked)) {
          states.get(file)!.linted = relint(file, settings, index, linted.project!.facts);
          stats.relinted++;
        }
      });
      waiting.set(file, misses);
      // Whatever the targets' answers looked for must be there.
      for (const missed of misses) next.add(missed);
      const asked = states.get(file)!.linted!.project!.asked;
      handlersNeeded ||= asked.some(({ question }) => question.kind === 'handlers');
      mountsNeeded ||= asked.some(({ question }) => question.kind === 'mounted' || question.kind === 'decoration-mounted');
      chainsNeeded ||= asked.some(({ question }) => question.kind === 'challenged');
    }
    for (const file of project.skipped()) {
      const scan = states.get(file)!.scan!;
      if ((handlersNeeded && scan.mayHoldHandler) || (mountsNeeded && scan.mayMount) || (chainsNeeded && (scan.mayMount || scan.mayChain))) next.add(file);
      else if (isTarget.has(file) && !settled(file) && !inert(file)) next.add(file);
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

function isEmpty(report: FileReport): boolean {
  return report.messages.length === 0 && report.suppressedMessages.length === 0;
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

/** What asking about one imported name gave: its answer, and the files whose facts the asking looked for and missed. */
interface Probed {
  carries: boolean;
  missed: string[];
}

/**
 * The questions a round asks of skipped targets' imports, each answered once
 * per imported module and name: the answer depends only on the facts, which
 * stay the same until the round's files are linted. A memoised answer replays
 * what asking did: the files it missed are recorded as missed again, and
 * those that can lead to a status are added to `next`.
 */
class ImportProbe {
  private readonly names = new Map<string, Probed & { names: string[] }>();
  private readonly refs = new Map<string, Probed>();

  constructor(
    private readonly index: ProjectIndex,
    private readonly project: ProjectFiles,
    private readonly next: Set<string>,
  ) {}

  /**
   * Whether a skipped target imports a binding that may carry a status into
   * it: one the index says carries auth (what its analysis would ask first),
   * whose resolution went through a file from which a file whose text can
   * name a status can be reached through imports (what an error class holds,
   * or a factory builds, is read from the files its own imports lead to).
   * Every export its import clauses bind is asked about; a module its clauses
   * name no bindings of stands for all its exports. Without such a file on
   * the way, no 401 or 403 can reach the target's code from another file: its
   * own text names none, so its analysis finds nothing. A file an answer needs
   * the facts of is added to `next` when a file that names a status can be
   * reached from it.
   */
  importsStatus(file: string, scan: TextScan): boolean {
    for (const clause of scan.imports) {
      const target = this.index.resolver.resolve(clause.specifier, file);
      if (!target || !this.project.has(target)) continue;
      const names = clause.names ?? this.exportNames(target);
      if (names.some((name) => this.carries(file, clause.specifier, target, name))) return true;
    }
    return false;
  }

  /** Whether `name`, exported by `target` (imported as `specifier` from `file`), carries auth through a file that names a status. */
  private carries(file: string, specifier: string, target: string, name: string): boolean {
    const key = `${target}\0${name}`;
    let probed = this.refs.get(key);
    if (!probed) {
      const { project } = this;
      project.missing.clear();
      project.touched.clear();
      const ref: Value = { kind: 'ref', module: specifier, name, path: [] };
      const carries = this.index.carriesAuth(file, [ref]);
      // A wrapper of an outbound client (facts.ts `OutboundFact`): a call of it may forward the request, whatever statuses are named.
      const forwards = !!this.index.functionFact(file, ref)?.fact.headers?.outbound;
      probed = { carries: forwards || (carries && [...project.touched].some((touched) => project.reachesStatus(touched))), missed: [...project.missing] };
      this.refs.set(key, probed);
    }
    return this.replay(probed).carries;
  }

  /** Every name a linted module exports, through `export *`; a skipped module is added to `next` when it can lead to a status. */
  private exportNames(target: string): string[] {
    let probed = this.names.get(target);
    if (!probed) {
      const missed: string[] = [];
      probed = { carries: false, missed, names: this.collectNames(target, new Set(), missed) };
      this.names.set(target, probed);
    }
    return this.replay(probed).names;
  }

  private collectNames(file: string, seen: Set<string>, missed: string[]): string[] {
    if (seen.has(file)) return [];
    seen.add(file);
    const facts = this.project.facts.has(file) ? this.index.get(file) : undefined;
    if (!facts) {
      if (this.project.has(file)) missed.push(file);
      return [];
    }
    const names = Object.keys(facts.exports);
    for (const specifier of facts.reexportAll) {
      const target = this.index.resolver.resolve(specifier, file);
      if (target) names.push(...this.collectNames(target, seen, missed));
    }
    return names;
  }

  private replay<T extends Probed>(probed: T): T {
    for (const missed of probed.missed) {
      this.project.missed(missed);
      if (this.project.reachesStatus(missed)) this.next.add(missed);
    }
    return probed;
  }
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
  /** What the text of each file an import asked about says, read once. */
  private readonly texts = new Map<string, FileText | undefined>();
  /** The words a barrel's `export *` can bring, by barrel. */
  private readonly reexported = new Map<string, Set<string> | undefined>();

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

  /** Records that the facts of a file not linted yet were looked for (an answer worked out earlier, asked again). */
  missed(file: string): void {
    if (this.states.get(file)?.linted !== undefined) return;
    this.missing.add(file);
    this.misses?.add(file);
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
   * word, and anything else comes through an `export *`, from a file whose
   * own facts can export it. A file that cannot is not parsed for its facts,
   * and a barrel none of whose re-exported files can is not walked into; one
   * not read, or with escapes, or an `export *` its text does not spell
   * plainly, may.
   */
  mayExport(file: string, name: string): boolean {
    if (!this.states.has(file)) return true;
    const text = this.textOf(file);
    if (!text) return true;
    // `export default`, `export { x as default }`, `module.exports =`, `export =`; `export *` re-exports no default.
    if (name === 'default') return text.words.has('default') || text.words.has('exports') || text.words.has(EXPORT_EQUALS);
    if (text.words.has(name)) return true;
    if (text.reexportAll.length === 0) return false;
    const reexported = this.reexportedWords(file);
    return !reexported || reexported.has(name);
  }

  /** The words of a file's text and the project files its `export *` name; undefined when they cannot be told from the text. */
  private textOf(file: string): FileText | undefined {
    if (this.texts.has(file)) return this.texts.get(file);
    const read = readSource(file);
    let text: FileText | undefined;
    if (read.ok && !ESCAPE.test(read.text)) {
      const words = new Set(read.text.match(WORD));
      if (/\bexport\s*=/.test(read.text)) words.add(EXPORT_EQUALS);
      const reexportAll = reexportedModules(read.text)?.flatMap((specifier) => {
        const target = this.resolver.resolve(specifier, file);
        return target !== undefined && this.has(target) ? [target] : [];
      });
      text = reexportAll && { words, reexportAll };
    }
    this.texts.set(file, text);
    return text;
  }

  /** Every word of the files a barrel's `export *` lead to, through further barrels; undefined when one of them cannot be read so. */
  private reexportedWords(file: string): Set<string> | undefined {
    if (this.reexported.has(file)) return this.reexported.get(file);
    const seen = new Set([file]);
    const queue = [...this.textOf(file)!.reexportAll];
    let words: Set<string> | undefined = new Set<string>();
    while (queue.length > 0 && words) {
      const current = queue.pop()!;
      if (seen.has(current)) continue;
      seen.add(current);
      const text = this.textOf(current);
      if (!text) words = undefined;
      else {
        for (const word of text.words) words.add(word);
        queue.push(...text.reexportAll);
      }
    }
    this.reexported.set(file, words);
    return words;
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
