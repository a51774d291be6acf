import ts from 'typescript';
import { skipOuterExpressions, stringValue } from '../ast';
import type { ModelContext } from '../model/context';
import type { TextEdit } from '../types';
import { asSwap, emitNamed, type FrameworkModule } from './framework';

const ERRORS_MODULE = '@feathersjs/errors';
const CLASSES: Record<string, 401 | 403> = { NotAuthenticated: 401, Forbidden: 403 };
/** Calls that raise the error they are given: Express's `next`, a promise's `reject`. */
const RAISERS = new Set(['next', 'reject']);
const CLASS_FOR: Record<401 | 403, string> = { 401: 'NotAuthenticated', 403: 'Forbidden' };

/**
 * Feathers: `NotAuthenticated` (401) and `Forbidden` (403) from
 * `@feathersjs/errors`, thrown in hooks and services. No Feathers transport
 * sets a challenge: the Express `errorHandler` sends the error's code and
 * JSON, the Koa one the same (`packages/express/src/handlers.ts`), so the
 * header belongs in the error handler's answer to a 401.
 */
export const feathers: FrameworkModule = {
  name: 'feathers',
  kinds: [ts.SyntaxKind.NewExpression],
  appliesTo: (ctx) => ctx.usesModule((m) => m === ERRORS_MODULE),
  recognize(node, ctx) {
    if (!ts.isNewExpression(node) || !isRaised(node)) return false;
    const found = errorClass(skipOuterExpressions(node.expression) as ts.Expression, ctx);
    if (!found) return false;
    emitNamed(ctx, {
      framework: 'feathers',
      node,
      delivery: 'error',
      site: { value: CLASSES[found.name], node: found.nameNode, form: 'exception-class', swap: (to) => asSwap(swapClass(found, to, ctx)) },
      remedy: (challenge) =>
        `Feathers sends this error with no challenge: set \`WWW-Authenticate: ${challenge}\` where the app's error handler answers a 401 ` +
        '(`errorHandler({ json: { 401: (error, req, res) => … } })` from @feathersjs/express).',
    });
    return true;
  },
  statusNames: Object.keys(CLASSES),
};

interface Found {
  name: string;
  nameNode: ts.Identifier;
  /** The named import the class came through, when it did: a swap adds its counterpart there. */
  named: boolean;
}

/** `new NotAuthenticated()` (named import), `new errors.Forbidden()` (`import { errors }`, `import * as errors`, `require`). */
function errorClass(callee: ts.Expression, ctx: ModelContext): Found | undefined {
  if (ts.isIdentifier(callee)) {
    const imported = ctx.scopes.importOf(callee.text, callee);
    if (imported?.module !== ERRORS_MODULE || !(imported.imported in CLASSES) || imported.imported !== callee.text) return undefined;
    return { name: imported.imported, nameNode: callee, named: true };
  }
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.name) || !(callee.name.text in CLASSES)) return undefined;
  const owner = skipOuterExpressions(callee.expression);
  if (!ts.isIdentifier(owner) || ctx.scopes.importOf(owner.text, owner)?.module !== ERRORS_MODULE) return undefined;
  return { name: callee.name.text, nameNode: callee.name, named: false };
}

/** `NotAuthenticated` ↔ `Forbidden`, adding the counterpart to the named import. */
function swapClass(found: Found, to: 401 | 403, ctx: ModelContext): TextEdit[] | undefined {
  const target = CLASS_FOR[to];
  const rename = { start: found.nameNode.getStart(ctx.sourceFile), end: found.nameNode.getEnd(), text: target };
  if (!found.named) return [rename];
  const bound = ctx.scopes.lookup(target, found.nameNode);
  if (bound) return bound.kind === 'import' && bound.module === ERRORS_MODULE && bound.imported === target ? [rename] : undefined;
  const importEdit = addToImport(target, ctx);
  return importEdit && [rename, importEdit];
}

function addToImport(name: string, ctx: ModelContext): TextEdit | undefined {
  for (const statement of ctx.sourceFile.statements) {
    if (!ts.isImportDeclaration(statement) || stringValue(statement.moduleSpecifier) !== ERRORS_MODULE) continue;
    const bindings = statement.importClause?.namedBindings;
    const last = bindings && ts.isNamedImports(bindings) ? bindings.elements[bindings.elements.length - 1] : undefined;
    if (last) return { start: last.getEnd(), end: last.getEnd(), text: `, ${name}` };
  }
  return undefined;
}

/**
 * Whether the error is raised: thrown, returned (a hook may return a rejected
 * error), or passed to `next()` or a rejection. Built for anything else (the
 * body of \`res.send(…)\`, a client's \`this.handleError(…)\`), it sends nothing.
 */
function isRaised(node: ts.NewExpression): boolean {
  let child: ts.Node = node;
  let parent = node.parent;
  while (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isAwaitExpression(parent)) [child, parent] = [parent, parent.parent];
  if (ts.isThrowStatement(parent) || ts.isReturnStatement(parent)) return true;
  if (ts.isArrowFunction(parent)) return parent.body === child;
  if (!ts.isCallExpression(parent) || !parent.arguments.includes(child as ts.Expression)) return false;
  const callee = skipOuterExpressions(parent.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  return name !== undefined && RAISERS.has(name);
}
