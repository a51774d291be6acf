import type { ExternalErrorClass } from '../model/registry';
import { UNKNOWN, type ClassFact, type ExportFact, type FunctionFact, type HandlerFact, type ModuleFacts, type MountFact, type ResponderFact, type Span, type Value } from './facts';
import { namedStatus } from '../model/status';
import { DECORATION_MODULE, GLOBAL_MODULE, member } from './values';

/** Where imports lead: a file of the project, or nothing known (a package, generated code). */
export interface ModuleResolver {
  /** The absolute path of the project file `specifier` names from `fromFile`; undefined when it is not one. */
  resolve(specifier: string, fromFile: string): string | undefined;
  /** The folder of the package a file belongs to (its nearest package.json), for handlers that serve their own package. */
  packageOf(file: string): string;
}

/** A binding resolved: a declaration of a project file, a class a framework exports, or a value. */
export type Resolved =
  | { kind: 'declaration'; file: string; name: string; fact: ExportFact }
  | { kind: 'external'; module: string; name: string; known: ExternalErrorClass | undefined }
  | { kind: 'value'; value: Value };

/** An error class resolved with the arguments it is built with. */
export interface Construction {
  /** Each class from this one up to the root, as `file#Name` (or `module#Name` for a library's, `#global#Error`). */
  chain: string[];
  /** What the instance holds, arguments substituted. */
  props: Record<string, Value>;
  /** The framework whose error class it is or extends; undefined for an application's own error classes. */
  framework: string | undefined;
  /** Whether some class on the way could not be resolved (a package's class): its props are then incomplete. */
  open: boolean;
  /** Methods of the chain that turn the instance into a response, nearest class first, with the file each is in. */
  responders?: { file: string; className: string; responder: ResponderFact }[];
}

/** A file's top-level declarations, read from its text as they are asked for. */
export interface LocalDeclarations {
  file: string;
  declaration(name: string): ExportFact | undefined;
}

export interface ServingHandler {
  file: string;
  handler: HandlerFact;
  /** For a handler that maps the error's property to its status (`getHttpErrorCode(err.code)`), or decides its own: the status it sends for this error. */
  status?: Value;
}

/**
 * How a binding is mounted by the other files of the project: `authenticated`
 * when every mount runs it after authentication (`at`: those mounts).
 */
export type MountedAs = { kind: 'nowhere' | 'open' } | { kind: 'authenticated'; at: { file: string; at: Span }[] };

/** Where a class's chain ends, and what `Construction` says of it beyond its props. */
interface Lineage {
  root: string;
  framework: string | undefined;
  open: boolean;
}

/** How a binding is run by the other files of the project: after a middleware that adds the challenge to the errors it passes on, everywhere, or not. */
export type Challenged = { kind: 'nowhere' | 'open' | 'challenged' };

const NOWHERE: MountedAs = { kind: 'nowhere' };
const OPEN: MountedAs = { kind: 'open' };

/** Instance properties that carry a status, in the order handlers read them. */
export const STATUS_PROPERTIES = ['status', 'statusCode', 'httpStatus', 'httpStatusCode', 'httpCode', 'code'];

const MAX_DEPTH = 12;

/**
 * What a run knows of a module before its facts: whether its text could
 * export a name at all. A run that parses only some files (cli/project-run.ts)
 * answers from the text, so a barrel's `export *` leads only into the modules
 * that can hold the name rather than into all of them.
 */
export interface ExportFilter {
  /** False only when the module's facts, once read, cannot export `name` (its text writes no such word and no `export *`; for `default`, no default export). */
  mayExport(file: string, name: string): boolean;
}

/**
 * The project's facts, one ModuleFacts per file, and the questions answered
 * from them: what an imported binding is, what an error class is built with,
 * what a helper sends, which central handlers serve an error. It reads no
 * file: facts are handed in, imports are resolved by the resolver.
 */
export class ProjectIndex {
  constructor(
    readonly resolver: ModuleResolver,
    private readonly errorClasses: readonly ExternalErrorClass[],
    private readonly modules = new Map<string, ModuleFacts>(),
    private readonly overlay?: LocalDeclarations,
    private readonly filter?: ExportFilter,
  ) {}

  /**
   * The same index, with the declarations of the file being analysed read
   * from its current text rather than from its facts (which are made after
   * its analysis, and may be stale or missing).
   */
  withOverlay(local: LocalDeclarations): ProjectIndex {
    return new ProjectIndex(this.resolver, this.errorClasses, this.modules, local, this.filter);
  }

  set(facts: ModuleFacts): void {
    this.modules.set(facts.file, facts);
  }

  delete(file: string): void {
    this.modules.delete(file);
  }

  get(file: string): ModuleFacts | undefined {
    return this.modules.get(file);
  }

  get size(): number {
    return this.modules.size;
  }

  files(): IterableIterator<string> {
    return this.modules.keys();
  }

  /** Resolves a `ref` written in `file`, following re-exports and aliases. */
  resolve(file: string, ref: Extract<Value, { kind: 'ref' }>, depth = 0): Resolved | undefined {
    if (depth > MAX_DEPTH) return undefined;
    if (ref.module === GLOBAL_MODULE) return this.external(GLOBAL_MODULE, ref.name, ref.path);
    if (ref.name === '*' && ref.path.length > 0) return this.resolve(file, { ...ref, name: ref.path[0], path: ref.path.slice(1) }, depth + 1);
    if (ref.module === '') return this.local(file, ref.name, ref.path, depth);
    const target = this.resolver.resolve(ref.module, file);
    if (!target) return this.external(ref.module, ref.name, ref.path);
    return this.exported(target, ref.name, ref.path, depth + 1, new Set());
  }

  private local(file: string, name: string, path: string[], depth: number): Resolved | undefined {
    const fact = this.overlay?.file === file ? this.overlay.declaration(name) : this.modules.get(file)?.declarations[name];
    if (!fact) return undefined;
    if (path.length === 0) return { kind: 'declaration', file, name, fact };
    // A member of a declaration: a class's static member, or a table's entry.
    const base = fact.kind === 'class' ? { kind: 'object' as const, props: fact.statics } : fact.kind === 'value' ? fact.value : UNKNOWN;
    // A table with computed keys is read by its keys once they are worked out.
    let value = base.kind === 'object' && base.computed ? this.evaluate(file, base, undefined, depth + 1) : base;
    for (const step of path) value = member(value, step);
    return { kind: 'value', value: this.evaluate(file, value, undefined, depth + 1) };
  }

  private exported(file: string, name: string, path: string[], depth: number, seen: Set<string>): Resolved | undefined {
    // A module as a whole is no binding: its facts are not needed for it.
    if (name === '*' || (this.filter && !this.filter.mayExport(file, name))) return undefined;
    const facts = this.modules.get(file);
    if (!facts || depth > MAX_DEPTH || seen.has(file)) return undefined;
    seen.add(file);
    const target = facts.exports[name];
    if (target?.kind === 'ref') return this.resolve(file, { ...target, path: [...target.path, ...path] }, depth + 1);
    if (target) {
      // `module.exports = { ApiError }` read as `errors.ApiError`: the binding the entry names.
      const entry = navigate(target, path);
      if (entry.kind === 'ref') return this.resolve(file, entry, depth + 1);
      return { kind: 'value', value: this.evaluate(file, entry, undefined, depth + 1) };
    }
    if (name === 'default') return undefined;
    for (const specifier of facts.reexportAll) {
      const next = this.resolver.resolve(specifier, file);
      const found = next && this.exported(next, name, path, depth + 1, seen);
      if (found) return found;
    }
    return undefined;
  }

  private external(module: string, name: string, path: string[]): Resolved {
    // `httpStatus.UNAUTHORIZED` of http-status, `StatusCodes.FORBIDDEN`: a package's member spelled as a status is that status, as in one file.
    if (path.length > 0) {
      const status = module === GLOBAL_MODULE ? undefined : namedStatus(name, path[path.length - 1]);
      return { kind: 'value', value: status === undefined ? UNKNOWN : { kind: 'number', value: status } };
    }
    return { kind: 'external', module, name, known: this.errorClasses.find((c) => c.name === name && c.module(module)) };
  }

  /**
   * A Value written in `file`, with `args` for the parameters of the function
   * it was read in: constants of other modules, `split`s and lookups worked out.
   */
  evaluate(file: string, value: Value, args: Value[] | undefined, depth = 0): Value {
    if (depth > MAX_DEPTH) return UNKNOWN;
    switch (value.kind) {
      case 'param': {
        if (!args) return UNKNOWN;
        return navigate(args[value.index] ?? UNKNOWN, value.path);
      }
      case 'ref': {
        const resolved = this.resolve(file, value, depth + 1);
        if (resolved?.kind === 'value') return resolved.value;
        if (resolved?.kind === 'declaration' && resolved.fact.kind === 'value') return this.evaluate(resolved.file, resolved.fact.value, undefined, depth + 1);
        return resolved ? value : UNKNOWN;
      }
      case 'split': {
        const of = this.evaluate(file, value.of, args, depth + 1);
        if (of.kind !== 'string') return UNKNOWN;
        const part = of.value.split(value.separator)[value.element];
        return part === undefined ? UNKNOWN : { kind: 'string', value: part };
      }
      case 'lookup': {
        const key = this.evaluate(file, value.of, args, depth + 1);
        if (key.kind !== 'string' && key.kind !== 'number') return UNKNOWN;
        const entry = Object.prototype.hasOwnProperty.call(value.table, String(key.value))
          ? value.table[String(key.value)]
          : (value.computed?.find((computed) => sameKey(this.evaluate(file, computed.key, undefined, depth + 1), key))?.value ?? value.fallback);
        return this.evaluate(file, entry, undefined, depth + 1);
      }
      case 'object': {
        const props: Record<string, Value> = {};
        for (const computed of value.computed ?? []) {
          const key = this.evaluate(file, computed.key, args, depth + 1);
          if (key.kind === 'string' || key.kind === 'number') props[String(key.value)] = computed.value;
        }
        for (const [name, prop] of Object.entries(value.props)) props[name] = prop;
        for (const [name, prop] of Object.entries(props)) props[name] = this.evaluate(file, prop, args, depth + 1);
        return { kind: 'object', props };
      }
      default:
        return value;
    }
  }

  /** `new <classRef>(…args)` written in `file`, the arguments already evaluated there; undefined when it is not a class known to be one. */
  construct(file: string, classRef: Value, args: Value[], depth = 0): Construction | undefined {
    if (classRef.kind !== 'ref' || depth > MAX_DEPTH) return undefined;
    const resolved = this.resolve(file, classRef, depth + 1);
    if (!resolved || resolved.kind === 'value') return undefined;
    if (resolved.kind === 'external') return this.constructExternal(resolved, args);
    if (resolved.fact.kind !== 'class') return undefined;
    return this.constructClass(resolved.file, resolved.fact, args, depth);
  }

  private constructClass(file: string, fact: ClassFact, args: Value[], depth: number): Construction {
    const parentArgs = fact.superArgs ? fact.superArgs.map((arg) => this.evaluate(file, arg, args, depth + 1)) : args;
    const parent = fact.parent ? this.construct(file, fact.parent, parentArgs, depth + 1) : undefined;
    const own: Record<string, Value> = {};
    for (const [name, prop] of Object.entries(fact.props)) own[name] = this.evaluate(file, prop, args, depth + 1);
    const responders = [...(fact.responders ?? []).map((responder) => ({ file, className: fact.name, responder })), ...(parent?.responders ?? [])];
    return {
      ...(responders.length > 0 ? { responders } : {}),
      chain: [`${file}#${fact.name}`, ...(parent?.chain ?? [])],
      props: { ...parent?.props, ...own },
      framework: parent?.framework,
      // A parent no fact describes (a package's own class) may set anything.
      open: !!fact.parent && (!parent || parent.open),
    };
  }

  private constructExternal(resolved: Extract<Resolved, { kind: 'external' }>, args: Value[]): Construction | undefined {
    const known = resolved.known;
    if (!known) {
      const isError = resolved.module === GLOBAL_MODULE && /Error$/.test(resolved.name);
      return isError ? { chain: [`${GLOBAL_MODULE}#${resolved.name}`], props: {}, framework: undefined, open: false } : undefined;
    }
    const chain: string[] = [];
    const props: Record<string, Value> = {};
    for (let current: ExternalErrorClass | undefined = known; current; current = this.errorClasses.find((c) => c.name === current!.parent && c.module(resolved.module))) {
      chain.push(`${resolved.module}#${current.name}`);
      for (const [name, prop] of Object.entries(current.props)) props[name] ??= navigate(prop.kind === 'param' ? args[prop.index] ?? UNKNOWN : prop, prop.kind === 'param' ? prop.path : []);
      if (!current.parent) break;
    }
    return { chain, props, framework: known.framework, open: false };
  }

  /**
   * Whether any of `refs`, written in `file`, holds a 401 or 403 (a constant,
   * an enum or table with one) or is an error class or error factory, whose
   * constructions the file's analysis must look at.
   */
  carriesAuth(file: string, refs: readonly Value[]): boolean {
    return refs.some((ref) => {
      if (ref.kind !== 'ref') return false;
      const resolved = this.resolve(file, ref);
      if (!resolved || resolved.kind === 'external') return false;
      if (resolved.kind === 'value') return holdsAuthStatus(resolved.value, 0);
      const fact = resolved.fact;
      if (fact.kind === 'function') return !!fact.makesError;
      if (fact.kind === 'value') return holdsAuthStatus(this.evaluate(resolved.file, fact.value, undefined), 0);
      // What `constructClass` would say of its chain, without working out what the instance holds (which reads more files).
      const lineage = this.lineage(resolved.file, fact, 0);
      return lineage.open || lineage.framework !== undefined || lineage.root.startsWith(`${GLOBAL_MODULE}#`);
    });
  }

  /** The root of a class's chain, its framework and whether it is open, exactly as `constructClass` finds them (the same depths), its props left out. */
  private lineage(file: string, fact: ClassFact, depth: number): Lineage {
    const parent = fact.parent ? this.parentLineage(file, fact.parent, depth + 1) : undefined;
    return { root: parent?.root ?? `${file}#${fact.name}`, framework: parent?.framework, open: !!fact.parent && (!parent || parent.open) };
  }

  /** As `construct` resolves a parent class. */
  private parentLineage(file: string, classRef: Value, depth: number): Lineage | undefined {
    if (classRef.kind !== 'ref' || depth > MAX_DEPTH) return undefined;
    const resolved = this.resolve(file, classRef, depth + 1);
    if (!resolved || resolved.kind === 'value') return undefined;
    if (resolved.kind === 'external') {
      const construction = this.constructExternal(resolved, []);
      return construction && { root: construction.chain[construction.chain.length - 1], framework: construction.framework, open: false };
    }
    if (resolved.fact.kind !== 'class') return undefined;
    return this.lineage(resolved.file, resolved.fact, depth);
  }

  /** A function declaration `ref` names from `file`, when it is one. */
  functionFact(file: string, ref: Value): { file: string; fact: FunctionFact } | undefined {
    if (ref.kind !== 'ref') return undefined;
    const resolved = this.resolve(file, ref);
    return resolved?.kind === 'declaration' && resolved.fact.kind === 'function' ? { file: resolved.file, fact: resolved.fact } : undefined;
  }

  /**
   * The central handlers of the project that an error built in `file` as
   * `construction` reaches, outside `file` itself: those limited to one of its
   * classes, and those limited to none that serve its package.
   * A NestJS exception reaches Nest's filters only, and any other
   * error no Nest filter.
   */
  handlersFor(file: string, construction: Construction): ServingHandler[] {
    const found: ServingHandler[] = [];
    const pkg = this.resolver.packageOf(file);
    const isNest = construction.framework === 'nest';
    for (const facts of this.modules.values()) {
      if (facts.file === file) continue;
      for (const handler of facts.handlers) {
        if ((handler.framework === 'nest') !== isNest) continue;
        if (!this.serves(facts.file, handler, construction, pkg)) continue;
        if (handler.status.kind === 'own') found.push({ file: facts.file, handler, status: UNKNOWN });
        else found.push(handler.status.through ? { file: facts.file, handler, status: this.mappedStatus(facts.file, handler, construction) } : { file: facts.file, handler });
      }
    }
    // A handler limited to a shared package's class serves the apps that mount it: where the error's own package has one, that one answers it.
    const own = found.filter(({ file: handlerFile }) => this.resolver.packageOf(handlerFile) === pkg);
    const serving = own.length > 0 ? own : found;
    // The same answer whatever order the files were indexed in.
    return serving.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.handler.at.start - b.handler.at.start));
  }

  /** The status a handler of `file` that passes the error's property through a function sends for `construction`. */
  mappedStatus(file: string, handler: HandlerFact, construction: Construction): Value {
    const status = handler.status;
    if (status.kind !== 'error-property') return UNKNOWN;
    const through = status.through && this.functionFact(file, status.through);
    const key = status.properties.map((property) => construction.props[property]).find((value) => value !== undefined);
    if (!through?.fact.returns || !key) return UNKNOWN;
    return this.evaluate(through.file, through.fact.returns, [key]);
  }

  /** Whether `handler` of `file` serves an error built as `construction` in package `pkg`; also asked of a file's own handlers. */
  serves(file: string, handler: HandlerFact, construction: Construction, pkg: string): boolean {
    const keyOf = (ref: Value) => (ref.kind === 'ref' ? this.classKey(file, ref) : undefined);
    if (handler.catches.length > 0) return handler.catches.some((ref) => construction.chain.includes(keyOf(ref) ?? ''));
    return this.resolver.packageOf(file) === pkg;
  }

  /**
   * How the other files mount `name`, a top-level binding of `file`: through
   * a route or `use` of theirs, or of a router they mount (`app.use('/admin',
   * protect, adminRouter)` runs every route of `adminRouter` after `protect`).
   */
  mounted(file: string, name: string, depth = 0): MountedAs {
    const at: { file: string; at: Span }[] = [];
    for (const facts of this.modules.values()) {
      // A file's own mounts are read from its text; the index may hold an older version of them.
      if (depth === 0 && facts.file === file) continue;
      for (const mount of facts.mounts ?? []) {
        if (mount.via) continue;
        const target = this.bindingOf(facts.file, mount.target);
        if (target?.file !== file || target.name !== name) continue;
        if (!this.mountAuthenticated(facts.file, mount, depth)) return OPEN;
        at.push({ file: facts.file, at: mount.at });
      }
    }
    // The same answer whatever order the files were indexed in.
    at.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.at.start - b.at.start));
    return at.length > 0 ? { kind: 'authenticated', at } : NOWHERE;
  }

  /**
   * How the routes of `file`'s package mount the Fastify decoration `name`
   * (`onRequest: [fastify.authenticate, fastify.requireEditor]`): a decoration
   * is the instance's, shared by every plugin of the package.
   */
  decorationMounted(file: string, name: string): MountedAs {
    const at: { file: string; at: Span }[] = [];
    for (const facts of this.samePackage(file)) {
      for (const mount of facts.mounts ?? []) {
        if (mount.via || mount.target.kind !== 'ref' || mount.target.module !== DECORATION_MODULE || mount.target.name !== name) continue;
        if (!this.mountAuthenticated(facts.file, mount, 0)) return OPEN;
        at.push({ file: facts.file, at: mount.at });
      }
    }
    at.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.at.start - b.at.start));
    return at.length > 0 ? { kind: 'authenticated', at } : NOWHERE;
  }

  private samePackage(file: string): ModuleFacts[] {
    const pkg = this.resolver.packageOf(file);
    return [...this.modules.values()].filter((facts) => this.resolver.packageOf(facts.file) === pkg);
  }

  private mountAuthenticated(file: string, mount: MountFact, depth: number): boolean {
    if (mount.authenticated || mount.after.some((ref) => this.authenticates(file, ref))) return true;
    return mount.router !== undefined && depth < 4 && this.mounted(file, mount.router, depth + 1).kind === 'authenticated';
  }

  /** Whether `ref`, written in `file`, names a binding of a project file that authenticates the caller when mounted. */
  authenticates(file: string, ref: Value): boolean {
    if (ref.kind === 'ref' && ref.module === DECORATION_MODULE) return this.samePackage(file).some((facts) => !!facts.decoratedAuthenticators?.includes(ref.name));
    const binding = this.bindingOf(file, ref);
    return !!binding && !!this.modules.get(binding.file)?.authenticators?.includes(binding.name);
  }

  /** Whether `ref`, written in `file`, names a binding of a project file that sets WWW-Authenticate on the errors thrown after it (or a factory of one). */
  challenges(file: string, ref: Value): boolean {
    const binding = this.bindingOf(file, ref);
    const helpers = binding && this.modules.get(binding.file)?.challengers?.[binding.name];
    return !!helpers && (helpers.length === 0 || helpers.some((helper) => this.setsChallenge(binding.file, helper)));
  }

  private setsChallenge(file: string, ref: Value): boolean {
    return this.functionFact(file, ref)?.fact.setsChallenge !== undefined;
  }

  /**
   * How the other files run `name`, a top-level binding of `file`: as a step
   * of their chains or a call their middlewares make, each after a challenger
   * (of theirs, or before the middleware that calls it wherever that one runs).
   */
  challenged(file: string, name: string, depth = 0): Challenged {
    let found = false;
    for (const facts of this.modules.values()) {
      // A file's own chains are read from its text; the index may hold an older version of them.
      if (depth === 0 && facts.file === file) continue;
      for (const mount of facts.mounts ?? []) {
        if (!mount.via) continue;
        const target = this.bindingOf(facts.file, mount.target);
        if (target?.file !== file || target.name !== name) continue;
        if (!this.mountChallenged(facts.file, mount, depth)) return { kind: 'open' };
        found = true;
      }
    }
    return { kind: found ? 'challenged' : 'nowhere' };
  }

  private mountChallenged(file: string, mount: MountFact, depth: number): boolean {
    if (mount.challenged || mount.after.some((ref) => this.challenges(file, ref))) return true;
    if (mount.challengeHelpers?.some((helper) => this.setsChallenge(file, helper))) return true;
    return mount.within !== undefined && depth < 4 && this.challenged(file, mount.within, depth + 1).kind === 'challenged';
  }

  /** The top-level binding a `ref` written in `file` names, through imports and re-exports, whatever it holds. */
  bindingOf(file: string, ref: Value, depth = 0): { file: string; name: string } | undefined {
    if (ref.kind !== 'ref' || ref.module === GLOBAL_MODULE || ref.module === DECORATION_MODULE || depth > MAX_DEPTH) return undefined;
    if (ref.name === '*' && ref.path.length > 0) return this.bindingOf(file, { ...ref, name: ref.path[0], path: ref.path.slice(1) }, depth + 1);
    if (ref.module === '') {
      if (ref.path.length === 0) return { file, name: ref.name };
      // `const auth = { protect, admin }` read as `auth.admin`.
      const fact = this.modules.get(file)?.declarations[ref.name];
      return fact?.kind === 'value' ? this.bindingOf(file, navigate(fact.value, ref.path), depth + 1) : undefined;
    }
    const target = this.resolver.resolve(ref.module, file);
    return target ? this.exportedBinding(target, ref.name, ref.path, depth + 1, new Set()) : undefined;
  }

  private exportedBinding(file: string, name: string, path: string[], depth: number, seen: Set<string>): { file: string; name: string } | undefined {
    const facts = this.modules.get(file);
    if (!facts || depth > MAX_DEPTH || seen.has(file)) return undefined;
    seen.add(file);
    const target = facts.exports[name];
    if (target) return this.bindingOf(file, navigate(target, path), depth + 1);
    if (name === 'default') return undefined;
    for (const specifier of facts.reexportAll) {
      const next = this.resolver.resolve(specifier, file);
      const found = next && this.exportedBinding(next, name, path, depth + 1, seen);
      if (found) return found;
    }
    return undefined;
  }

  private classKey(file: string, ref: Extract<Value, { kind: 'ref' }>): string | undefined {
    const resolved = this.resolve(file, { ...ref, path: [] });
    if (resolved?.kind === 'declaration') return `${resolved.file}#${resolved.name}`;
    if (resolved?.kind === 'external') return `${resolved.module}#${resolved.name}`;
    return undefined;
  }
}

function sameKey(a: Value, b: Value): boolean {
  return (a.kind === 'string' || a.kind === 'number') && (b.kind === 'string' || b.kind === 'number') && String(a.value) === String(b.value);
}

function holdsAuthStatus(value: Value, depth: number): boolean {
  if (value.kind === 'number') return value.value === 401 || value.value === 403;
  if (value.kind !== 'object' || depth > 2) return false;
  return Object.values(value.props).some((prop) => holdsAuthStatus(prop, depth + 1));
}

function navigate(value: Value, path: string[]): Value {
  let current = value;
  for (const step of path) current = member(current, step);
  return current;
}
