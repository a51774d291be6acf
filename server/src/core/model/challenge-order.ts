import ts from 'typescript';
import { isAncestorOf, isFunctionLike, skipOuterExpressions } from '../ast';
import { rangeOf } from '../positions';
import type { MountFact, Span, Value } from '../project/facts';
import { challengedParameter } from '../project/helpers';
import { GLOBAL_MODULE, ValueReader } from '../project/values';
import type { ErrorHandler, FileModel } from './concepts';
import type { ModelContext } from './context';
import { covers, isMiddlewareShaped, localMiddleware, runnableFunction, topLevelName, type Middleware } from './mount-order';

const HEADER = 'www-authenticate';

/** Steps that run in order for a request: a route's or `use`'s, or an array of middleware (which Koa's compose and the routers run in order). */
interface Chain {
  node: ts.Node;
  steps: ts.Expression[];
  via: 'route' | 'array';
}

/**
 * Which code runs after a middleware that adds WWW-Authenticate to the errors
 * thrown after it and passes them on (`try { await next() } catch (err) {
 * ctx.append('WWW-Authenticate', …); throw err }`): a 401 thrown there
 * reaches the central error handler with its challenge already on the
 * response. Decided by where the code is mounted and called, in this file
 * and (through the project) in others; names say nothing.
 */
export class ChallengeOrder {
  private readonly reader: ValueReader;
  private chainList: Chain[] | undefined;
  /** Each function read: the imported helpers it sets the challenge through ([] for itself), or null when it is no challenger. */
  private readonly helpers = new Map<ts.Node, Value[] | null>();
  private localSetters: Set<ts.Node> | undefined;

  constructor(
    private readonly model: FileModel,
    private readonly ctx: ModelContext,
  ) {
    this.reader = new ValueReader(ctx.scopes);
  }

  /**
   * Whether the code at `node` runs only after a challenger: the middleware
   * it belongs to is run somewhere, and everywhere it is run (this file's
   * routes and arrays, other files' mounts and calls) a challenger runs first.
   */
  challenged(node: ts.Node): boolean {
    if (this.model.errorHandlers.length === 0 && !this.ctx.project) return false;
    for (let current = node.parent; current && !ts.isSourceFile(current); current = current.parent) {
      if (ts.isClassLike(current)) return false;
      const inline = isFunctionLike(current) ? this.inlinePosition(current) : undefined;
      if (inline) return this.positionChallenged(inline.chain, inline.index);
      const declared = topLevelDeclaration(current);
      if (declared) return this.declarationChallenged(declared);
    }
    return false;
  }

  private declarationChallenged(declaration: Middleware): boolean {
    const name = topLevelName(declaration);
    const positions = this.positionsOf(declaration);
    if (!positions.every(({ chain, index }) => this.positionChallenged(chain, index))) return false;
    const elsewhere = name !== undefined && this.ctx.project ? this.ctx.project.challenged(name) : undefined;
    if (elsewhere?.kind === 'open') return false;
    return positions.length > 0 || elsewhere?.kind === 'challenged';
  }

  private positionChallenged(chain: Chain, index: number): boolean {
    return this.stepsBefore(chain, index).some((step) => this.stepChallenges(step));
  }

  /** The steps that run before the one at `index`: earlier ones of its chain, and for a route the router-wide `use`s before it. */
  private stepsBefore(chain: Chain, index: number): ts.Expression[] {
    const earlier = chain.steps.slice(0, index);
    if (chain.via !== 'route') return earlier;
    const mount = this.model.mounts.find((m) => m.node === chain.node);
    const router = mount?.router?.text;
    if (!mount || router === undefined) return earlier;
    const before: ts.Expression[] = [];
    for (const other of this.model.mounts) {
      if (other === mount) break;
      if (other.routerWide && other.router?.text === router && covers(other.path, mount.path)) before.push(...other.steps.map((s) => s.expression));
    }
    return [...before, ...earlier];
  }

  private stepChallenges(step: ts.Expression): boolean {
    const local = this.localTarget(step);
    if (local) {
      const helpers = this.helpersOf(local);
      return !!helpers && (helpers.length === 0 || helpers.some((ref) => this.ctx.project?.functionFact(ref)?.fact.setsChallenge !== undefined));
    }
    const ref = this.importedRef(step);
    return !!ref && !!this.ctx.project?.challenges(ref);
  }

  /** The helpers a middleware of this file sets the challenge through, when it is a challenger. */
  private helpersOf(middleware: Middleware): Value[] | undefined {
    const fn = runnableFunction(middleware);
    if (!fn) return undefined;
    if (!this.helpers.has(fn)) this.helpers.set(fn, this.readHelpers(fn) ?? null);
    return this.helpers.get(fn) ?? undefined;
  }

  /** A middleware that catches what runs after it, sets the challenge and throws the error on. */
  private readHelpers(fn: ts.FunctionLikeDeclaration): Value[] | undefined {
    const handler = this.model.errorHandlers.find((h) => h.fn === fn);
    if (!handler || !rethrows(handler)) return undefined;
    if (this.model.headerWrites.some((w) => w.name === HEADER && w.op === 'set' && isAncestorOf(fn, w.node))) return [];
    const refs: Value[] = [];
    let local = false;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const callee = skipOuterExpressions(node.expression);
        if (ts.isIdentifier(callee)) {
          const declaration = this.ctx.scopes.lookup(callee.text, callee);
          if (declaration?.kind === 'function' && this.setters().has(declaration.node)) local = true;
          else if (declaration?.kind === 'variable' && declaration.initializer && this.setters().has(skipOuterExpressions(declaration.initializer))) local = true;
        }
        const ref = this.importedRef(node.expression);
        if (ref) refs.push(ref);
      }
      ts.forEachChild(node, visit);
    };
    if (fn.body) visit(fn.body);
    if (local) return [];
    return refs.length > 0 ? refs : undefined;
  }

  /** Functions of this file that set WWW-Authenticate on the response passed to them. */
  private setters(): Set<ts.Node> {
    this.localSetters ??= new Set(this.model.headerWrites.filter((w) => w.name === HEADER && w.op === 'set').flatMap((w) => challengedParameter(w)?.fn ?? []));
    return this.localSetters;
  }

  /** The file's chains: its routes' steps and its arrays of middleware. */
  private chains(): Chain[] {
    if (!this.chainList) {
      this.chainList = this.model.mounts.filter((mount) => mount.decorates === undefined).map((mount) => ({ node: mount.node, steps: mount.steps.map((s) => s.expression), via: 'route' as const }));
      // An array of middleware is written with a middleware's `next` in it or near it (core/prefilter.ts `mayChain`).
      if (this.model.sourceFile.text.includes('next')) this.chainList.push(...arrayChains(this.model.sourceFile));
    }
    return this.chainList;
  }

  /** The chain and place of a function written in place as a step. */
  private inlinePosition(fn: ts.FunctionLikeDeclaration): { chain: Chain; index: number } | undefined {
    for (const chain of this.chains()) {
      const index = chain.steps.indexOf(fn as ts.Node as ts.Expression);
      if (index >= 0) return { chain, index };
    }
    return undefined;
  }

  private positionsOf(middleware: Middleware): { chain: Chain; index: number }[] {
    const found: { chain: Chain; index: number }[] = [];
    for (const chain of this.chains()) chain.steps.forEach((step, index) => this.localTarget(step) === middleware && found.push({ chain, index }));
    return found;
  }

  private localTarget(step: ts.Expression): Middleware | undefined {
    return localMiddleware(step, this.ctx, (initializer) => !this.importedRef(initializer));
  }

  /** The import a step names (`check`, `auth.check`, `makeCheck()`, or a local const made by an imported factory), as a ref written in this file. */
  private importedRef(step: ts.Expression): Value | undefined {
    let node = skipOuterExpressions(step) as ts.Expression;
    if (ts.isCallExpression(node)) node = skipOuterExpressions(node.expression) as ts.Expression;
    let base: ts.Expression = node;
    while (ts.isPropertyAccessExpression(base)) base = skipOuterExpressions(base.expression) as ts.Expression;
    if (!ts.isIdentifier(base)) return undefined;
    if (!this.ctx.scopes.importOf(base.text, base)) {
      if (base !== node) return undefined;
      const declaration = this.ctx.scopes.lookup(base.text, base);
      const init = declaration?.kind === 'variable' && declaration.isConst ? declaration.initializer && skipOuterExpressions(declaration.initializer) : undefined;
      return init && ts.isCallExpression(init) ? this.importedRef(init) : undefined;
    }
    const ref = this.reader.read(node);
    return ref.kind === 'ref' && ref.module !== '' && ref.module !== GLOBAL_MODULE ? ref : undefined;
  }

  /** The file's top-level challengers, with the imported helpers each sets the challenge through. */
  challengerFacts(): Record<string, Value[]> {
    const found: Record<string, Value[]> = {};
    for (const statement of this.model.sourceFile.statements) {
      const declarations = ts.isFunctionDeclaration(statement) ? [statement] : ts.isVariableStatement(statement) ? statement.declarationList.declarations : [];
      for (const declaration of declarations) {
        const name = topLevelName(declaration);
        const helpers = name === undefined ? undefined : this.helpersOf(declaration);
        if (name !== undefined && helpers) found[name] = helpers;
      }
    }
    return found;
  }

  /**
   * For the project: each step of the file's chains that names a top-level
   * binding (of this file or an import), with what runs before it; and each
   * call a middleware makes of an import with the request it was given.
   */
  chainFacts(): MountFact[] {
    const facts: MountFact[] = [];
    for (const chain of this.chains()) {
      chain.steps.forEach((step, index) => {
        const target = this.targetRef(step);
        if (target) facts.push({ target, ...this.positionFact(chain, index), via: 'chain', at: this.spanOf(chain.node) });
      });
    }
    if (this.model.sourceFile.text.includes('next')) this.callFacts(facts);
    return facts;
  }

  private positionFact(chain: Chain, index: number): Pick<MountFact, 'authenticated' | 'after' | 'challenged' | 'challengeHelpers'> {
    const after: Value[] = [];
    const challengeHelpers: Value[] = [];
    let challenged = false;
    for (const step of this.stepsBefore(chain, index)) {
      const local = this.localTarget(step);
      const helpers = local ? this.helpersOf(local) : undefined;
      if (helpers && helpers.length === 0) challenged = true;
      else if (helpers) challengeHelpers.push(...helpers);
      const ref = local ? undefined : this.importedRef(step);
      if (ref) after.push(ref);
    }
    return { authenticated: false, after, ...(challenged ? { challenged } : {}), ...(challengeHelpers.length > 0 ? { challengeHelpers } : {}) };
  }

  /** A step's binding as the project names it: an import, or a top-level binding of this file. */
  private targetRef(step: ts.Expression): Value | undefined {
    const imported = this.importedRef(step);
    if (imported) return imported;
    const local = this.localTarget(step);
    const name = local && !isFunctionLike(local) ? topLevelName(local) : undefined;
    return name === undefined ? undefined : { kind: 'ref', module: '', name, path: [] };
  }

  /** Calls of imports that a middleware makes with its request (`verifyAssertion(ctx, keys)`): the code they run is the middleware's. */
  private callFacts(facts: MountFact[]): void {
    for (const chain of this.chains()) {
      chain.steps.forEach((step, index) => {
        const node = skipOuterExpressions(step);
        if (isFunctionLike(node)) this.callsIn(node, facts, () => this.positionFact(chain, index));
      });
    }
    for (const statement of this.model.sourceFile.statements) {
      const declarations = ts.isFunctionDeclaration(statement) ? [statement] : ts.isVariableStatement(statement) ? statement.declarationList.declarations : [];
      for (const declaration of declarations) {
        const within = topLevelName(declaration);
        const fn = runnableFunction(declaration);
        if (within !== undefined && fn && isMiddlewareShaped(fn)) this.callsIn(fn, facts, () => ({ authenticated: false, after: [], within }));
      }
    }
  }

  private callsIn(fn: ts.FunctionLikeDeclaration, facts: MountFact[], context: () => Omit<MountFact, 'target' | 'at' | 'via'>): void {
    const request = fn.parameters[0]?.name;
    if (!fn.body || !request || !ts.isIdentifier(request)) return;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && node.arguments.some((arg) => ts.isIdentifier(arg) && arg.text === request.text)) {
        const target = this.importedRef(node.expression);
        if (target && !ts.isCallExpression(skipOuterExpressions(node.expression))) facts.push({ target, ...context(), via: 'call', at: this.spanOf(node) });
      }
      ts.forEachChild(node, visit);
    };
    visit(fn.body);
  }

  private spanOf(node: ts.Node): Span {
    const start = node.getStart(this.ctx.sourceFile);
    const end = node.getEnd();
    return { start, end, range: rangeOf(this.ctx.sourceFile, start, end) };
  }
}

function rethrows(handler: ErrorHandler): boolean {
  const visit = (node: ts.Node): boolean => {
    if (ts.isThrowStatement(node)) {
      const thrown = skipOuterExpressions(node.expression);
      if (ts.isIdentifier(thrown) && thrown.text === handler.error.text) return true;
    }
    return !!ts.forEachChild(node, visit);
  };
  return !!handler.fn.body && visit(handler.fn.body);
}

/** A top-level function or variable declaration. */
function topLevelDeclaration(node: ts.Node): Middleware | undefined {
  if (ts.isFunctionDeclaration(node) && ts.isSourceFile(node.parent)) return node;
  if (ts.isVariableDeclaration(node) && topLevelName(node) !== undefined) return node;
  return undefined;
}

/** Arrays of two or more steps, each a middleware's spelling, with one written in place or named: `[noCache, setChallenge(), async function validate(ctx, next) {…}]`. */
function arrayChains(sourceFile: ts.SourceFile): Chain[] {
  const chains: Chain[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isArrayLiteralExpression(node) && node.elements.length >= 2) {
      const steps = node.elements.map((e) => skipOuterExpressions(e) as ts.Expression);
      if (steps.every(isStep) && steps.some((s) => !ts.isPropertyAccessExpression(s))) chains.push({ node, steps, via: 'array' });
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return chains;
}

function isStep(node: ts.Expression): boolean {
  if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) || ts.isCallExpression(node)) return true;
  return isFunctionLike(node) && node.parameters.length >= 1 && node.parameters.length <= 3;
}
