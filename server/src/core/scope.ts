import ts from 'typescript';
import { FUNCTION_LIKE_KINDS, isFunctionLike, propertyNameText, stringValue } from './ast';

/** What a name in scope was declared as. */
export type Declaration =
  | { kind: 'variable'; node: ts.VariableDeclaration; isConst: boolean; initializer: ts.Expression | undefined }
  | { kind: 'parameter'; node: ts.ParameterDeclaration; fn: ts.FunctionLikeDeclaration; index: number }
  | { kind: 'function'; node: ts.FunctionDeclaration }
  | { kind: 'enum'; node: ts.EnumDeclaration }
  | { kind: 'class'; node: ts.ClassDeclaration }
  | { kind: 'import'; module: string; imported: string };

type ScopeTable = Map<string, Declaration>;

/** A scope's own declarations (built when first needed), and what each name asked about resolves to there (null: nothing). */
interface Scope {
  own: ScopeTable | undefined;
  resolved: Map<string, Declaration | null>;
}

/**
 * Lexical name lookup without a type checker: enough to resolve a status
 * constant, a helper function or an imported framework object by its name.
 * Tables are built lazily per scope node and cached for the file's lifetime,
 * and so is each name's resolution per scope: every call asks about `res` or
 * its callee, and without the cache each of those walks to the file's top.
 * The caches are plain maps: they live no longer than the file's model, and
 * weak maps cost the garbage collector far more.
 */
export class Scopes {
  private readonly scopes = new Map<ts.Node, Scope>();
  /** Every name an import or `require` binds anywhere in the file, once the model's walk is over. */
  private importNames: Set<string> | undefined;
  private readonly importNamesSeen = new Set<string>();
  /** Every module an import or `require` binds a name from, once the model's walk is over. */
  private importedModules: Set<string> | undefined;
  private readonly importedModulesSeen = new Set<string>();
  /** Every name a variable declaration binds anywhere in the file, once the model's walk is over. */
  private variableNames: Set<string> | undefined;
  private readonly variableNamesSeen = new Set<string>();

  lookup(name: string, from: ts.Node): Declaration | undefined {
    let found: Declaration | null = null;
    let passed = 0;
    for (let node = nearestScope(from); node; node = nearestScope(node.parent)) {
      const scope = this.scope(node);
      const cached = scope.resolved.get(name);
      if (cached !== undefined) {
        found = cached;
        break;
      }
      passedScopes[passed++] = scope;
      scope.own ??= buildTable(node);
      const own = scope.own.get(name);
      if (own) {
        found = own;
        break;
      }
    }
    // Every scope passed on the way answers the same from now on; each slot is emptied
    // so that a finished file's scopes are not kept alive by the shared array.
    for (let i = 0; i < passed; i++) {
      passedScopes[i].resolved.set(name, found);
      passedScopes[i] = undefined!;
    }
    return found ?? undefined;
  }

  /** The module a name was imported or required from, with the imported name ("default", "*" or a member). */
  importOf(name: string, from: ts.Node): { module: string; imported: string } | undefined {
    // Recognisers ask this of nearly every callee; most name no import at all.
    if (this.importNames && !this.importNames.has(name)) return undefined;
    const declaration = this.lookup(name, from);
    return declaration?.kind === 'import' ? declaration : undefined;
  }

  /**
   * Whether a name in the file may be bound to an import or `require` of
   * `module`: a recogniser of one library passes over a file that binds
   * nothing from it without looking any name up.
   */
  mayImport(module: string): boolean {
    return !this.importedModules || this.importedModules.has(module);
  }

  /**
   * Whether `lookup` may find a variable of this name: the guard classifier
   * asks about every name in a condition, member names included, and most
   * of them name no variable.
   */
  mayBeVariable(name: string): boolean {
    return !this.variableNames || this.variableNames.has(name);
  }

  /** The model's walk passes each import and variable list here, so that `importOf` and `mayBeVariable` can rule names out. */
  noteImports(node: ts.ImportDeclaration | ts.ImportEqualsDeclaration | ts.VariableDeclarationList): void {
    if (ts.isVariableDeclarationList(node)) {
      for (const declaration of node.declarations) {
        const required = requiredModule(declaration.initializer);
        if (!required) {
          if (ts.isIdentifier(declaration.name)) this.variableNamesSeen.add(declaration.name.text);
          continue;
        }
        this.importedModulesSeen.add(required.module);
        if (ts.isIdentifier(declaration.name)) this.importNamesSeen.add(declaration.name.text);
        else if (ts.isObjectBindingPattern(declaration.name)) {
          for (const element of declaration.name.elements) if (ts.isIdentifier(element.name)) this.importNamesSeen.add(element.name.text);
        }
      }
      return;
    }
    const table: ScopeTable = new Map();
    addStatement(table, node);
    for (const [name, declaration] of table) {
      this.importNamesSeen.add(name);
      if (declaration.kind === 'import') this.importedModulesSeen.add(declaration.module);
    }
  }

  /** Called when the walk is over: from then on names and modules no declaration binds are answered at once. */
  sealImports(): void {
    this.importNames = this.importNamesSeen;
    this.importedModules = this.importedModulesSeen;
    this.variableNames = this.variableNamesSeen;
  }

  private scope(node: ts.Node): Scope {
    let scope = this.scopes.get(node);
    if (!scope) {
      scope = { own: undefined, resolved: new Map() };
      this.scopes.set(node, scope);
    }
    return scope;
  }
}

/** Nodes that open a scope of their own, as a table by kind: names are resolved from nearly every call. */
const OPENS_SCOPE = new Uint8Array(ts.SyntaxKind.Count);
for (const kind of [
  ts.SyntaxKind.SourceFile,
  ts.SyntaxKind.Block,
  ts.SyntaxKind.ModuleBlock,
  ts.SyntaxKind.CaseBlock,
  ts.SyntaxKind.ForStatement,
  ts.SyntaxKind.ForOfStatement,
  ts.SyntaxKind.ForInStatement,
  ts.SyntaxKind.CatchClause,
  ...FUNCTION_LIKE_KINDS,
]) {
  OPENS_SCOPE[kind] = 1;
}

/** The scopes one lookup passes, reused by every lookup (lookups do not nest). */
const passedScopes: Scope[] = [];

function nearestScope(node: ts.Node | undefined): ts.Node | undefined {
  let current = node;
  while (current && OPENS_SCOPE[current.kind] === 0) current = current.parent;
  return current;
}

function buildTable(node: ts.Node): ScopeTable {
  const table: ScopeTable = new Map();
  if (isFunctionLike(node)) {
    node.parameters.forEach((param, index) => {
      if (ts.isIdentifier(param.name)) table.set(param.name.text, { kind: 'parameter', node: param, fn: node, index });
    });
    return table;
  }
  if (ts.isCatchClause(node)) return table;
  if (ts.isForStatement(node) || ts.isForOfStatement(node) || ts.isForInStatement(node)) {
    const init = node.initializer;
    if (init && ts.isVariableDeclarationList(init)) addVariables(table, init);
    return table;
  }
  const statements = ts.isCaseBlock(node) ? node.clauses.flatMap((c) => [...c.statements]) : (node as ts.Block).statements;
  for (const statement of statements) addStatement(table, statement);
  return table;
}

function addStatement(table: ScopeTable, statement: ts.Statement): void {
  if (ts.isVariableStatement(statement)) addVariables(table, statement.declarationList);
  else if (ts.isFunctionDeclaration(statement) && statement.name) table.set(statement.name.text, { kind: 'function', node: statement });
  else if (ts.isEnumDeclaration(statement)) table.set(statement.name.text, { kind: 'enum', node: statement });
  else if (ts.isClassDeclaration(statement) && statement.name) table.set(statement.name.text, { kind: 'class', node: statement });
  else if (ts.isImportDeclaration(statement)) addImport(table, statement);
  else if (ts.isImportEqualsDeclaration(statement)) {
    const ref = statement.moduleReference;
    if (ts.isExternalModuleReference(ref)) {
      const module = stringValue(ref.expression);
      if (module) table.set(statement.name.text, { kind: 'import', module, imported: 'default' });
    }
  }
}

function addVariables(table: ScopeTable, list: ts.VariableDeclarationList): void {
  const isConst = (list.flags & ts.NodeFlags.Const) !== 0;
  for (const declaration of list.declarations) {
    const required = requiredModule(declaration.initializer);
    if (ts.isIdentifier(declaration.name)) {
      if (required) table.set(declaration.name.text, { kind: 'import', module: required.module, imported: required.member ?? 'default' });
      else table.set(declaration.name.text, { kind: 'variable', node: declaration, isConst, initializer: declaration.initializer });
    } else if (ts.isObjectBindingPattern(declaration.name) && required) {
      for (const element of declaration.name.elements) {
        if (!ts.isIdentifier(element.name)) continue;
        const imported = element.propertyName ? propertyNameText(element.propertyName) : element.name.text;
        table.set(element.name.text, { kind: 'import', module: required.module, imported: imported ?? element.name.text });
      }
    }
  }
}

/** `require('m')`, `require('m').x`, `require('m').default` */
function requiredModule(expr: ts.Expression | undefined): { module: string; member?: string } | undefined {
  if (!expr) return undefined;
  if (ts.isPropertyAccessExpression(expr)) {
    const inner = requiredModule(expr.expression);
    return inner && { module: inner.module, member: expr.name.text === 'default' ? undefined : expr.name.text };
  }
  if (ts.isCallExpression(expr) && ts.isIdentifier(expr.expression) && expr.expression.text === 'require') {
    const module = stringValue(expr.arguments[0]);
    return module ? { module } : undefined;
  }
  if (ts.isAwaitExpression(expr)) return requiredModule(expr.expression);
  return undefined;
}

function addImport(table: ScopeTable, statement: ts.ImportDeclaration): void {
  const module = stringValue(statement.moduleSpecifier);
  const clause = statement.importClause;
  if (!module || !clause) return;
  if (clause.name) table.set(clause.name.text, { kind: 'import', module, imported: 'default' });
  const bindings = clause.namedBindings;
  if (!bindings) return;
  if (ts.isNamespaceImport(bindings)) {
    table.set(bindings.name.text, { kind: 'import', module, imported: '*' });
    return;
  }
  for (const element of bindings.elements) {
    const imported = element.propertyName ? propertyNameText(element.propertyName) : element.name.text;
    table.set(element.name.text, { kind: 'import', module, imported: imported ?? element.name.text });
  }
}
