import ts from 'typescript';
import { skipOuterExpressions } from '../ast';
import type { ModelContext } from '../model/context';
import { emitNamed, emitStatus, replaceNode, type FrameworkModule } from './framework';

const GATEWAY = 'moleculer-web';
const CORE = 'moleculer';
/** moleculer-web's errors for 401 and 403 (src/errors.js). */
const GATEWAY_ERRORS: Record<string, 401 | 403> = { UnAuthorizedError: 401, ForbiddenError: 403 };
const COUNTERPART: Record<string, string> = { UnAuthorizedError: 'ForbiddenError', ForbiddenError: 'UnAuthorizedError' };
/** Moleculer's own errors, which take the status as their second argument. */
const CORE_ERRORS = new Set(['MoleculerError', 'MoleculerClientError', 'MoleculerRetryableError', 'MoleculerServerError']);

/**
 * Moleculer behind moleculer-web: `throw new ApiGateway.Errors.UnAuthorizedError(ERR_NO_TOKEN)`
 * in the gateway's `authenticate`/`authorize`, and `new MoleculerClientError(msg, 401)` in an
 * action. The gateway's `sendError` answers with the error's code and a JSON
 * body, adding only `ctx.meta.$responseHeaders`; a service's own `onError`
 * writes the response itself, so a file that defines one is read as sending
 * what it likes.
 */
export const moleculer: FrameworkModule = {
  name: 'moleculer',
  kinds: [ts.SyntaxKind.NewExpression],
  appliesTo: (ctx) => ctx.scopes.mayImport(GATEWAY) || ctx.scopes.mayImport(CORE),
  recognize(node, ctx) {
    if (!ts.isNewExpression(node)) return false;
    const callee = skipOuterExpressions(node.expression) as ts.Expression;
    const gateway = gatewayError(callee, ctx);
    if (gateway) {
      const { name, member } = gateway;
      emitNamed(ctx, {
        framework: 'moleculer',
        node,
        delivery: 'error',
        carried: customErrorHandler(ctx) ? UNKNOWN : undefined,
        site: {
          value: GATEWAY_ERRORS[name],
          node: member ?? callee,
          form: 'exception-class',
          swap: member ? () => ({ edits: [replaceNode(ctx, member, COUNTERPART[name])], challenged: false }) : undefined,
        },
        remedy,
      });
      return true;
    }
    const status = node.arguments?.[1];
    if (!status || !isCoreError(callee, ctx)) return false;
    emitStatus(ctx, { framework: 'moleculer', node, delivery: 'error', status, carried: customErrorHandler(ctx) ? UNKNOWN : undefined, remedy });
    return true;
  },
  statusNames: Object.keys(GATEWAY_ERRORS),
};

const UNKNOWN = { names: new Set<string>(), unknown: true };

const remedy = (challenge: string) =>
  `moleculer-web answers the error with its code and only the headers of \`ctx.meta.$responseHeaders\`: set \`WWW-Authenticate: ${challenge}\` there before throwing it.`;

/** A service's own `onError`, or headers it hands the gateway (`ctx.meta.$responseHeaders`): what goes out with the error is not read here. */
function customErrorHandler(ctx: ModelContext): boolean {
  return /\bonError\b|\$responseHeaders\b/.test(ctx.text);
}

/**
 * `ApiGateway.Errors.UnAuthorizedError`, `E.UnAuthorizedError` with `E` the
 * gateway's `Errors`, or `UnAuthorizedError` destructured from them: the
 * class's name, and the member naming it (which a swap may rename).
 */
function gatewayError(callee: ts.Expression, ctx: ModelContext): { name: string; member?: ts.Identifier } | undefined {
  if (ts.isPropertyAccessExpression(callee)) {
    const name = callee.name.text;
    return name in GATEWAY_ERRORS && ts.isIdentifier(callee.name) && isGatewayErrors(callee.expression, ctx) ? { name, member: callee.name } : undefined;
  }
  if (!ts.isIdentifier(callee)) return undefined;
  const imported = ctx.scopes.importOf(callee.text, callee);
  if (imported) return imported.module === GATEWAY && imported.imported in GATEWAY_ERRORS ? { name: imported.imported } : undefined;
  const source = destructuredFrom(callee.text, ctx);
  return source && source.name in GATEWAY_ERRORS && isGatewayErrors(source.from, ctx) ? { name: source.name } : undefined;
}

/** `ApiGateway.Errors` with `ApiGateway` the gateway's import, or a name bound to them (`const E = require('moleculer-web').Errors`). */
function isGatewayErrors(expression: ts.Expression, ctx: ModelContext): boolean {
  const node = skipOuterExpressions(expression);
  if (ts.isPropertyAccessExpression(node)) {
    const owner = skipOuterExpressions(node.expression);
    if (node.name.text !== 'Errors' || !ts.isIdentifier(owner)) return false;
    const imported = ctx.scopes.importOf(owner.text, owner);
    return imported?.module === GATEWAY && (imported.imported === 'default' || imported.imported === '*');
  }
  if (!ts.isIdentifier(node)) return false;
  const imported = ctx.scopes.importOf(node.text, node);
  if (imported) return imported.module === GATEWAY && imported.imported === 'Errors';
  const declaration = ctx.scopes.lookup(node.text, node);
  return declaration?.kind === 'variable' && declaration.isConst && !!declaration.initializer && isGatewayErrors(declaration.initializer, ctx);
}

/** `const { UnAuthorizedError } = ApiGateway.Errors` at the top of the file: the object it is taken from. */
function destructuredFrom(name: string, ctx: ModelContext): { name: string; from: ts.Expression } | undefined {
  for (const statement of ctx.sourceFile.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isObjectBindingPattern(declaration.name) || !declaration.initializer) continue;
      for (const element of declaration.name.elements) {
        if (!ts.isIdentifier(element.name) || element.name.text !== name || element.dotDotDotToken) continue;
        const property = element.propertyName;
        const taken = property && ts.isIdentifier(property) ? property.text : name;
        return { name: taken, from: declaration.initializer };
      }
    }
  }
  return undefined;
}

/** `MoleculerClientError` of `require('moleculer').Errors`, as a destructured name or a member (`Errors.MoleculerClientError`). */
function isCoreError(callee: ts.Expression, ctx: ModelContext): boolean {
  if (ts.isPropertyAccessExpression(callee)) {
    if (!CORE_ERRORS.has(callee.name.text)) return false;
    const owner = skipOuterExpressions(callee.expression);
    if (ts.isPropertyAccessExpression(owner)) {
      const root = skipOuterExpressions(owner.expression);
      return owner.name.text === 'Errors' && ts.isIdentifier(root) && ctx.scopes.importOf(root.text, root)?.module === CORE;
    }
    return ts.isIdentifier(owner) && isCoreErrors(owner, ctx);
  }
  if (!ts.isIdentifier(callee)) return false;
  const imported = ctx.scopes.importOf(callee.text, callee);
  if (imported) return imported.module === CORE && CORE_ERRORS.has(imported.imported);
  const source = destructuredFrom(callee.text, ctx);
  if (!source || !CORE_ERRORS.has(source.name)) return false;
  const from = skipOuterExpressions(source.from);
  return ts.isIdentifier(from) ? isCoreErrors(from, ctx) : ts.isPropertyAccessExpression(from) && from.name.text === 'Errors' && ts.isIdentifier(from.expression) && ctx.scopes.importOf(from.expression.text, from.expression)?.module === CORE;
}

/** `Errors` of `require('moleculer')` (`const { Errors } = require('moleculer')`, `import { Errors } from 'moleculer'`). */
function isCoreErrors(identifier: ts.Identifier, ctx: ModelContext): boolean {
  const imported = ctx.scopes.importOf(identifier.text, identifier);
  return imported?.module === CORE && imported.imported === 'Errors';
}
