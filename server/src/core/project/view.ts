import type { Challenged, Construction, MountedAs, ProjectIndex, ServingHandler } from './index';
import type { FunctionFact } from './facts';
import { UNKNOWN, type Value } from './facts';

/**
 * What the analysis of one file may ask of the rest of the project. Every
 * question is data (values written in this file), so that it can be asked
 * again of another index: the CLI lints each file once with an index that
 * holds only the file itself, records the questions, and lints again only
 * the files whose questions the whole project answers differently.
 */
export interface ProjectView {
  /** A value written in this file, with what other modules export worked out. */
  evaluate(value: Value): Value;
  /** `new <classRef>(…args)` written in this file. */
  construct(classRef: Value, args: Value[]): Construction | undefined;
  /** The function a reference written in this file names, when another file declares it. */
  functionFact(ref: Value): { file: string; fact: FunctionFact } | undefined;
  /** The central handlers in other files that an error built here reaches. */
  handlersFor(construction: Construction): ServingHandler[];
  /** Whether any of these bindings (imports written in this file) holds a 401 or 403 or builds an error that may carry one. */
  carriesAuth(refs: Value[]): boolean;
  /** How other files mount `name`, a top-level binding of this file: after authentication everywhere, somewhere without, or nowhere. */
  mounted(name: string): MountedAs;
  /** How the routes of this file's package mount a Fastify decoration this file gives the instance. */
  decorationMounted(name: string): MountedAs;
  /** Whether a binding written in this file (an import) authenticates the caller when mounted as middleware. */
  authenticates(ref: Value): boolean;
  /** Whether a binding written in this file (an import) sets WWW-Authenticate on the errors thrown after it when mounted as middleware. */
  challenges(ref: Value): boolean;
  /** How other files run `name`, a top-level binding of this file: after a challenger everywhere, somewhere without, or nowhere. */
  challenged(name: string): Challenged;
}

export type Question =
  | { kind: 'evaluate'; value: Value }
  | { kind: 'construct'; classRef: Value; args: Value[] }
  | { kind: 'function'; ref: Value }
  | { kind: 'handlers'; construction: Construction }
  | { kind: 'carries-auth'; refs: Value[] }
  | { kind: 'mounted'; name: string }
  | { kind: 'decoration-mounted'; name: string }
  | { kind: 'authenticates'; ref: Value }
  | { kind: 'challenges'; ref: Value }
  | { kind: 'challenged'; name: string };

export interface AskedQuestion {
  question: Question;
  /** The answer given, as JSON. */
  answer: string;
}

/** Asks a question of an index, as `file`'s analysis would. */
export function answer(index: ProjectIndex, file: string, question: Question): unknown {
  switch (question.kind) {
    case 'evaluate':
      return index.evaluate(file, question.value, undefined);
    case 'construct':
      return index.construct(file, question.classRef, question.args);
    case 'function':
      return index.functionFact(file, question.ref);
    case 'handlers':
      return index.handlersFor(file, question.construction);
    case 'carries-auth':
      return index.carriesAuth(file, question.refs);
    case 'mounted':
      return index.mounted(file, question.name);
    case 'decoration-mounted':
      return index.decorationMounted(file, question.name);
    case 'authenticates':
      return index.authenticates(file, question.ref);
    case 'challenges':
      return index.challenges(file, question.ref);
    case 'challenged':
      return index.challenged(file, question.name);
  }
}

/** A view of `index` for `file` that records each question it is asked with its answer. */
export class RecordingView implements ProjectView {
  readonly asked: AskedQuestion[] = [];
  private readonly memo = new Map<string, unknown>();

  constructor(
    private readonly index: ProjectIndex,
    private readonly file: string,
  ) {}

  evaluate(value: Value): Value {
    // Literals need no project.
    if (value.kind !== 'ref' && value.kind !== 'split' && value.kind !== 'lookup' && value.kind !== 'object') return value;
    return (this.ask({ kind: 'evaluate', value }) as Value | undefined) ?? UNKNOWN;
  }

  construct(classRef: Value, args: Value[]): Construction | undefined {
    return this.ask({ kind: 'construct', classRef, args }) as Construction | undefined;
  }

  functionFact(ref: Value): { file: string; fact: FunctionFact } | undefined {
    return this.ask({ kind: 'function', ref }) as { file: string; fact: FunctionFact } | undefined;
  }

  handlersFor(construction: Construction): ServingHandler[] {
    return (this.ask({ kind: 'handlers', construction }) as ServingHandler[] | undefined) ?? [];
  }

  carriesAuth(refs: Value[]): boolean {
    return this.ask({ kind: 'carries-auth', refs }) === true;
  }

  mounted(name: string): MountedAs {
    return (this.ask({ kind: 'mounted', name }) as MountedAs | undefined) ?? { kind: 'nowhere' };
  }

  decorationMounted(name: string): MountedAs {
    return (this.ask({ kind: 'decoration-mounted', name }) as MountedAs | undefined) ?? { kind: 'nowhere' };
  }

  authenticates(ref: Value): boolean {
    return this.ask({ kind: 'authenticates', ref }) === true;
  }

  challenges(ref: Value): boolean {
    return this.ask({ kind: 'challenges', ref }) === true;
  }

  challenged(name: string): Challenged {
    return (this.ask({ kind: 'challenged', name }) as Challenged | undefined) ?? { kind: 'nowhere' };
  }

  private ask(question: Question): unknown {
    const key = JSON.stringify(question);
    if (this.memo.has(key)) return this.memo.get(key);
    const result = answer(this.index, this.file, question);
    this.memo.set(key, result);
    this.asked.push({ question, answer: JSON.stringify(result) ?? 'undefined' });
    return result;
  }
}

/** Whether `index` answers any of a file's recorded questions differently: then its analysis may change. */
export function answersDiffer(index: ProjectIndex, file: string, asked: readonly AskedQuestion[]): boolean {
  return asked.some(({ question, answer: given }) => (JSON.stringify(answer(index, file, question)) ?? 'undefined') !== given);
}
