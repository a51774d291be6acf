import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { FIXTURES, jsonOf, type CliRun, MISSING_CHALLENGE, removeTempProjects, ROOT, runCli, tempProject, type JsonResult } from './run-cli';

const PROJECT = path.join(FIXTURES, 'project');

function resultFor(results: JsonResult[], suffix: string): JsonResult {
  const found = results.find((r) => r.filePath.endsWith(suffix));
  assert.ok(found, `no result for ${suffix} in ${results.map((r) => r.filePath).join(', ')}`);
  return found;
}

describe('CLI: the real bin on fixture folders', () => {
  after(removeTempProjects);

  describe('--format json (ESLint shape)', () => {
    let run: CliRun;
    let results: JsonResult[];
    before(() => {
      run = runCli(['--format', 'json'], { cwd: PROJECT });
      results = jsonOf(run);
    });

    it('lists every linted file with absolute paths and ESLint counts, sorted, skipping *.d.ts', () => {
      assert.deepEqual(
        results.map((r) => path.relative(PROJECT, r.filePath)),
        ['src/broken.ts', 'src/challenge-ok.ts', 'src/legacy.js', 'src/login.ts'].map((p) => p.split('/').join(path.sep)),
      );
      for (const result of results) {
        assert.ok(path.isAbsolute(result.filePath));
        for (const key of ['messages', 'suppressedMessages', 'errorCount', 'fatalErrorCount', 'warningCount', 'fixableErrorCount', 'fixableWarningCount']) {
          assert.ok(key in result, `${key} missing in ${result.filePath}`);
        }
        assert.deepEqual(result.usedDeprecatedRules, []);
        for (const key of ['notices', 'skipped']) assert.ok(!(key in result), `internal field ${key} stays out of the JSON`);
      }
    });

    it('gives the linted text as `source` where there is a problem to show, as ESLint does, so its formatters read the report', () => {
      const login = resultFor(results, 'login.ts');
      assert.equal(login.source, fs.readFileSync(path.join(PROJECT, 'src/login.ts'), 'utf8'));
      assert.ok(!('source' in resultFor(results, 'challenge-ok.ts')), 'a clean file carries no text');
      assert.ok(!('source' in resultFor(results, 'legacy.js')), 'nor one whose only finding is suppressed');
      // eslint-formatter-codeframe prints the offending line from `source`.
      const codeframe = require('eslint-formatter-codeframe') as (results: JsonResult[]) => string;
      const printed = codeframe([login]).replace(/\u001b\[[0-9;]*m/g, '');
      assert.match(printed, /missing-www-authenticate/);
      assert.match(printed, /> +7 \|.*res\.status\(401\)/);
    });

    it('reports a finding with the plain rule id, 1-based range and a fix', () => {
      const login = resultFor(results, 'login.ts');
      assert.deepEqual(login.messages, [
        {
          ruleId: 'missing-www-authenticate',
          severity: 1,
          message: login.messages[0].message,
          line: 7,
          column: 12,
          endLine: 7,
          endColumn: 27,
          fix: { range: [144, 144], text: ".set('WWW-Authenticate', 'Bearer realm=\"api\"')" },
        },
      ]);
      assert.match(login.messages[0].message, /WWW-Authenticate/);
      assert.deepEqual([login.errorCount, login.warningCount, login.fixableErrorCount, login.fixableWarningCount], [0, 1, 0, 1]);
      const source = fs.readFileSync(path.join(PROJECT, 'src/login.ts'), 'utf8');
      const [start, end] = login.messages[0].fix!.range;
      assert.equal(source.slice(start - 3, end), 'res', 'the fix range points into the file text');
    });

    it('reports a file that does not parse as one fatal message and goes on', () => {
      const broken = resultFor(results, 'broken.ts');
      assert.equal(broken.messages.length, 1);
      const [fatal] = broken.messages;
      assert.equal(fatal.fatal, true);
      assert.equal(fatal.severity, 2);
      assert.equal(fatal.ruleId, null);
      assert.match(fatal.message, /^Parsing error: /);
      assert.deepEqual([fatal.line, broken.errorCount, broken.fatalErrorCount], [3, 1, 1]);
      assert.equal(run.status, 1, 'a parse error is an error: exit 1');
    });

    it('keeps a suppressed finding out of the counts, in suppressedMessages with its reason', () => {
      const legacy = resultFor(results, 'legacy.js');
      assert.deepEqual([legacy.messages.length, legacy.warningCount], [0, 0]);
      assert.equal(legacy.suppressedMessages.length, 1);
      assert.deepEqual(legacy.suppressedMessages[0].suppressions, [{ kind: 'directive', justification: 'the old mobile client breaks on a challenge' }]);
    });
  });

  describe('exit status', () => {
    let project: string;
    before(() => {
      project = tempProject({ 'src/login.ts': MISSING_CHALLENGE });
    });

    it('is 0 with only warnings, 1 with --max-warnings 0 saying so as ESLint does, 0 again within the limit', () => {
      assert.equal(runCli([], { cwd: project }).status, 0);
      const over = runCli(['--max-warnings', '0', '--format', 'json'], { cwd: project });
      assert.equal(over.status, 1);
      assert.equal(over.stderr, 'authlint found too many warnings (maximum: 0).\n');
      assert.equal(jsonOf(over)[0].warningCount, 1, 'the report on stdout stays clean JSON');
      const within = runCli(['--max-warnings=1'], { cwd: project });
      assert.equal(within.status, 0);
      assert.doesNotMatch(within.stderr, /too many warnings/);
    });

    it('is 1 when --rule raises a finding to error, 0 when it turns the rule off', () => {
      const raised = runCli(['--rule', 'missing-www-authenticate=error', '--format', 'json'], { cwd: project });
      assert.equal(raised.status, 1);
      assert.equal(jsonOf(raised)[0].messages[0].severity, 2);
      const off = runCli(['--rule', 'missing-www-authenticate=off', '--format', 'json'], { cwd: project });
      assert.equal(off.status, 0);
      assert.deepEqual(jsonOf(off)[0].messages, []);
    });

    it('is 2 for bad usage: an unknown option, format, rule id or severity', () => {
      for (const args of [['--frobnicate'], ['--format', 'xml'], ['--rule', 'no-such-rule=error'], ['--rule', 'missing-www-authenticate=loud'], ['--max-warnings', 'many'], ['--fix', '--fix-dry-run']]) {
        const run = runCli(args, { cwd: project });
        assert.equal(run.status, 2, `${args.join(' ')}: ${run.stderr}`);
        assert.match(run.stderr, /^authlint: /);
        assert.equal(run.stdout, '');
      }
      assert.match(runCli(['--rule', 'no-such-rule=error'], { cwd: project }).stderr, /unknown rule "no-such-rule".*missing-www-authenticate/);
    });
  });

  describe('configuration', () => {
    const configured = path.join(FIXTURES, 'configured');

    it('reads rules, ignore and challenge from .authlintrc.json', () => {
      const run = runCli(['--format', 'json'], { cwd: configured });
      const results = jsonOf(run);
      assert.deepEqual(results.map((r) => path.relative(configured, r.filePath)), [path.join('src', 'login.ts')], 'generated/** is ignored');
      const [message] = results[0].messages;
      assert.equal(message.severity, 2);
      assert.match(message.fix!.text, /Bearer realm=\\?"configured\\?"/);
      assert.equal(run.status, 1);
    });

    it('reads package.json#authlint, and --config overrides the lookup', () => {
      const project = tempProject({
        'package.json': JSON.stringify({ name: 'x', authlint: { rules: { 'missing-www-authenticate': 'error' } } }),
        'other.json': JSON.stringify({ rules: { 'missing-www-authenticate': 'off' } }),
        'src/login.ts': MISSING_CHALLENGE,
      });
      assert.equal(runCli([], { cwd: project }).status, 1);
      const overridden = runCli(['--config', 'other.json', '--format', 'json'], { cwd: project });
      assert.equal(overridden.status, 0);
      assert.deepEqual(jsonOf(overridden)[0].messages, []);
    });

    it('lets --rule win over the config file', () => {
      const run = runCli(['--rule', 'missing-www-authenticate=warn'], { cwd: configured });
      assert.equal(run.status, 0);
    });

    it('takes ignore globs relative to the config file, when run from a subfolder', () => {
      const run = runCli(['--format', 'json', '..'], { cwd: path.join(configured, 'src') });
      assert.deepEqual(jsonOf(run).map((r) => path.basename(r.filePath)), ['login.ts']);
    });

    it('accepts credentialHeaders and authVocabulary', () => {
      const config = { credentialHeaders: ['X-Api-Key'], authVocabulary: { authorization: ['tenant'] } };
      const project = tempProject({ '.authlintrc.json': JSON.stringify(config), 'src/login.ts': MISSING_CHALLENGE });
      const run = runCli([], { cwd: project });
      assert.equal(run.status, 0, run.stderr);
    });
  });

  describe('--stdin', () => {
    it('lints standard input, reported as <text> or as --stdin-filename', () => {
      const unnamed = runCli(['--stdin', '--format', 'json'], { input: MISSING_CHALLENGE });
      assert.equal(unnamed.status, 0);
      const [result] = jsonOf(unnamed);
      assert.equal(result.filePath, '<text>');
      assert.equal(result.messages[0].ruleId, 'missing-www-authenticate');

      const named = runCli(['--stdin', '--stdin-filename', 'src/login.ts', '--format', 'json'], { input: MISSING_CHALLENGE, cwd: ROOT });
      assert.equal(jsonOf(named)[0].filePath, path.join(ROOT, 'src', 'login.ts'));
    });

    it('parses by the --stdin-filename extension (JSX in .jsx) and reports syntax errors as fatal', () => {
      const jsx = 'export const App = () => <div>hello</div>;\n';
      assert.equal(jsonOf(runCli(['--stdin', '--stdin-filename', 'a.jsx', '--format', 'json'], { input: jsx }))[0].messages.length, 0);
      const broken = runCli(['--stdin', '--format', 'json'], { input: 'const = ;' });
      assert.equal(broken.status, 1);
      assert.equal(jsonOf(broken)[0].messages[0].fatal, true);
    });

    it('refuses --fix (as ESLint does) and gives the fixed source as "output" with --fix-dry-run', () => {
      const refused = runCli(['--stdin', '--fix'], { input: MISSING_CHALLENGE });
      assert.equal(refused.status, 2);
      assert.match(refused.stderr, /--fix-dry-run/);
      const dry = runCli(['--stdin', '--stdin-filename', 'login.ts', '--fix-dry-run', '--format', 'json'], { input: MISSING_CHALLENGE });
      const [result] = jsonOf(dry);
      assert.match(result.output!, /res\.set\('WWW-Authenticate', 'Bearer realm="api"'\)\.status\(401\)/);
      assert.deepEqual(result.messages, [], 'what the fix left: nothing');
      assert.ok(!fs.existsSync(path.join(ROOT, 'login.ts')), 'nothing is written');
    });
  });

  describe('paths', () => {
    it('expands a quoted glob as ESLint does, and exits 2 when it matches nothing', () => {
      const run = runCli(['--format', 'json', 'src/**/*.ts'], { cwd: PROJECT });
      assert.deepEqual(jsonOf(run).map((r) => path.basename(r.filePath)), ['broken.ts', 'challenge-ok.ts', 'login.ts']);
      const none = runCli(['*.ts'], { cwd: PROJECT });
      assert.deepEqual([none.status, none.stderr], [2, 'authlint: No files matching the pattern "*.ts"\n']);
    });

    it('lints a named file, and says why a named file that is not source is left out', () => {
      const run = runCli(['--format', 'json', 'src/login.ts', 'src/types.d.ts', 'README.md'], { cwd: tempProject({ 'src/login.ts': MISSING_CHALLENGE, 'src/types.d.ts': 'export {};', 'README.md': '# x' }) });
      assert.deepEqual(jsonOf(run).map((r) => path.basename(r.filePath)), ['login.ts']);
      assert.match(run.stderr, /src\/types\.d\.ts is not a source file authlint reads/);
      assert.match(run.stderr, /README\.md is not a source file authlint reads/);
    });
  });

  describe('--output-file', () => {
    it('writes the report to the file, creating its folder, and nothing to stdout', () => {
      const project = tempProject({ 'src/login.ts': MISSING_CHALLENGE });
      const run = runCli(['--format', 'json', '--output-file', 'reports/authlint.json'], { cwd: project });
      assert.equal(run.status, 0);
      assert.equal(run.stdout, '');
      const report = JSON.parse(fs.readFileSync(path.join(project, 'reports', 'authlint.json'), 'utf8')) as JsonResult[];
      assert.equal(report[0].warningCount, 1);
    });

    it('says so and exits 2 when the report cannot be written', () => {
      const project = tempProject({ 'src/login.ts': MISSING_CHALLENGE, 'taken/file': '' });
      const run = runCli(['-o', 'taken/file/report.json'], { cwd: project });
      assert.equal(run.status, 2);
      assert.match(run.stderr, /Cannot write the report to taken\/file\/report\.json/);
    });
  });

  describe('--help and --version', () => {
    it('prints usage naming every option, and the package version', () => {
      const help = runCli(['--help']);
      assert.equal(help.status, 0);
      for (const option of ['--format', '--output-file', '--fix', '--fix-dry-run', '--max-warnings', '--rule', '--config', '--stdin', '--stdin-filename', '--color', '--no-color', '--version']) {
        assert.ok(help.stdout.includes(option), `--help does not mention ${option}`);
      }
      const version = runCli(['--version']);
      const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
      assert.deepEqual([version.status, version.stdout], [0, `${pkg.version}\n`]);
    });
  });

  describe('--format stylish', () => {
    let project: string;
    before(() => {
      project = tempProject({ 'src/login.ts': MISSING_CHALLENGE });
    });

    it('is plain text off a terminal, with a summary line', () => {
      const run = runCli([], { cwd: project });
      assert.ok(!run.stdout.includes('\u001b['), 'no colour codes into a pipe');
      assert.match(run.stdout, /src\/login\.ts\n {2}7:12 {2}warning {2}401 response .* {2}missing-www-authenticate\n/);
      assert.match(run.stdout, /\u2716 1 problem \(0 errors, 1 warning\)\n {2}0 errors and 1 warning potentially fixable with the `--fix` option\.\n$/);
    });

    it('is coloured with FORCE_COLOR or --color; NO_COLOR wins over FORCE_COLOR, --no-color over both', () => {
      const colored = (args: string[], env: Record<string, string>) => runCli(args, { cwd: project, env }).stdout.includes('\u001b[33m');
      assert.equal(colored([], { FORCE_COLOR: '1' }), true);
      assert.equal(colored([], { FORCE_COLOR: '1', NO_COLOR: '1' }), false);
      assert.equal(colored(['--color'], {}), true);
      assert.equal(colored(['--no-color'], { FORCE_COLOR: '1' }), false);
    });

    it('prints nothing for a clean run', () => {
      const clean = tempProject({ 'a.ts': 'export const port = 4010;\n' });
      const run = runCli([], { cwd: clean });
      assert.deepEqual([run.status, run.stdout], [0, '']);
    });
  });
});
