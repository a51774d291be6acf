import ts from 'typescript';
import { isAncestorOf, isFunctionLike, skipOuterExpressions } from '../ast';
import type { ErrorHandler, StatusEmission } from '../model/concepts';
import type { ModelContext } from '../model/context';
import { carriesHeader, conditionalWrite } from '../model/coverage';
import type { FrameworkModule } from './framework';

const HEADER = 'www-authenticate';

/**
 * A central error handler that maps the errors it is given to statuses in a
 * variable it then sends (`let statusCode = 500; switch (err.type) { case
 * MedusaError.Types.UNAUTHORIZED: statusCode = 401; … } res.status(statusCode)`):
 * the 401 is decided at the assignment, which is reported, with the send as related.
 */
export const handlerMappings: FrameworkModule = {
  name: 'handler-mappings',
  kinds: [],
  recognize: () => false,
  recognizeFile(ctx) {
    const { model } = ctx;
    if (model.errorHandlers.length === 0) return;
    const sends = model.emissions.filter((e) => !e.statusParameter && e.sites.length === 1 && e.sites[0].value === undefined);
    for (const send of sends) {
      const handler = model.errorHandlers.find((h) => isAncestorOf(h.fn, send.node));
      if (handler && !challenged(send, handler, ctx)) mapAssignments(send, handler, ctx);
    }
  },
};

/** A challenge set anywhere in the handler, or with the send, covers what it maps (`if (statusCode === 401) res.set(…)`). */
function challenged(send: StatusEmission, handler: ErrorHandler, ctx: ModelContext): boolean {
  const { model } = ctx;
  if (carriesHeader(send, HEADER, model) || conditionalWrite(send, HEADER, model)) return true;
  return model.headerWrites.some((write) => write.name === HEADER && write.op === 'set' && isAncestorOf(handler.fn, write.node));
}

function mapAssignments(send: StatusEmission, handler: ErrorHandler, ctx: ModelContext): void {
  const variable = letOf(send.sites[0].node, handler, ctx);
  if (!variable) return;
  for (const assignment of assignmentsTo(variable, handler.fn, ctx)) {
    const resolution = ctx.status(assignment.right);
    if (resolution.kind !== 'sites' || !resolution.sites.some((site) => site.value === 401 || site.value === 403)) continue;
    const statement = assignment.parent;
    const response = send.response;
    const setter = send.headerSetter;
    ctx.emit({
      framework: send.framework,
      node: assignment,
      delivery: 'status',
      carriedOnly: send.carriedOnly,
      sites: resolution.sites,
      response,
      carried: send.carried,
      headerSetter: setter,
      addHeader:
        response && setter && ts.isExpressionStatement(statement) && !response.key.includes(':')
          ? (name, value) => ctx.insertStatementBefore(statement, `${response.key}.${setter}(${ctx.quote(name)}, ${ctx.quote(value)});`)
          : undefined,
      mappedFor: send.node,
    });
  }
}

/** The `let` of the handler a status expression names. */
function letOf(node: ts.Node, handler: ErrorHandler, ctx: ModelContext): ts.VariableDeclaration | undefined {
  const expression = skipOuterExpressions(node);
  if (!ts.isIdentifier(expression)) return undefined;
  const declaration = ctx.scopes.lookup(expression.text, expression);
  if (declaration?.kind !== 'variable' || declaration.isConst || !isAncestorOf(handler.fn, declaration.node)) return undefined;
  return declaration.node;
}

function assignmentsTo(variable: ts.VariableDeclaration, fn: ts.FunctionLikeDeclaration, ctx: ModelContext): ts.BinaryExpression[] {
  const name = (variable.name as ts.Identifier).text;
  const found: ts.BinaryExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (node !== fn && (isFunctionLike(node) || ts.isClassLike(node))) return;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = skipOuterExpressions(node.left);
      if (ts.isIdentifier(left) && left.text === name) {
        const declaration = ctx.scopes.lookup(name, left);
        if (declaration?.kind === 'variable' && declaration.node === variable) found.push(node);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(fn);
  return found;
}
