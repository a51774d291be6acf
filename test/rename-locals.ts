import ts from 'typescript';

/**
 * The same code with every local value renamed (`const admin = …` → `const
 * xA = …`, `function verifyToken` → `function xB`): variables, parameters,
 * destructured bindings and functions declared in the file. Left as they are:
 * imports (a module's API names what it does), property names, class members,
 * and the handler parameters a framework passes (`req`, `res`, `ctx`, `next`…),
 * which untyped code is read by. `prefix` makes the new names (`x`, `admin`, `user`, `token`).
 */
export function renameLocals(code: string, filename: string, prefix: string): string {
  const source = ts.createSourceFile(filename, code, ts.ScriptTarget.Latest, true, scriptKind(filename));
  const names = new Map<string, string>();
  const imported = new Set<string>();
  const declare = (name: ts.BindingName | undefined) => {
    if (!name) return;
    if (ts.isIdentifier(name)) {
      if (!HANDLER_PARAMETERS.has(name.text) && !imported.has(name.text) && !names.has(name.text)) names.set(name.text, `${prefix}${suffix(names.size)}`);
      return;
    }
    for (const element of name.elements) if (!ts.isOmittedExpression(element)) declare(element.name);
  };
  const collect = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) || ts.isParameter(node) || ts.isBindingElement(node)) declare(node.name);
    else if (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node)) declare(node.name);
    ts.forEachChild(node, collect);
  };
  const collectImports = (node: ts.Node): void => {
    if (ts.isImportClause(node) || ts.isImportSpecifier(node) || ts.isNamespaceImport(node)) if (node.name) imported.add(node.name.text);
    ts.forEachChild(node, collectImports);
  };
  // A name bound by an import keeps it everywhere: renaming by text would rename the import's uses too.
  collectImports(source);
  collect(source);
  const edits: { start: number; end: number; text: string }[] = [];
  const rename = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && names.has(node.text) && isValueReference(node)) {
      const renamed = names.get(node.text)!;
      const parent = node.parent;
      // `{ email }` keeps its key: `{ email: xA }`.
      const keyed = (ts.isShorthandPropertyAssignment(parent) && parent.name === node) || (ts.isBindingElement(parent) && parent.name === node && !parent.propertyName && ts.isObjectBindingPattern(parent.parent));
      edits.push({ start: node.getStart(source), end: node.end, text: keyed ? `${node.text}: ${renamed}` : renamed });
    }
    ts.forEachChild(node, rename);
  };
  rename(source);
  let result = code;
  for (const edit of edits.sort((a, b) => b.start - a.start)) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  return result;
}

// Elysia's `status`, `error` and `set` are renamed too (`{ status: xA }`): the framework module reads the context key, not the local's name.
const HANDLER_PARAMETERS = new Set(['req', 'res', 'request', 'response', 'reply', 'ctx', 'context', 'c', 'event', 'next', 'h', 'err']);

function suffix(index: number): string {
  let text = '';
  for (let n = index; ; n = Math.floor(n / 26) - 1) {
    text = String.fromCharCode(65 + (n % 26)) + text;
    if (n < 26) return text;
  }
}

function isValueReference(node: ts.Identifier): boolean {
  const parent = node.parent;
  if ((ts.isPropertyAccessExpression(parent) || ts.isPropertyAccessChain(parent)) && parent.name === node) return false;
  if ((ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent) || ts.isPropertyDeclaration(parent) || ts.isPropertySignature(parent) || ts.isMethodSignature(parent) || ts.isGetAccessor(parent) || ts.isSetAccessor(parent)) && parent.name === node) return false;
  if (ts.isBindingElement(parent) && parent.propertyName === node) return false;
  if (ts.isImportSpecifier(parent) || ts.isImportClause(parent) || ts.isNamespaceImport(parent) || ts.isExportSpecifier(parent)) return false;
  if (ts.isJsxAttribute(parent) || ts.isTypeReferenceNode(parent) || ts.isQualifiedName(parent) || ts.isLabeledStatement(parent)) return false;
  if (ts.isEnumMember(parent) || ts.isClassDeclaration(parent) || ts.isInterfaceDeclaration(parent) || ts.isTypeAliasDeclaration(parent)) return false;
  return true;
}

function scriptKind(filename: string): ts.ScriptKind {
  if (/\.tsx$/.test(filename)) return ts.ScriptKind.TSX;
  if (/\.jsx$/.test(filename)) return ts.ScriptKind.JSX;
  return /\.[cm]?js$/.test(filename) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
}
