import ts from 'typescript';
import { isFunctionLike, propertyNameText, skipOuterExpressions, stringValue } from '../ast';
import { rangeOf } from '../positions';
import type { Scopes } from '../scope';
import { type ClassFact, type ExportFact, type FunctionFact, type ModuleFacts, type Span, type Value } from './facts';
import { ValueReader } from './values';

/** What a module declares and exports, read from its text alone: the part of its facts its own analysis needs first. */
export type Declarations = Pick<ModuleFacts, 'declarations' | 'exports' | 'reexportAll'>;

/**
 * Reads a module's top-level classes, functions, constants and enums into
 * facts, and what it exports (ESM and CommonJS). Every top-level declaration is
 * kept: which of them carry auth facts is only known to the files that use them.
 */
export function readDeclarations(sourceFile: ts.SourceFile, scopes: Scopes): Declarations {
  const reader = new ValueReader(scopes);
  const result: Declarations = { declarations: {}, exports: {}, reexportAll: [] };
  for (const statement of sourceFile.statements) readStatement(statement, sourceFile, reader, result);
  return result;
}

function readStatement(statement: ts.Statement, sourceFile: ts.SourceFile, reader: ValueReader, result: Declarations): void {
  const exported = hasModifier(statement, ts.SyntaxKind.ExportKeyword);
  const isDefault = hasModifier(statement, ts.SyntaxKind.DefaultKeyword);
  const own = (name: string) => ({ kind: 'ref' as const, module: '', name, path: [] });
  if (ts.isClassDeclaration(statement) && statement.name) {
    result.declarations[statement.name.text] = classFact(statement, statement.name.text, sourceFile, reader);
    if (exported) result.exports[isDefault ? 'default' : statement.name.text] = own(statement.name.text);
  } else if (ts.isFunctionDeclaration(statement) && statement.name) {
    result.declarations[statement.name.text] = functionFact(statement, statement.name.text, sourceFile, reader);
    if (exported) result.exports[isDefault ? 'default' : statement.name.text] = own(statement.name.text);
  } else if (ts.isEnumDeclaration(statement) || ts.isVariableStatement(statement)) {
    for (const name of declaredNames(statement)) {
      const fact = valueDeclaration(statement, name, sourceFile, reader);
      if (fact) result.declarations[name] = fact;
      if (exported) result.exports[name] = own(name);
    }
  } else if (ts.isExportAssignment(statement)) {
    result.exports.default = reader.read(statement.expression);
  } else if (ts.isExportDeclaration(statement)) {
    readExportDeclaration(statement, result);
  } else if (ts.isExpressionStatement(statement)) {
    readCommonJsExport(statement.expression, reader, result);
  }
}

function readExportDeclaration(statement: ts.ExportDeclaration, result: Declarations): void {
  const module = statement.moduleSpecifier ? stringValue(statement.moduleSpecifier) : '';
  if (module === undefined) return;
  const clause = statement.exportClause;
  if (!clause) {
    if (module) result.reexportAll.push(module);
    return;
  }
  if (ts.isNamespaceExport(clause)) {
    result.exports[clause.name.text] = { kind: 'ref', module, name: '*', path: [] };
    return;
  }
  for (const element of clause.elements) {
    const local = (element.propertyName ?? element.name).text;
    result.exports[element.name.text] = { kind: 'ref', module, name: local, path: [] };
  }
}

/** `module.exports = X`, `module.exports = { A, B }`, `module.exports.A = …`, `exports.A = …`. */
function readCommonJsExport(expression: ts.Expression, reader: ValueReader, result: Declarations): void {
  if (!ts.isBinaryExpression(expression) || expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return;
  const target = skipOuterExpressions(expression.left);
  if (!ts.isPropertyAccessExpression(target)) return;
  const value = reader.read(expression.right);
  if (isModuleExports(target)) {
    result.exports.default = value;
    if (value.kind === 'object') Object.assign(result.exports, value.props);
  } else if (isModuleExports(target.expression) || (ts.isIdentifier(target.expression) && target.expression.text === 'exports')) {
    result.exports[target.name.text] = value;
  }
}

function isModuleExports(node: ts.Expression): boolean {
  return ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'module' && node.name.text === 'exports';
}

function declaredNames(statement: ts.EnumDeclaration | ts.VariableStatement): string[] {
  if (ts.isEnumDeclaration(statement)) return [statement.name.text];
  return statement.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : []));
}

function valueDeclaration(statement: ts.EnumDeclaration | ts.VariableStatement, name: string, sourceFile: ts.SourceFile, reader: ValueReader): ExportFact | undefined {
  if (ts.isEnumDeclaration(statement)) return { kind: 'value', value: reader.read(statement.name) };
  if (!(statement.declarationList.flags & ts.NodeFlags.Const)) return undefined;
  const declaration = statement.declarationList.declarations.find((d) => ts.isIdentifier(d.name) && d.name.text === name);
  const initializer = declaration?.initializer && skipOuterExpressions(declaration.initializer);
  if (!initializer) return undefined;
  if (ts.isClassExpression(initializer)) return classFact(initializer, name, sourceFile, reader);
  if (isFunctionLike(initializer)) return functionFact(initializer, name, sourceFile, reader);
  const value = reader.read(initializer as ts.Expression);
  return value.kind === 'unknown' ? undefined : { kind: 'value', value };
}

function classFact(node: ts.ClassLikeDeclaration, name: string, sourceFile: ts.SourceFile, reader: ValueReader): ClassFact {
  const heritage = node.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
  const constructor = node.members.find((m): m is ts.ConstructorDeclaration => ts.isConstructorDeclaration(m) && !!m.body);
  const props: Record<string, Value> = {};
  const statics: Record<string, Value> = {};
  for (const member of node.members) {
    if (!ts.isPropertyDeclaration(member) || !member.initializer) continue;
    const key = propertyNameText(member.name);
    if (key === undefined) continue;
    const target = hasModifier(member, ts.SyntaxKind.StaticKeyword) ? statics : props;
    target[key] = reader.read(member.initializer);
  }
  let superArgs: Value[] | undefined;
  if (constructor) {
    constructor.parameters.forEach((param, index) => {
      if (ts.isIdentifier(param.name) && ts.getModifiers(param)?.some(isParameterProperty)) props[param.name.text] = { kind: 'param', index, path: [] };
    });
    const instance: Record<string, Value> = {};
    visitConstructor(constructor, (call) => {
      superArgs = call.arguments.map((arg) => reader.read(arg, constructor, instance));
    }, (key, value) => {
      instance[key] = reader.read(value, constructor, instance);
      props[key] = instance[key];
    });
  }
  return {
    kind: 'class',
    name,
    at: spanOf(node, sourceFile),
    parent: heritage ? reader.read(heritage.expression) : undefined,
    superArgs,
    props,
    statics,
  };
}

/** Calls `onSuper` for the constructor's `super(…)` and `onAssign` for each `this.x = …` outside nested functions, in order. */
function visitConstructor(constructor: ts.ConstructorDeclaration, onSuper: (call: ts.CallExpression) => void, onAssign: (key: string, value: ts.Expression) => void): void {
  const visit = (node: ts.Node): void => {
    if (isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.SuperKeyword) onSuper(node);
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = skipOuterExpressions(node.left);
      if (ts.isPropertyAccessExpression(left) && left.expression.kind === ts.SyntaxKind.ThisKeyword) onAssign(left.name.text, node.right);
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(constructor.body!, visit);
}

function isParameterProperty(modifier: ts.ModifierLike): boolean {
  return (
    modifier.kind === ts.SyntaxKind.PublicKeyword ||
    modifier.kind === ts.SyntaxKind.ReadonlyKeyword ||
    modifier.kind === ts.SyntaxKind.ProtectedKeyword ||
    modifier.kind === ts.SyntaxKind.PrivateKeyword
  );
}

/** A function: the error it builds when its body returns or throws one `new` (`(message) => new ApiError(401, message)`). */
function functionFact(fn: ts.FunctionLikeDeclaration, name: string, sourceFile: ts.SourceFile, reader: ValueReader): FunctionFact {
  const built = builtError(fn);
  const makesError =
    built && built.arguments !== undefined
      ? { errorClass: reader.read(built.expression), args: built.arguments.map((arg) => reader.read(arg, fn)), at: spanOf(built, sourceFile) }
      : undefined;
  const returns = makesError ? undefined : reader.returnedMapping(fn);
  return { kind: 'function', name, at: spanOf(fn, sourceFile), makesError, ...(returns ? { returns } : {}) };
}

function builtError(fn: ts.FunctionLikeDeclaration): ts.NewExpression | undefined {
  const body = fn.body;
  if (!body) return undefined;
  if (!ts.isBlock(body)) {
    const expression = skipOuterExpressions(body);
    return ts.isNewExpression(expression) ? expression : undefined;
  }
  const last = body.statements[body.statements.length - 1];
  const expression = last && (ts.isReturnStatement(last) || ts.isThrowStatement(last)) && last.expression ? skipOuterExpressions(last.expression) : undefined;
  return expression && ts.isNewExpression(expression) ? expression : undefined;
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((m) => m.kind === kind);
}

export function spanOf(node: ts.Node, sourceFile: ts.SourceFile): Span {
  const start = node.getStart(sourceFile);
  const end = node.getEnd();
  return { start, end, range: rangeOf(sourceFile, start, end) };
}

