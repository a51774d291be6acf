import ts from 'typescript';
import { functionName } from '../ast';
import type { FileModel, StatusEmission } from '../model/concepts';
import { carriesHeader, conditionalWrite } from '../model/coverage';
import { spanOf, type Declarations } from './declarations';
import type { SendFact } from './facts';

const HEADER = 'www-authenticate';

/**
 * Gives each top-level function of the file that sends the status its caller
 * passes (`function sendError(res, status, msg) { res.status(status).json(…) }`)
 * what it sends, for its calls in other files. The model found those sends:
 * they are its emissions whose status is a parameter.
 */
export function addHelperSends(model: FileModel, declarations: Declarations): void {
  const byFunction = new Map<ts.FunctionLikeDeclaration, StatusEmission[]>();
  for (const emission of model.emissions) {
    const fn = emission.statusParameter?.fn;
    if (!fn || emission.viaHelper) continue;
    const list = byFunction.get(fn);
    if (list) list.push(emission);
    else byFunction.set(fn, [emission]);
  }
  for (const [fn, emissions] of byFunction) {
    const name = functionName(fn);
    const fact = name === undefined ? undefined : declarations.declarations[name];
    if (fact?.kind !== 'function' || fact.at.start !== fn.getStart(model.sourceFile)) continue;
    const sends = sendFact(fn, emissions, model);
    if (sends) fact.sends = sends;
  }
}

function sendFact(fn: ts.FunctionLikeDeclaration, emissions: StatusEmission[], model: FileModel): SendFact | undefined {
  const [first] = emissions;
  const statusParam = first.statusParameter!.index;
  if (emissions.some((e) => e.statusParameter!.index !== statusParam)) return undefined;
  const responseParam = responseParameter(fn, first);
  // A response the helper finds elsewhere (a closure's, a module's) is not its caller's.
  if (first.response && responseParam === undefined) return undefined;
  return {
    statusParam,
    responseParam,
    framework: first.framework,
    delivery: first.delivery,
    carriedOnly: first.carriedOnly,
    // A challenge the helper sets under a condition (`if (status === 401)`) is its own choice: it counts.
    challenge: emissions.every((e) => carriesHeader(e, HEADER, model) || !!conditionalWrite(e, HEADER, model)),
    headerSetter: first.headerSetter,
    at: spanOf(first.node, model.sourceFile),
  };
}

function responseParameter(fn: ts.FunctionLikeDeclaration, emission: StatusEmission): number | undefined {
  const declaration = emission.response?.declaration;
  if (!declaration || !ts.isParameter(declaration) || declaration.parent !== fn) return undefined;
  return fn.parameters.indexOf(declaration);
}

/** Parameter names that hold the status a helper sends (`sendError(res, statusCode, message)`, `errorResponse({ status })`). */
const STATUS_PARAMETER = /^(status|statusCode|status_code|code|httpStatus|httpStatusCode|httpCode)$/;

/**
 * Whether the file declares, at its top level, a function taking a status:
 * only then are its sends worth finding for other files when it names no 401 itself.
 */
export function declaresStatusHelper(sourceFile: ts.SourceFile): boolean {
  for (const statement of sourceFile.statements) {
    if (ts.isFunctionDeclaration(statement) && takesStatus(statement)) return true;
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const init = declaration.initializer;
      if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) && takesStatus(init)) return true;
    }
  }
  return false;
}

function takesStatus(fn: ts.FunctionLikeDeclaration): boolean {
  return fn.parameters.some(({ name }) =>
    ts.isIdentifier(name) ? STATUS_PARAMETER.test(name.text) : ts.isObjectBindingPattern(name) && name.elements.some((e) => ts.isIdentifier(e.name) && STATUS_PARAMETER.test(e.name.text)),
  );
}
