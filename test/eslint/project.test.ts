import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ESLint, Linter } from 'eslint';
import { jsonOf, ROOT, runCli, type JsonMessage } from '../cli/run-cli';
import { PLUGIN } from './parity';

/**
 * The plugin against the CLI on whole projects (test/fixtures/project/*),
 * where findings need other files' facts: error classes a central handler
 * answers, helpers that send the 401, coded errors. ESLint runs through its
 * `ESLint` class with the recommended config, the CLI as the real bin; each
 * gets its own copy of the project.
 */

const plugin = require(PLUGIN) as typeof import('../../server/src/eslint/plugin');
const tsParser = require('@typescript-eslint/parser') as Linter.Parser;
const PROJECTS = path.join(ROOT, 'test', 'fixtures', 'project');

const CONFIG: Linter.Config[] = [
  { files: ['**/*.{ts,tsx,mts,cts}'], languageOptions: { parser: tsParser } },
  { files: ['**/*.{js,jsx,mjs,cjs,ts,tsx,mts,cts}'], ...plugin.configs.recommended },
];

interface Seen {
  ruleId: string | null;
  severity: number;
  message: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  fix?: { range: [number, number]; text: string };
}

const NOTE = / \(ESLint cannot make this fix: it edits ([^;]+); `npx authlint --fix` makes it\.\)$/;

/** The CLI's message as the plugin words it: a fix that edits other files is no ESLint fix, and the message says which files. */
function asEslintSays(message: JsonMessage & { fixElsewhere?: { filePath: string }[] }, cwd: string): Seen {
  const { ruleId, severity, line, column, endLine, endColumn, fix } = message;
  const elsewhere = message.fixElsewhere ?? [];
  const files = [...new Set(elsewhere.map((group) => path.relative(cwd, group.filePath)))];
  const text = elsewhere.length ? `${message.message} (ESLint cannot make this fix: it edits ${files.join(', ')}; \`npx authlint --fix\` makes it.)` : message.message;
  return { ruleId, severity, message: text, line, column, endLine, endColumn, ...(fix && !elsewhere.length ? { fix } : {}) };
}

function fromEslint(message: Linter.LintMessage): Seen {
  const { ruleId, severity, message: text, line, column, endLine, endColumn, fix } = message;
  return { ruleId: ruleId?.replace(/^authlint\//, '') ?? null, severity, message: text, line, column, endLine, endColumn, ...(fix ? { fix: { range: fix.range, text: fix.text } } : {}) };
}

function copy(name: string, label: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `authlint-eslint-${label}-`));
  fs.cpSync(path.join(PROJECTS, name), dir, { recursive: true });
  return dir;
}

function sourcesOf(dir: string): Map<string, string> {
  const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => /\.[cm]?[jt]sx?$/.test(name));
  return new Map(files.sort().map((name) => [name, fs.readFileSync(path.join(dir, name), 'utf8')]));
}

describe('ESLint plugin on whole projects: the CLI findings and fixes, cross-file facts included', function () {
  this.timeout(120_000);
  const fixtures = fs.readdirSync(PROJECTS).filter((name) => fs.statSync(path.join(PROJECTS, name)).isDirectory());
  let withElsewhere = 0;
  let crossFile = 0;

  it('has projects to compare', () => assert.ok(fixtures.length >= 10));

  for (const name of fixtures) {
    it(`${name}: the same findings at the same positions, and eslint --fix makes authlint --fix's edits in the files ESLint lints`, async () => {
      const cliDir = copy(name, 'cli');
      const eslintDir = copy(name, 'eslint');
      try {
        const before = sourcesOf(cliDir);
        const cli = jsonOf(runCli(['.', '--format', 'json'], { cwd: cliDir }));
        const expected = new Map(cli.map((r) => [path.relative(cliDir, r.filePath), r.messages.map((m) => asEslintSays(m, cliDir))]));
        const eslint = new ESLint({ cwd: eslintDir, overrideConfigFile: true, overrideConfig: CONFIG });
        const results = await eslint.lintFiles(['.']);
        const actual = new Map(results.map((r) => [path.relative(eslintDir, r.filePath), r.messages.map(fromEslint)]));
        assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort(), 'the same files');
        for (const [file, messages] of expected) assert.deepEqual(actual.get(file), messages, `${name}/${file}`);
        const messages = cli.flatMap((r) => r.messages as (JsonMessage & { fixElsewhere?: { filePath: string }[] })[]);
        if (messages.some((m) => m.message.includes('error handler in') || m.message.includes('(../'))) crossFile++;

        // Fixing: ESLint writes the fixes of each file it lints; authlint also edits the handler files fixes reach.
        const edited = new Set(messages.flatMap((m) => (m.fixElsewhere ?? []).map((group) => path.relative(cliDir, group.filePath))));
        if (edited.size) withElsewhere++;
        runCli(['.', '--fix', '--format', 'json'], { cwd: cliDir });
        const fixer = new ESLint({ cwd: eslintDir, overrideConfigFile: true, overrideConfig: CONFIG, fix: true });
        const fixed = await fixer.lintFiles(['.']);
        await ESLint.outputFixes(fixed);
        const cliAfter = sourcesOf(cliDir);
        const eslintAfter = sourcesOf(eslintDir);
        for (const [file, text] of before) {
          if (edited.has(file)) {
            assert.notEqual(cliAfter.get(file), text, `${file}: authlint --fix edits it`);
            assert.equal(eslintAfter.get(file), text, `${file}: eslint --fix leaves it`);
          } else {
            assert.equal(eslintAfter.get(file), cliAfter.get(file), `${name}/${file}: fixed output`);
          }
        }
        // What is left after ESLint's fixes names the fix it could not make.
        const left = fixed.flatMap((r) => r.messages.map((m) => m.message));
        for (const file of edited) assert.ok(left.some((m) => NOTE.exec(m)?.[1].split(', ').includes(file)), `${file}: a message says authlint --fix edits it`);
      } finally {
        fs.rmSync(cliDir, { recursive: true, force: true });
        fs.rmSync(eslintDir, { recursive: true, force: true });
      }
    });
  }

  it('compared projects whose findings come from other files, and fixes ESLint cannot make', () => {
    assert.ok(crossFile >= 5, `cross-file findings in ${crossFile} projects`);
    assert.ok(withElsewhere >= 1, `fixes elsewhere in ${withElsewhere} projects`);
  });
});

describe('ESLint plugin: the project index of a long-running ESLint (editor, eslint_d)', () => {
  const CHALLENGE = `  if (statusCode === 401) res.set('WWW-Authenticate', 'Bearer realm="api"');\n  res.status(statusCode)`;
  let linter: Linter;
  const ruleIds = (dir: string, file: string) => linter.verify(fs.readFileSync(path.join(dir, file), 'utf8'), CONFIG, path.join(dir, file)).map((m) => m.ruleId);

  it('lints a file against the text ESLint last gave for another, and against the disk once that file changes there', async () => {
    const dir = copy('express-api-error', 'index');
    linter = new Linter({ configType: 'flat', cwd: dir });
    try {
      const handler = path.join(dir, 'src', 'middlewares', 'error.js');
      const original = fs.readFileSync(handler, 'utf8');
      const challenged = original.replace('  res.status(statusCode)', CHALLENGE);
      assert.notEqual(challenged, original);
      assert.deepEqual(ruleIds(dir, 'src/middlewares/auth.js'), ['authlint/missing-www-authenticate']);
      // The handler as an editor buffer holds it, not as saved: the next file sees its challenge.
      assert.deepEqual(linter.verify(challenged, CONFIG, handler), []);
      assert.deepEqual(ruleIds(dir, 'src/middlewares/auth.js'), []);
      assert.deepEqual(linter.verify(original, CONFIG, handler), []);
      assert.deepEqual(ruleIds(dir, 'src/middlewares/auth.js'), ['authlint/missing-www-authenticate']);
      // Saved with the challenge while the project is idle: the next lint reads it from disk.
      linter.verify(fs.readFileSync(path.join(dir, 'src/app.js'), 'utf8'), CONFIG, path.join(dir, 'src/app.js'));
      await new Promise((resolve) => setTimeout(resolve, 1100));
      fs.writeFileSync(handler, challenged);
      assert.deepEqual(ruleIds(dir, 'src/services/auth.service.js'), []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
