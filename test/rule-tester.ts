import assert from 'node:assert/strict';
import { applyFixes } from '../server/src/core/fix';
import { lint } from '../server/src/core/lint';
import type { Rule } from '../server/src/core/rules/rule';
import { defaultSettings, type Settings } from '../server/src/core/types';
import { describeEslintParity } from './eslint/parity';

/**
 * ESLint's RuleTester, for authlint rules: `valid` code must produce no
 * finding of the rule; each `invalid` case pins every finding's message and
 * range, and `output` is the code after all fixes (`null` when none applies).
 * Fixed output must re-lint clean of the rule. Sloppy tables are refused.
 */
export interface ValidCase {
  code: string;
  filename?: string;
  settings?: Partial<Settings>;
  name?: string;
}

export interface ExpectedError {
  /** The message, or a pattern it must match. */
  message: string | RegExp;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

export interface InvalidCase extends ValidCase {
  errors: ExpectedError[];
  output: string | null;
}

/** An invalid case of a rule table, as registered for suites that judge every table's fixes (test/fixes). */
export interface RegisteredCase {
  ruleId: string;
  test: InvalidCase;
}

const registered: RegisteredCase[] = [];
const registeredValid: { ruleId: string; test: ValidCase }[] = [];

/** The invalid cases of every table run so far, in the order their tables ran. */
export function registeredCases(): readonly RegisteredCase[] {
  return registered;
}

/** The valid cases of every table run so far. */
export function registeredValidCases(): readonly { ruleId: string; test: ValidCase }[] {
  return registeredValid;
}

export function runRuleTests(rule: Rule, tests: { valid: (string | ValidCase)[]; invalid: InvalidCase[] }): void {
  for (const test of tests.invalid) registered.push({ ruleId: rule.id, test });
  for (const entry of tests.valid) registeredValid.push({ ruleId: rule.id, test: typeof entry === 'string' ? { code: entry } : entry });
  const seen = new Set<string>();
  const once = (code: string, filename = '') => {
    const key = `${filename}\n${code}`;
    assert.ok(!seen.has(key), `duplicate test case:\n${code}`);
    seen.add(key);
  };

  describe(rule.id, () => {
    describe('valid', () => {
      for (const entry of tests.valid) {
        const test = typeof entry === 'string' ? { code: entry } : entry;
        once(test.code, test.filename);
        it(test.name ?? firstLine(test.code), () => {
          const findings = findingsOf(rule, test);
          assert.deepEqual(findings.map(describeFinding), [], 'expected no finding');
        });
      }
    });
    describe('invalid', () => {
      for (const test of tests.invalid) {
        once(test.code, test.filename);
        it(test.name ?? firstLine(test.code), () => {
          assert.ok(test.errors.length > 0, 'an invalid case needs at least one expected error');
          assert.notEqual(test.output, test.code, 'output equal to code: use output: null for a case without a fix');
          const findings = findingsOf(rule, test);
          assert.equal(findings.length, test.errors.length, `expected ${test.errors.length} finding(s), got:\n${findings.map(describeFinding).join('\n')}`);
          test.errors.forEach((expected, i) => {
            const actual = findings[i];
            if (typeof expected.message === 'string') assert.equal(actual.message, expected.message);
            else assert.match(actual.message, expected.message);
            const position = { line: actual.range.start.line + 1, column: actual.range.start.character + 1, endLine: actual.range.end.line + 1, endColumn: actual.range.end.character + 1 };
            const wanted = { line: expected.line, column: expected.column, endLine: expected.endLine ?? position.endLine, endColumn: expected.endColumn ?? position.endColumn };
            assert.deepEqual(position, wanted, `range of finding ${i + 1}`);
          });
          const output = fixedOutput(rule, test);
          assert.equal(output, test.output, 'fix output');
          if (output !== null) {
            // Fixed code re-lints clean: only the findings that had no fix may remain.
            const after = findingsOf(rule, { ...test, code: output });
            assert.deepEqual(after.filter((f) => f.fix).map(describeFinding), [], 'the fixed code still has fixable findings of this rule');
            assert.equal(after.length, findings.filter((f) => !f.fix).length, `the fixed code has new findings:\n${after.map(describeFinding).join('\n')}`);
          }
        });
      }
    });
  });
  describeEslintParity(rule.id, [...tests.valid.map((entry) => (typeof entry === 'string' ? { code: entry } : entry)), ...tests.invalid]);
}

function settingsOf(test: ValidCase): Settings {
  return { ...defaultSettings(), ...test.settings };
}

function findingsOf(rule: Rule, test: ValidCase) {
  const result = lint(test.code, test.filename ?? 'handler.ts', settingsOf(test));
  assert.equal(result.parseError, undefined, `test code does not parse: ${result.parseError?.message}`);
  return result.findings.filter((f) => f.ruleId === rule.id && !f.suppressed);
}

/** Applies this rule's fixes until none is left (or nothing changes), as `--fix` does. */
function fixedOutput(rule: Rule, test: InvalidCase): string | null {
  let code = test.code;
  for (let pass = 0; pass < 10; pass++) {
    const findings = findingsOf(rule, { ...test, code });
    const { text, applied } = applyFixes(code, findings);
    if (applied === 0) break;
    code = text;
  }
  return code === test.code ? null : code;
}

function describeFinding(f: { range: { start: { line: number; character: number } }; message: string }): string {
  return `${f.range.start.line + 1}:${f.range.start.character + 1} ${f.message}`;
}

function firstLine(code: string): string {
  const lines = code.trim().split('\n');
  return lines.length > 1 ? `${lines[0].trim()} …` : lines[0].trim();
}
