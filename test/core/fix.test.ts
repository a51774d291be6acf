import assert from 'node:assert/strict';
import { applyEdits, applyFixes, fixSource } from '../../server/src/core/fix';
import { parse, syntaxErrorOf } from '../../server/src/core/parse';
import type { FileEdits, Finding, LintResult, TextEdit } from '../../server/src/core/types';

const edit = (start: number, end: number, text: string): TextEdit => ({ start, end, text });

/** A finding on `line` (0-based) whose fix makes `edits`. */
function finding(edits: TextEdit[], elsewhere?: FileEdits[], line = 0): Finding {
  const start = edits[0]?.start ?? 0;
  const range = { start: { line, character: 0 }, end: { line, character: 0 } };
  return { ruleId: 'missing-www-authenticate', severity: 'warn', message: 'm', start, end: start, range, fix: { title: 'fix it', edits, elsewhere } };
}

/** `n` statements `let vK = 0;`, one per line. */
function statements(n: number): string {
  return Array.from({ length: n }, (_, k) => `let v${k} = 0;\n`).join('');
}

/** A linter that reports every `= 0;` as fixable to `= 1;` (or to `breaks`, for the statements listed), counting its calls. */
function zeroLinter(breaking: ReadonlySet<number> = new Set()) {
  const counter = { lints: 0 };
  const lintText = (text: string): LintResult => {
    counter.lints++;
    const parseError = syntaxErrorOf(parse(text, 'a.ts'));
    if (parseError) return { filePath: 'a.ts', findings: [], parseError };
    const findings: Finding[] = [];
    for (const match of text.matchAll(/let v(\d+) = 0;/g)) {
      const at = match.index + match[0].length - 2;
      const k = Number(match[1]);
      findings.push(finding([edit(at, at + 1, breaking.has(k) ? '(' : '1')], undefined, k));
    }
    return { filePath: 'a.ts', findings };
  };
  return { counter, lintText };
}

describe('core: applying fixes', () => {
  describe('applyFixes', () => {
    const text = 'abcdefghij';

    it('applies fixes that do not overlap and leaves the others for the next pass', () => {
      const outcome = applyFixes(text, [finding([edit(2, 4, 'X')]), finding([edit(3, 5, 'Y')]), finding([edit(6, 7, 'Z')])]);
      assert.deepEqual([outcome.text, outcome.applied], ['abXefZhij', 2]);
    });

    it('treats two different insertions at one point as a conflict, and an identical edit (a shared import) as one', () => {
      const different = applyFixes(text, [finding([edit(0, 0, 'A')]), finding([edit(0, 0, 'B')])]);
      assert.deepEqual([different.text, different.applied], ['Aabcdefghij', 1]);
      const shared = applyFixes(text, [finding([edit(0, 0, 'import;'), edit(5, 6, 'F')]), finding([edit(0, 0, 'import;'), edit(8, 9, 'I')])]);
      assert.deepEqual([shared.text, shared.applied], ['import;abcdeFghIj', 2]);
    });

    it('refuses an insertion inside a replacement, but not one where it starts or ends', () => {
      assert.equal(applyFixes(text, [finding([edit(2, 6, 'X')]), finding([edit(4, 4, 'I')])]).applied, 1);
      assert.equal(applyFixes(text, [finding([edit(2, 6, 'X')]), finding([edit(2, 2, 'I')]), finding([edit(6, 6, 'J')])]).text, 'abIXJghij');
    });

    it('never applies a fix whose own edits overlap one another or fall outside the text', () => {
      const outcome = applyFixes(text, [finding([edit(1, 3, 'X'), edit(2, 4, 'Y')]), finding([edit(8, 12, 'Z')]), finding([edit(5, 4, 'W')])]);
      assert.deepEqual([outcome.text, outcome.applied], [text, 0]);
    });

    it('applies 5,000 fixes in one pass, each edit where it was computed', () => {
      const source = statements(5000);
      const { lintText } = zeroLinter();
      const outcome = applyFixes(source, lintText(source).findings);
      assert.equal(outcome.applied, 5000);
      assert.equal(outcome.text, source.replaceAll('= 0;', '= 1;'));
    });
  });

  describe('applyEdits', () => {
    it('puts an insertion before the replacement that starts at the same offset', () => {
      assert.equal(applyEdits('abc', [edit(1, 2, 'X'), edit(1, 1, 'I')]), 'aIXc');
    });
  });

  describe('fixSource', () => {
    it('costs two lints for any number of independent fixes, not one per fix', () => {
      const source = statements(2000);
      const { counter, lintText } = zeroLinter();
      const outcome = fixSource(source, lintText);
      assert.equal(outcome.applied, 2000);
      assert.equal(outcome.text, source.replaceAll('= 0;', '= 1;'));
      assert.equal(counter.lints, 2, 'one lint of the input, one of the fixed text');
      assert.equal(outcome.passes.length, 1);
    });

    it('finds the fixes that break parsing by halving, in a number of lints logarithmic in the fixes', () => {
      const source = statements(1024);
      const { counter, lintText } = zeroLinter(new Set([17, 800]));
      const outcome = fixSource(source, lintText);
      assert.equal(outcome.applied, 1022);
      assert.equal(outcome.refused.length, 2);
      assert.match(outcome.refused[0], /^missing-www-authenticate at line 18: "fix it" would leave code that does not parse/);
      assert.ok(!syntaxErrorOf(parse(outcome.text, 'a.ts')));
      assert.ok(counter.lints <= 2 + 2 * 2 * Math.log2(1024) + 2, `${counter.lints} lints`);
      assert.equal(outcome.result.findings.length, 2, 'the refused findings are still reported');
    });

    it('applies in a later pass a fix that overlapped a refused one', () => {
      const text = 'let a = 0;\n';
      const lintText = (t: string): LintResult => {
        const parseError = syntaxErrorOf(parse(t, 'a.ts'));
        if (parseError) return { filePath: 'a.ts', findings: [], parseError };
        if (t !== text) return { filePath: 'a.ts', findings: [] };
        return { filePath: 'a.ts', findings: [finding([edit(8, 9, '(')]), finding([edit(8, 9, '2')])] };
      };
      const outcome = fixSource(text, lintText);
      assert.deepEqual([outcome.text, outcome.applied, outcome.refused.length], ['let a = 2;\n', 1, 1]);
    });

    it('starts from the lint result it is given', () => {
      const source = statements(3);
      const { counter, lintText } = zeroLinter();
      const initial = lintText(source);
      fixSource(source, lintText, { initial });
      assert.equal(counter.lints, 2);
    });

    it('collects the edits to other files of the fixes it applied and of the fixes made only there, each once', () => {
      const text = 'let a = 0;\nlet b = 0;\n';
      const handler: FileEdits = { filePath: '/p/handler.ts', edits: [edit(10, 10, 'challenge')] };
      const lintText = (t: string): LintResult => {
        if (t !== text) return { filePath: 'a.ts', findings: [finding([], [handler])] };
        return { filePath: 'a.ts', findings: [finding([edit(8, 9, '1')], [handler]), finding([edit(19, 20, '1')], [handler]), finding([], [handler])] };
      };
      const outcome = fixSource(text, lintText);
      assert.equal(outcome.text, 'let a = 1;\nlet b = 1;\n');
      assert.deepEqual(outcome.elsewhere, [handler]);
    });
  });
});
