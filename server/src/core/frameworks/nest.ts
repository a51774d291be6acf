import ts from 'typescript';
import { enclosingFunction, isFunctionLike, propertyNameText, skipOuterExpressions, stringValue } from '../ast';
import type { HeaderBag, StatusSwap } from '../model/concepts';
import type { ModelContext } from '../model/context';
import type { TextEdit } from '../types';
import { emitNamed, emitStatus, firstParameterName, NO_HEADERS, replaceNode, type FrameworkModule } from './framework';

const EXCEPTIONS: Record<string, number> = { UnauthorizedException: 401, ForbiddenException: 403 };
const EXCEPTION_FOR: Record<401 | 403, string> = { 401: 'UnauthorizedException', 403: 'ForbiddenException' };
const NEST_COMMON = '@nestjs/common';

/**
 * NestJS: `UnauthorizedException`, `ForbiddenException` and
 * `HttpException(body, status)`. Nest's exception filter answers with the
 * status and a JSON body; headers set on the response before the throw
 * survive, and so do `@Header()` decorators on the route (applied before the
 * handler runs).
 */
export const nest: FrameworkModule = {
  name: 'nest',
  kinds: [ts.SyntaxKind.NewExpression],
  errorHandler(fn, ctx) {
    const filter = exceptionFilter(fn);
    // A GraphQL filter hands the driver an error for the body's `errors`: it sends no response.
    const error = filter && !graphqlOnly(fn.parent as ts.ClassLikeDeclaration, ctx) && firstParameterName(fn);
    if (!error) return undefined;
    const unauthorized = filter.catches.length === 0 || filter.catches.some((caught) => mayBeUnauthorized(caught, ctx));
    return { framework: 'nest', error, catches: filter.catches, rebuilds: { unauthorized } };
  },
  recognize(node, ctx) {
    if (!ts.isNewExpression(node)) return false;
    const callee = skipOuterExpressions(node.expression);
    if (!ts.isIdentifier(callee) || !isNestClass(callee, ctx)) return false;
    const name = callee.text;
    const imported = ctx.scopes.importOf(name, callee)?.imported ?? name;
    // Claimed and left silent: no other module may read it as an HTTP error.
    if (inGraphqlResolver(node, ctx)) return true;
    const parts = {
      framework: 'nest',
      node,
      delivery: 'error' as const,
      carried: headerDecorators(node, ctx),
      addHeader: (header: string, value: string) => nestHeaderFix(node, header, value, ctx),
      remedy: routeAnswersOtherwise(node, ctx) ? routeRemedy : undefined,
    };
    if (imported in EXCEPTIONS) {
      const swap = (to: 401 | 403) => swapException(callee, to, ctx);
      emitNamed(ctx, { ...parts, site: { value: EXCEPTIONS[imported], node: callee, form: 'exception-class', swap } });
      return true;
    }
    if (imported === 'HttpException' && node.arguments?.[1]) {
      emitStatus(ctx, { ...parts, status: node.arguments[1] });
      return true;
    }
    return false;
  },
  statusNames: [...Object.keys(EXCEPTIONS), 'canActivate'],
  errorClasses: [
    { framework: 'nest', module: (m) => m === NEST_COMMON, name: 'HttpException', props: { status: { kind: 'param', index: 1, path: [] } } },
    ...Object.entries(EXCEPTIONS).map(([name, status]) => ({
      framework: 'nest',
      module: (m: string) => m === NEST_COMMON,
      name,
      parent: 'HttpException',
      props: { status: { kind: 'number' as const, value: status } },
    })),
  ],
  recognizeFile(ctx) {
    if (!ctx.usesModule((m) => m === NEST_COMMON)) return;
    for (const statement of ctx.sourceFile.statements) {
      if (!ts.isClassDeclaration(statement) || graphqlOnly(statement, ctx)) continue;
      for (const member of statement.members) {
        if (ts.isMethodDeclaration(member) && propertyNameText(member.name) === 'canActivate' && member.body) guardDenials(member.body, ctx);
      }
    }
  },
};

/**
 * Inside a GraphQL resolver (`@Resolver()` of @nestjs/graphql), a guard that
 * reads its request through `GqlExecutionContext`, or a `GqlExceptionFilter`,
 * Nest hands an exception (and a guard's `false`) to the GraphQL driver,
 * which puts it in the body's `errors` and answers 200: no 401 or 403 goes out.
 */
function inGraphqlResolver(node: ts.Node, ctx: ModelContext): boolean {
  for (let at = node.parent; at; at = at.parent) {
    if (ts.isClassLike(at)) return graphqlOnly(at, ctx);
  }
  return false;
}

const GRAPHQL = '@nestjs/graphql';
/** What a class uses of @nestjs/graphql when it serves GraphQL requests only. */
const GRAPHQL_CONTEXTS = new Set(['GqlExecutionContext', 'GqlArgumentsHost', 'GqlExceptionFilter']);
/** Calls by which a class also serves HTTP requests (`context.getType() === 'graphql'`, `switchToHttp()`). */
const HTTP_CONTEXTS = new Set(['switchToHttp', 'getType']);
const graphqlClasses = new WeakMap<ts.ClassLikeDeclaration, boolean>();

function graphqlOnly(cls: ts.ClassLikeDeclaration, ctx: ModelContext): boolean {
  let known = graphqlClasses.get(cls);
  if (known === undefined) {
    known = decoratedResolver(cls, ctx) || readsGraphqlContextOnly(cls, ctx);
    graphqlClasses.set(cls, known);
  }
  return known;
}

function decoratedResolver(cls: ts.ClassLikeDeclaration, ctx: ModelContext): boolean {
  return (ts.getDecorators(cls) ?? []).some((decorator) => {
    const expression = skipOuterExpressions(decorator.expression);
    const callee = ts.isCallExpression(expression) ? skipOuterExpressions(expression.expression) : expression;
    if (!ts.isIdentifier(callee)) return false;
    const origin = ctx.scopes.importOf(callee.text, callee);
    return origin?.module === GRAPHQL && origin.imported === 'Resolver';
  });
}

/** `GqlExecutionContext.create(context)`, `GqlArgumentsHost.create(host)` or `implements GqlExceptionFilter`, and nothing that reads an HTTP context. */
function readsGraphqlContextOnly(cls: ts.ClassLikeDeclaration, ctx: ModelContext): boolean {
  let graphql = false;
  let http = false;
  const visit = (node: ts.Node): void => {
    if (http) return;
    if (ts.isIdentifier(node) && GRAPHQL_CONTEXTS.has(node.text) && ctx.scopes.importOf(node.text, node)?.module === GRAPHQL) graphql = true;
    else if (ts.isPropertyAccessExpression(node) && HTTP_CONTEXTS.has(node.name.text)) http = true;
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(cls, visit);
  return graphql && !http;
}

/**
 * A guard's `canActivate` that returns false (or a falsy value): Nest answers
 * with a ForbiddenException, a 403. `return true` allows; `return
 * super.canActivate(…)` (Passport's AuthGuard) throws its own 401.
 */
function guardDenials(body: ts.Block, ctx: ModelContext): void {
  const visit = (node: ts.Node): void => {
    if (isFunctionLike(node)) return;
    if (ts.isReturnStatement(node) && node.expression && deniesWhenFalsy(node.expression)) {
      const statement = node;
      const swap = (to: 401 | 403) => (to === 401 ? throwUnauthorized(statement, ctx) : undefined);
      ctx.emit({
        framework: 'nest',
        node: statement,
        delivery: 'error',
        carriedOnly: false,
        sites: [{ value: 403, node: skipOuterExpressions(node.expression), form: 'guard-denial', swap, denial: { answer: "Nest answers a guard's false", instead: 'throw UnauthorizedException (401)' } }],
        carried: NO_HEADERS,
        addHeader: (header, value) => nestHeaderFix(statement, header, value, ctx),
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
}

/** `ForbiddenException` ↔ `UnauthorizedException`, importing the new class when needed. */
function swapException(callee: ts.Identifier, to: 401 | 403, ctx: ModelContext): StatusSwap | undefined {
  const found = localClass(EXCEPTION_FOR[to], ctx);
  if (!found) return undefined;
  return { edits: [replaceNode(ctx, callee, found.name), ...(found.importEdit ? [found.importEdit] : [])], challenged: false };
}

/** A guard's `return false` (Nest's 403) → `throw new UnauthorizedException()`; a falsy expression is left alone. */
function throwUnauthorized(statement: ts.ReturnStatement, ctx: ModelContext): StatusSwap | undefined {
  if (!statement.expression || skipOuterExpressions(statement.expression).kind !== ts.SyntaxKind.FalseKeyword) return undefined;
  const found = localClass(EXCEPTION_FOR[401], ctx);
  if (!found) return undefined;
  return { edits: [replaceNode(ctx, statement, `throw new ${found.name}();`), ...(found.importEdit ? [found.importEdit] : [])], challenged: false };
}

/** The local name of a @nestjs/common class, and the edit importing it when the file does not yet. */
function localClass(imported: string, ctx: ModelContext): { name: string; importEdit?: TextEdit } | undefined {
  for (const statement of ctx.sourceFile.statements) {
    if (!ts.isImportDeclaration(statement) || stringValue(statement.moduleSpecifier) !== NEST_COMMON) continue;
    const bindings = statement.importClause?.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    const element = bindings.elements.find((e) => (e.propertyName ?? e.name).text === imported);
    if (element) return { name: element.name.text };
  }
  const importEdit = addNestImport(imported, ctx);
  return importEdit ? { name: imported, importEdit } : undefined;
}

function deniesWhenFalsy(expression: ts.Expression): boolean {
  const node = skipOuterExpressions(expression);
  if (node.kind === ts.SyntaxKind.TrueKeyword) return false;
  const callee = ts.isCallExpression(node) ? skipOuterExpressions(node.expression) : undefined;
  return !(callee && ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.SuperKeyword);
}

function isNestClass(callee: ts.Identifier, ctx: ModelContext): boolean {
  const imported = ctx.scopes.importOf(callee.text, callee);
  if (imported) return imported.module === NEST_COMMON || imported.module.startsWith(`${NEST_COMMON}/`);
  // Without an import in sight (a re-export, a global), trust Nest's distinctive names.
  return !ctx.scopes.lookup(callee.text, callee) && (callee.text in EXCEPTIONS || callee.text === 'HttpException');
}

/** The method a throw sits in, when it is a class method (a controller route or a guard). */
function enclosingMethod(node: ts.Node): ts.MethodDeclaration | undefined {
  const fn = enclosingFunction(node);
  return fn && ts.isMethodDeclaration(fn) ? fn : undefined;
}

/** `@Header('WWW-Authenticate', '…')` on the route method. */
function headerDecorators(node: ts.Node, ctx: ModelContext): HeaderBag {
  const names = new Set<string>();
  const method = enclosingMethod(node);
  for (const decorator of (method && ts.getDecorators(method)) ?? []) {
    const call = decorator.expression;
    if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression)) continue;
    if (ctx.scopes.importOf(call.expression.text, call)?.imported !== 'Header') continue;
    const name = stringValue(call.arguments[0]);
    if (name) names.add(name.toLowerCase());
  }
  return { names, unknown: false };
}

/**
 * In a guard, set the header on the underlying response (`header()` exists on
 * both Express and Fastify replies); on a controller route, add `@Header()`.
 */
function nestHeaderFix(node: ts.Node, name: string, value: string, ctx: ModelContext): TextEdit[] | undefined {
  const method = enclosingMethod(node);
  if (!method) return undefined;
  const contextParam = method.parameters.find((p) => p.type && /ExecutionContext/.test(p.type.getText(ctx.sourceFile)));
  if (contextParam && ts.isIdentifier(contextParam.name)) {
    const statement = `${contextParam.name.text}.switchToHttp().getResponse().header(${ctx.quote(name)}, ${ctx.quote(value)});`;
    return ctx.insertStatementBefore(node, statement);
  }
  if (!isControllerRoute(method, ctx) || !answersOnly401(method, ctx)) return undefined;
  const start = method.getStart(ctx.sourceFile);
  const indent = ctx.text.slice(ctx.text.lastIndexOf('\n', start - 1) + 1, start).match(/^\s*/)?.[0] ?? '';
  const edits: TextEdit[] = [{ start, end: start, text: `@Header(${ctx.quote(name)}, ${ctx.quote(value)})\n${indent}` }];
  const importEdit = addNestImport('Header', ctx);
  if (importEdit === null) return undefined;
  if (importEdit) edits.push(importEdit);
  return edits;
}

/** A route that also answers with other statuses: a `@Header()` on it would go out with all of them. */
function routeAnswersOtherwise(node: ts.Node, ctx: ModelContext): boolean {
  const method = enclosingMethod(node);
  return !!method && !method.parameters.some((p) => p.type && /ExecutionContext/.test(p.type.getText(ctx.sourceFile))) && isControllerRoute(method, ctx) && !answersOnly401(method, ctx);
}

function routeRemedy(challenge: string): string {
  return (
    `Set \`WWW-Authenticate: ${challenge}\` where 401s are answered (an exception filter for UnauthorizedException, or the response itself); ` +
    "a `@Header()` on this route would also go out with its other responses, so no fix is offered."
  );
}

/**
 * Whether every way out of a route method is a 401 exception: no `return`,
 * it ends in a `throw`, and every `throw` in it is an `UnauthorizedException`
 * or an `HttpException(…, 401)`. Nest applies a route's `@Header()` before the
 * handler runs, to whatever it then answers.
 */
function answersOnly401(method: ts.MethodDeclaration, ctx: ModelContext): boolean {
  const body = method.body;
  const last = body?.statements[body.statements.length - 1];
  if (!body || !last || !ts.isThrowStatement(last)) return false;
  let only401 = true;
  const visit = (node: ts.Node): void => {
    if (!only401 || isFunctionLike(node)) return;
    if (ts.isReturnStatement(node)) only401 = false;
    else if (ts.isThrowStatement(node)) only401 = throws401(node.expression, ctx);
    else ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return only401;
}

function throws401(thrown: ts.Expression, ctx: ModelContext): boolean {
  const node = skipOuterExpressions(thrown);
  if (!ts.isNewExpression(node) || !ts.isIdentifier(node.expression)) return false;
  const imported = ctx.scopes.importOf(node.expression.text, node)?.imported;
  if (imported === 'UnauthorizedException') return true;
  const status = node.arguments?.[1];
  return imported === 'HttpException' && !!status && /^(401|HttpStatus\.UNAUTHORIZED)$/.test(status.getText(ctx.sourceFile));
}

function isControllerRoute(method: ts.MethodDeclaration, ctx: ModelContext): boolean {
  const cls = method.parent;
  if (!ts.isClassDeclaration(cls)) return false;
  return (ts.getDecorators(cls) ?? []).some((d) => {
    const expr = d.expression;
    const callee = ts.isCallExpression(expr) ? expr.expression : expr;
    return ts.isIdentifier(callee) && ctx.scopes.importOf(callee.text, cls)?.imported === 'Controller';
  });
}

/**
 * Adds `name` to the file's `@nestjs/common` import: undefined when already
 * imported, null when there is no named import to extend.
 */
function addNestImport(name: string, ctx: ModelContext): TextEdit | undefined | null {
  for (const statement of ctx.sourceFile.statements) {
    if (!ts.isImportDeclaration(statement) || stringValue(statement.moduleSpecifier) !== NEST_COMMON) continue;
    const bindings = statement.importClause?.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    if (bindings.elements.some((e) => (e.propertyName ?? e.name).text === name)) return undefined;
    const last = bindings.elements[bindings.elements.length - 1];
    if (!last) return null;
    return { start: last.getEnd(), end: last.getEnd(), text: `, ${name}` };
  }
  return null;
}

/** A filter's `catch(exception, host)` in a class decorated `@Catch(…)`, with the classes it names (none: every exception). */
function exceptionFilter(fn: ts.FunctionLikeDeclaration): { catches: ts.Expression[] } | undefined {
  if (!ts.isMethodDeclaration(fn) || propertyNameText(fn.name) !== 'catch' || !ts.isClassLike(fn.parent)) return undefined;
  for (const decorator of ts.getDecorators(fn.parent) ?? []) {
    const call = decorator.expression;
    if (ts.isCallExpression(call) && ts.isIdentifier(call.expression) && call.expression.text === 'Catch') return { catches: [...call.arguments] };
  }
  return undefined;
}

/** Whether a filter's `@Catch(X)` class takes in 401s: Nest's HttpException or UnauthorizedException, or a project class built as one. */
function mayBeUnauthorized(caught: ts.Expression, ctx: ModelContext): boolean {
  const node = skipOuterExpressions(caught);
  const imported = ts.isIdentifier(node) ? ctx.scopes.importOf(node.text, node) : undefined;
  if (imported?.module === NEST_COMMON) return imported.imported === 'HttpException' || imported.imported === 'UnauthorizedException';
  const construction = ctx.constructionOf(caught, []);
  return !!construction && construction.props.status?.kind === 'number' && construction.props.status.value === 401;
}
