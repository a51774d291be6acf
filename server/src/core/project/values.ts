import ts from 'typescript';
import { isAncestorOf, isFunctionLike, propertyNameText, skipOuterExpressions, stringValue } from '../ast';
import type { Scopes } from '../scope';
import { UNKNOWN, type ComputedEntry, type Value } from './facts';

/** How far a value is followed through names, calls and members. */
const MAX_DEPTH = 8;
/** Objects larger than this are not kept as tables: a fact stays small. */
const MAX_PROPS = 200;
/** Bindings no declaration in the file binds (`Error`, `Response`). */
export const GLOBAL_MODULE = '#global';
/** The module of a Fastify decoration's ref (`fastify.authenticate`): no file, the instance every plugin of the package shares. */
export const DECORATION_MODULE = '#decoration';

/**
 * Reads an expression into a symbolic Value: literals, the enclosing
 * function's parameters (destructured ones too), constants, enums, object
 * tables, imports, `split(…)[i]`, and keys mapped through a local `switch`,
 * `if` chain or table. What cannot be read this way is `unknown`.
 */
export class ValueReader {
  constructor(private readonly scopes: Scopes) {}

  /**
   * The value of `expression`: inside `fn`, its parameters stand for what the
   * caller passes; `self` holds what `this.x` is known to be.
   */
  read(expression: ts.Expression | undefined, fn?: ts.FunctionLikeDeclaration, self?: Record<string, Value>, depth = 0): Value {
    if (!expression || depth > MAX_DEPTH) return UNKNOWN;
    let node = skipOuterExpressions(expression) as ts.Expression;
    while (ts.isAwaitExpression(node)) node = skipOuterExpressions(node.expression) as ts.Expression;
    if (ts.isNumericLiteral(node)) return { kind: 'number', value: Number(node.text) };
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return { kind: 'string', value: node.text };
    if (ts.isIdentifier(node)) return this.identifier(node, fn, self, depth);
    if (ts.isPropertyAccessExpression(node)) {
      if (node.expression.kind === ts.SyntaxKind.ThisKeyword) return self?.[node.name.text] ?? UNKNOWN;
      return member(this.read(node.expression, fn, self, depth + 1), node.name.text);
    }
    if (ts.isElementAccessExpression(node)) return this.elementAccess(node, fn, self, depth);
    if (ts.isObjectLiteralExpression(node)) return this.object(node, fn, self, depth);
    if (ts.isCallExpression(node)) return this.call(node, fn, self, depth);
    if (ts.isBinaryExpression(node)) {
      // `status || 500`, `options.status ?? 500`: what the caller passes decides.
      const op = node.operatorToken.kind;
      if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) {
        const left = this.read(node.left, fn, self, depth + 1);
        return left.kind === 'param' || left.kind === 'ref' ? left : UNKNOWN;
      }
    }
    return UNKNOWN;
  }

  private identifier(node: ts.Identifier, fn: ts.FunctionLikeDeclaration | undefined, self: Record<string, Value> | undefined, depth: number): Value {
    if (node.text === 'undefined') return UNKNOWN;
    if (fn) {
      const param = parameterBinding(node.text, fn);
      if (param) return param;
      const local = localBinding(node.text, fn);
      if (local) return this.bound(local, fn, self, depth);
    }
    const declaration = this.scopes.lookup(node.text, node);
    if (!declaration) return { kind: 'ref', module: GLOBAL_MODULE, name: node.text, path: [] };
    switch (declaration.kind) {
      case 'import':
        return { kind: 'ref', module: declaration.module, name: declaration.imported, path: [] };
      case 'enum':
        return enumValue(declaration.node);
      case 'function':
      case 'class':
        return isTopLevel(declaration.node) ? { kind: 'ref', module: '', name: node.text, path: [] } : UNKNOWN;
      case 'variable': {
        if (!declaration.isConst || !declaration.initializer) return UNKNOWN;
        const initializer = declaration.initializer;
        // A top-level function or class held in a const is a binding of the module, read through its facts.
        if (isTopLevel(declaration.node) && (isFunctionLike(initializer) || ts.isClassExpression(initializer))) {
          return { kind: 'ref', module: '', name: node.text, path: [] };
        }
        const env = fn && isAncestorOf(fn, declaration.node) ? fn : undefined;
        const value = this.read(initializer, env, env ? self : undefined, depth + 1);
        // `const router = express.Router()`, `const protect = asyncHandler(…)`: a binding of the module all the same, which a mount may name.
        return value.kind === 'unknown' && isTopLevel(declaration.node) ? { kind: 'ref', module: '', name: node.text, path: [] } : value;
      }
      case 'parameter':
        return UNKNOWN;
    }
  }

  /** A name bound by a destructuring or a declaration in the function's own body. */
  private bound(binding: LocalBinding, fn: ts.FunctionLikeDeclaration, self: Record<string, Value> | undefined, depth: number): Value {
    let value = this.read(binding.initializer, fn, self, depth + 1);
    for (const step of binding.path) value = typeof step === 'number' ? element(value, step) : member(value, step);
    return value;
  }

  private elementAccess(node: ts.ElementAccessExpression, fn: ts.FunctionLikeDeclaration | undefined, self: Record<string, Value> | undefined, depth: number): Value {
    const key = skipOuterExpressions(node.argumentExpression);
    const base = node.expression.kind === ts.SyntaxKind.ThisKeyword ? undefined : this.read(node.expression, fn, self, depth + 1);
    if (ts.isNumericLiteral(key)) return base ? element(base, Number(key.text)) : UNKNOWN;
    const name = stringValue(key);
    if (name !== undefined) return base ? member(base, name) : self?.[name] ?? UNKNOWN;
    // `STATUS_BY_TYPE[type]`: a table looked up with a key known only to the caller.
    if (base?.kind !== 'object') return UNKNOWN;
    return withComputed({ kind: 'lookup', of: this.read(key as ts.Expression, fn, self, depth + 1), table: base.props, fallback: UNKNOWN }, base.computed);
  }

  private object(node: ts.ObjectLiteralExpression, fn: ts.FunctionLikeDeclaration | undefined, self: Record<string, Value> | undefined, depth: number): Value {
    const props: Record<string, Value> = {};
    const computed: ComputedEntry[] = [];
    let count = 0;
    for (const property of node.properties) {
      if (++count > MAX_PROPS) return UNKNOWN;
      if (ts.isPropertyAssignment(property)) {
        const name = propertyNameText(property.name);
        if (name !== undefined) props[name] = this.read(property.initializer, fn, self, depth + 1);
        // `[ErrorCode.UNAUTHORIZED]: 401`: a key another declaration (often another module) holds.
        else if (ts.isComputedPropertyName(property.name)) {
          const key = this.read(property.name.expression, fn, self, depth + 1);
          if (key.kind !== 'unknown') computed.push({ key, value: this.read(property.initializer, fn, self, depth + 1) });
        }
      } else if (ts.isShorthandPropertyAssignment(property)) {
        props[property.name.text] = this.read(property.name, fn, self, depth + 1);
      } else if (ts.isSpreadAssignment(property)) {
        const spread = this.read(property.expression, fn, self, depth + 1);
        if (spread.kind === 'object') {
          Object.assign(props, spread.props);
          if (spread.computed) computed.push(...spread.computed);
        }
      }
    }
    return withComputed({ kind: 'object', props }, computed);
  }

  private call(node: ts.CallExpression, fn: ts.FunctionLikeDeclaration | undefined, self: Record<string, Value> | undefined, depth: number): Value {
    const callee = skipOuterExpressions(node.expression);
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'split') {
      const separator = stringValue(node.arguments[0]);
      if (separator === undefined) return UNKNOWN;
      return { kind: 'split', of: this.read(callee.expression, fn, self, depth + 1), separator, element: -1 };
    }
    if (!ts.isIdentifier(callee)) return UNKNOWN;
    const mapping = this.mappingOf(callee, depth);
    if (!mapping) return UNKNOWN;
    return withComputed({ kind: 'lookup', of: this.read(node.arguments[mapping.index], fn, self, depth + 1), table: mapping.table, fallback: mapping.fallback }, mapping.computed);
  }

  /**
   * A local function that maps one of its parameters to a value:
   * `switch (type) { case 'unauthorized': return 401; … default: return 500 }`,
   * `if (type === 'forbidden') return 403; …`, or `return TABLE[type] ?? 500`.
   */
  private mappingOf(callee: ts.Identifier, depth: number): Mapping | undefined {
    const declaration = this.scopes.lookup(callee.text, callee);
    const fn = declaration?.kind === 'function' ? declaration.node : declaration?.kind === 'variable' ? declaration.initializer : undefined;
    return fn && isFunctionLike(fn) ? this.mappingOfFunction(fn, depth) : undefined;
  }

  /** What a function returns when it maps one of its parameters to a value: the lookup, in terms of that parameter. */
  returnedMapping(fn: ts.FunctionLikeDeclaration): Value | undefined {
    const mapping = this.mappingOfFunction(fn, 0);
    return mapping && withComputed({ kind: 'lookup', of: { kind: 'param', index: mapping.index, path: [] }, table: mapping.table, fallback: mapping.fallback }, mapping.computed);
  }

  private mappingOfFunction(fn: ts.FunctionLikeDeclaration, depth: number): Mapping | undefined {
    if (!fn.body) return undefined;
    if (!ts.isBlock(fn.body)) return this.tableReturn(fn.body as ts.Expression, fn, depth);
    const statements = fn.body.statements;
    const [first] = statements;
    if (statements.length === 1 && first && ts.isSwitchStatement(first)) return this.switchMapping(first, fn, depth);
    if (statements.length === 1 && first && ts.isReturnStatement(first) && first.expression) return this.tableReturn(first.expression, fn, depth);
    return this.guardedTableReturn(statements, fn, depth) ?? this.ifChainMapping(statements, fn, depth);
  }

  /** `if (code in TABLE) return TABLE[code]; return 500;` (also `if (TABLE[code])`, `if (TABLE.hasOwnProperty(code))`). */
  private guardedTableReturn(statements: readonly ts.Statement[], fn: ts.FunctionLikeDeclaration, depth: number): Mapping | undefined {
    const [guard, last] = statements;
    if (statements.length !== 2 || !ts.isIfStatement(guard) || guard.elseStatement || !ts.isReturnStatement(last)) return undefined;
    const body = ts.isBlock(guard.thenStatement) ? guard.thenStatement.statements : [guard.thenStatement];
    const [returned] = body;
    if (body.length !== 1 || !ts.isReturnStatement(returned) || !returned.expression) return undefined;
    const mapping = this.tableReturn(returned.expression, fn, depth);
    if (!mapping || !testsTable(guard.expression, skipOuterExpressions(returned.expression) as ts.ElementAccessExpression)) return undefined;
    return { ...mapping, fallback: this.read(last.expression, undefined, undefined, depth + 1) };
  }

  private switchMapping(statement: ts.SwitchStatement, fn: ts.FunctionLikeDeclaration, depth: number) {
    const index = parameterIndex(statement.expression, fn);
    if (index === undefined) return undefined;
    const table: Record<string, Value> = {};
    let fallback: Value = UNKNOWN;
    let pending: string[] = [];
    for (const clause of statement.caseBlock.clauses) {
      if (ts.isCaseClause(clause)) {
        const key = literalKey(clause.expression);
        if (key === undefined) return undefined;
        pending.push(key);
      }
      const returned = clause.statements.find(ts.isReturnStatement);
      if (!returned) continue;
      const value = this.read(returned.expression, undefined, undefined, depth + 1);
      for (const key of pending) table[key] = value;
      if (ts.isDefaultClause(clause)) fallback = value;
      pending = [];
    }
    return { index, table, fallback };
  }

  private ifChainMapping(statements: readonly ts.Statement[], fn: ts.FunctionLikeDeclaration, depth: number) {
    const table: Record<string, Value> = {};
    let index: number | undefined;
    for (const statement of statements) {
      if (ts.isReturnStatement(statement)) {
        return index === undefined ? undefined : { index, table, fallback: this.read(statement.expression, undefined, undefined, depth + 1) };
      }
      if (!ts.isIfStatement(statement) || statement.elseStatement) return undefined;
      const test = skipOuterExpressions(statement.expression);
      if (!ts.isBinaryExpression(test) || (test.operatorToken.kind !== ts.SyntaxKind.EqualsEqualsEqualsToken && test.operatorToken.kind !== ts.SyntaxKind.EqualsEqualsToken)) return undefined;
      const tested = parameterIndex(test.left, fn);
      const key = literalKey(test.right);
      if (tested === undefined || key === undefined || (index !== undefined && tested !== index)) return undefined;
      index = tested;
      const body = ts.isBlock(statement.thenStatement) ? statement.thenStatement.statements[0] : statement.thenStatement;
      if (!body || !ts.isReturnStatement(body)) return undefined;
      table[key] = this.read(body.expression, undefined, undefined, depth + 1);
    }
    return undefined;
  }

  private tableReturn(expression: ts.Expression, fn: ts.FunctionLikeDeclaration, depth: number) {
    let node = skipOuterExpressions(expression) as ts.Expression;
    let fallback: Value = UNKNOWN;
    if (ts.isBinaryExpression(node) && (node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || node.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
      fallback = this.read(node.right, undefined, undefined, depth + 1);
      node = skipOuterExpressions(node.left) as ts.Expression;
    }
    if (!ts.isElementAccessExpression(node)) return undefined;
    const index = parameterIndex(node.argumentExpression, fn);
    const table = this.read(node.expression, undefined, undefined, depth + 1);
    if (index === undefined || table.kind !== 'object') return undefined;
    return { index, table: table.props, fallback, computed: table.computed };
  }
}

interface Mapping {
  index: number;
  table: Record<string, Value>;
  fallback: Value;
  computed?: ComputedEntry[];
}

function withComputed<T extends Extract<Value, { kind: 'object' | 'lookup' }>>(value: T, computed: ComputedEntry[] | undefined): T {
  return computed && computed.length > 0 ? { ...value, computed } : value;
}

/** Whether a guard tests that the key an element access reads is in its table: `key in TABLE`, `TABLE[key]`, `TABLE.hasOwnProperty(key)`. */
function testsTable(condition: ts.Expression, access: ts.ElementAccessExpression): boolean {
  const test = skipOuterExpressions(condition);
  const same = (a: ts.Node, b: ts.Node) => ts.isIdentifier(skipOuterExpressions(a)) && ts.isIdentifier(skipOuterExpressions(b)) && (skipOuterExpressions(a) as ts.Identifier).text === (skipOuterExpressions(b) as ts.Identifier).text;
  if (ts.isBinaryExpression(test) && test.operatorToken.kind === ts.SyntaxKind.InKeyword) return same(test.left, access.argumentExpression) && same(test.right, access.expression);
  if (ts.isElementAccessExpression(test)) return same(test.argumentExpression, access.argumentExpression) && same(test.expression, access.expression);
  if (ts.isCallExpression(test) && ts.isPropertyAccessExpression(test.expression) && test.expression.name.text === 'hasOwnProperty' && test.arguments.length === 1) {
    return same(test.expression.expression, access.expression) && same(test.arguments[0], access.argumentExpression);
  }
  return false;
}

/** A member of a value: a table's entry, or a path further into a parameter or binding. */
export function member(value: Value, name: string): Value {
  switch (value.kind) {
    case 'object':
      return value.props[name] ?? UNKNOWN;
    case 'param':
      return { ...value, path: [...value.path, name] };
    case 'ref':
      return { ...value, path: [...value.path, name] };
    default:
      return UNKNOWN;
  }
}

function element(value: Value, index: number): Value {
  if (value.kind === 'split' && value.element === -1) return { ...value, element: index };
  return UNKNOWN;
}

interface LocalBinding {
  initializer: ts.Expression;
  /** Property names and array indexes from the initializer to the name. */
  path: (string | number)[];
}

/** `name` as a parameter of `fn`, or a property destructured from one (`({ status }) => …`). */
function parameterBinding(name: string, fn: ts.FunctionLikeDeclaration): Value | undefined {
  for (let index = 0; index < fn.parameters.length; index++) {
    const path = bindingPath(fn.parameters[index].name, name);
    if (path && path.every((step) => typeof step === 'string')) return { kind: 'param', index, path: path as string[] };
  }
  return undefined;
}

/** A `const` of the function's own body binding `name`, directly or by destructuring. */
function localBinding(name: string, fn: ts.FunctionLikeDeclaration): LocalBinding | undefined {
  const body = fn.body;
  if (!body || !ts.isBlock(body)) return undefined;
  for (const statement of body.statements) {
    if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!declaration.initializer || ts.isIdentifier(declaration.name)) continue;
      const path = bindingPath(declaration.name, name);
      if (path) return { initializer: declaration.initializer, path };
    }
  }
  return undefined;
}

/** The steps from a binding pattern's top to `name`: `{ a: { b } }` → ['a', 'b'], `[x, y]` → [1]. */
function bindingPath(pattern: ts.BindingName, name: string): (string | number)[] | undefined {
  if (ts.isIdentifier(pattern)) return pattern.text === name ? [] : undefined;
  const elements = pattern.elements;
  for (let i = 0; i < elements.length; i++) {
    const element = elements[i];
    if (ts.isOmittedExpression(element) || element.dotDotDotToken) continue;
    const inner = bindingPath(element.name, name);
    if (!inner) continue;
    if (ts.isArrayBindingPattern(pattern)) return [i, ...inner];
    const key = element.propertyName ? propertyNameText(element.propertyName) : ts.isIdentifier(element.name) ? element.name.text : undefined;
    return key === undefined ? undefined : [key, ...inner];
  }
  return undefined;
}

function parameterIndex(expression: ts.Expression, fn: ts.FunctionLikeDeclaration): number | undefined {
  const node = skipOuterExpressions(expression);
  if (!ts.isIdentifier(node)) return undefined;
  const index = fn.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === node.text);
  return index >= 0 ? index : undefined;
}

function literalKey(expression: ts.Expression): string | undefined {
  const node = skipOuterExpressions(expression);
  if (ts.isNumericLiteral(node)) return String(Number(node.text));
  return stringValue(node);
}

function enumValue(declaration: ts.EnumDeclaration): Value {
  const props: Record<string, Value> = {};
  let next = 0;
  for (const enumMember of declaration.members) {
    const name = propertyNameText(enumMember.name);
    const init = enumMember.initializer && skipOuterExpressions(enumMember.initializer);
    let value: Value = UNKNOWN;
    if (!init) value = { kind: 'number', value: next++ };
    else if (ts.isNumericLiteral(init)) {
      next = Number(init.text) + 1;
      value = { kind: 'number', value: Number(init.text) };
    } else if (ts.isStringLiteral(init)) value = { kind: 'string', value: init.text };
    if (name !== undefined) props[name] = value;
  }
  return { kind: 'object', props };
}

function isTopLevel(node: ts.Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isSourceFile(current)) return true;
    if (isFunctionLike(current) || ts.isBlock(current) || ts.isClassLike(current)) return false;
  }
  return false;
}
