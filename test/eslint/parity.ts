import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { RULE_IDS } from '../../server/src/core/rules';
import type { Settings } from '../../server/src/core/types';
import { BIN, ROOT, type JsonMessage, type JsonResult } from '../cli/run-cli';

/**
 * The differential check of SPEC.md's ESLint plugin: on the same files, the
 * real `eslint` binary with `authlint/eslint-plugin` reports what the real
 * `authlint` binary reports (rule, severity, message, range, fix) and
 * `--fix-dry-run` produces the same output. Both read the folder's
 * `.authlintrc.json`; ESLint's config switches the same rules on.
 */

export const ESLINT_BIN = path.join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');
export const PLUGIN = path.join(ROOT, 'dist', 'eslint-plugin.js');

export interface ParityFile {
  /** Path inside the project folder. */
  filename: string;
  code: string;
}

/**
 * Lays out a project folder: the files, `.authlintrc.json` with the settings,
 * and an ESLint config with the plugin. Each case folder is a package of its
 * own, so that the CLI's project index does not let one case's error handler
 * answer another case's errors (the plugin lints one file at a time).
 */
export function writeProject(dir: string, files: readonly ParityFile[], settings: Partial<Settings> = {}): string[] {
  const paths = files.map((file) => {
    const target = path.join(dir, file.filename);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, file.code);
    const caseDir = file.filename.split(/[\\/]/)[0];
    if (caseDir !== file.filename) fs.writeFileSync(path.join(dir, caseDir, 'package.json'), '{ "private": true }\n');
    return target;
  });
  fs.writeFileSync(path.join(dir, '.authlintrc.json'), JSON.stringify(settings));
  fs.writeFileSync(path.join(dir, 'eslint.config.mjs'), eslintConfig(settings));
  return paths;
}

function eslintConfig(settings: Partial<Settings>): string {
  const rules = Object.fromEntries(RULE_IDS.map((id) => [`authlint/${id}`, settings.rules?.[id] ?? 'warn']));
  const parser = pathToFileURL(path.join(ROOT, 'node_modules', '@typescript-eslint', 'parser', 'dist', 'index.js')).href;
  return [
    `import authlint from ${JSON.stringify(pathToFileURL(PLUGIN).href)};`,
    `import * as parser from ${JSON.stringify(parser)};`,
    'export default [',
    "  { files: ['**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}'], languageOptions: { parser, parserOptions: { ecmaFeatures: { jsx: true } } } },",
    '  authlint.configs.recommended,',
    `  { rules: ${JSON.stringify(rules)} },`,
    '];',
    '',
  ].join('\n');
}

export interface ParityRun {
  eslint: JsonResult[];
  authlint: JsonResult[];
}

/** Runs both binaries with `--format json --fix-dry-run` over the files, from the project folder. */
export function runBoth(dir: string, files: readonly string[]): ParityRun {
  const run = (args: string[]) => {
    const result = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, FORCE_COLOR: '0' } });
    if (result.error) throw result.error;
    try {
      return JSON.parse(result.stdout) as JsonResult[];
    } catch {
      throw new Error(`${path.basename(args[0])} printed no JSON (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
    }
  };
  return {
    eslint: run([ESLINT_BIN, '--format', 'json', '--fix-dry-run', '--no-warn-ignored', ...files]),
    authlint: run([BIN, '--format', 'json', '--fix-dry-run', ...files]),
  };
}

interface Comparable {
  ruleId: string | null;
  severity: number;
  message: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  fix?: { range: [number, number]; text: string };
}

function comparable(message: JsonMessage): Comparable {
  const { ruleId, severity, message: text, line, column, endLine, endColumn, fix } = message;
  return { ruleId: ruleId?.replace(/^authlint\//, '') ?? null, severity, message: text, line, column, endLine, endColumn, ...(fix ? { fix } : {}) };
}

/**
 * Asserts the two reports agree file by file. A file neither parser accepts is
 * fatal in both (the messages are each parser's own); the number of files
 * compared is returned so a caller can tell the check ran.
 */
export function assertSameReports(run: ParityRun): number {
  const byPath = (results: JsonResult[]) => new Map(results.map((r) => [fs.realpathSync(r.filePath), r]));
  const eslint = byPath(run.eslint);
  const authlint = byPath(run.authlint);
  // ESLint also reads what authlint skips (declaration files); it must find nothing there.
  for (const [file, theirs] of eslint) if (!authlint.has(file)) assert.deepEqual(theirs.messages, [], `${file}: authlint skips it`);
  assert.deepEqual([...authlint.keys()].filter((file) => !eslint.has(file)), [], 'ESLint lints every file authlint lints');
  for (const [file, ours] of authlint) {
    const theirs = eslint.get(file)!;
    const fatal = (r: JsonResult) => r.messages.some((m) => m.fatal);
    assert.equal(fatal(theirs), fatal(ours), `${file}: parses in one and not the other:\n${JSON.stringify([theirs.messages, ours.messages], null, 2)}`);
    if (fatal(ours)) continue;
    assert.deepEqual(theirs.messages.map(comparable), ours.messages.map(comparable), `${file}: findings differ`);
    assert.equal(theirs.output, ours.output, `${file}: fixed output differs`);
  }
  return authlint.size;
}

/** A fresh folder for one comparison, removed by the caller. */
export function projectDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `authlint-parity-${label}-`));
}

/**
 * Every case of a rule table, each file at its own path, in one project
 * folder per distinct settings: one run of each binary per folder.
 */
export function describeEslintParity(ruleId: string, cases: readonly { code: string; filename?: string; settings?: Partial<Settings> }[]): void {
  describe(`${ruleId}: ESLint plugin parity`, () => {
    it('eslint with authlint/eslint-plugin reports and fixes every case of the table as authlint does', function () {
      this.timeout(300_000);
      const groups = new Map<string, { settings: Partial<Settings>; files: ParityFile[] }>();
      cases.forEach((test, i) => {
        const key = JSON.stringify(test.settings ?? {});
        if (!groups.has(key)) groups.set(key, { settings: test.settings ?? {}, files: [] });
        groups.get(key)!.files.push({ filename: path.join(`case-${i}`, test.filename ?? 'handler.ts'), code: test.code });
      });
      let compared = 0;
      for (const [index, { settings, files }] of [...groups.values()].entries()) {
        const dir = projectDir(`${ruleId}-${index}`);
        try {
          compared += assertSameReports(runBoth(dir, writeProject(dir, files, settings)));
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      }
      assert.equal(compared, cases.length, 'every case was compared');
    });
  });
}
