import ts from 'typescript';
import { functionName, skipOuterExpressions, stringValue } from '../ast';
import type { ProjectView } from '../project/view';
import type { Scopes } from '../scope';
import type { FileModel, ResponseRef, StatusEmission } from './concepts';
import { ModelContext } from './context';
import { recordHeaderWrite } from './header-writes';
import { recordPropertyWrite } from './property-writes';
import type { Candidate, CandidateKind, FrameworkModule, Registry } from './registry';
import { STATUS_MEMBER_NAMES } from './status';
import { isTestPath } from '../test-code';

/**
 * Modules only test code imports: a file that imports one is a test wherever
 * it lives (hapi's `test/*.js` import `@hapi/lab`), decided from its text so
 * that it reads the same linted alone or with its folder.
 */
const TEST_MODULES = new Set([
  'node:test', 'vitest', '@jest/globals', 'mocha', 'chai', 'ava', 'tap', 'uvu', 'supertest', '@playwright/test', '@hapi/lab', '@hapi/code',
]);
/** How many helper layers a status parameter is followed through (`deny(res, 401)` → `send(res, status)`). */
const HELPER_DEPTH = 3;

/** Every name, upper-cased, through which a registry's recognisers can read a 401 or 403 without the number. */
interface StatusNames {
  names: ReadonlySet<string>;
  longest: number;
}

const statusNamesByRegistry = new WeakMap<Registry, StatusNames>();

function statusNamesOf(registry: Registry): StatusNames {
  let found = statusNamesByRegistry.get(registry);
  if (!found) {
    const names = new Set([...STATUS_MEMBER_NAMES, ...registry.frameworks.flatMap((f) => f.statusNames ?? [])].map((name) => name.toUpperCase()));
    found = { names, longest: Math.max(...[...names].map((name) => name.length)) };
    statusNamesByRegistry.set(registry, found);
  }
  return found;
}

type WithParent = { parent: ts.Node | undefined };

/** What the editor's incremental analysis (server/src/core/incremental.ts) asks of a model build. */
export interface BuildOptions {
  /** Only some parts to walk, when an edit left the others as they were; the model then holds what these contain. Default: all. */
  parts?: WalkedParts;
  /** A part not walked mentions a 401 or 403, so the status recognisers must run. */
  othersNameStatus?: boolean;
  /** Collects the position of every node the walk meets that mentions a 401, 403 or status name. */
  mentions?: number[];
  scopes?: Scopes;
  /** The rest of the project, when the file is analysed as part of one. */
  project?: ProjectView;
  /** Run the status recognisers whatever the file names: it declares helpers whose status is their callers' (the project needs what they send). */
  statusHelpers?: boolean;
  /** The run's project roots (`Settings.projectRoots`): test folders are read beneath them. */
  projectRoots?: readonly string[];
}

export interface WalkedParts {
  /** Top-level statements and members of containers, walked whole. */
  walked: ReadonlySet<ts.Node>;
  /**
   * Top-level statements walked without the members of theirs that are not in
   * `walked`: those are only attached to the statement (a reparse made it anew).
   */
  containers: ReadonlyMap<ts.Node, readonly ts.Node[]>;
}

export interface BuiltModel {
  model: FileModel;
  ctx: ModelContext;
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
const ARROW = ts.SyntaxKind.ArrowFunction;
const FUNCTION_EXPRESSION = ts.SyntaxKind.FunctionExpression;
const FUNCTION_DECLARATION = ts.SyntaxKind.FunctionDeclaration;
const METHOD = ts.SyntaxKind.MethodDeclaration;
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
 *
 * Each loop is a function of its own. V8 optimises a long loop while it runs
 * (on-stack replacement); code after the loop that had not yet run then has
 * no type feedback, and the optimised loop, kept for the next file, gave up
 * at that code on every later file (381 times on the benchmark's corpus).
 */
export function buildModel(sourceFile: ts.SourceFile, filePath: string, registry: Registry, options: BuildOptions = {}): BuiltModel {
  const model: FileModel = {
    sourceFile,
    emissions: [],
    headerWrites: [],
    propertyWrites: [],
    forwards: [],
    errorHandlers: [],
    mounts: [],
    callsByName: new Map(),
    basicSchemeLiterals: [],
    isTestFile: isTestPath(filePath, options.projectRoots) || importsTestModule(sourceFile),
    readsWholeFile: false,
  };
  const ctx = new ModelContext(sourceFile, model, options.scopes, options.project);
  const walk = walkStatements(sourceFile, ctx, statusNamesOf(registry), options);
  ctx.scopes.sealImports();
  recognizeErrorHandlers(walk.functions, registry, ctx);
  // A central error handler sends the statuses it is given, named in this file or not.
  const fileNamesStatus = walk.fileNamesStatus || !!options.statusHelpers || model.errorHandlers.length > 0 || ctx.importsAuthFacts();
  recognizeCandidates(walk.candidates, byKind(fileNamesStatus ? registry.frameworks : NO_MODULES, ctx), byKind(registry.forwarders, ctx), ctx);
  recognizeMounts(walk.candidates, registry, ctx);
  for (const forwarder of registry.forwarders) forwarder.recognizeFile?.(ctx);
  // What runs before a middleware (`router.use(protect)`, `protect`'s own body) may sit in another statement than its statuses.
  if (model.emissions.length > 0 && model.mounts.some((mount, i) => mount.steps.length > 1 || (mount.routerWide && i < model.mounts.length - 1))) model.readsWholeFile = true;
  if (fileNamesStatus) {
    for (const framework of registry.frameworks) framework.recognizeFile?.(ctx);
    resolveHelperCalls(ctx, model.callsByName);
  }
  return { model, ctx, fileNamesStatus };
}

function recognizeErrorHandlers(functions: readonly ts.FunctionLikeDeclaration[], registry: Registry, ctx: ModelContext): void {
  for (const fn of functions) {
    for (const framework of registry.frameworks) {
      const handler = framework.errorHandler?.(fn, ctx);
      if (handler) {
        ctx.model.errorHandlers.push({ ...handler, fn });
        break;
      }
    }
  }
}

interface Walk {
  /** The calls, `new`s and assignments the recognisers are offered. */
  candidates: Candidate[];
  /** Functions of two to four parameters: the shapes of central error handlers. */
  functions: ts.FunctionLikeDeclaration[];
  fileNamesStatus: boolean;
}

/** Walks the top-level statements, or the parts of them asked for. */
function walkStatements(sourceFile: ts.SourceFile, ctx: ModelContext, statusNames: StatusNames, options: BuildOptions): Walk {
  const candidates: Candidate[] = [];
  const functions: ts.FunctionLikeDeclaration[] = [];
  const callsByName = ctx.model.callsByName;
  const mentions = options.mentions;
  let parent: ts.Node | undefined;
  let namesStatus = false;
  /** Members of the container being walked that are only attached. */
  let attachedOnly: ReadonlySet<ts.Node> | undefined;
  const visit = (node: ts.Node): void => {
    // `parse` leaves parent pointers to this walk, which saves the parser a walk of its own.
    (node as WithParent).parent = parent;
    if (attachedOnly?.has(node)) return;
    if (mentions) {
      if (namesAuthStatus(node, statusNames)) mentions.push(node.pos);
    } else if (!namesStatus) namesStatus = namesAuthStatus(node, statusNames);
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
      ctx.model.basicSchemeLiterals.push(node);
    } else if (kind === ARROW || kind === FUNCTION_EXPRESSION || kind === FUNCTION_DECLARATION || kind === METHOD) {
      const parameters = (node as ts.FunctionLikeDeclaration).parameters;
      const count = parameters.length;
      // A handler of two to four parameters, or one that destructures its context (Elysia's `({ error, set }) => …`).
      if ((count >= 2 && count <= 4) || (count === 1 && parameters[0].name.kind === ts.SyntaxKind.ObjectBindingPattern)) functions.push(node as ts.FunctionLikeDeclaration);
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
  (sourceFile as WithParent).parent = undefined;
  const parts = options.parts;
  for (const statement of sourceFile.statements) {
    // A statement reused by an incremental reparse still points at the tree it came from.
    (statement as WithParent).parent = sourceFile;
    parent = sourceFile;
    if (!parts || parts.walked.has(statement)) {
      visit(statement);
      continue;
    }
    const members = parts.containers.get(statement);
    if (!members) continue;
    attachedOnly = new Set(members.filter((member) => !parts.walked.has(member)));
    visit(statement);
    attachedOnly = undefined;
  }
  const fileNamesStatus = (options.othersNameStatus ?? false) || (mentions ? mentions.length > 0 : namesStatus);
  return { candidates, functions, fileNamesStatus };
}

/** Offers each candidate to the framework modules, then to the forwarders; the first of each to claim it wins. */
function recognizeCandidates(
  candidates: readonly Candidate[],
  frameworks: Record<CandidateKind, FrameworkModule[]>,
  forwarders: Record<CandidateKind, FrameworkModule[]>,
  ctx: ModelContext,
): void {
  for (const node of candidates) {
    for (const framework of frameworks[node.kind]) {
      if (framework.recognize(node, ctx)) break;
    }
    for (const forwarder of forwarders[node.kind]) {
      if (forwarder.recognize(node, ctx)) break;
    }
  }
}

/** Routes and middleware mounts, in every file: a middleware of another file may run in them. */
function recognizeMounts(candidates: readonly Candidate[], registry: Registry, ctx: ModelContext): void {
  const mounting = registry.frameworks.filter((module) => module.mount && (module.appliesTo?.(ctx) ?? true));
  if (mounting.length === 0) return;
  for (const node of candidates) {
    if (node.kind !== CALL) continue;
    for (const module of mounting) {
      const mount = module.mount!(node as ts.CallExpression, ctx);
      if (mount) {
        ctx.model.mounts.push(mount);
        break;
      }
    }
  }
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
function namesAuthStatus(node: ts.Node, statusNames: StatusNames): boolean {
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
      return text.length <= statusNames.longest && statusNames.names.has(text.toUpperCase());
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

/** Whether a top-level `import` or `require()` names a module only tests use. */
function importsTestModule(sourceFile: ts.SourceFile): boolean {
  return sourceFile.statements.some((statement) => {
    if (ts.isImportDeclaration(statement)) return ts.isStringLiteral(statement.moduleSpecifier) && TEST_MODULES.has(statement.moduleSpecifier.text);
    if (!ts.isVariableStatement(statement)) return false;
    return statement.declarationList.declarations.some((declaration) => {
      let node = declaration.initializer;
      // `require('@hapi/lab').script()`, `require('chai').expect`
      while (node && (ts.isCallExpression(node) || ts.isPropertyAccessExpression(node)) && !isRequire(node)) node = node.expression;
      return !!node && isRequire(node) && TEST_MODULES.has((node.arguments[0] as ts.StringLiteral).text);
    });
  });
}

function isRequire(node: ts.Node): node is ts.CallExpression {
  return ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require' && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0]);
}
