// Writes docs/rules/<id>.md from each rule's metadata (`npm run docs`).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RULES } from '../server/src/core/rules';
import { ruleDocsMarkdown } from '../server/src/core/rules/docs';

const dir = path.join(__dirname, '..', 'docs', 'rules');
mkdirSync(dir, { recursive: true });
for (const rule of RULES) {
  writeFileSync(path.join(dir, `${rule.id}.md`), ruleDocsMarkdown(rule));
  console.log(`docs/rules/${rule.id}.md`);
}
