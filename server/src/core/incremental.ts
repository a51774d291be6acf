import ts from 'typescript';
import { functionName, isFunctionLike } from './ast';
import { matchLineEndings } from './fix';
import { REGISTRY } from './frameworks';
import { checkModel, enabledRules, finishFindings } from './lint';
import { buildModel, type BuiltModel } from './model/build';
import { syntaxErrorOf } from './parse';
import { rangeOf } from './positions';
import { Scopes, type Declaration } from './scope';
import { UnitLayout } from './unit-layout';
import { readDeclarations, type Declarations } from './project/declarations';
import type { ProjectIndex } from './project/index';
import { answersDiffer, RecordingView, type AskedQuestion } from './project/view';
import type { Finding, LintResult, Settings, TextEdit } from './types';

/**
 * Re-analysis of an edited file that re-runs the model and the rules only for
 * the units the edit touched (top-level statements, or the members of a
 * top-level class or function: see unit-layout.ts), and keeps the findings of
 * the others, moved by the edit's length.
 *
 * `ts.updateSourceFile` hands back the very node objects of the statements and
 * members an edit did not touch, so a unit's identity tells whether it
 * changed; a container's shell, which a reparse makes anew whenever one of its
 * members changes, is known by its text. A unit's findings depend on the rest
 * of the file only through what is recorded in its `UnitFacts`: imports, names
 * looked up or called across units, header writes to variables of another
 * unit, a status mention that switches the status recognisers on, Basic-scheme
 * literals. An edit that changes any of those links is analysed from scratch;
 * so is any edit the recorded facts cannot vouch for.
 */

/** What links one unit's analysis to the rest of the file. */
interface UnitFacts {
  findings: Finding[];
  /** It mentions a 401, 403 or status name (the status recognisers run only in files that do). */
  namesStatus: boolean;
  /** An import, or a `require` call: what every statement's names resolve to. */
  importsModules: boolean;
  /** Names of the functions around its status emissions: helpers that calls elsewhere are judged by. */
  emitterNames: Set<string>;
  /** Names it calls: `deny(…)`, `this.deny(…)`. */
  calleeNames: Set<string>;
  /** Names it declares in its scope. */
  declaredNames: Set<string>;
  /** Units declaring variables it writes headers or properties to: their findings may read those writes. */
  writesInto: Set<ts.Node>;
  /** The names of the variables of other units it writes headers or properties to: a unit that reads one reads its writes. */
  writtenNames: Set<string>;
  /** A header write to a response no declaration was found for, which coverage matches by spelling alone. */
  unresolvedWrites: boolean;
  basicSchemeLiterals: number;
  /** A status emission outside any function, which every Basic-scheme literal in the file bears on. */
  topLevelEmission: boolean;
  /** It is an `if` statement: one that returns or throws decides why the statuses after it in its block are sent. */
  guard: boolean;
}

/** The last analysis of a document, to carry over to its next version. */
export interface AnalysisState {
  filePath: string;
  settings: Settings;
  /** Each unit's facts: a statement's or member's by its node, a container shell's by its statement. */
  units: Map<ts.Node, UnitFacts>;
  /** The units analysed, in order. */
  order: readonly ts.Node[];
  /** Each container's shell text, by its statement. */
  shells: Map<ts.Node, string>;
  /** The container statement of each member unit. */
  containerOf: Map<ts.Node, ts.Node>;
  fileNamesStatus: boolean;
  /** Every name looked up in scope since the last full analysis. */
  lookedUp: Set<string>;
  /** What the analysis asked of the project, when the file was analysed as part of one. */
  project: ProjectState | undefined;
}

/** The project a file is analysed in: its index, and a number that changes whenever the index does. */
export interface ProjectInput {
  index: ProjectIndex;
  generation: number;
}

interface ProjectState {
  generation: number;
  /** Every question asked since the last full analysis (kept units' among them). */
  asked: AskedQuestion[];
}

/**
 * A scope lookup that remembers the names asked about: a unit may depend
 * on another's declaration of one. When only some units are walked, the
 * names the walk collects to rule lookups out are incomplete, so none is ruled out.
 */
class RecordingScopes extends Scopes {
  constructor(
    readonly names: Set<string>,
    private readonly partial: boolean,
  ) {
    super();
  }

  override lookup(name: string, from: ts.Node): Declaration | undefined {
    this.names.add(name);
    return super.lookup(name, from);
  }

  override mayBeVariable(name: string): boolean {
    return this.partial || super.mayBeVariable(name);
  }
}

/** An HTTP field name (RFC 9110's token), lower-cased. */
const HEADER_NAME = /^[-!#$%&'*+.^_`|~0-9a-z]+$/;

/** The header whose writes `invalid-www-authenticate` checks wherever they are, with or without a status sent beside them. */
const CHALLENGE_HEADER = 'www-authenticate';

/** Above this share of the file's units changed, a full analysis costs no more. */
const MOST_OF_THE_FILE = 0.5;

/**
 * Lints `sourceFile`. With the previous state and the text change since the
 * text it analysed (in that text's offsets), reuses what the change left alone.
 */
export function lintIncrementally(
  sourceFile: ts.SourceFile,
  filePath: string,
  settings: Settings,
  previous?: { state: AnalysisState; change: ts.TextChangeRange },
  project?: ProjectInput,
): IncrementalLint {
  const parseError = syntaxErrorOf(sourceFile);
  // Typing passes through texts that do not parse; the next one that does can still start from the last analysis.
  if (parseError) return { result: { filePath, findings: [], parseError }, state: previous?.state, reused: false, asked: previous?.state.project?.asked ?? [] };
  if (enabledRules(settings).length === 0) return { result: { filePath, findings: [] }, state: undefined, reused: false, asked: [] };
  const partial = previous && reanalyse(sourceFile, filePath, settings, previous.state, previous.change, project);
  const { findings, state, asked } = partial ?? analyse(sourceFile, filePath, settings, project);
  return { result: { filePath, findings: finishFindings(sourceFile, findings) }, state, reused: partial !== undefined, asked };
}

export interface IncrementalLint {
  result: LintResult;
  /**
   * What the next version's analysis may start from: this version's, or when
   * this one does not parse, the last one's (the same object as given); undefined
   * when the next must start afresh.
   */
  state: AnalysisState | undefined;
  /** Whether findings of units the change left alone were kept rather than found again. */
  reused: boolean;
  /** What the findings asked of the project (none outside one), to tell when a change of the index may change them. */
  asked: AskedQuestion[];
}

interface Analysis {
  findings: Finding[];
  state: AnalysisState | undefined;
  asked: AskedQuestion[];
}

/**
 * A recording view of the project for one analysis of `sourceFile`, its own
 * declarations read from its text. `readsOwn` tells whether an answer came
 * from them: the analysis of a later version cannot then keep any unit's
 * findings, since an edit anywhere may have changed what they were built on.
 */
function projectView(project: ProjectInput, sourceFile: ts.SourceFile, filePath: string, scopes: Scopes): { view: RecordingView; readsOwn: () => boolean } {
  let declarations: Declarations | undefined;
  let readsOwn = false;
  const local = {
    file: filePath,
    declaration: (name: string) => {
      readsOwn = true;
      return (declarations ??= readDeclarations(sourceFile, scopes)).declarations[name];
    },
  };
  return { view: new RecordingView(project.index.withOverlay(local), filePath), readsOwn: () => readsOwn };
}

function analyse(sourceFile: ts.SourceFile, filePath: string, settings: Settings, project: ProjectInput | undefined): Analysis {
  const lookedUp = new Set<string>();
  const mentions: number[] = [];
  const scopes = new RecordingScopes(lookedUp, false);
  const recording = project && projectView(project, sourceFile, filePath, scopes);
  const built = buildModel(sourceFile, filePath, REGISTRY, { scopes, mentions, project: recording?.view, projectRoots: settings.projectRoots });
  const asked = recording?.view.asked ?? [];
  const layout = new UnitLayout(sourceFile);
  const found = recording?.readsOwn() ? undefined : checkByUnit(built, settings, layout, layout.units);
  if (!found) {
    // Findings that cannot be told apart by unit: this file is analysed whole, every time.
    const findings = checkModel(built, settings, enabledRules(settings));
    matchLineEndings(sourceFile.text, findings);
    return { findings, state: undefined, asked };
  }
  const units = factsOf(layout, layout.units, built, found, mentions);
  const projectState = project && { generation: project.generation, asked };
  return { findings: [...found.values()].flat(), state: stateOf(filePath, settings, layout, units, built.fileNamesStatus, lookedUp, projectState), asked };
}

function stateOf(
  filePath: string,
  settings: Settings,
  layout: UnitLayout,
  units: Map<ts.Node, UnitFacts>,
  fileNamesStatus: boolean,
  lookedUp: Set<string>,
  project: ProjectState | undefined,
): AnalysisState {
  const shells = new Map<ts.Node, string>();
  const containerOf = new Map<ts.Node, ts.Node>();
  for (const [statement, members] of layout.containers) {
    shells.set(statement, layout.shellText(statement));
    for (const member of members) containerOf.set(member, statement);
  }
  return { filePath, settings, units, order: layout.units, shells, containerOf, fileNamesStatus, lookedUp, project };
}

/** The analysis of only the units the change touched, or undefined when the others' findings cannot be kept. */
function reanalyse(
  sourceFile: ts.SourceFile,
  filePath: string,
  settings: Settings,
  state: AnalysisState,
  change: ts.TextChangeRange,
  project: ProjectInput | undefined,
): Analysis | undefined {
  if (state.filePath !== filePath || state.settings !== settings) return undefined;
  if (!project !== !state.project) return undefined;
  // The index changed since: the kept units' findings stand only if it answers what they asked as before.
  if (project && state.project && project.generation !== state.project.generation && answersDiffer(project.index, filePath, state.project.asked)) return undefined;
  const layout = new UnitLayout(sourceFile);
  const shells = keptShells(layout, state);
  if (!shells) return undefined;
  // Each kept unit's key in the previous state: itself, or for a container made anew, the statement it replaces.
  const previousKey = new Map<ts.Node, ts.Node>();
  const changed: ts.Node[] = [];
  for (const unit of layout.units) {
    const key = keptKey(unit, layout, state, shells);
    if (key) previousKey.set(unit, key);
    else changed.push(unit);
  }
  const stillThere = new Set(previousKey.values());
  const removedUnits = state.order.filter((unit) => !stillThere.has(unit));
  if (changed.length + removedUnits.length > layout.units.length * MOST_OF_THE_FILE) return undefined;
  const kept = [...stillThere].map((key) => state.units.get(key)!);
  const removed = removedUnits.map((unit) => state.units.get(unit)!);
  const moved = moveFindings(kept, change);
  if (!moved) return undefined;

  const walked = new Set(changed);
  // Statements that import are walked again: the walk is what registers their modules and names.
  for (const [unit, key] of previousKey) if (state.units.get(key)!.importsModules) walked.add(unit);
  // A container made anew is walked for its shell, which attaches the members kept to it; the shell's facts move to it.
  const containers = new Map<ts.Node, readonly ts.Node[]>();
  const renamed = new Map<ts.Node, ts.Node>();
  for (const [statement, previous] of shells) {
    if (statement === previous) continue;
    containers.set(statement, layout.containers.get(statement)!);
    renamed.set(previous, statement);
  }
  const lookedUp = new Set(state.lookedUp);
  const mentions: number[] = [];
  const scopes = new RecordingScopes(lookedUp, true);
  const recording = project && projectView(project, sourceFile, filePath, scopes);
  const built = buildModel(sourceFile, filePath, REGISTRY, {
    parts: { walked, containers },
    othersNameStatus: kept.some((unit) => unit.namesStatus),
    mentions,
    scopes,
    project: recording?.view,
    projectRoots: settings.projectRoots,
  });
  // Only the walked statements are known to the scopes: the file's own declarations are read in a full analysis.
  if (built.fileNamesStatus !== state.fileNamesStatus || recording?.readsOwn()) return undefined;
  const found = checkByUnit(built, settings, layout, changed);
  if (!found) return undefined;
  const changedFacts = factsOf(layout, changed, built, found, mentions);
  const touched = { units: new Set<ts.Node>([...removedUnits, ...changed]), facts: [...removed, ...changedFacts.values()], names: namesIn(changed) };
  if (!independent(touched, kept, lookedUp)) return undefined;

  const units = new Map<ts.Node, UnitFacts>();
  const all = [...found.values()].flat();
  for (const unit of layout.units) {
    const facts = changedFacts.get(unit);
    if (facts) {
      units.set(unit, facts);
      continue;
    }
    const previous = state.units.get(previousKey.get(unit)!)!;
    const findings = moved.get(previous)!;
    // A finding before the change is the previous one itself: its place is as it was.
    for (let i = 0; i < findings.length; i++) if (findings[i] !== previous.findings[i]) findings[i].range = rangeOf(sourceFile, findings[i].start, findings[i].end);
    const writesInto = renamedUnits(previous.writesInto, renamed);
    // Records are never changed once made: an unchanged one is shared with the previous state, a changed one is new.
    units.set(unit, findings === previous.findings && writesInto === previous.writesInto ? previous : { ...previous, findings, writesInto });
    for (const finding of findings) all.push(finding);
  }
  const asked = recording ? mergeAsked(state.project?.asked ?? [], recording.view.asked) : [];
  const projectState = project && { generation: project.generation, asked };
  return { findings: all, state: stateOf(filePath, settings, layout, units, built.fileNamesStatus, lookedUp, projectState), asked };
}

/** The questions asked before and now, each once. */
function mergeAsked(before: readonly AskedQuestion[], now: readonly AskedQuestion[]): AskedQuestion[] {
  const seen = new Set(before.map((asked) => JSON.stringify(asked.question)));
  return [...before, ...now.filter((asked) => !seen.has(JSON.stringify(asked.question)))];
}

/**
 * For each container whose shell the edit left alone, the statement it had in
 * the previous state (itself, unless the reparse made it anew); undefined when
 * a shell changed, which every member's analysis may have read.
 */
function keptShells(layout: UnitLayout, state: AnalysisState): Map<ts.Node, ts.Node> | undefined {
  const kept = new Map<ts.Node, ts.Node>();
  for (const [statement, members] of layout.containers) {
    if (state.shells.has(statement)) {
      kept.set(statement, statement);
      continue;
    }
    const previous = new Set<ts.Node>();
    for (const member of members) {
      const container = state.units.has(member) ? state.containerOf.get(member) : undefined;
      if (container) previous.add(container);
    }
    // None of its members known: a container new as a whole.
    if (previous.size === 0) continue;
    const [container] = previous;
    if (previous.size > 1 || state.shells.get(container) !== layout.shellText(statement)) return undefined;
    kept.set(statement, container);
  }
  return kept;
}

/** The key under which the previous state holds a unit the change left alone, or undefined when the unit is to be analysed. */
function keptKey(unit: ts.Node, layout: UnitLayout, state: AnalysisState, shells: Map<ts.Node, ts.Node>): ts.Node | undefined {
  if (layout.containers.has(unit)) return shells.get(unit);
  if (!state.units.has(unit)) return undefined;
  const container = layout.containerOf(unit);
  const previousContainer = container && shells.get(container);
  return state.containerOf.get(unit) === previousContainer ? unit : undefined;
}

function renamedUnits(units: Set<ts.Node>, renamed: ReadonlyMap<ts.Node, ts.Node>): Set<ts.Node> {
  if (renamed.size === 0 || units.size === 0) return units;
  return new Set([...units].map((unit) => renamed.get(unit) ?? unit));
}

/**
 * Runs the rules over the emissions and forwards of each of `units` in turn,
 * so that each finding is known by the unit it comes from. What lies outside
 * `units` (file-wide recognisers see every unit) is left out. Undefined when
 * a finding is placed outside its unit (at a headers object declared in
 * another): a rule may report such a place once for several units, so the
 * file's findings are not the sum of theirs; and when an emission or forward
 * lies in a container's shell, which is analysed only with the whole file;
 * and when a framework module read the file's other statements for an emission.
 */
function checkByUnit(built: BuiltModel, settings: Settings, layout: UnitLayout, units: readonly ts.Node[]): Map<ts.Node, Finding[]> | undefined {
  const { model } = built;
  if (model.readsWholeFile) return undefined;
  const { emissions: allEmissions, forwards: allForwards } = model;
  const emissions = groupByUnit(allEmissions, layout, (emission) => emission.node.pos);
  const forwards = groupByUnit(allForwards, layout, (site) => site.node.pos);
  // A challenge set where nothing is sent (a middleware that only sets it) is still checked: its unit is run too.
  const challenges = groupByUnit(model.headerWrites.filter((write) => write.name === CHALLENGE_HEADER), layout, (write) => write.node.pos);
  if (!emissions || !forwards || !challenges) return undefined;
  const enabled = enabledRules(settings);
  const found = new Map<ts.Node, Finding[]>();
  let placedOutside = false;
  for (const unit of units) {
    const unitEmissions = emissions.get(unit);
    const unitForwards = forwards.get(unit);
    if (!unitEmissions && !unitForwards && !challenges.has(unit)) continue;
    model.emissions = unitEmissions ?? [];
    model.forwards = unitForwards ?? [];
    const findings = checkModel(built, settings, enabled, unit);
    found.set(unit, findings);
    placedOutside = findings.some((finding) => finding.start < unit.pos || finding.end > unit.end);
    if (placedOutside) break;
  }
  model.emissions = allEmissions;
  model.forwards = allForwards;
  if (placedOutside) return undefined;
  // Once for all units: telling the file's line endings reads the whole text.
  matchLineEndings(model.sourceFile.text, [...found.values()].flat());
  return found;
}

/** Items by the unit holding them; undefined when one lies in a container's shell. */
function groupByUnit<T>(items: readonly T[], layout: UnitLayout, positionOf: (item: T) => number): Map<ts.Node, T[]> | undefined {
  const grouped = new Map<ts.Node, T[]>();
  for (const item of items) {
    const unit = layout.unitAt(positionOf(item));
    if (!unit) continue;
    if (layout.containers.has(unit)) return undefined;
    const group = grouped.get(unit);
    if (group) group.push(item);
    else grouped.set(unit, [item]);
  }
  return grouped;
}

/** Whether the units an edit touched (as they were and as they are) share nothing the kept ones read. */
function independent(touched: { units: Set<ts.Node>; facts: UnitFacts[]; names: Set<string> }, kept: readonly UnitFacts[], lookedUp: ReadonlySet<string>): boolean {
  const all = [...touched.facts, ...kept];
  if (all.some((unit) => unit.unresolvedWrites)) return false;
  if (touched.facts.some((unit) => unit.importsModules || unit.guard || unit.writesInto.size > 0)) return false;
  for (const unit of kept) {
    for (const target of unit.writesInto) if (touched.units.has(target)) return false;
    for (const name of unit.writtenNames) if (touched.names.has(name)) return false;
  }
  const keptCallees = unionOf(kept, (unit) => unit.calleeNames);
  const keptEmitters = unionOf(kept, (unit) => unit.emitterNames);
  for (const unit of touched.facts) {
    for (const name of unit.declaredNames) if (lookedUp.has(name) || keptCallees.has(name)) return false;
    for (const name of unit.emitterNames) if (keptCallees.has(name)) return false;
    for (const name of unit.calleeNames) if (keptEmitters.has(name)) return false;
  }
  // A status sent outside any function is fixed by the Basic literals of the whole file, the kept units' among them.
  const basicLiteralsMoved = touched.facts.some((unit) => unit.basicSchemeLiterals > 0);
  if (basicLiteralsMoved && kept.some((unit) => unit.topLevelEmission)) return false;
  return !(touched.facts.some((unit) => unit.topLevelEmission) && kept.some((unit) => unit.basicSchemeLiterals > 0));
}
/** Every identifier's name in `nodes`. */
function namesIn(nodes: readonly ts.Node[]): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) names.add(node.text);
    else ts.forEachChild(node, visit);
  };
  for (const node of nodes) visit(node);
  return names;
}

function unionOf(units: readonly UnitFacts[], names: (unit: UnitFacts) => Set<string>): Set<string> {
  const union = new Set<string>();
  for (const unit of units) for (const name of names(unit)) union.add(name);
  return union;
}

/**
 * The kept units' findings at their offsets in the new text, or
 * undefined when one of them (or its fix) touches the changed text.
 */
function moveFindings(kept: readonly UnitFacts[], change: ts.TextChangeRange): Map<UnitFacts, Finding[]> | undefined {
  const moved = new Map<UnitFacts, Finding[]>();
  const start = change.span.start;
  const end = ts.textSpanEnd(change.span);
  const delta = change.newLength - change.span.length;
  // An offset at the edge of an insertion could belong before or after it.
  const before = (offset: number): boolean => offset < start || (offset === start && end > start);
  const move = (offset: number): number => {
    if (before(offset)) return offset;
    if (offset > end || (offset === end && end > start)) return offset + delta;
    return Number.NaN;
  };
  for (const unit of kept) {
    const findings: Finding[] = [];
    let same = true;
    for (const finding of unit.findings) {
      const next = moveFinding(finding, move, before);
      if (!next) return undefined;
      findings.push(next);
      same &&= next === finding;
    }
    moved.set(unit, same ? unit.findings : findings);
  }
  return moved;
}

/**
 * The finding at its offsets in the new text: itself when it and its fix lie
 * before the change, where the text and so every line and character are as they were.
 */
function moveFinding(finding: Finding, move: (offset: number) => number, before: (offset: number) => boolean): Finding | undefined {
  if (before(finding.end) && (finding.fix?.edits ?? []).every((edit) => before(edit.end))) return finding;
  const start = move(finding.start);
  const end = move(finding.end);
  if (Number.isNaN(start) || Number.isNaN(end)) return undefined;
  const next: Finding = { ...finding, start, end };
  if (finding.fix) {
    const edits: TextEdit[] = [];
    for (const edit of finding.fix.edits) {
      const editStart = move(edit.start);
      const editEnd = move(edit.end);
      if (Number.isNaN(editStart) || Number.isNaN(editEnd)) return undefined;
      edits.push({ start: editStart, end: editEnd, text: edit.text });
    }
    next.fix = { ...finding.fix, edits };
  }
  return next;
}

/** The facts of the units in `analysed`, from the model built over them and where the walk met status mentions. */
function factsOf(
  layout: UnitLayout,
  analysed: readonly ts.Node[],
  built: BuiltModel,
  found: ReadonlyMap<ts.Node, Finding[]>,
  mentions: readonly number[],
): Map<ts.Node, UnitFacts> {
  const { model, ctx } = built;
  const facts = new Map<ts.Node, UnitFacts>();
  for (const unit of analysed) {
    facts.set(unit, {
      findings: found.get(unit) ?? [],
      namesStatus: false,
      importsModules: ts.isImportDeclaration(unit) || ts.isImportEqualsDeclaration(unit),
      emitterNames: new Set(),
      calleeNames: new Set(),
      declaredNames: declaredNames(unit),
      writesInto: new Set(),
      writtenNames: new Set(),
      unresolvedWrites: false,
      basicSchemeLiterals: 0,
      topLevelEmission: false,
      guard: ts.isIfStatement(unit),
    });
  }
  const at = (offset: number): UnitFacts | undefined => {
    const unit = layout.unitAt(offset);
    return unit && facts.get(unit);
  };
  const writes = (write: ts.Node, target: ts.Node, name: string): void => {
    const targetUnit = layout.unitAt(target.pos);
    const unit = at(write.pos);
    if (!unit || !targetUnit || targetUnit === layout.unitAt(write.pos)) return;
    unit.writesInto.add(targetUnit);
    unit.writtenNames.add(name);
  };

  for (const offset of mentions) {
    const unit = at(offset);
    if (unit) unit.namesStatus = true;
  }
  for (const [name, calls] of model.callsByName) {
    for (const call of calls) {
      const unit = at(call.pos);
      if (!unit) continue;
      unit.calleeNames.add(name);
      if (name === 'require') unit.importsModules = true;
    }
  }
  for (const emission of model.emissions) {
    const unit = at(emission.node.pos);
    if (!unit) continue;
    if (!addEnclosingNames(emission.node, unit.emitterNames)) unit.topLevelEmission = true;
    if (emission.statusParameter) addName(emission.statusParameter.fn, unit.emitterNames);
  }
  for (const write of model.headerWrites) {
    // `router.delete('/items/:id', …)` reads as removing a header named by the path; no rule asks after such a name.
    if (!HEADER_NAME.test(write.name)) continue;
    if (write.target.declaration) writes(write.node, write.target.declaration, write.target.key);
    else {
      const unit = at(write.node.pos);
      if (unit) unit.unresolvedWrites = true;
    }
  }
  for (const write of model.propertyWrites) {
    if (!at(write.node.pos)) continue;
    const declaration = ctx.scopes.lookup(write.holder.text, write.holder);
    if (declaration?.kind === 'variable' || declaration?.kind === 'parameter') writes(write.node, declaration.node, write.holder.text);
  }
  for (const literal of model.basicSchemeLiterals) {
    const unit = at(literal.pos);
    if (unit) unit.basicSchemeLiterals++;
  }
  return facts;
}

/** Adds the names of the functions around `node`; false when there are none. */
function addEnclosingNames(node: ts.Node, names: Set<string>): boolean {
  let inFunction = false;
  for (let current = node.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if (!isFunctionLike(current)) continue;
    inFunction = true;
    addName(current, names);
  }
  return inFunction;
}

function addName(fn: ts.FunctionLikeDeclaration, names: Set<string>): void {
  const name = functionName(fn);
  if (name) names.add(name);
}

/** The names a statement binds in its scope (none for a class member). */
function declaredNames(statement: ts.Node): Set<string> {
  const names = new Set<string>();
  const addBinding = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) addBinding(element.name);
  };
  if (ts.isVariableStatement(statement)) {
    for (const declaration of statement.declarationList.declarations) addBinding(declaration.name);
  } else if (
    (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement) || ts.isModuleDeclaration(statement)) &&
    statement.name &&
    ts.isIdentifier(statement.name)
  ) {
    names.add(statement.name.text);
  }
  return names;
}
