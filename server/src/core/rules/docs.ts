import type { Rule } from './rule';

/**
 * A rule's documentation page, rendered from its metadata: the one source for
 * docs/rules/<id>.md (shipped in the extension), SARIF help and the editor.
 */
export function ruleDocsMarkdown(rule: Rule): string {
  const { docs } = rule.meta;
  const sections = [
    `# ${rule.id}`,
    docs.summary,
    `## What it does\n\n${docs.whatItDoes}`,
    `## Why is this bad?\n\n${docs.whyIsThisBad}`,
    `## Example\n\n${fence(docs.example)}`,
    `Use instead:\n\n${fence(docs.useInstead)}`,
  ];
  if (docs.fixSafety) sections.push(`## Fix safety\n\n${docs.fixSafety}`);
  if (docs.options) sections.push(`## Options\n\n${docs.options}`);
  sections.push(`## Suppressing\n\n${fence(`// authlint-disable-next-line ${rule.id} -- <why this is fine here>`)}`);
  sections.push(`## References\n\n${docs.references.map((r) => `- [${r.title}](${r.url})`).join('\n')}`);
  return `${sections.join('\n\n')}\n`;
}

function fence(code: string): string {
  return `\`\`\`ts\n${code}\n\`\`\``;
}
