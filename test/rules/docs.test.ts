import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { lint } from '../../server/src/core/lint';
import { RULES } from '../../server/src/core/rules';
import { ruleDocsMarkdown } from '../../server/src/core/rules/docs';
import { defaultSettings } from '../../server/src/core/types';

const ROOT = path.join(__dirname, '..', '..');

describe('rule docs', () => {
  for (const rule of RULES) {
    describe(rule.id, () => {
      it('has a module, a test table and a docs page named after its id', () => {
        assert.match(rule.id, /^[a-z]+(-[a-z]+)*$/);
        for (const file of [`server/src/core/rules/${rule.id}.ts`, `test/rules/${rule.id}.test.ts`, `docs/rules/${rule.id}.md`]) {
          assert.doesNotThrow(() => readFileSync(path.join(ROOT, file)), `missing ${file}`);
        }
      });

      it('has every section filled in', () => {
        const { docs } = rule.meta;
        for (const key of ['summary', 'whatItDoes', 'whyIsThisBad', 'example', 'useInstead'] as const) {
          assert.ok(docs[key].trim().length > 20, `docs.${key} is empty or too short`);
        }
        assert.ok(docs.references.length > 0, 'docs.references is empty');
        if (rule.meta.fixable) assert.ok(docs.fixSafety, 'a fixable rule explains its fix safety');
      });

      it('reports its Example and not its Use instead', () => {
        const found = (code: string) => lint(code, 'example.ts', defaultSettings()).findings.filter((f) => f.ruleId === rule.id);
        assert.ok(found(rule.meta.docs.example).length > 0, 'the Example does not trigger the rule');
        assert.deepEqual(found(rule.meta.docs.useInstead), [], 'the Use instead code triggers the rule');
      });

      it('ships a docs page generated from its metadata (run `npm run docs`)', () => {
        const page = readFileSync(path.join(ROOT, 'docs', 'rules', `${rule.id}.md`), 'utf8');
        assert.equal(page, ruleDocsMarkdown(rule));
      });
    });
  }

  it('has no docs page without a rule', () => {
    const pages = readdirSync(path.join(ROOT, 'docs', 'rules')).map((f) => f.replace(/\.md$/, ''));
    assert.deepEqual(pages.sort(), RULES.map((r) => r.id).sort());
  });
});
