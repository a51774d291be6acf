import ts from 'typescript';
import {
  headerTupleNames,
  enclosingStatement,
  indentationAt,
  isStatementList,
  objectPropertyValue,
  propertyNameText,
  quote,
  quoteStyleOf,
  skipOuterExpressions,
  stringValue,
} from '../ast';
import { Scopes } from '../scope';
import type { TextEdit } from '../types';
import type { FunctionFact, Value } from '../project/facts';
import type { Construction } from '../project/index';
import { ValueReader } from '../project/values';
import type { ProjectView } from '../project/view';
import type { FileModel, HeaderBag, HeaderValue, ResponseRef, StatusEmission } from './concepts';
import { propertyValue } from './header-writes';
import { resolveStatus, type StatusResolution } from './status';

/** Methods that return the response they are called on, so a chain still denotes one response. */
const CHAINABLE = new Set([
  'status', 'code', 'set', 'header', 'headers', 'setHeader', 'append', 'type', 'contentType', 'vary', 'cookie',
  'clearCookie', 'location', 'links', 'attachment', 'charset', 'removeHeader', 'setHeaders',
]);

/** Members that lead from a response-like object to the same response. */
const SAME_RESPONSE = new Set(['response', 'res', 'raw', 'headers', 'node', 'set', 'resHeaders']);

const RESPONSE_NAME = /^_*(res|resp|response|reply|rep|ctx|context|c|h|event)$|(Res|Response|Reply|Ctx|Context)$/;
const RESPONSE_TYPE = /\b(Response|ServerResponse|NextApiResponse|FastifyReply|Reply|Context|ParameterizedContext|ResponseToolkit|RouterContext|OutgoingMessage)\b/;
const REQUEST_NAME = /^_*(req|request|rq)$/i;

/** What framework modules see while the file is walked; also builds their quick-fix edits. */
export class ModelContext {
  readonly quoteStyle: "'" | '"';
  readonly imports = new Set<string>();
  private readonly responseRefs = new Map<ts.Expression, ResponseRef | null>();

  private reader: ValueReader | undefined;

  constructor(
    readonly sourceFile: ts.SourceFile,
    readonly model: FileModel,
    readonly scopes: Scopes = new Scopes(),
    /** The rest of the project, when the file is analysed as part of one. */
    readonly project?: ProjectView,
  ) {
    this.quoteStyle = quoteStyleOf(sourceFile);
    for (const statement of sourceFile.statements) {
      if (ts.isImportDeclaration(statement)) {
        const module = stringValue(statement.moduleSpecifier);
        if (module) this.imports.add(module);
      }
    }
  }

  get text(): string {
    return this.sourceFile.text;
  }

  emit(emission: StatusEmission): void {
    this.model.emissions.push(emission);
  }

  /**
   * `new X(…)` as the project index describes it: the class chain and what
   * the instance holds. Undefined outside a project, or when `X` is no class
   * the index knows (nor a built-in error).
   */
  construction(node: ts.NewExpression): Construction | undefined {
    return this.constructionOf(node.expression, node.arguments ?? []);
  }

  /** A class named in this file, built with `args`. */
  constructionOf(classExpression: ts.Expression, args: readonly ts.Expression[]): Construction | undefined {
    if (!this.project) return undefined;
    const classRef = this.values.read(classExpression);
    if (classRef.kind !== 'ref') return undefined;
    return this.project.construct(classRef, args.map((arg) => this.argumentValue(arg, 0)));
  }

  /**
   * The function of another project file a callee names through an import
   * (`sendError`, `utils.sendError`), as the project index describes it.
   */
  importedFunction(callee: ts.Expression): { file: string; fact: FunctionFact } | undefined {
    if (!this.project) return undefined;
    const node = skipOuterExpressions(callee);
    const base = ts.isPropertyAccessExpression(node) ? skipOuterExpressions(node.expression) : node;
    if (!ts.isIdentifier(base) || !this.scopes.importOf(base.text, base)) return undefined;
    const ref = this.values.read(node as ts.Expression);
    return ref.kind === 'ref' ? this.project.functionFact(ref) : undefined;
  }

  /** An argument's value: what the project knows, or the status a well-known constant names (`httpStatus.UNAUTHORIZED`). */
  private argumentValue(arg: ts.Expression, depth: number): Value {
    const node = this.constObject(skipOuterExpressions(arg));
    if (ts.isObjectLiteralExpression(node) && depth === 0) {
      const props: Record<string, Value> = {};
      for (const property of node.properties) {
        if (ts.isPropertyAssignment(property)) {
          const key = propertyNameText(property.name);
          if (key !== undefined) props[key] = this.argumentValue(property.initializer, depth + 1);
        } else if (ts.isShorthandPropertyAssignment(property)) {
          props[property.name.text] = this.argumentValue(property.name, depth + 1);
        }
      }
      return { kind: 'object', props };
    }
    const value = this.project!.evaluate(this.values.read(arg));
    if (value.kind !== 'unknown' && value.kind !== 'ref') return value;
    const resolution = this.status(arg);
    const known = resolution.kind === 'sites' && resolution.sites.length === 1 ? resolution.sites[0].value : undefined;
    return known === undefined ? value : { kind: 'number', value: known };
  }

  /** `err` where `const err = { status: httpStatus.UNAUTHORIZED }`: the object literal it names. */
  private constObject(node: ts.Node): ts.Node {
    if (!ts.isIdentifier(node)) return node;
    const declaration = this.scopes.lookup(node.text, node);
    const initializer = declaration?.kind === 'variable' && declaration.isConst && declaration.initializer && skipOuterExpressions(declaration.initializer);
    return initializer && ts.isObjectLiteralExpression(initializer) ? initializer : node;
  }

  private get values(): ValueReader {
    return (this.reader ??= new ValueReader(this.scopes));
  }

  /** True when the file imports (or requires) a module whose name matches. */
  usesModule(test: (module: string) => boolean): boolean {
    for (const module of this.imports) if (test(module)) return true;
    return false;
  }

  noteRequire(module: string): void {
    this.imports.add(module);
  }

  /** `phrases`: the framework also takes a reason phrase for the status (`'Unauthorized'`). */
  status(expression: ts.Expression, phrases = false): StatusResolution {
    const resolution = resolveStatus(expression, this.scopes, 0, phrases);
    if (!this.project || resolution.kind !== 'sites') return resolution;
    // A constant of another module (`res.status(NOT_AUTHENTICATED)`): what the project says it holds.
    for (const site of resolution.sites) {
      if (site.value !== undefined || !ts.isExpression(site.node)) continue;
      const value = this.project.evaluate(this.values.read(site.node));
      if (value.kind === 'number') site.value = value.value;
    }
    return resolution;
  }

  /** Whether bindings this file imports from the project hold a 401 or 403, or build errors that may: then its statuses must be looked for. */
  importsAuthFacts(): boolean {
    if (!this.project) return false;
    const refs: Value[] = [];
    for (const statement of this.sourceFile.statements) {
      for (const name of importedNames(statement)) {
        const imported = this.scopes.importOf(name, this.sourceFile);
        if (imported) refs.push({ kind: 'ref', module: imported.module, name: imported.imported, path: [] });
      }
    }
    return refs.length > 0 && this.project.carriesAuth(refs);
  }

  quote(value: string): string {
    return quote(value, this.quoteStyle);
  }

  /**
   * The response an expression denotes, following chains of response methods
   * (`res.status(401).set(…)` is `res`), or undefined when it does not look
   * like a server response.
   */
  responseRef(expression: ts.Expression): ResponseRef | undefined {
    // Each framework module asks this of the same receivers in turn; null: none.
    let ref = this.responseRefs.get(expression);
    if (ref === undefined) {
      const base = this.chainBase(expression);
      const found = this.reference(base);
      ref = found && this.looksLikeResponse(base) ? found : null;
      this.responseRefs.set(expression, ref);
    }
    return ref ?? undefined;
  }

  /** A reference to whatever `expression` denotes, response-like or not (a Headers object, a Response variable). */
  reference(expression: ts.Expression): ResponseRef | undefined {
    let node = skipOuterExpressions(this.chainBase(expression));
    // `ctx.response`, `ctx.res`, `reply.raw` and `res.headers` all denote the same response,
    // and so do h3's `event.node.res`, Elysia's `ctx.set` and tRPC's `ctx.resHeaders`.
    while (ts.isPropertyAccessExpression(node) && SAME_RESPONSE.has(node.name.text)) {
      const inner = skipOuterExpressions(node.expression);
      if (!ts.isIdentifier(inner) && !ts.isPropertyAccessExpression(inner)) break;
      node = inner;
    }
    if (ts.isIdentifier(node)) {
      const declaration = this.scopes.lookup(node.text, node);
      return { key: node.text, declaration: declaration && 'node' in declaration ? declaration.node : undefined };
    }
    if (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword) {
      return { key: `this.${node.name.text}`, declaration: undefined };
    }
    if (ts.isCallExpression(node) && isNestResponseCall(node)) return { key: 'nest:response', declaration: undefined };
    return undefined;
  }

  chainBase(expression: ts.Expression): ts.Expression {
    let node = skipOuterExpressions(expression) as ts.Expression;
    while (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      if (!ts.isPropertyAccessExpression(callee) || !CHAINABLE.has(callee.name.text)) break;
      node = skipOuterExpressions(callee.expression) as ts.Expression;
    }
    return node;
  }

  private looksLikeResponse(base: ts.Expression): boolean {
    const node = skipOuterExpressions(base);
    if (ts.isCallExpression(node)) return isNestResponseCall(node);
    const name = ts.isIdentifier(node) ? node.text : ts.isPropertyAccessExpression(node) ? node.name.text : undefined;
    if (!name) return false;
    if (RESPONSE_NAME.test(name)) return true;
    if (!ts.isIdentifier(node)) return false;
    const declaration = this.scopes.lookup(name, node);
    if (declaration?.kind !== 'parameter') return false;
    const type = declaration.node.type;
    if (type && RESPONSE_TYPE.test(type.getText(this.sourceFile))) return true;
    // The parameter after the request in a handler is the response, whatever its name.
    const previous = declaration.fn.parameters[declaration.index - 1];
    return declaration.index === 1 && !!previous && ts.isIdentifier(previous.name) && REQUEST_NAME.test(previous.name.text);
  }

  /** The header names an expression carries, and their values: object literals, `new Headers(…)`, tuples, and constants holding them. */
  headerBag(expression: ts.Expression | undefined, depth = 0): HeaderBag {
    const bag: HeaderBag = { names: new Set(), unknown: false };
    if (!expression) return bag;
    const node = skipOuterExpressions(expression);
    if (depth > 4) return { names: bag.names, unknown: true };
    if (ts.isObjectLiteralExpression(node)) {
      for (const property of node.properties) {
        if (ts.isSpreadAssignment(property)) mergeInto(bag, this.headerBag(property.expression, depth + 1));
        else {
          const name = property.name && propertyNameText(property.name);
          if (name === undefined) bag.unknown = true;
          else addHeader(bag, name, propertyValue(property));
        }
      }
      return bag;
    }
    if (ts.isArrayLiteralExpression(node)) {
      const { names, open } = headerTupleNames(node);
      const tuples: HeaderBag = { names: new Set(names), unknown: open };
      for (const element of node.elements) {
        const pair = skipOuterExpressions(element);
        if (!ts.isArrayLiteralExpression(pair)) continue;
        const name = stringValue(pair.elements[0]);
        if (name !== undefined) addHeader(tuples, name, pair.elements[1]);
      }
      return tuples;
    }
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Headers') {
      return this.headerBag(node.arguments?.[0], depth + 1);
    }
    if (ts.isIdentifier(node)) {
      if (node.text === 'undefined') return bag;
      const declaration = this.scopes.lookup(node.text, node);
      if (declaration?.kind === 'variable' && declaration.initializer) {
        const inner = this.headerBag(declaration.initializer, depth + 1);
        // A headers object built up after its declaration (`headers.set(…)`) carries those names too.
        for (const write of this.model.headerWrites) {
          if (write.op === 'set' && write.target.declaration === declaration.node) addHeader(inner, write.name, write.value);
        }
        return inner;
      }
    }
    if (node.kind === ts.SyntaxKind.NullKeyword) return bag;
    return { names: bag.names, unknown: true };
  }

  // ---- edits for quick fixes ------------------------------------------------

  /** Inserts a statement before the one holding `node`, or undefined where that would change meaning. */
  insertStatementBefore(node: ts.Node, statementText: string): TextEdit[] | undefined {
    const statement = enclosingStatement(node);
    if (!statement || !isStatementList(statement.parent)) return undefined;
    const start = statement.getStart(this.sourceFile);
    const indent = indentationAt(this.sourceFile, start);
    return [{ start, end: start, text: `${statementText}\n${indent}` }];
  }

  /** Adds `key: value` to an object literal, on its own line when the literal spans lines. */
  addProperty(object: ts.ObjectLiteralExpression, key: string, value: string): TextEdit[] {
    return this.addEntry(object, `${this.propertyKey(key)}: ${value}`);
  }

  /** Adds an entry (a property, a spread) to an object literal, on its own line when the literal spans lines. */
  addEntry(object: ts.ObjectLiteralExpression, entry: string): TextEdit[] {
    return this.appendToList(object, object.properties, entry);
  }

  /** Adds an element to an array literal, on its own line when the literal spans lines. */
  addElement(array: ts.ArrayLiteralExpression, element: string): TextEdit[] {
    return this.appendToList(array, array.elements, element);
  }

  private appendToList(list: ts.Node, items: ts.NodeArray<ts.Node>, entry: string): TextEdit[] {
    const text = this.text;
    const open = list.getStart(this.sourceFile);
    if (items.length === 0) {
      const close = list.getEnd() - 1;
      return [{ start: open + 1, end: close, text: text[open] === '{' ? ` ${entry} ` : entry }];
    }
    const last = items[items.length - 1];
    const multiline = text.slice(open, list.getEnd()).includes('\n');
    const afterLast = last.getEnd();
    const hasTrailingComma = items.hasTrailingComma;
    const insertAt = hasTrailingComma ? text.indexOf(',', afterLast) + 1 : afterLast;
    if (multiline) {
      const indent = indentationAt(this.sourceFile, last.getStart(this.sourceFile));
      return [{ start: insertAt, end: insertAt, text: `${hasTrailingComma ? '' : ','}\n${indent}${entry}${hasTrailingComma ? ',' : ''}` }];
    }
    return [{ start: insertAt, end: insertAt, text: `${hasTrailingComma ? '' : ','} ${entry}` }];
  }

  /** Appends an argument to a call after its last one. */
  appendArgument(call: ts.CallExpression | ts.NewExpression, argumentText: string): TextEdit[] {
    const args = call.arguments ?? ts.factory.createNodeArray();
    if (args.length === 0) {
      const close = call.getEnd() - 1;
      return [{ start: close, end: close, text: argumentText }];
    }
    const last = args[args.length - 1];
    return [{ start: last.getEnd(), end: last.getEnd(), text: `, ${argumentText}` }];
  }

  /** `{ 'WWW-Authenticate': 'Bearer realm="api"' }` */
  headerObject(name: string, value: string): string {
    return `{ ${this.propertyKey(name)}: ${this.quote(value)} }`;
  }

  /** Makes an object literal (or an object-literal `headers` entry inside it) carry a header. */
  addHeaderToInit(init: ts.ObjectLiteralExpression, name: string, value: string): TextEdit[] | undefined {
    const headers = objectPropertyValue(init, 'headers');
    if (!headers) return this.addProperty(init, 'headers', this.headerObject(name, value));
    const literal = headerLiteral(skipOuterExpressions(headers));
    return literal ? this.addProperty(literal, name, this.quote(value)) : undefined;
  }

  private propertyKey(key: string): string {
    return /^[A-Za-z_$][\w$]*$/.test(key) ? key : this.quote(key);
  }
}

/** The object literal a headers expression writes into: `{…}` or `new Headers({…})`. */
function headerLiteral(node: ts.Node): ts.ObjectLiteralExpression | undefined {
  if (ts.isObjectLiteralExpression(node)) return node;
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Headers') {
    const arg = node.arguments?.[0] && skipOuterExpressions(node.arguments[0]);
    return arg && ts.isObjectLiteralExpression(arg) ? arg : undefined;
  }
  return undefined;
}

function mergeInto(target: HeaderBag, source: HeaderBag): void {
  for (const name of source.names) target.names.add(name);
  if (source.unknown) target.unknown = true;
  for (const [name, values] of source.values ?? []) for (const value of values) addValue(target, name, value);
}

/** Records that a bag carries `name`, set to `value` where the code shows it. */
function addHeader(bag: HeaderBag, name: string, value: ts.Expression | undefined): void {
  const lower = name.toLowerCase();
  bag.names.add(lower);
  if (value) addValue(bag, lower, { kind: 'expression', expression: value });
}

export function addValue(bag: HeaderBag, name: string, value: HeaderValue): void {
  bag.values ??= new Map();
  const values = bag.values.get(name);
  if (values) values.push(value);
  else bag.values.set(name, [value]);
}

/** NestJS: `context.switchToHttp().getResponse()` */
function isNestResponseCall(node: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(node.expression);
  return ts.isPropertyAccessExpression(callee) && callee.name.text === 'getResponse';
}

/** The names a top-level import or `require` statement binds. */
function importedNames(statement: ts.Statement): string[] {
  if (ts.isImportDeclaration(statement)) {
    const clause = statement.importClause;
    if (!clause) return [];
    const names = clause.name ? [clause.name.text] : [];
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) names.push(bindings.name.text);
    else if (bindings) names.push(...bindings.elements.map((element) => element.name.text));
    return names;
  }
  if (!ts.isVariableStatement(statement)) return [];
  return statement.declarationList.declarations.flatMap((declaration) => {
    if (ts.isIdentifier(declaration.name)) return [declaration.name.text];
    if (ts.isObjectBindingPattern(declaration.name)) return declaration.name.elements.flatMap((e) => (ts.isIdentifier(e.name) ? [e.name.text] : []));
    return [];
  });
}
