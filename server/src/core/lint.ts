import type ts from 'typescript';
import { matchLineEndings } from './fix';
import { buildModel } from './model/build';
import type { StatusEmission } from './model/concepts';
import { parse, syntaxErrorOf } from './parse';
import { rangeOf } from './positions';
import { RULES } from './rules';
import type { RuleContext } from './rules/rule';
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
  const enabled = RULES.filter((rule) => severityOf(settings, rule.id) !== 'off');
  if (enabled.length === 0) return { filePath, findings: [] };

  const { model, ctx } = buildModel(sourceFile, filePath);
  const claimed = new Set<StatusEmission>();
  const context: RuleContext = {
    model,
    ctx,
    settings,
    claimed,
    isEnabled: (id) => severityOf(settings, id) !== 'off',
  };
  const directives = findDirectives(sourceFile);
  const findings: Finding[] = [];
  for (const rule of enabled) {
    const severity = severityOf(settings, rule.id) as Exclude<Severity, 'off'>;
    for (const report of rule.check(context)) {
      const start = report.start ?? report.node.getStart(sourceFile);
      const end = report.end ?? report.node.getEnd();
      const range = rangeOf(sourceFile, start, end);
      const finding: Finding = { ruleId: rule.id, severity, message: report.message, start, end, range, fix: report.fix };
      const directive = suppressionFor(directives, rule.id, range.start.line);
      if (directive) finding.suppressed = { kind: directive.kind, comment: directive.comment };
      findings.push(finding);
    }
  }
  if (findings.some((f) => f.fix)) matchLineEndings(sourceFile.text, findings);
  findings.sort((a, b) => a.start - b.start || a.end - b.end || a.ruleId.localeCompare(b.ruleId));
  return { filePath, findings };
}
