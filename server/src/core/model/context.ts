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
import type { FileModel, HeaderBag, ResponseRef, StatusEmission } from './concepts';
import { resolveStatus, type StatusResolution } from './status';

/** Methods that return the response they are called on, so a chain still denotes one response. */
const CHAINABLE = new Set([
  'status', 'code', 'set', 'header', 'headers', 'setHeader', 'append', 'type', 'contentType', 'vary', 'cookie',
  'clearCookie', 'location', 'links', 'attachment', 'charset', 'removeHeader', 'setHeaders',
]);

const RESPONSE_NAME = /^_*(res|resp|response|reply|rep|ctx|context|c|h|event)$|(Res|Response|Reply|Ctx|Context)$/;
const RESPONSE_TYPE = /\b(Response|ServerResponse|NextApiResponse|FastifyReply|Reply|Context|ParameterizedContext|ResponseToolkit|RouterContext|OutgoingMessage)\b/;
const REQUEST_NAME = /^_*(req|request|rq)$/i;

/** What framework modules see while the file is walked; also builds their quick-fix edits. */
export class ModelContext {
  readonly quoteStyle: "'" | '"';
  readonly imports = new Set<string>();
  private readonly responseRefs = new Map<ts.Expression, ResponseRef | null>();

  constructor(
    readonly sourceFile: ts.SourceFile,
    readonly model: FileModel,
    readonly scopes: Scopes = new Scopes(),
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

  /** True when the file imports (or requires) a module whose name matches. */
  usesModule(test: (module: string) => boolean): boolean {
    for (const module of this.imports) if (test(module)) return true;
    return false;
  }

  noteRequire(module: string): void {
    this.imports.add(module);
  }

  status(expression: ts.Expression): StatusResolution {
    return resolveStatus(expression, this.scopes);
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
    // `ctx.response`, `ctx.res`, `reply.raw`, `res.headers` and tRPC's `ctx.resHeaders` all denote the same response.
    while (ts.isPropertyAccessExpression(node) && ['response', 'res', 'raw', 'headers', 'resHeaders'].includes(node.name.text)) {
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

  /** The header names an expression carries: object literals, `new Headers(…)`, tuples, and constants holding them. */
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
          else bag.names.add(name.toLowerCase());
        }
      }
      return bag;
    }
    if (ts.isArrayLiteralExpression(node)) {
      const { names, open } = headerTupleNames(node);
      return { names: new Set(names), unknown: open };
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
          if (write.op === 'set' && write.target.declaration === declaration.node) inner.names.add(write.name);
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
}

/** NestJS: `context.switchToHttp().getResponse()` */
function isNestResponseCall(node: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(node.expression);
  return ts.isPropertyAccessExpression(callee) && callee.name.text === 'getResponse';
}
