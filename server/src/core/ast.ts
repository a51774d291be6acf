import ts from 'typescript';

/** The text of a string literal or substitution-free template, else undefined. */
export function stringValue(node: ts.Node | undefined): string | undefined {
  if (!node) return undefined;
  node = skipOuterExpressions(node);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  return undefined;
}

/** Wrappers that do not change an expression's value: parentheses, `as`, `satisfies`, `!`, `<T>x`; a table by kind. */
const IS_OUTER_EXPRESSION = new Uint8Array(ts.SyntaxKind.Count);
for (const kind of [
  ts.SyntaxKind.ParenthesizedExpression,
  ts.SyntaxKind.AsExpression,
  ts.SyntaxKind.SatisfiesExpression,
  ts.SyntaxKind.NonNullExpression,
  ts.SyntaxKind.TypeAssertionExpression,
]) {
  IS_OUTER_EXPRESSION[kind] = 1;
}

/** Strips parentheses, `as`, `satisfies`, `!` and type assertions. Called for nearly every node, so it tests kinds, not type guards. */
export function skipOuterExpressions<T extends ts.Node>(node: T): ts.Node {
  let current: ts.Node = node;
  while (IS_OUTER_EXPRESSION[current.kind] === 1) current = (current as ts.ParenthesizedExpression).expression;
  return current;
}

/** The lower-cased names of a `[[name, value], …]` headers list; `open` when one is not a literal pair. */
export function headerTupleNames(array: ts.ArrayLiteralExpression): { names: string[]; open: boolean } {
  const names: string[] = [];
  let open = false;
  for (const element of array.elements) {
    const pair = skipOuterExpressions(element);
    const name = ts.isArrayLiteralExpression(pair) ? stringValue(pair.elements[0]) : undefined;
    if (name === undefined) open = true;
    else names.push(name.toLowerCase());
  }
  return { names, open };
}

export function propertyNameText(name: ts.PropertyName | ts.MemberName | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
  if (ts.isComputedPropertyName(name)) return stringValue(name.expression);
  return undefined;
}

/** `a.b.c(...)` → `c`; `f(...)` → `f`. */
export function calleeName(call: ts.CallExpression | ts.NewExpression): string | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  if (ts.isElementAccessExpression(callee)) return stringValue(callee.argumentExpression);
  return undefined;
}

/** `a.b.c(...)` → the node `a.b`; undefined for a plain call. */
export function calleeObject(call: ts.CallExpression | ts.NewExpression): ts.Expression | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee)) return callee.expression;
  return undefined;
}

/** Name of a member access: `a.b` → `b`, `a['b']` → `b`. */
export function memberName(node: ts.Node): string | undefined {
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  if (ts.isElementAccessExpression(node)) return stringValue(node.argumentExpression);
  return undefined;
}

export const FUNCTION_LIKE_KINDS: readonly ts.SyntaxKind[] = [
  ts.SyntaxKind.FunctionDeclaration,
  ts.SyntaxKind.FunctionExpression,
  ts.SyntaxKind.ArrowFunction,
  ts.SyntaxKind.MethodDeclaration,
  ts.SyntaxKind.Constructor,
  ts.SyntaxKind.GetAccessor,
  ts.SyntaxKind.SetAccessor,
];
/** A table by kind: asked of every ancestor on many walks to the file's top. */
const FUNCTION_LIKE = new Uint8Array(ts.SyntaxKind.Count);
for (const kind of FUNCTION_LIKE_KINDS) FUNCTION_LIKE[kind] = 1;

export function isFunctionLike(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return FUNCTION_LIKE[node.kind] === 1;
}

export function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunctionLike(current)) return current;
  }
  return undefined;
}

/** The name a function is known by in this file: its own, or the variable/property it is assigned to. */
export function functionName(fn: ts.FunctionLikeDeclaration): string | undefined {
  if (fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
  const parent = fn.parent;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (ts.isPropertyAssignment(parent)) return propertyNameText(parent.name);
  return undefined;
}

export function parameterName(param: ts.ParameterDeclaration | undefined): string | undefined {
  return param && ts.isIdentifier(param.name) ? param.name.text : undefined;
}

/** True for nodes whose statements run one after another (where a statement can be inserted). */
export function isStatementList(node: ts.Node): node is ts.Block | ts.SourceFile | ts.ModuleBlock | ts.CaseClause | ts.DefaultClause {
  return ts.isBlock(node) || ts.isSourceFile(node) || ts.isModuleBlock(node) || ts.isCaseClause(node) || ts.isDefaultClause(node);
}

/** The nearest enclosing statement. */
export function enclosingStatement(node: ts.Node): ts.Statement | undefined {
  const anchor = executionAnchor(node);
  return anchor && isStatementNode(anchor) ? anchor : undefined;
}

/**
 * The unit that runs as a whole around `node`: its statement, or the concise
 * body of an arrow function (`(req, res) => res.status(401).end()`).
 */
export function executionAnchor(node: ts.Node): ts.Node | undefined {
  for (let current: ts.Node | undefined = node; current; current = current.parent) {
    if (isStatementNode(current)) return current;
    const parent: ts.Node | undefined = current.parent;
    if (parent && ts.isArrowFunction(parent) && parent.body === current) return current;
    if (isFunctionLike(current) && current !== node) return undefined;
  }
  return undefined;
}

function isStatementNode(node: ts.Node): node is ts.Statement {
  return ts.isStatement(node) || ts.isVariableStatement(node) || ts.isExpressionStatement(node);
}

export function isAncestorOf(ancestor: ts.Node, node: ts.Node): boolean {
  for (let current: ts.Node | undefined = node; current; current = current.parent) {
    if (current === ancestor) return true;
  }
  return false;
}

/** The whitespace that starts the line `pos` is on. */
export function indentationAt(sourceFile: ts.SourceFile, pos: number): string {
  const text = sourceFile.text;
  let lineStart = pos;
  while (lineStart > 0 && text[lineStart - 1] !== '\n') lineStart--;
  let end = lineStart;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  return text.slice(lineStart, end);
}

/** Quotes `value` as a string literal in the file's own quote style. */
export function quote(value: string, style: "'" | '"'): string {
  // Every quick fix quotes a header name and value, and nearly none needs escaping.
  if (!value.includes('\\') && !value.includes(style)) return `${style}${value}${style}`;
  const escaped = value.replace(/\\/g, '\\\\').split(style).join(`\\${style}`);
  return `${style}${escaped}${style}`;
}

/** The quote the file uses for its first string literal (single by default). */
export function quoteStyleOf(sourceFile: ts.SourceFile): "'" | '"' {
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      return sourceFile.text[statement.moduleSpecifier.getStart(sourceFile)] === '"' ? '"' : "'";
    }
  }
  return "'";
}

export function objectProperty(object: ts.ObjectLiteralExpression, name: string): ts.ObjectLiteralElementLike | undefined {
  const wanted = name.toLowerCase();
  return object.properties.find((p) => {
    const key = p.name ? propertyNameText(p.name) : undefined;
    return key !== undefined && key.toLowerCase() === wanted;
  });
}

/** The initializer or shorthand value of a property of an object literal. */
export function objectPropertyValue(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  const property = objectProperty(object, name);
  if (!property) return undefined;
  if (ts.isPropertyAssignment(property)) return property.initializer;
  if (ts.isShorthandPropertyAssignment(property)) return property.name;
  return undefined;
}
