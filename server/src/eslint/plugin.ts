import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ESLint, Linter, Rule as EslintRule, SourceCode } from 'eslint';
import { findConfig, resolveSettings, validateConfig, type ProjectConfig } from '../core/config';
import { lint } from '../core/lint';
import { lintInProject } from '../core/project/analyze';
import { extensionOf, isLintedPath } from '../core/parse';
import { RULES } from '../core/rules';
import { docsUrl, type Rule } from '../core/rules/rule';
import type { Finding, LintResult, Settings } from '../core/types';
import { projectFor } from './project';

/**
 * authlint's rules as an ESLint flat-config plugin, over the same core as the
 * CLI: the core lints `sourceCode.text` under `context.filename` with its own
 * parser, so whichever parser ESLint runs (espree, typescript-eslint) the
 * findings, positions and fixes are the CLI's.
 */

declare const AUTHLINT_VERSION: string;

/** What one file's run of the rules shares: the rules switched on for it, with their options, and the core's results. */
interface FileRun {
  options: Map<string, ProjectConfig>;
  /** The project's authlint config, looked up once for the file, and the folder its `ignore` globs are relative to. */
  project?: { config: ProjectConfig; base: string };
  results: Map<string, LintResult>;
}

/**
 * ESLint calls every configured rule's `create` before it walks the tree, so
 * when the first listener runs, `options` names every authlint rule on for this
 * file. The core then lints once for all of them, and `missing-www-authenticate`
 * leaves a permission-failure 401 to `auth-status-mismatch` exactly when the
 * CLI would: when that rule is on.
 */
const runs = new WeakMap<SourceCode, FileRun>();

const OPTIONS_SCHEMA = {
  type: 'object',
  properties: {
    challenge: { type: 'string', minLength: 1, description: 'The WWW-Authenticate value the fix inserts (default `Bearer realm="api"`).' },
    credentialHeaders: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'Request headers that carry the caller\'s credential (default `["authorization"]`).' },
    authVocabulary: {
      type: 'object',
      properties: Object.fromEntries(['authentication', 'authorization', 'unrelated'].map((key) => [key, { type: 'array', items: { type: 'string', minLength: 1 } }])),
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

function eslintRule(rule: Rule): EslintRule.RuleModule {
  const url = docsUrl(rule.id) ?? shippedDocs(rule.id);
  return {
    meta: {
      type: 'problem',
      docs: { description: rule.meta.docs.summary, recommended: true, ...(url ? { url } : {}) },
      // The core words each finding for its site; the message carries it whole.
      messages: { finding: '{{message}}' },
      ...(rule.meta.fixable ? { fixable: 'code' as const } : {}),
      schema: [OPTIONS_SCHEMA],
    },
    create(context) {
      if (!lintable(context.filename)) return {};
      const sourceCode = context.sourceCode;
      const run = runOf(sourceCode);
      run.options.set(rule.id, (context.options[0] as ProjectConfig | undefined) ?? {});
      return {
        Program() {
          for (const finding of findingsFor(run, rule.id, sourceCode.text, context)) report(context, sourceCode, finding);
        },
      };
    },
  };
}

function runOf(sourceCode: SourceCode): FileRun {
  let run = runs.get(sourceCode);
  if (!run) runs.set(sourceCode, (run = { options: new Map(), results: new Map() }));
  return run;
}

/** Files the CLI lints; a virtual block of an ESLint processor (`README.md/0.ts`) is named by its own extension. */
function lintable(filename: string): boolean {
  return extensionOf(filename) === '' || isLintedPath(filename);
}

function findingsFor(run: FileRun, ruleId: string, text: string, context: EslintRule.RuleContext): Finding[] {
  const settings = settingsFor(run, ruleId, context.cwd);
  const key = JSON.stringify(settings);
  let result = run.results.get(key);
  if (!result) run.results.set(key, (result = lintWithProject(text, context, settings, run.project!)));
  return result.findings.filter((finding) => finding.ruleId === ruleId && !finding.suppressed);
}

/**
 * The project's `.authlintrc.json` (or `package.json#authlint`), as the CLI
 * reads it from the working folder, under this rule's options; ESLint's
 * config alone decides which rules are on.
 */
function settingsFor(run: FileRun, ruleId: string, cwd: string): Settings {
  const own = validateConfig(run.options.get(ruleId), `ESLint options of authlint/${ruleId}`);
  if (!run.project) {
    const found = findConfig(cwd);
    run.project = { config: found?.config ?? {}, base: found ? path.dirname(found.file) : cwd };
  }
  const settings = resolveSettings(run.project.config, own);
  settings.rules = Object.fromEntries(RULES.map((rule) => [rule.id, run.options.has(rule.id) ? 'warn' : 'off']));
  return settings;
}

/**
 * Lints the file against its project's index, as the CLI does: a 401 whose
 * error another file's handler answers is found, and so is one a helper of
 * another file sends. A name that is no file on disk is linted on its own.
 */
function lintWithProject(text: string, context: EslintRule.RuleContext, settings: Settings, config: { config: ProjectConfig; base: string }): LintResult {
  const project = context.physicalFilename === context.filename ? projectFor(context.filename, settings, { patterns: config.config.ignore ?? [], base: config.base }) : undefined;
  if (!project) return lint(text, context.filename, settings);
  project.use(context.filename, text);
  try {
    return lintInProject(text, context.filename, { ...settings, projectRoots: [project.root] }, project.index).result;
  } finally {
    project.done();
  }
}

function report(context: EslintRule.RuleContext, sourceCode: SourceCode, finding: Finding): void {
  const loc = { start: sourceCode.getLocFromIndex(finding.start), end: sourceCode.getLocFromIndex(finding.end) };
  const fix = finding.fix;
  // ESLint fixes one file at a time; a fix that must also edit another file is not offered half done.
  const whole = fix && !fix.elsewhere?.length ? fix : undefined;
  context.report({
    loc,
    messageId: 'finding',
    data: { message: fix?.elsewhere?.length ? `${finding.message}${elsewhereNote(fix.elsewhere, context.cwd)}` : finding.message },
    ...(whole ? { fix: (fixer: EslintRule.RuleFixer) => whole.edits.map((edit) => fixer.replaceTextRange([edit.start, edit.end], edit.text)) } : {}),
  });
}

/** Said of a fix that edits other files: ESLint applies a rule's fixes to the file it lints only. */
function elsewhereNote(elsewhere: readonly { filePath: string }[], cwd: string): string {
  const files = [...new Set(elsewhere.map((group) => path.relative(cwd, group.filePath) || group.filePath))];
  return ` (ESLint cannot make this fix: it edits ${files.join(', ')}; \`npx authlint --fix\` makes it.)`;
}

/** The rule's docs page shipped in the package, beside this bundle (dist/). */
function shippedDocs(ruleId: string): string | undefined {
  const file = path.join(__dirname, '..', 'docs', 'rules', `${ruleId}.md`);
  return fs.existsSync(file) ? pathToFileURL(file).href : undefined;
}

const rules = Object.fromEntries(RULES.map((rule) => [rule.id, eslintRule(rule)]));

const recommended: Linter.Config = {
  name: 'authlint/recommended',
  plugins: {},
  rules: Object.fromEntries(RULES.map((rule) => [`authlint/${rule.id}`, 'warn' as const])),
};

const plugin = {
  meta: { name: 'authlint', version: typeof AUTHLINT_VERSION === 'string' ? AUTHLINT_VERSION : '0.0.0' },
  rules,
  configs: { recommended },
} satisfies ESLint.Plugin;

recommended.plugins = { authlint: plugin };

export = plugin;
