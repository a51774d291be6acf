import type ts from 'typescript';
import type { Value } from '../project/facts';
import type { ErrorHandler, Mount } from './concepts';
import type { ModelContext } from './context';

/** The nodes recognisers are offered: calls, `new`s, and assignments (`=` only). */
export type Candidate = ts.CallExpression | ts.NewExpression | ts.BinaryExpression;
export type CandidateKind = Candidate['kind'];

/**
 * A framework model: recognisers that turn this framework's spellings into the
 * shared concepts. Adding a framework is adding one module to `index.ts`.
 */
export interface FrameworkModule {
  name: string;
  /** The kinds of node `recognize` can claim: it is offered no others. */
  kinds: readonly CandidateKind[];
  /** Whether the file can hold anything this module claims (it imports the library); asked once per file. */
  appliesTo?(ctx: ModelContext): boolean;
  /** Called for each call, `new`, and assignment in the file of one of its `kinds`; returns true when it claimed the node. */
  recognize(node: Candidate, ctx: ModelContext): boolean;
  /** Called once after the walk, for facts that are not calls, `new`s or assignments (a NestJS guard's `return false`). */
  recognizeFile?(ctx: ModelContext): void;
  /**
   * Names through which this module reads a 401 or 403 other than from a status
   * expression (`UnauthorizedException`, `Boom.forbidden`), compared without
   * case: a file that holds none of them, nor a 401 or 403 status, has no
   * emission worth recognising.
   */
  statusNames?: readonly string[];
  /**
   * This framework's central error handler, when `fn` is one (Express's
   * four-parameter middleware, Fastify's `setErrorHandler` callback, a NestJS
   * filter's `catch`): a file holding one is analysed for statuses even when
   * it names none, since the handler sends what it is given.
   */
  errorHandler?(fn: ts.FunctionLikeDeclaration, ctx: ModelContext): Omit<ErrorHandler, 'fn'> | undefined;
  /**
   * A route or middleware mount of this framework, when `call` is one
   * (`router.get('/', protect, admin, handler)`): offered every call of every
   * file that the module applies to, whatever statuses the file names.
   */
  mount?(call: ts.CallExpression, ctx: ModelContext): Mount | undefined;
  /**
   * What a file holds whenever this module can claim anything in it: an
   * import of one of `modules` (as written), one of `words` (without
   * case) in its text or path, or one of `names` as a whole identifier or
   * string (the callee a module claims by its exact name). A forwarder without
   * it may claim a call in any file, and then the CLI's prefilter
   * (core/prefilter.ts) keeps every file.
   */
  vocabulary?: { modules?: readonly string[]; words?: readonly string[]; names?: readonly string[] };
  /** The framework's own error classes, which classes of the project extend (`class TokenExpired extends UnauthorizedException`). */
  errorClasses?: readonly ExternalErrorClass[];
}

/** An error class a framework library exports, described as the project index describes the project's own. */
export interface ExternalErrorClass {
  framework: string;
  /** Whether an import from this module specifier binds the class. */
  module(specifier: string): boolean;
  name: string;
  /** The class of the same library it extends. */
  parent?: string;
  /** What its constructor sets on the instance, in terms of its parameters. */
  props: Record<string, Value>;
}

/**
 * The framework models the analysis runs, handed in from the top (core/lint.ts):
 * the model itself knows no framework.
 */
export interface Registry {
  /** Status, header and error recognisers, most specific first: the first module that claims a node wins. */
  frameworks: readonly FrameworkModule[];
  /** Models of code that forwards the incoming request upstream, offered the same nodes after `frameworks`. */
  forwarders: readonly FrameworkModule[];
  /** Every module's `errorClasses`. */
  errorClasses: readonly ExternalErrorClass[];
}
