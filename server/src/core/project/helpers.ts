import ts from 'typescript';
import { functionName, isFunctionLike, propertyNameText, skipOuterExpressions } from '../ast';
import type { FileModel, HeaderWrite, StatusEmission } from '../model/concepts';
import { carriesHeader, conditionalWrite } from '../model/coverage';
import { spanOf, type Declarations } from './declarations';
import type { ResponderFact, SendFact } from './facts';

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
 * Whether the file declares, at its top level, a function taking a status or
 * a class holding one: only then are its sends worth finding for other files
 * when it names no 401 itself.
 */
export function declaresStatusHelper(sourceFile: ts.SourceFile): boolean {
  for (const statement of sourceFile.statements) {
    if (ts.isFunctionDeclaration(statement) && takesStatus(statement)) return true;
    if (ts.isClassDeclaration(statement) && holdsStatus(statement)) return true;
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const init = declaration.initializer;
      if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) && takesStatus(init)) return true;
    }
  }
  return false;
}

function holdsStatus(node: ts.ClassDeclaration): boolean {
  return node.members.some((member) =>
    ts.isConstructorDeclaration(member) ? takesStatus(member) : ts.isPropertyDeclaration(member) && ts.isIdentifier(member.name) && STATUS_PARAMETER.test(member.name.text),
  );
}

function takesStatus(fn: ts.FunctionLikeDeclaration): boolean {
  return fn.parameters.some(({ name }) =>
    ts.isIdentifier(name) ? STATUS_PARAMETER.test(name.text) : ts.isObjectBindingPattern(name) && name.elements.some((e) => ts.isIdentifier(e.name) && STATUS_PARAMETER.test(e.name.text)),
  );
}

/**
 * Gives each top-level class of the file the methods that turn an instance
 * into a response with its own status (`toResponse() { return
 * Response.json(body, { status: this.statusCode }) }`), for the code that
 * builds the error elsewhere and calls them.
 */
export function addResponders(model: FileModel, declarations: Declarations): void {
  const byMethod = new Map<ts.MethodDeclaration, StatusEmission[]>();
  for (const emission of model.emissions) {
    if (emission.statusParameter || emission.viaHelper || emission.delivery !== 'response') continue;
    const method = enclosingMethod(emission.node);
    if (!method) continue;
    const list = byMethod.get(method);
    if (list) list.push(emission);
    else byMethod.set(method, [emission]);
  }
  for (const [method, emissions] of byMethod) {
    const owner = method.parent;
    const name = ts.isClassDeclaration(owner) ? owner.name?.text : ts.isClassExpression(owner) && ts.isVariableDeclaration(owner.parent) && ts.isIdentifier(owner.parent.name) ? owner.parent.name.text : undefined;
    const fact = name === undefined ? undefined : declarations.declarations[name];
    const methodName = propertyNameText(method.name);
    if (fact?.kind !== 'class' || fact.at.start !== owner.getStart(model.sourceFile) || methodName === undefined) continue;
    const responder = responderFact(methodName, method, emissions, model);
    if (responder) (fact.responders ??= []).push(responder);
  }
}

function enclosingMethod(node: ts.Node): ts.MethodDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isMethodDeclaration(current)) return ts.isClassLike(current.parent) && !hasStatic(current) ? current : undefined;
    if (ts.isFunctionDeclaration(current) || ts.isFunctionExpression(current) || ts.isClassLike(current)) return undefined;
  }
  return undefined;
}

function hasStatic(method: ts.MethodDeclaration): boolean {
  return !!ts.getModifiers(method)?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword);
}

function responderFact(name: string, method: ts.MethodDeclaration, emissions: StatusEmission[], model: FileModel): ResponderFact | undefined {
  const properties = new Set(emissions.flatMap((e) => e.sites.map((site) => thisProperty(site.node, method))));
  if (properties.size !== 1) return undefined;
  const [statusProperty] = properties;
  if (statusProperty === undefined) return undefined;
  return {
    name,
    statusProperty,
    challenge: emissions.every((e) => carriesHeader(e, HEADER, model) || !!conditionalWrite(e, HEADER, model)),
    // The last response it builds: the one that answers when no earlier branch did.
    at: spanOf(emissions[emissions.length - 1].node, model.sourceFile),
  };
}

/** The instance property a status expression of a method reads: `this.statusCode`, or `statusCode` from `const { statusCode } = this`. */
function thisProperty(node: ts.Node, method: ts.MethodDeclaration): string | undefined {
  const expression = skipOuterExpressions(node);
  if (ts.isPropertyAccessExpression(expression)) return expression.expression.kind === ts.SyntaxKind.ThisKeyword ? expression.name.text : undefined;
  if (!ts.isIdentifier(expression) || !method.body) return undefined;
  for (const statement of method.body.statements) {
    if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const init = declaration.initializer && skipOuterExpressions(declaration.initializer);
      if (!init) continue;
      if (ts.isIdentifier(declaration.name) && declaration.name.text === expression.text) return thisProperty(init, method);
      if (!ts.isObjectBindingPattern(declaration.name) || init.kind !== ts.SyntaxKind.ThisKeyword) continue;
      for (const element of declaration.name.elements) {
        if (ts.isIdentifier(element.name) && element.name.text === expression.text && !element.dotDotDotToken) {
          return element.propertyName ? propertyNameText(element.propertyName) : element.name.text;
        }
      }
    }
  }
  return undefined;
}

/**
 * Gives each top-level function of the file that sets WWW-Authenticate on the
 * response its caller passes (`function appendChallenge(ctx, scheme) { ctx.append('WWW-Authenticate', …) }`)
 * that parameter, for the middlewares of other files that call it.
 */
export function addChallengeSetters(model: FileModel, declarations: Declarations): void {
  for (const write of model.headerWrites) {
    if (write.name !== HEADER || write.op !== 'set') continue;
    const param = challengedParameter(write);
    if (!param) continue;
    const fact = declarations.declarations[param.name];
    if (fact?.kind === 'function' && fact.at.start === param.fn.getStart(model.sourceFile)) fact.setsChallenge = param.index;
  }
}

/** The function and index of the parameter a header write targets, with the top-level name the function is declared as. */
export function challengedParameter(write: HeaderWrite): { fn: ts.FunctionLikeDeclaration; index: number; name: string } | undefined {
  const declaration = write.target.declaration;
  if (!declaration || !ts.isParameter(declaration)) return undefined;
  const fn = declaration.parent;
  if (!isFunctionLike(fn)) return undefined;
  const name = functionName(fn);
  return name === undefined ? undefined : { fn, index: fn.parameters.indexOf(declaration), name };
}
