import ts from 'typescript';
import { functionName, isFunctionLike } from './ast';
import { matchLineEndings } from './fix';
import { checkModel, enabledRules, finishFindings } from './lint';
import { buildModel, type BuiltModel } from './model/build';
import { syntaxErrorOf } from './parse';
import { rangeOf } from './positions';
import { Scopes, type Declaration } from './scope';
import type { Finding, LintResult, Settings, TextEdit } from './types';

/**
 * Re-analysis of an edited file that re-runs the model and the rules only for
 * the top-level statements the edit touched, and keeps the findings of the
 * others, moved by the edit's length.
 *
 * `ts.updateSourceFile` hands back the very node objects of the statements an
 * edit did not touch, so a statement's identity tells whether it changed. A
 * statement's findings depend on the rest of the file only through what is
 * recorded in its `UnitFacts`: imports, names looked up or called across
 * statements, header writes to variables of another statement, a status
 * mention that switches the status recognisers on, Basic-scheme literals. An
 * edit that changes any of those links is analysed from scratch; so is any
 * edit the recorded facts cannot vouch for.
 */

/** What links one top-level statement's analysis to the rest of the file. */
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
  /** Names it declares at the top level. */
  declaredNames: Set<string>;
  /** Statements declaring variables it writes headers or properties to: their findings may read those writes. */
  writesInto: Set<ts.Statement>;
  /** A header write to a response no declaration was found for, which coverage matches by spelling alone. */
  unresolvedWrites: boolean;
  basicSchemeLiterals: number;
  /** A status emission outside any function, which every Basic-scheme literal in the file bears on. */
  topLevelEmission: boolean;
}

/** The last analysis of a document, to carry over to its next version. */
export interface AnalysisState {
  filePath: string;
  settings: Settings;
  units: Map<ts.Statement, UnitFacts>;
  /** The statements analysed, in order. */
  statements: readonly ts.Statement[];
  fileNamesStatus: boolean;
  /** Every name looked up in scope since the last full analysis. */
  lookedUp: Set<string>;
}

/**
 * A scope lookup that remembers the names asked about: a statement may depend
 * on another's declaration of one. When only some statements are walked, the
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

/** Above this share of the file's statements changed, a full analysis costs no more. */
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
): IncrementalLint {
  const parseError = syntaxErrorOf(sourceFile);
  // Typing passes through texts that do not parse; the next one that does can still start from the last analysis.
  if (parseError) return { result: { filePath, findings: [], parseError }, state: previous?.state, reused: false };
  if (enabledRules(settings).length === 0) return { result: { filePath, findings: [] }, state: undefined, reused: false };
  const partial = previous && reanalyse(sourceFile, filePath, settings, previous.state, previous.change);
  const { findings, state } = partial ?? analyse(sourceFile, filePath, settings);
  return { result: { filePath, findings: finishFindings(sourceFile, findings) }, state, reused: partial !== undefined };
}

export interface IncrementalLint {
  result: LintResult;
  /**
   * What the next version's analysis may start from: this version's, or when
   * this one does not parse, the last one's (the same object as given); undefined
   * when the next must start afresh.
   */
  state: AnalysisState | undefined;
  /** Whether findings of statements the change left alone were kept rather than found again. */
  reused: boolean;
}

interface Analysis {
  findings: Finding[];
  state: AnalysisState | undefined;
}

function analyse(sourceFile: ts.SourceFile, filePath: string, settings: Settings): Analysis {
  const lookedUp = new Set<string>();
  const built = buildModel(sourceFile, filePath, { scopes: new RecordingScopes(lookedUp, false) });
  const statements = sourceFile.statements;
  const found = checkByStatement(built, settings, statements);
  if (!found) {
    // Findings that cannot be told apart by statement: this file is analysed whole, every time.
    const findings = checkModel(built, settings, enabledRules(settings));
    matchLineEndings(sourceFile.text, findings);
    return { findings, state: undefined };
  }
  const units = factsOf(statements, statements, built, found);
  return { findings: [...found.values()].flat(), state: { filePath, settings, units, statements, fileNamesStatus: built.fileNamesStatus, lookedUp } };
}

/** The analysis of only the statements the change touched, or undefined when the others' findings cannot be kept. */
function reanalyse(
  sourceFile: ts.SourceFile,
  filePath: string,
  settings: Settings,
  state: AnalysisState,
  change: ts.TextChangeRange,
): Analysis | undefined {
  if (state.filePath !== filePath || state.settings !== settings) return undefined;
  const statements = sourceFile.statements;
  const changed = statements.filter((statement) => !state.units.has(statement));
  const keptStatements = new Set(statements.filter((statement) => state.units.has(statement)));
  const removedStatements = state.statements.filter((statement) => !keptStatements.has(statement));
  if (changed.length + removedStatements.length > statements.length * MOST_OF_THE_FILE) return undefined;
  const kept = [...keptStatements].map((statement) => state.units.get(statement)!);
  const removed = removedStatements.map((statement) => state.units.get(statement)!);
  const moved = moveFindings(kept, change);
  if (!moved) return undefined;

  // Statements that import are walked again: the walk is what registers their modules and names.
  const walked = new Set(changed);
  for (const statement of keptStatements) if (state.units.get(statement)!.importsModules) walked.add(statement);
  const lookedUp = new Set(state.lookedUp);
  const built = buildModel(sourceFile, filePath, {
    units: walked,
    othersNameStatus: kept.some((unit) => unit.namesStatus),
    scopes: new RecordingScopes(lookedUp, true),
  });
  if (built.fileNamesStatus !== state.fileNamesStatus) return undefined;
  const found = checkByStatement(built, settings, changed);
  if (!found) return undefined;
  const changedFacts = factsOf(statements, changed, built, found);
  const touched = { statements: new Set<ts.Statement>([...removedStatements, ...changed]), facts: [...removed, ...changedFacts.values()] };
  if (!independent(touched, kept, lookedUp)) return undefined;

  const units = new Map<ts.Statement, UnitFacts>();
  const all = [...found.values()].flat();
  for (const statement of statements) {
    const facts = changedFacts.get(statement);
    if (facts) {
      units.set(statement, facts);
      continue;
    }
    const findings = moved.get(state.units.get(statement)!)!;
    for (const finding of findings) finding.range = rangeOf(sourceFile, finding.start, finding.end);
    // A new record: the previous state stays as it was.
    units.set(statement, { ...state.units.get(statement)!, findings });
    all.push(...findings);
  }
  return { findings: all, state: { filePath, settings, units, statements, fileNamesStatus: built.fileNamesStatus, lookedUp } };
}

/**
 * Runs the rules over the emissions and forwards of each of `statements` in
 * turn, so that each finding is known by the statement it comes from. What
 * lies outside `statements` (file-wide recognisers see every statement) is
 * left out. Undefined when a finding is placed outside its statement (at a
 * headers object declared in another): a rule may report such a place once
 * for several statements, so the file's findings are not the sum of theirs.
 */
function checkByStatement(built: BuiltModel, settings: Settings, statements: readonly ts.Statement[]): Map<ts.Statement, Finding[]> | undefined {
  const { model } = built;
  const { emissions: allEmissions, forwards: allForwards } = model;
  const index = new UnitIndex(statements);
  const emissions = groupBy(model.emissions, statements.length, (emission) => index.indexOf(emission.node.pos));
  const forwards = groupBy(model.forwards, statements.length, (site) => index.indexOf(site.node.pos));
  const enabled = enabledRules(settings);
  const found = new Map<ts.Statement, Finding[]>();
  let placedOutside = false;
  for (let i = 0; i < statements.length && !placedOutside; i++) {
    if (emissions[i].length === 0 && forwards[i].length === 0) continue;
    model.emissions = emissions[i];
    model.forwards = forwards[i];
    const findings = checkModel(built, settings, enabled);
    matchLineEndings(model.sourceFile.text, findings);
    found.set(statements[i], findings);
    placedOutside = findings.some((finding) => finding.start < statements[i].pos || finding.end > statements[i].end);
  }
  model.emissions = allEmissions;
  model.forwards = allForwards;
  return placedOutside ? undefined : found;
}

function groupBy<T>(items: readonly T[], groups: number, groupOf: (item: T) => number): T[][] {
  const grouped: T[][] = Array.from({ length: groups }, () => []);
  for (const item of items) {
    const group = groupOf(item);
    if (group !== -1) grouped[group].push(item);
  }
  return grouped;
}

/** Whether the statements an edit touched (as they were and as they are) share nothing the kept ones read. */
function independent(touched: { statements: Set<ts.Statement>; facts: UnitFacts[] }, kept: readonly UnitFacts[], lookedUp: ReadonlySet<string>): boolean {
  const all = [...touched.facts, ...kept];
  if (all.some((unit) => unit.unresolvedWrites)) return false;
  if (touched.facts.some((unit) => unit.importsModules || unit.writesInto.size > 0)) return false;
  for (const unit of kept) for (const target of unit.writesInto) if (touched.statements.has(target)) return false;
  const keptCallees = unionOf(kept, (unit) => unit.calleeNames);
  const keptEmitters = unionOf(kept, (unit) => unit.emitterNames);
  for (const unit of touched.facts) {
    for (const name of unit.declaredNames) if (lookedUp.has(name) || keptCallees.has(name)) return false;
    for (const name of unit.emitterNames) if (keptCallees.has(name)) return false;
    for (const name of unit.calleeNames) if (keptEmitters.has(name)) return false;
  }
  const basicLiteralsMoved = touched.facts.some((unit) => unit.basicSchemeLiterals > 0);
  return !(basicLiteralsMoved && kept.some((unit) => unit.topLevelEmission));
}
function unionOf(units: readonly UnitFacts[], names: (unit: UnitFacts) => Set<string>): Set<string> {
  const union = new Set<string>();
  for (const unit of units) for (const name of names(unit)) union.add(name);
  return union;
}

/**
 * The kept statements' findings at their offsets in the new text, or
 * undefined when one of them (or its fix) touches the changed text.
 */
function moveFindings(kept: readonly UnitFacts[], change: ts.TextChangeRange): Map<UnitFacts, Finding[]> | undefined {
  const moved = new Map<UnitFacts, Finding[]>();
  const start = change.span.start;
  const end = ts.textSpanEnd(change.span);
  const delta = change.newLength - change.span.length;
  // An offset at the edge of an insertion could belong before or after it.
  const move = (offset: number): number => {
    if (offset < start || (offset === start && end > start)) return offset;
    if (offset > end || (offset === end && end > start)) return offset + delta;
    return Number.NaN;
  };
  for (const unit of kept) {
    const findings: Finding[] = [];
    for (const finding of unit.findings) {
      const next = moveFinding(finding, move);
      if (!next) return undefined;
      findings.push(next);
    }
    moved.set(unit, findings);
  }
  return moved;
}

function moveFinding(finding: Finding, move: (offset: number) => number): Finding | undefined {
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

/** The facts of the statements in `analysed` (of the file's `statements`), from the model built over them. */
function factsOf(
  statements: readonly ts.Statement[],
  analysed: readonly ts.Statement[],
  built: BuiltModel,
  found: ReadonlyMap<ts.Statement, Finding[]>,
): Map<ts.Statement, UnitFacts> {
  const { model, ctx } = built;
  const index = new UnitIndex(statements);
  const facts = new Map<ts.Statement, UnitFacts>();
  for (const statement of analysed) {
    facts.set(statement, {
      findings: found.get(statement) ?? [],
      namesStatus: built.namingStatus.has(statement),
      importsModules: ts.isImportDeclaration(statement) || ts.isImportEqualsDeclaration(statement),
      emitterNames: new Set(),
      calleeNames: new Set(),
      declaredNames: declaredNames(statement),
      writesInto: new Set(),
      unresolvedWrites: false,
      basicSchemeLiterals: 0,
      topLevelEmission: false,
    });
  }
  const at = (offset: number): UnitFacts | undefined => facts.get(statements[index.indexOf(offset)]);
  const writes = (write: ts.Node, target: ts.Node): void => {
    const targetStatement = statements[index.indexOf(target.pos)];
    const unit = at(write.pos);
    if (unit && targetStatement !== statements[index.indexOf(write.pos)]) unit.writesInto.add(targetStatement);
  };

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
    if (write.target.declaration) writes(write.node, write.target.declaration);
    else {
      const unit = at(write.node.pos);
      if (unit) unit.unresolvedWrites = true;
    }
  }
  for (const write of model.propertyWrites) {
    if (!at(write.node.pos)) continue;
    const declaration = ctx.scopes.lookup(write.holder.text, write.holder);
    if (declaration?.kind === 'variable' || declaration?.kind === 'parameter') writes(write.node, declaration.node);
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

/** The names a top-level statement binds. */
function declaredNames(statement: ts.Statement): Set<string> {
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

/** Finds which of a list of statements (in source order) holds an offset. */
class UnitIndex {
  private readonly starts: number[];
  private readonly ends: number[];

  constructor(statements: readonly ts.Statement[]) {
    this.starts = statements.map((statement) => statement.pos);
    this.ends = statements.map((statement) => statement.end);
  }

  /** The index of the statement whose text (with its leading trivia) holds `offset`, or -1. */
  indexOf(offset: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (this.starts[mid] > offset) high = mid - 1;
      else if (this.ends[mid] <= offset) low = mid + 1;
      else return mid;
    }
    return -1;
  }
}
