import type ts from 'typescript';
import { matchLineEndings } from './fix';
import { REGISTRY } from './frameworks';
import { buildModel, type BuiltModel } from './model/build';
import type { StatusEmission } from './model/concepts';
import { parse, syntaxErrorOf } from './parse';
import { rangeOf } from './positions';
import { RULES } from './rules';
import type { Rule, RuleContext } from './rules/rule';
import { findDirectives, suppressionFor } from './suppressions';
import type { Finding, LintResult, Settings, Severity } from './types';

export function severityOf(settings: Settings, ruleId: string): Severity {
  return settings.rules[ruleId] ?? 'warn';
}

/** Lints one file's text. The CLI and the language server both call this. */
export function lint(text: string, filePath: string, settings: Settings): LintResult {
  return lintSourceFile(parse(text, filePath), filePath, settings);
}

/** Lints an already parsed file (the language server reparses incrementally). */
export function lintSourceFile(sourceFile: ts.SourceFile, filePath: string, settings: Settings): LintResult {
  const parseError = syntaxErrorOf(sourceFile);
  if (parseError) return { filePath, findings: [], parseError };
  const enabled = enabledRules(settings);
  if (enabled.length === 0) return { filePath, findings: [] };
  const findings = checkModel(buildModel(sourceFile, filePath, REGISTRY, { projectRoots: settings.projectRoots }), settings, enabled);
  matchLineEndings(sourceFile.text, findings);
  return { filePath, findings: finishFindings(sourceFile, findings) };
}

export function enabledRules(settings: Settings): Rule[] {
  return RULES.filter((rule) => severityOf(settings, rule.id) !== 'off');
}

/** Runs the rules over a built model: findings not yet sorted or suppressed, their fixes written with `\n`. */
/** `unit`: the unit checked when the file is checked one unit at a time (see RuleContext). */
export function checkModel({ model, ctx }: BuiltModel, settings: Settings, enabled: readonly Rule[], unit?: ts.Node): Finding[] {
  const sourceFile = model.sourceFile;
  const context: RuleContext = {
    model,
    ctx,
    settings,
    claimed: new Set<StatusEmission>(),
    isEnabled: (id) => severityOf(settings, id) !== 'off',
    unit,
  };
  const findings: Finding[] = [];
  for (const rule of enabled) {
    const severity = severityOf(settings, rule.id) as Exclude<Severity, 'off'>;
    for (const report of rule.check(context)) {
      const start = report.start ?? report.node.getStart(sourceFile);
      const end = report.end ?? report.node.getEnd();
      const finding: Finding = { ruleId: rule.id, severity, message: report.message, start, end, range: rangeOf(sourceFile, start, end), fix: report.fix };
      if (report.related) finding.related = report.related;
      findings.push(finding);
    }
  }
  return findings;
}

/** Marks the findings that suppression comments cover, and sorts them by position. */
export function finishFindings(sourceFile: ts.SourceFile, findings: Finding[]): Finding[] {
  const directives = findDirectives(sourceFile);
  for (const finding of findings) {
    const directive = suppressionFor(directives, finding.ruleId, finding.range.start.line);
    if (directive) finding.suppressed = { kind: directive.kind, comment: directive.comment };
    else if (finding.suppressed) delete finding.suppressed;
  }
  return findings.sort((a, b) => a.start - b.start || a.end - b.end || a.ruleId.localeCompare(b.ruleId));
}
