/**
 * Which files the linter reads, kept apart from the parser (core/parse.ts,
 * which maps each extension to the script kind TypeScript parses it as) so
 * that finding the files to lint loads no TypeScript.
 */
export const LINTED_EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.jsx'];

const LINTED = new Set(LINTED_EXTENSIONS);

export function extensionOf(filePath: string): string {
  const match = /\.[^./\\]+$/.exec(filePath);
  return match ? match[0].toLowerCase() : '';
}

export function isLintedPath(filePath: string): boolean {
  return LINTED.has(extensionOf(filePath)) && !/\.d\.[cm]?ts$/i.test(filePath);
}
