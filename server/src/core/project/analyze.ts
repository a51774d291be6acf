import type ts from 'typescript';
import { matchLineEndings } from '../fix';
import { REGISTRY } from '../frameworks';
import { checkModel, enabledRules, finishFindings } from '../lint';
import { vocabularyFor } from '../model/auth-vocabulary';
import { buildModel } from '../model/build';
import type { FileModel } from '../model/concepts';
import type { ModelContext } from '../model/context';
import { ChallengeOrder } from '../model/challenge-order';
import { GuardClassifier } from '../model/guard-kind';
import { GuardFinder } from '../model/guards';
import { parse, syntaxErrorOf } from '../parse';
import { RULES } from '../rules';
import { Scopes } from '../scope';
import type { LintResult, Settings } from '../types';
import { readDeclarations, type Declarations } from './declarations';
import type { ModuleFacts } from './facts';
import { handlerFacts } from './handlers';
import { addHeaderFacts } from './forwarding-facts';
import { addChallengeSetters, addHelperSends, addResponders, declaresStatusHelper } from './helpers';
import { ProjectIndex, type ModuleResolver } from './index';
import { RecordingView, type AskedQuestion } from './view';

/** A file linted as part of a project: its findings, the facts it gives the project, and what it asked of the project. */
export interface ProjectLintResult {
  result: LintResult;
  /** Undefined when the file does not parse. */
  facts: ModuleFacts | undefined;
  asked: AskedQuestion[];
}

/**
 * Lints one file's text against the project index: imports are followed into
 * the facts of the other files. The file's own declarations are read from
 * this text, not from the index, which may hold an older version of it.
 */
export function lintInProject(text: string, filePath: string, settings: Settings, index: ProjectIndex): ProjectLintResult {
  return lintSourceInProject(parse(text, filePath), filePath, settings, index);
}

export function lintSourceInProject(sourceFile: ts.SourceFile, filePath: string, settings: Settings, index: ProjectIndex): ProjectLintResult {
  const parseError = syntaxErrorOf(sourceFile);
  if (parseError) return { result: { filePath, findings: [], parseError }, facts: undefined, asked: [] };
  const scopes = new Scopes();
  let declarations: Declarations | undefined;
  const readOnce = () => (declarations ??= readDeclarations(sourceFile, scopes));
  const view = new RecordingView(index.withOverlay({ file: filePath, declaration: (name) => readOnce().declarations[name] }), filePath);
  const built = buildModel(sourceFile, filePath, REGISTRY, { scopes, project: view, statusHelpers: declaresStatusHelper(sourceFile), projectRoots: settings.projectRoots });
  const enabled = enabledRules(settings);
  const findings = enabled.length === 0 ? [] : checkModel(built, settings, enabled);
  matchLineEndings(sourceFile.text, findings);
  addHelperSends(built.model, readOnce());
  addResponders(built.model, readOnce());
  addHeaderFacts(built.ctx, readOnce());
  addChallengeSetters(built.model, readOnce());
  const facts: ModuleFacts = { file: filePath, ...readOnce(), handlers: handlerFacts(built.model, built.ctx, settings.challenge), ...mountFacts(built.model, built.ctx, settings) };
  return { result: { filePath, findings: finishFindings(sourceFile, findings) }, facts, asked: view.asked };
}

/**
 * What the file's routes mount from other files, and which of its bindings
 * authenticate, read from its own code alone (facts never depend on other files).
 */
function mountFacts(model: FileModel, ctx: ModelContext, settings: Settings): Pick<ModuleFacts, 'mounts' | 'authenticators' | 'decoratedAuthenticators' | 'challengers'> {
  const order = new GuardFinder(model, new GuardClassifier(ctx, vocabularyFor(settings))).mounts;
  const challenges = new ChallengeOrder(model, ctx);
  const mounts = [...(model.mounts.length > 0 ? order.mountFacts() : []), ...challenges.chainFacts()];
  const authenticators = order.authenticatorNames();
  const challengers = challenges.challengerFacts();
  const decoratedAuthenticators = order.decoratedAuthenticators();
  return {
    ...(mounts.length > 0 ? { mounts } : {}),
    ...(authenticators.length > 0 ? { authenticators } : {}),
    ...(decoratedAuthenticators.length > 0 ? { decoratedAuthenticators } : {}),
    ...(Object.keys(challengers).length > 0 ? { challengers } : {}),
  };
}

/** A project's index, from its files' texts: each file's facts as its own analysis finds them. */
export function indexProject(sources: Iterable<{ filePath: string; text: string }>, resolver: ModuleResolver, settings: Settings): ProjectIndex {
  const index = new ProjectIndex(resolver, REGISTRY.errorClasses);
  const alone = new ProjectIndex(resolver, REGISTRY.errorClasses);
  const quiet: Settings = { ...settings, rules: Object.fromEntries(RULES.map((rule) => [rule.id, 'off' as const])) };
  for (const { filePath, text } of sources) {
    const { facts } = lintInProject(text, filePath, quiet, alone);
    if (facts) index.set(facts);
  }
  return index;
}
