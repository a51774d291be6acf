import ts from 'typescript';
import { isFunctionLike, skipOuterExpressions } from '../ast';
import { rangeOf } from '../positions';
import type { MountFact, Span, Value } from '../project/facts';
import type { RelatedLocation } from '../types';
import { DECORATION_MODULE, GLOBAL_MODULE, ValueReader } from '../project/values';
import type { FileModel, Mount, MountStep } from './concepts';
import type { ModelContext } from './context';
import type { GuardClassifier } from './guard-kind';

/** What a middleware of this file is, for its mounts: the function, or the declaration that holds it (`const admin = asyncHandler(…)`). */
export type Middleware = ts.FunctionDeclaration | ts.VariableDeclaration | ts.FunctionLikeDeclaration;

/** Decides, for a status, whether the caller is authenticated by the time the code sending it runs. */
export interface AuthenticationEvidence {
  /** Whether a 401 inside `fn` is sent because the caller's credential failed. */
  sendsAuthenticationFailure(fn: ts.FunctionLikeDeclaration): boolean;
  /** Whether `fn` lets a request without a credential through (optional authentication). */
  passesWithoutCredential(fn: ts.FunctionLikeDeclaration): boolean;
}

/**
 * The order middleware runs in on the file's routes (`router.get('/', protect,
 * admin, handler)`, `router.use(protect)` before routes, `app.use('/admin',
 * protect, adminRouter)`), and for a binding of the file, on the routes of
 * other files (through the project index). A middleware mounted only after
 * one that authenticates the caller runs for a known caller: what it refuses
 * there is a permission.
 *
 * A middleware authenticates when its own code shows it: it sends a 401 for
 * a failed credential or verifies one (`jwt.verify(token, …)`), and does not
 * let a request without one through (`if (!token) return next()` is optional
 * authentication); or it is a library's (`passport.authenticate('jwt')`,
 * named by the framework module). Its name says nothing.
 */
export class MountOrder {
  private readonly reader: ValueReader;
  private readonly authenticating = new Map<ts.Node, boolean>();
  /** Each middleware decided: undefined when it may run for an unknown caller, else the mounts that run it after authentication. */
  private readonly afterAuthentication = new Map<ts.Node, RelatedLocation[] | undefined>();
  /** Functions being decided, so that two middlewares mounted before each other are not read forever. */
  private readonly deciding = new Set<ts.Node>();

  constructor(
    private readonly model: FileModel,
    private readonly ctx: ModelContext,
    private readonly classifier: GuardClassifier,
    private readonly evidence: AuthenticationEvidence,
  ) {
    this.reader = new ValueReader(ctx.scopes);
  }

  /**
   * The mounts that run the code at `node` after the caller is authenticated,
   * when the middleware it belongs to is mounted somewhere and, wherever it is
   * mounted, something that authenticates runs before it; else undefined. One
   * mount without authentication is enough to leave it open, since its
   * statuses then answer callers nobody has identified.
   */
  authenticatedMounts(node: ts.Node): RelatedLocation[] | undefined {
    if (this.model.mounts.length === 0 && !this.ctx.project) return undefined;
    const middleware = middlewareOf(node, this.model);
    return middleware && this.middlewareAfterAuthentication(middleware);
  }

  private middlewareAfterAuthentication(middleware: Middleware): RelatedLocation[] | undefined {
    if (!this.afterAuthentication.has(middleware)) this.afterAuthentication.set(middleware, this.decideAfterAuthentication(middleware));
    return this.afterAuthentication.get(middleware);
  }

  private decideAfterAuthentication(middleware: Middleware): RelatedLocation[] | undefined {
    if (this.deciding.has(middleware)) return undefined;
    this.deciding.add(middleware);
    try {
      const places: RelatedLocation[] = [];
      for (const { mount, index } of this.mountsOf(middleware)) {
        if (!this.mountAuthenticated(mount, index)) return undefined;
        places.push(this.related(this.ctx.sourceFile.fileName, this.spanOf(mount)));
      }
      const name = topLevelName(middleware);
      const decoration = this.decorationOf(middleware);
      const project = this.ctx.project;
      const elsewhere = !project ? undefined : name !== undefined ? project.mounted(name) : decoration !== undefined ? project.decorationMounted(decoration) : undefined;
      if (elsewhere?.kind === 'open') return undefined;
      if (elsewhere?.kind === 'authenticated') places.push(...elsewhere.at.map(({ file, at }) => this.related(file, at)));
      return places.length > 0 ? places : undefined;
    } finally {
      this.deciding.delete(middleware);
    }
  }

  /** From the method name on (`get(protect, admin, h)` of `router.route('/').get(…)`): a chain of routes is one expression. */
  private spanOf(mount: Mount): Span {
    const callee = skipOuterExpressions(mount.node.expression);
    const start = (ts.isPropertyAccessExpression(callee) ? callee.name : mount.node).getStart(this.ctx.sourceFile);
    const end = mount.node.getEnd();
    return { start, end, range: rangeOf(this.ctx.sourceFile, start, end) };
  }

  private related(file: string, at: Span): RelatedLocation {
    return { filePath: file, start: at.start, end: at.end, range: at.range, message: 'Mounted here after authentication.' };
  }

  /** The mounts of this file that run `middleware`, with its place among their steps. */
  private *mountsOf(middleware: Middleware): Generator<{ mount: Mount; index: number }> {
    for (const mount of this.model.mounts) {
      if (mount.decorates !== undefined) continue;
      for (let index = 0; index < mount.steps.length; index++) {
        if (this.localTarget(mount.steps[index].expression) === middleware) yield { mount, index };
      }
    }
  }

  /** Whether a step before `index` of `mount`, or a router-wide `use` before the mount, authenticates; or the router itself runs after authentication. */
  private mountAuthenticated(mount: Mount, index: number): boolean {
    if (this.before(mount).some((step) => this.authenticates(step))) return true;
    if (mount.steps.slice(0, index).some((step) => this.authenticates(step))) return true;
    const router = mount.router && this.routerDeclaration(mount.router);
    return !!router && this.middlewareAfterAuthentication(router) !== undefined;
  }

  /** The steps of the router-wide `use`s made before `mount` on its router, under a path that covers it. */
  private before(mount: Mount): MountStep[] {
    const router = mount.router?.text;
    if (router === undefined) return [];
    const steps: MountStep[] = [];
    for (const earlier of this.model.mounts) {
      if (earlier === mount) break;
      if (!earlier.routerWide || earlier.router?.text !== router || !covers(earlier.path, mount.path)) continue;
      steps.push(...earlier.steps);
    }
    return steps;
  }

  /** Whether a step authenticates the caller: a library's middleware, one of this file, or an import the project says does. */
  authenticates(step: MountStep): boolean {
    if (step.authenticates) return true;
    if (step.decoration !== undefined) {
      const local = this.decorated(step.decoration);
      return local ? this.middlewareAuthenticates(local) : !!this.ctx.project?.authenticates(decorationRef(step.decoration));
    }
    const local = this.localTarget(step.expression);
    if (local) return this.middlewareAuthenticates(local);
    const ref = this.importedRef(step.expression);
    return !!ref && !!this.ctx.project?.authenticates(ref);
  }

  private middlewareAuthenticates(middleware: Middleware): boolean {
    let known = this.authenticating.get(middleware);
    if (known === undefined) {
      const fn = runnableFunction(middleware);
      known = !!fn && (this.evidence.sendsAuthenticationFailure(fn) || this.verifiesIn(fn)) && !this.evidence.passesWithoutCredential(fn);
      this.authenticating.set(middleware, known);
    }
    return known;
  }

  private verifiesIn(fn: ts.FunctionLikeDeclaration): boolean {
    const visit = (node: ts.Node): boolean => (ts.isCallExpression(node) && this.classifier.verifiesCaller(node)) || !!ts.forEachChild(node, visit);
    return !!fn.body && visit(fn.body);
  }

  private localTarget(step: ts.Expression): Middleware | undefined {
    return localMiddleware(step, this.ctx);
  }

  /** The function this file gives the instance as decoration `name`. */
  private decorated(name: string): ts.FunctionLikeDeclaration | undefined {
    const mount = this.model.mounts.find((m) => m.decorates === name);
    const step = mount?.steps[0]?.expression;
    return step && isFunctionLike(step) ? step : undefined;
  }

  private decorationOf(middleware: Middleware): string | undefined {
    return this.model.mounts.find((m) => m.decorates !== undefined && m.steps[0]?.expression === middleware)?.decorates;
  }

  private routerDeclaration(router: ts.Identifier): ts.VariableDeclaration | undefined {
    const declaration = this.ctx.scopes.lookup(router.text, router);
    return declaration?.kind === 'variable' ? declaration.node : undefined;
  }

  /** The import a step names (`admin`, `auth.admin`, `authorize('admin')`), as a ref written in this file. */
  private importedRef(step: ts.Expression): Value | undefined {
    const node = skipOuterExpressions(step) as ts.Expression;
    const named = ts.isCallExpression(node) ? (skipOuterExpressions(node.expression) as ts.Expression) : node;
    let base: ts.Expression = named;
    while (ts.isPropertyAccessExpression(base)) base = skipOuterExpressions(base.expression) as ts.Expression;
    if (!ts.isIdentifier(base) || !this.ctx.scopes.importOf(base.text, base)) return undefined;
    const ref = this.reader.read(named);
    return ref.kind === 'ref' && ref.module !== '' && ref.module !== GLOBAL_MODULE ? ref : undefined;
  }

  /** The file's mounts of imported bindings, for the project: what runs before each. */
  mountFacts(): MountFact[] {
    const facts: MountFact[] = [];
    for (const mount of this.model.mounts) {
      if (mount.decorates !== undefined) continue;
      const router = mount.router && this.routerDeclaration(mount.router);
      const routerName = router ? topLevelName(router) : undefined;
      const before = this.before(mount);
      mount.steps.forEach((step, index) => {
        const target = this.stepRef(step);
        if (!target) return;
        const earlier = [...before, ...mount.steps.slice(0, index)];
        const local = (s: MountStep) => !!this.localTarget(s.expression) || (s.decoration !== undefined && !!this.decorated(s.decoration));
        const after = earlier.flatMap((s) => (s.authenticates || local(s) ? [] : [this.stepRef(s)].filter((r): r is Value => !!r)));
        const authenticated = earlier.some((s) => s.authenticates || (local(s) && this.authenticates(s)));
        facts.push({ target, authenticated, after, ...(routerName !== undefined ? { router: routerName } : {}), at: this.spanOf(mount) });
      });
    }
    return facts;
  }

  /** An import a step names, or the decoration it reads off the instance. */
  private stepRef(step: MountStep): Value | undefined {
    return step.decoration !== undefined ? decorationRef(step.decoration) : this.importedRef(step.expression);
  }

  /** The decorations this file gives the instance that authenticate the caller (`fastify.decorate('authenticate', …)`). */
  decoratedAuthenticators(): string[] {
    return this.model.mounts.flatMap((mount) => {
      const fn = mount.decorates !== undefined ? this.decorated(mount.decorates) : undefined;
      return fn && fn === mount.steps[0].expression && this.middlewareAuthenticates(fn) ? [mount.decorates!] : [];
    });
  }

  /** The file's top-level bindings that authenticate the caller when mounted (`protect`, a factory such as `auth(…rights)`). */
  authenticatorNames(): string[] {
    const names: string[] = [];
    for (const statement of this.model.sourceFile.statements) {
      const declarations = ts.isFunctionDeclaration(statement) ? [statement] : ts.isVariableStatement(statement) ? statement.declarationList.declarations : [];
      for (const declaration of declarations) {
        if (!declaration.name || !ts.isIdentifier(declaration.name)) continue;
        const fn = runnableFunction(declaration);
        if (fn && isMiddlewareShaped(fn) && this.middlewareAuthenticates(declaration)) names.push(declaration.name.text);
      }
    }
    return names;
  }
}

/**
 * The middleware the code at `node` belongs to: the nearest function that is
 * a declaration of the file, a step written in place, or what a wrapper or a
 * factory returns (`asyncHandler(async (req, res) => …)`, `(role) => (req, res, next) => …`).
 * Callbacks inside it (`jwt.verify(t, k, (err) => …)`) belong to it.
 */
function middlewareOf(node: ts.Node, model: FileModel): Middleware | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionDeclaration(current)) return current;
    // A wrapper's call (`asyncHandler(…)`) holds a middleware at the top level; inside one, it is a call the middleware makes.
    if (ts.isVariableDeclaration(current) && current.initializer && (isFunctionLike(skipOuterExpressions(current.initializer)) || (topLevelName(current) && runnableFunction(current)))) {
      return current;
    }
    if (isFunctionLike(current) && model.mounts.some((mount) => mount.steps.some((step) => step.expression === current))) return current;
    if (ts.isClassLike(current) || ts.isSourceFile(current)) return undefined;
  }
  return undefined;
}

/** The function that runs as the middleware: the declared one, the one a wrapper is given, or the one a factory returns. */
/**
 * The middleware of this file a step names: a function written in place, a
 * local name, or the factory a call names (`authorize('admin')`); a variable
 * counts when `accepts` takes its initializer.
 */
export function localMiddleware(step: ts.Expression, ctx: ModelContext, accepts: (initializer: ts.Expression) => boolean = () => true): Middleware | undefined {
  const node = skipOuterExpressions(step) as ts.Expression;
  if (isFunctionLike(node)) return node;
  const name = ts.isCallExpression(node) ? skipOuterExpressions(node.expression) : node;
  if (!ts.isIdentifier(name)) return undefined;
  const declaration = ctx.scopes.lookup(name.text, name);
  if (declaration?.kind === 'function') return declaration.node;
  if (declaration?.kind === 'variable' && declaration.initializer && accepts(declaration.initializer)) return declaration.node;
  return undefined;
}

export function runnableFunction(middleware: Middleware): ts.FunctionLikeDeclaration | undefined {
  let node: ts.Node | undefined = ts.isVariableDeclaration(middleware) ? middleware.initializer && skipOuterExpressions(middleware.initializer) : middleware;
  // `asyncHandler(async (req, res, next) => …)`
  if (node && ts.isCallExpression(node)) node = node.arguments.map((arg) => skipOuterExpressions(arg)).find(isFunctionLike);
  if (!node || !isFunctionLike(node)) return undefined;
  const returned = returnedFunction(node);
  return returned ?? node;
}

/** `(role) => (req, res, next) => …`, `function auth(rights) { return async (req, res, next) => … }` */
function returnedFunction(fn: ts.FunctionLikeDeclaration): ts.FunctionLikeDeclaration | undefined {
  const body = fn.body;
  if (!body) return undefined;
  if (!ts.isBlock(body)) {
    const inner = skipOuterExpressions(body);
    return isFunctionLike(inner) ? inner : undefined;
  }
  const last = body.statements[body.statements.length - 1];
  const returned = last && ts.isReturnStatement(last) && last.expression ? skipOuterExpressions(last.expression) : undefined;
  return returned && isFunctionLike(returned) ? returned : undefined;
}

/** `(req, res, next)`, Koa's `(ctx, next)`, Fastify's `(request, reply)`. */
export function isMiddlewareShaped(fn: ts.FunctionLikeDeclaration): boolean {
  return fn.parameters.length >= 2 && fn.parameters.length <= 3;
}

export function topLevelName(middleware: Middleware): string | undefined {
  if (ts.isFunctionDeclaration(middleware)) return middleware.name && ts.isSourceFile(middleware.parent) ? middleware.name.text : undefined;
  if (!ts.isVariableDeclaration(middleware) || !ts.isIdentifier(middleware.name)) return undefined;
  const statement = middleware.parent.parent;
  return ts.isVariableStatement(statement) && ts.isSourceFile(statement.parent) ? middleware.name.text : undefined;
}

function decorationRef(name: string): Value {
  return { kind: 'ref', module: DECORATION_MODULE, name, path: [] };
}

/** Whether a `use` at `path` runs before a mount at `mounted`: no path covers all; `/admin` covers `/admin/users`. */
export function covers(path: string | undefined, mounted: string | undefined): boolean {
  if (path === undefined || path === '/' || path === '*') return true;
  if (mounted === undefined) return false;
  const prefix = path.endsWith('/') ? path.slice(0, -1) : path;
  return mounted === prefix || mounted.startsWith(`${prefix}/`);
}
