import type ts from 'typescript';
import type { FileModel, StatusEmission } from '../model/concepts';
import type { ModelContext } from '../model/context';
import type { Fix, RelatedLocation, Settings } from '../types';

/** Ruff-style documentation, the one source for the docs pages, SARIF help and the editor. */
export interface RuleDocs {
  /** One line, shown in lists and SARIF's shortDescription. */
  summary: string;
  whatItDoes: string;
  whyIsThisBad: string;
  /** Code that triggers the rule. */
  example: string;
  /** The same code, fixed. */
  useInstead: string;
  fixSafety?: string;
  options?: string;
  references: { title: string; url: string }[];
}

export interface RuleMeta {
  docs: RuleDocs;
  fixable: boolean;
  /** GitHub code scanning's 0–10 score. */
  securitySeverity: number;
  tags: string[];
}

/** A finding as a rule reports it, before severity and suppressions apply. */
export interface RuleReport {
  node: ts.Node;
  /** A narrower range than `node`'s, when the rule points at part of it. */
  start?: number;
  end?: number;
  message: string;
  fix?: Fix;
  /** Places that explain the finding: the central handler that sends the response. */
  related?: RelatedLocation[];
}

export interface RuleContext {
  model: FileModel;
  ctx: ModelContext;
  settings: Settings;
  /**
   * Emissions another rule has reported as the wrong status: SPEC.md leaves a
   * permission-failure 401 to `auth-status-mismatch` alone, since its fix makes it a 403.
   */
  claimed: Set<StatusEmission>;
  /** Whether a rule is switched on for this file. */
  isEnabled(ruleId: string): boolean;
  /**
   * When the file is checked one unit at a time (incremental analysis), the
   * unit checked now: a rule that reports on what the model holds file-wide
   * (header writes) reports only on what lies in it. Undefined for the whole file.
   */
  unit?: ts.Node;
}

export interface Rule {
  id: string;
  meta: RuleMeta;
  check(context: RuleContext): RuleReport[];
}

/**
 * The web address of authlint's repository, set at build time from
 * package.json's `repository` (scripts/build.mjs). Without one there is no
 * link: the docs ship in the package (`docs/rules/<id>.md`) and the tools show those.
 */
declare const AUTHLINT_REPOSITORY_URL: string | undefined;

export function repositoryUrl(): string | undefined {
  return typeof AUTHLINT_REPOSITORY_URL === 'string' ? AUTHLINT_REPOSITORY_URL : undefined;
}

/** The published docs page of a rule, derived from its id so no rule types its own; undefined when no repository is configured. */
export function docsUrl(ruleId: string): string | undefined {
  const repository = repositoryUrl();
  return repository === undefined ? undefined : `${repository}/blob/HEAD/docs/rules/${ruleId}.md`;
}
