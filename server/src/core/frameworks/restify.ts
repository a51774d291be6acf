import ts from 'typescript';
import { skipOuterExpressions } from '../ast';
import type { ModelContext } from '../model/context';
import type { TextEdit } from '../types';
import { emitNamed, emitStatus, replaceNode, type FrameworkModule } from './framework';

const ERRORS_MODULE = 'restify-errors';
/** Restify up to 4 exported the errors from itself, as `restify.errors.X` and `restify.X`. */
const RESTIFY = 'restify';
/** restify-errors' classes for 401 and 403: the HTTP ones, and the REST ones named for the credential. */
const CLASSES: Record<string, 401 | 403> = { UnauthorizedError: 401, InvalidCredentialsError: 401, ForbiddenError: 403, NotAuthorizedError: 403 };
const COUNTERPART: Record<string, string> = {
  UnauthorizedError: 'ForbiddenError',
  ForbiddenError: 'UnauthorizedError',
  InvalidCredentialsError: 'NotAuthorizedError',
  NotAuthorizedError: 'InvalidCredentialsError',
};

/**
 * restify-errors: `next(new errors.InvalidCredentialsError())`,
 * `new NotAuthorizedError()`, `errors.makeErrFromCode(401)`. Restify sends
 * such an error with `res.send(err)`: its status, a JSON body, and the
 * headers already set on the response, never a challenge of its own.
 */
export const restify: FrameworkModule = {
  name: 'restify',
  kinds: [ts.SyntaxKind.CallExpression, ts.SyntaxKind.NewExpression],
  appliesTo: (ctx) => ctx.scopes.mayImport(ERRORS_MODULE) || ctx.scopes.mayImport(RESTIFY),
  recognize(node, ctx) {
    if (!ts.isCallExpression(node) && !ts.isNewExpression(node)) return false;
    const callee = skipOuterExpressions(node.expression);
    if (ts.isIdentifier(callee)) return importedClass(node, callee, ctx);
    if (!ts.isPropertyAccessExpression(callee) || !isErrorsObject(callee.expression, ctx)) return false;
    if (callee.name.text === 'makeErrFromCode') return fromCode(node, ctx);
    const value = CLASSES[callee.name.text];
    if (value === undefined) return false;
    const member = callee.name;
    emitNamed(ctx, {
      framework: 'restify',
      node,
      delivery: 'error',
      site: { value, node: member, form: 'exception-class', swap: () => ({ edits: [replaceNode(ctx, member, COUNTERPART[member.text])], challenged: false }) },
      addHeader: (name, text) => headerBeforeRaise(node, name, text, ctx),
      remedy,
    });
    return true;
  },
  statusNames: Object.keys(CLASSES),
};

/** `const { InvalidCredentialsError } = require('restify-errors')` … `new InvalidCredentialsError()`: no swap, the other class is not imported. */
function importedClass(node: ts.CallExpression | ts.NewExpression, callee: ts.Identifier, ctx: ModelContext): boolean {
  const imported = ctx.scopes.importOf(callee.text, callee);
  const value = imported?.module === ERRORS_MODULE ? CLASSES[imported.imported] : undefined;
  if (value === undefined) return false;
  emitNamed(ctx, {
    framework: 'restify',
    node,
    delivery: 'error',
    site: { value, node: callee, form: 'exception-class' },
    addHeader: (name, text) => headerBeforeRaise(node, name, text, ctx),
    remedy,
  });
  return true;
}

/** `errors.makeErrFromCode(401, msg)`: the class for the status. */
function fromCode(node: ts.CallExpression | ts.NewExpression, ctx: ModelContext): boolean {
  const status = node.arguments?.[0];
  if (!status) return false;
  emitStatus(ctx, { framework: 'restify', node, delivery: 'error', status, addHeader: (name, text) => headerBeforeRaise(node, name, text, ctx), remedy });
  return true;
}

const remedy = (challenge: string) =>
  `Restify sends the error with the headers already set on the response: set \`WWW-Authenticate: ${challenge}\` with \`res.header(…)\` before passing it on.`;

/** `errors` of `require('restify-errors')` (whole, or `* as`), `restify.errors`, or `restify` itself (v4). */
function isErrorsObject(expression: ts.Expression, ctx: ModelContext): boolean {
  const node = skipOuterExpressions(expression);
  if (ts.isPropertyAccessExpression(node)) return node.name.text === 'errors' && isWholeImport(node.expression, RESTIFY, ctx);
  return isWholeImport(node, ERRORS_MODULE, ctx) || isWholeImport(node, RESTIFY, ctx);
}

function isWholeImport(expression: ts.Node, module: string, ctx: ModelContext): boolean {
  const node = skipOuterExpressions(expression);
  if (!ts.isIdentifier(node)) return false;
  const imported = ctx.scopes.importOf(node.text, node);
  return imported?.module === module && (imported.imported === 'default' || imported.imported === '*');
}

/**
 * `res.header('WWW-Authenticate', …)` before the statement that raises the
 * error, on the response of the handler around it: restify's `res.send(err)`
 * keeps the headers set on the response.
 */
function headerBeforeRaise(node: ts.Node, name: string, value: string, ctx: ModelContext): TextEdit[] | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (!ts.isFunctionLike(current)) continue;
    const response = current.parameters.find((param) => ts.isIdentifier(param.name) && ctx.responseRef(param.name));
    if (!response) return undefined;
    const text = (response.name as ts.Identifier).text;
    return ctx.insertStatementBefore(node, `${text}.header(${ctx.quote(name)}, ${ctx.quote(value)});`);
  }
  return undefined;
}
