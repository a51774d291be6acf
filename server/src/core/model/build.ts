import ts from 'typescript';
import { functionName, skipOuterExpressions, stringValue } from '../ast';
import { FORWARDERS, FRAMEWORKS } from '../frameworks';
import type { FileModel, ResponseRef, StatusEmission } from './concepts';
import { ModelContext } from './context';
import { recordHeaderWrite } from './header-writes';
import { recordPropertyWrite } from './property-writes';

const TEST_FILE = /(\.(test|spec)\.[cm]?[jt]sx?$)|(^|[\\/])(__tests__|__mocks__)[\\/]/;
/** How many helper layers a status parameter is followed through (`deny(res, 401)` → `send(res, status)`). */
const HELPER_DEPTH = 3;

type Candidate = ts.CallExpression | ts.NewExpression | ts.BinaryExpression;
type WithParent = { parent: ts.Node | undefined };

/**
 * Builds the file's concept index in one walk: header writes are recorded as
 * they are met; framework recognisers then run over the calls, `new`s and
 * assignments collected (they may need header writes found later in the file,
 * such as a `Headers` object filled after its declaration).
 */
export function buildModel(sourceFile: ts.SourceFile, filePath: string): { model: FileModel; ctx: ModelContext } {
  const model: FileModel = {
    sourceFile,
    emissions: [],
    headerWrites: [],
    propertyWrites: [],
    forwards: [],
    isTestFile: TEST_FILE.test(filePath),
  };
  const ctx = new ModelContext(sourceFile, model);
  const candidates: Candidate[] = [];
  const callsByName = new Map<string, ts.CallExpression[]>();

  let parent: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    // `parse` leaves parent pointers to this walk, which saves the parser a walk of its own.
    (node as WithParent).parent = parent;
    if (ts.isCallExpression(node)) {
      candidates.push(node);
      indexCall(node, callsByName, ctx);
    } else if (ts.isNewExpression(node)) {
      candidates.push(node);
    } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      candidates.push(node);
    } else if (ts.isVariableDeclarationList(node) || ts.isImportDeclaration(node) || ts.isImportEqualsDeclaration(node)) {
      ctx.scopes.noteImports(node);
    }
    parent = node;
    ts.forEachChild(node, visit);
    parent = node.parent;
    // Recorded on the way up: resolving a name inside the node needs its subtree's parents.
    recordHeaderWrite(node, ctx);
    recordPropertyWrite(node, ctx);
  };
  visit(sourceFile);
  ctx.scopes.sealImports();

  for (const node of candidates) {
    for (const framework of FRAMEWORKS) {
      if (framework.recognize(node, ctx)) break;
    }
    for (const forwarder of FORWARDERS) {
      if (forwarder.recognize(node, ctx)) break;
    }
  }
  for (const framework of FRAMEWORKS) framework.recognizeFile?.(ctx);
  resolveHelperCalls(ctx, callsByName);
  return { model, ctx };
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
