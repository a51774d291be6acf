import ts from 'typescript';
import { functionName, skipOuterExpressions, stringValue } from '../ast';
import { FORWARDERS, FRAMEWORKS } from '../frameworks';
import type { Candidate, CandidateKind, FrameworkModule } from '../frameworks/framework';
import type { Scopes } from '../scope';
import type { FileModel, ResponseRef, StatusEmission } from './concepts';
import { ModelContext } from './context';
import { recordHeaderWrite } from './header-writes';
import { recordPropertyWrite } from './property-writes';
import { STATUS_MEMBER_NAMES } from './status';

const TEST_FILE = /(\.(test|spec)\.[cm]?[jt]sx?$)|(^|[\\/])(__tests__|__mocks__)[\\/]/;
/** How many helper layers a status parameter is followed through (`deny(res, 401)` → `send(res, status)`). */
const HELPER_DEPTH = 3;

/** Every name, upper-cased, through which a recogniser can read a 401 or 403 without the number. */
const STATUS_NAMES = new Set([...STATUS_MEMBER_NAMES, ...FRAMEWORKS.flatMap((f) => f.statusNames ?? [])].map((name) => name.toUpperCase()));
const LONGEST_STATUS_NAME = Math.max(...[...STATUS_NAMES].map((name) => name.length));

type WithParent = { parent: ts.Node | undefined };

/** What the editor's incremental analysis (server/src/core/incremental.ts) asks of a model build. */
export interface BuildOptions {
  /**
   * The top-level statements to walk, when an edit left the others as they
   * were; the model then holds what these contain. Default: all.
   */
  units?: ReadonlySet<ts.Statement>;
  /** A statement not walked mentions a 401 or 403, so the status recognisers must run. */
  othersNameStatus?: boolean;
  scopes?: Scopes;
}

export interface BuiltModel {
  model: FileModel;
  ctx: ModelContext;
  /** The top-level statements walked that mention a 401 or 403 (or a status name). */
  namingStatus: Set<ts.Statement>;
  /** Whether the status recognisers ran. */
  fileNamesStatus: boolean;
}

// The kinds the walk tests at every node, read once: `ts.SyntaxKind.X` is two
// lookups in large dictionary-mode objects at each use.
const CALL = ts.SyntaxKind.CallExpression;
const NEW = ts.SyntaxKind.NewExpression;
const BINARY = ts.SyntaxKind.BinaryExpression;
const DELETE = ts.SyntaxKind.DeleteExpression;
const EQUALS = ts.SyntaxKind.EqualsToken;
const VARIABLES = ts.SyntaxKind.VariableDeclarationList;
const IMPORT = ts.SyntaxKind.ImportDeclaration;
const IMPORT_EQUALS = ts.SyntaxKind.ImportEqualsDeclaration;
const NUMBER = ts.SyntaxKind.NumericLiteral;
const IDENTIFIER = ts.SyntaxKind.Identifier;
const STRING = ts.SyntaxKind.StringLiteral;
const TEMPLATE_STRING = ts.SyntaxKind.NoSubstitutionTemplateLiteral;
const TEMPLATE_HEAD = ts.SyntaxKind.TemplateHead;
const BASIC_SCHEME = /^basic\b/i;
const NO_MODULES: readonly FrameworkModule[] = [];

/**
 * Builds the file's concept index in one walk: header writes are recorded as
 * they are met; framework recognisers then run over the calls, `new`s and
 * assignments collected (they may need header writes found later in the file,
 * such as a `Headers` object filled after its declaration).
 *
 * The status recognisers only run when the walk met a 401 or 403 or one of
 * their status names: without one, no emission could carry a status the
 * rules read, and most files of a code base have none.
 */
export function buildModel(sourceFile: ts.SourceFile, filePath: string, options: BuildOptions = {}): BuiltModel {
  const model: FileModel = {
    sourceFile,
    emissions: [],
    headerWrites: [],
    propertyWrites: [],
    forwards: [],
    callsByName: new Map(),
    basicSchemeLiterals: [],
    isTestFile: TEST_FILE.test(filePath),
  };
  const ctx = new ModelContext(sourceFile, model, options.scopes);
  const candidates: Candidate[] = [];
  const callsByName = model.callsByName;

  let parent: ts.Node | undefined;
  let namesStatus = false;
  const visit = (node: ts.Node): void => {
    // `parse` leaves parent pointers to this walk, which saves the parser a walk of its own.
    (node as WithParent).parent = parent;
    if (!namesStatus) namesStatus = namesAuthStatus(node);
    const kind = node.kind;
    if (kind === CALL) {
      candidates.push(node as ts.CallExpression);
      indexCall(node as ts.CallExpression, callsByName, ctx);
    } else if (kind === NEW) {
      candidates.push(node as ts.NewExpression);
    } else if (kind === BINARY && (node as ts.BinaryExpression).operatorToken.kind === EQUALS) {
      candidates.push(node as ts.BinaryExpression);
    } else if (kind === VARIABLES || kind === IMPORT || kind === IMPORT_EQUALS) {
      ctx.scopes.noteImports(node as ts.VariableDeclarationList | ts.ImportDeclaration | ts.ImportEqualsDeclaration);
    } else if ((kind === STRING || kind === TEMPLATE_STRING || kind === TEMPLATE_HEAD) && BASIC_SCHEME.test((node as ts.LiteralLikeNode).text)) {
      model.basicSchemeLiterals.push(node);
    }
    parent = node;
    ts.forEachChild(node, visit);
    parent = node.parent;
    // Recorded on the way up: resolving a name inside the node needs its subtree's parents.
    if (kind === CALL || kind === BINARY || kind === DELETE) {
      recordHeaderWrite(node, ctx);
      recordPropertyWrite(node, ctx);
    }
  };
  // Top-level statements one at a time, so that each one's mention of a status is known apart.
  (sourceFile as WithParent).parent = undefined;
  const namingStatus = new Set<ts.Statement>();
  const units = options.units;
  let fileNamesStatus = options.othersNameStatus ?? false;
  for (const statement of sourceFile.statements) {
    // A statement reused by an incremental reparse still points at the tree it came from.
    (statement as WithParent).parent = sourceFile;
    if (units && !units.has(statement)) continue;
    parent = sourceFile;
    namesStatus = false;
    visit(statement);
    if (namesStatus) namingStatus.add(statement);
    fileNamesStatus ||= namesStatus;
  }
  parent = undefined;
  ctx.scopes.sealImports();

  const frameworks = byKind(fileNamesStatus ? FRAMEWORKS : NO_MODULES, ctx);
  const forwarders = byKind(FORWARDERS, ctx);
  for (const node of candidates) {
    for (const framework of frameworks[node.kind]) {
      if (framework.recognize(node, ctx)) break;
    }
    for (const forwarder of forwarders[node.kind]) {
      if (forwarder.recognize(node, ctx)) break;
    }
  }
  if (fileNamesStatus) {
    for (const framework of FRAMEWORKS) framework.recognizeFile?.(ctx);
    resolveHelperCalls(ctx, callsByName);
  }
  return { model, ctx, namingStatus, fileNamesStatus };
}

/** Each module list's tables by kind, one per set of modules applying: most files share one or two. */
const tablesByApplying = new WeakMap<readonly FrameworkModule[], Map<number, Record<CandidateKind, FrameworkModule[]>>>();

/** The modules that apply to the file, in their order, for each kind of node they may claim. */
function byKind(modules: readonly FrameworkModule[], ctx: ModelContext): Record<CandidateKind, FrameworkModule[]> {
  // A bit per module that applies (there are fewer than 31 of them).
  let applyingBits = 0;
  for (let i = 0; i < modules.length; i++) {
    if (modules[i].appliesTo?.(ctx) ?? true) applyingBits |= 1 << i;
  }
  let tables = tablesByApplying.get(modules);
  if (!tables) tablesByApplying.set(modules, (tables = new Map()));
  let table = tables.get(applyingBits);
  if (!table) tables.set(applyingBits, (table = kindTable(modules.filter((_, i) => applyingBits & (1 << i)))));
  return table;
}

function kindTable(applying: readonly FrameworkModule[]): Record<CandidateKind, FrameworkModule[]> {
  const claiming = (kind: CandidateKind) => applying.filter((module) => module.kinds.includes(kind));
  return {
    [ts.SyntaxKind.CallExpression]: claiming(ts.SyntaxKind.CallExpression),
    [ts.SyntaxKind.NewExpression]: claiming(ts.SyntaxKind.NewExpression),
    [ts.SyntaxKind.BinaryExpression]: claiming(ts.SyntaxKind.BinaryExpression),
  };
}

/** A numeric literal worth 401 or 403, or a name, string or member name that is a status name in any case. */
function namesAuthStatus(node: ts.Node): boolean {
  switch (node.kind) {
    case NUMBER: {
      // The value, as status resolution reads it: `0x191` is a 401 too.
      const value = Number((node as ts.NumericLiteral).text);
      return value === 401 || value === 403;
    }
    case IDENTIFIER:
    case STRING:
    case TEMPLATE_STRING: {
      // Upper-casing can lengthen a name (`ß` → `SS`) but never shortens it.
      const text = (node as ts.Identifier | ts.StringLiteralLike).text;
      return text.length <= LONGEST_STATUS_NAME && STATUS_NAMES.has(text.toUpperCase());
    }
  }
  return false;
}

function indexCall(call: ts.CallExpression, callsByName: Map<string, ts.CallExpression[]>, ctx: ModelContext): void {
  const callee = skipOuterExpressions(call.expression);
  let name: string | undefined;
  if (ts.isIdentifier(callee)) {
    name = callee.text;
    if (name === 'require') {
      const module = stringValue(call.arguments[0]);
      if (module) ctx.noteRequire(module);
    }
  } else if (ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword) {
    name = callee.name.text;
  }
  if (name === undefined) return;
  const calls = callsByName.get(name);
  if (calls) calls.push(call);
  else callsByName.set(name, [call]);
}

/**
 * A helper that sends the status it is passed (`function deny(res, code) {
 * res.status(code).end() }`) is reported where it is called with 401, with the
 * response the caller passed in.
 */
function resolveHelperCalls(ctx: ModelContext, callsByName: Map<string, ts.CallExpression[]>): void {
  let pending = ctx.model.emissions.filter((e) => e.statusParameter);
  for (let depth = 0; depth < HELPER_DEPTH && pending.length > 0; depth++) {
    const next: StatusEmission[] = [];
    for (const helper of pending) {
      const { fn, index } = helper.statusParameter!;
      const name = functionName(fn);
      for (const call of (name && callsByName.get(name)) || []) {
        const arg = call.arguments[index];
        if (!arg || ts.isSpreadElement(arg)) continue;
        const derived = deriveAtCall(helper, call, arg, ctx);
        ctx.emit(derived);
        if (derived.statusParameter) next.push(derived);
      }
    }
    pending = next;
  }
}

function deriveAtCall(helper: StatusEmission, call: ts.CallExpression, arg: ts.Expression, ctx: ModelContext): StatusEmission {
  const resolution = ctx.status(arg);
  const response = mapResponse(helper, call, ctx);
  const setter = helper.headerSetter;
  return {
    framework: helper.framework,
    node: call,
    delivery: helper.delivery,
    carriedOnly: helper.carriedOnly,
    sites: resolution.kind === 'sites' ? resolution.sites : [],
    statusParameter: resolution.kind === 'parameter' ? { fn: resolution.fn, index: resolution.index } : undefined,
    response,
    carried: helper.carried,
    headerSetter: setter,
    addHeader:
      response && setter && !response.key.includes(':')
        ? (name, value) => ctx.insertStatementBefore(call, `${response.key}.${setter}(${ctx.quote(name)}, ${ctx.quote(value)});`)
        : undefined,
    viaHelper: helper,
  };
}

/** The caller's argument that stands for the response the helper sends on. */
function mapResponse(helper: StatusEmission, call: ts.CallExpression, ctx: ModelContext): ResponseRef | undefined {
  const declaration = helper.response?.declaration;
  if (!declaration || !ts.isParameter(declaration) || declaration.parent !== helper.statusParameter?.fn) return undefined;
  const arg = call.arguments[declaration.parent.parameters.indexOf(declaration)];
  return arg ? ctx.reference(arg) : undefined;
}
