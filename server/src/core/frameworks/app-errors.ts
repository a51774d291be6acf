import ts from 'typescript';
import { isFunctionLike, skipOuterExpressions } from '../ast';
import type { ModelContext } from '../model/context';
import type { HeaderBag, StatusSite } from '../model/concepts';
import type { StatusResolution } from '../model/status';
import type { Construction } from '../project/index';
import type { Value } from '../project/facts';
import { statusOf } from '../project/handlers';
import { emitNamed, emitStatus, NO_HEADERS, type FrameworkModule } from './framework';

/** Classes named for the status they carry (routing-controllers, ts-httpexceptions, countless apps). */
const NAMED: Record<string, number> = {
  UnauthorizedError: 401,
  UnauthorisedError: 401,
  NotAuthenticatedError: 401,
  UnauthenticatedError: 401,
  ForbiddenError: 403,
};

const CHALLENGED: HeaderBag = { names: new Set(['www-authenticate']), unknown: false };

const BUILT_IN_ERRORS = new Set(['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError', 'AggregateError']);

/**
 * Error classes an application defines to carry a status to its error
 * handler: `new ApiError(httpStatus.UNAUTHORIZED, 'Please authenticate')`,
 * `new AppError('Unauthorized', 401)`, `new UnauthorizedError()`. Their
 * handlers answer with the status and a body; nothing on the way adds a
 * challenge unless the code sets one on the response first.
 *
 * An application's error class may also be thrown where no HTTP response is
 * in sight (a service, a React server function, a job), so only errors raised
 * in a request handler or passed to Express's `next()` count.
 */
export const appErrors: FrameworkModule = {
  name: 'app-errors',
  kinds: [ts.SyntaxKind.NewExpression],
  recognize(node, ctx) {
    if (!ts.isNewExpression(node)) return false;
    const callee = skipOuterExpressions(node.expression);
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    if (!name || BUILT_IN_ERRORS.has(name)) return false;
    const construction = ctx.construction(node);
    if (construction && !construction.open) return constructed(node, construction, ctx);
    if (!/(Error|Exception)$/.test(name) || !inRequestHandler(node, ctx)) return false;
    const statusArg = (node.arguments ?? []).find((arg) => isStatusArgument(arg, ctx.status(arg)));
    if (statusArg) {
      emitStatus(ctx, { framework: 'app-errors', node, delivery: 'error', status: statusArg });
      return true;
    }
    if (name in NAMED && !declaredWithoutStatus(callee, ctx)) {
      emitNamed(ctx, { framework: 'app-errors', node, delivery: 'error', site: { value: NAMED[name], node: callee, form: 'exception-class' } });
      return true;
    }
    return false;
  },
  statusNames: Object.keys(NAMED),
};

/**
 * An error of a class the project describes: its status is what the class
 * chain sets from the arguments. It counts where a request handler raises it,
 * and anywhere (a service, a helper) when a central handler of the project
 * answers it.
 */
function constructed(node: ts.NewExpression, construction: Construction, ctx: ModelContext): boolean {
  const responded = responderCall(node, construction);
  if (responded) return respondedWith(node, responded, construction, ctx);
  const own = statusOf(construction.props);
  // An error that carries a status of its own is answered with it; only one without is mapped by the handlers.
  const status = own?.kind === 'number' ? authStatus(own) : mappedByHandler(construction, ctx);
  if (!status) return false;
  if (construction.framework === undefined && !inRequestHandler(node, ctx) && ctx.project!.handlersFor(construction).length === 0) return false;
  const site = statusArgument(node, status.value, ctx) ?? { value: status.value, node: node.expression, form: 'exception-class' as const };
  emitNamed(ctx, { framework: construction.framework ?? 'app-errors', node, delivery: 'error', site, construction });
  return true;
}

function authStatus(value: Value | undefined): { kind: 'number'; value: 401 | 403 } | undefined {
  return value?.kind === 'number' && (value.value === 401 || value.value === 403) ? (value as { kind: 'number'; value: 401 | 403 }) : undefined;
}

/**
 * An error whose class carries a code, not a status (`this.code = 'UNAUTHORIZED_ERROR'`),
 * that the project's central handlers map to one (`set.status = getHttpErrorCode(error.code)`):
 * the status they agree on, when every one that maps it does.
 */
function mappedByHandler(construction: Construction, ctx: ModelContext): { kind: 'number'; value: 401 | 403 } | undefined {
  // A handler maps an error by a code it carries (`getHttpErrorCode(error.code)`): without one known, no mapping can answer,
  // and asking for every error the project builds would read every file that may hold a handler.
  if (!isError(construction) || !Object.values(construction.props).some((value) => value.kind === 'string')) return undefined;
  const mapped = ctx.project!.handlersFor(construction).filter((served) => served.status);
  const statuses = new Set(mapped.map((served) => authStatus(served.status)?.value));
  const [only] = statuses;
  return statuses.size === 1 && only !== undefined ? { kind: 'number', value: only } : undefined;
}

/** A class whose chain ends in a built-in error, a framework's or a package's class (which may be one), as `ProjectIndex.carriesAuth` takes it. */
function isError(construction: Construction): boolean {
  const root = construction.chain[construction.chain.length - 1] ?? '';
  return construction.open || construction.framework !== undefined || root.startsWith('#global#');
}

type Responder = NonNullable<Construction['responders']>[number];

/** `new ChatSDKError('unauthorized:chat').toResponse()`: a method of the class that turns it into a response. */
function responderCall(node: ts.NewExpression, construction: Construction): { call: ts.CallExpression; responder: Responder } | undefined {
  if (!construction.responders) return undefined;
  const access = node.parent;
  if (!ts.isPropertyAccessExpression(access) || access.expression !== node || !ts.isCallExpression(access.parent) || access.parent.expression !== access) return undefined;
  const responder = construction.responders.find((r) => r.responder.name === access.name.text);
  return responder && { call: access.parent, responder };
}

/** The response the method builds carries the status the class maps the arguments to; the method's body decides the challenge. */
function respondedWith(node: ts.NewExpression, { call, responder }: { call: ts.CallExpression; responder: Responder }, construction: Construction, ctx: ModelContext): boolean {
  const status = construction.props[responder.responder.statusProperty];
  if (status?.kind !== 'number' || (status.value !== 401 && status.value !== 403)) return false;
  const site = statusArgument(node, status.value, ctx) ?? { value: status.value, node: node.expression, form: 'exception-class' as const };
  ctx.emit({
    framework: 'app-errors',
    node: call,
    delivery: 'response',
    carriedOnly: false,
    sites: [site],
    carried: responder.responder.challenge ? CHALLENGED : NO_HEADERS,
    helperElsewhere: { file: responder.file, name: `${responder.className}#${responder.responder.name}`, sendAt: responder.responder.at },
  });
  return true;
}

/** The argument (or an argument's property) the status is written in, so that a fix to the status edits it there. */
function statusArgument(node: ts.NewExpression, status: number, ctx: ModelContext): StatusSite | undefined {
  for (const arg of node.arguments ?? []) {
    const inner = skipOuterExpressions(arg);
    const candidates = ts.isObjectLiteralExpression(inner)
      ? inner.properties.flatMap((p) => (ts.isPropertyAssignment(p) ? [p.initializer] : ts.isShorthandPropertyAssignment(p) ? [p.name] : []))
      : [arg];
    for (const candidate of candidates) {
      const resolution = ctx.status(candidate);
      const site = resolution.kind === 'sites' && resolution.sites.length === 1 ? resolution.sites[0] : undefined;
      if (site?.value === status) return site;
    }
  }
  return undefined;
}

/**
 * A class of that name declared in this file whose body holds no status (no
 * 401 or 403, no `status` or `statusCode` member): its name is all that says
 * 401, and a client's `class UnauthorizedError extends Error {}` carries none.
 */
function declaredWithoutStatus(callee: ts.Node, ctx: ModelContext): boolean {
  if (!ts.isIdentifier(callee)) return false;
  const declaration = ctx.scopes.lookup(callee.text, callee);
  if (declaration?.kind !== 'class') return false;
  let status = false;
  const visit = (node: ts.Node): void => {
    if (status) return;
    if (ts.isNumericLiteral(node) && (node.text === '401' || node.text === '403')) status = true;
    else if (ts.isIdentifier(node) && /^(status|statusCode|httpStatus|code)$/.test(node.text)) status = true;
    else ts.forEachChild(node, visit);
  };
  visit(declaration.node);
  return !status && !declaration.node.heritageClauses?.some((clause) => clause.types.some((type) => !BUILT_IN_ERRORS.has(type.expression.getText(ctx.sourceFile))));
}

function inRequestHandler(node: ts.Node, ctx: ModelContext): boolean {
  const parent = node.parent;
  if (ts.isCallExpression(parent) && ts.isIdentifier(parent.expression) && parent.expression.text === 'next') return true;
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (!isFunctionLike(current)) continue;
    if (current.parameters.some((p) => ts.isIdentifier(p.name) && !declaredAsRequest(p, ctx) && ctx.responseRef(p.name))) return true;
  }
  return false;
}

/** `ctx: RequestContext` (Vendure's GraphQL resolvers and services) is a request's context, not a response, whatever its name. */
function declaredAsRequest(param: ts.ParameterDeclaration, ctx: ModelContext): boolean {
  return !!param.type && /Request/.test(param.type.getText(ctx.sourceFile));
}

/** Only a literal or named 401/403 marks an argument as the status: other numbers may be anything (a code, a count). */
function isStatusArgument(arg: ts.Expression, resolution: StatusResolution): boolean {
  if (resolution.kind !== 'sites') return false;
  return resolution.sites.length > 0 && resolution.sites.every((site) => site.value === 401 || site.value === 403) && !ts.isSpreadElement(arg);
}
