import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { parseArgs } from '../../server/src/cli/args';
import { jsonOf, ROOT, runCli } from '../cli/run-cli';

/**
 * The GitLab example (examples/ci/gitlab-ci.yml): its job script run with
 * bash in a project that has authlint installed, and the Code Climate report
 * the converter makes of a real authlint report.
 */

const EXAMPLE = path.join(ROOT, 'examples', 'ci');
const CONVERTER = path.join(EXAMPLE, 'gitlab-codequality.mjs');
const job = (parse(fs.readFileSync(path.join(EXAMPLE, 'gitlab-ci.yml'), 'utf8')) as Record<string, { script: string[]; artifacts: { when: string; reports: { codequality: string } } }>).authlint;

interface Issue {
  type: string;
  check_name: string;
  description: string;
  categories: string[];
  severity: string;
  fingerprint: string;
  location: { path: string; positions: { begin: { line: number; column: number }; end: { line: number; column: number } } };
}

function convert(report: string, cwd: string): Issue[] {
  const result = spawnSync(process.execPath, [CONVERTER], { cwd, input: report, encoding: 'utf8', env: { PATH: process.env.PATH } });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as Issue[];
}

describe('GitLab code quality example (examples/ci)', function () {
  this.timeout(60_000);
  let project: string;

  beforeEach(() => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-gitlab-'));
    fs.cpSync(path.join(ROOT, 'examples', 'express-api', 'src'), path.join(project, 'src'), { recursive: true });
    fs.writeFileSync(path.join(project, 'package.json'), '{ "private": true }\n');
  });

  afterEach(() => fs.rmSync(project, { recursive: true, force: true }));

  it('runs authlint with options its parser knows, and keeps the report when the job fails', () => {
    const line = job.script.find((command) => command.startsWith('npx authlint'))!;
    const options = parseArgs(line.replace(/\s*\|\|.*$/, '').split(/\s+/).slice(2));
    assert.equal(options.format, 'json');
    assert.equal(options.maxWarnings, 0);
    const converter = job.script.find((command) => command.includes('gitlab-codequality.mjs'))!;
    assert.ok(converter.includes(`${options.outputFile} ${job.artifacts.reports.codequality}`));
    assert.ok(converter.includes('node_modules/authlint/examples/ci/gitlab-codequality.mjs'), 'the converter as the package ships it');
    assert.equal(job.artifacts.when, 'always');
  });

  it('the job script, run with bash: the report GitLab reads, one issue per finding, and the job fails on the warnings', () => {
    fs.mkdirSync(path.join(project, 'node_modules', '.bin'), { recursive: true });
    fs.symlinkSync(ROOT, path.join(project, 'node_modules', 'authlint'));
    fs.symlinkSync(path.join(ROOT, 'bin', 'authlint.js'), path.join(project, 'node_modules', '.bin', 'authlint'));
    const script = job.script.filter((command) => command !== 'npm ci').join('\n');
    const run = spawnSync('bash', ['-e', '-c', script], { cwd: project, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME, CI_PROJECT_DIR: project } });
    assert.equal(run.status, 1, run.stderr);
    const issues = JSON.parse(fs.readFileSync(path.join(project, job.artifacts.reports.codequality), 'utf8')) as Issue[];
    const report = jsonOf(runCli(['.', '--format', 'json'], { cwd: project }));
    const findings = report.flatMap((result) => result.messages.map((m) => ({ file: path.relative(project, result.filePath), ...m })));
    assert.ok(findings.length >= 3);
    assert.deepEqual(
      issues.map((issue) => [issue.check_name, issue.location.path, issue.location.positions.begin.line, issue.location.positions.begin.column, issue.description, issue.severity]),
      findings.map((f) => [`authlint/${f.ruleId}`, f.file, f.line, f.column, f.message, 'minor']),
    );
    for (const issue of issues) {
      assert.equal(issue.type, 'issue');
      assert.match(issue.fingerprint, /^[0-9a-f]{64}$/);
      assert.deepEqual(issue.categories, ['Security']);
    }
    assert.equal(new Set(issues.map((issue) => issue.fingerprint)).size, issues.length);
  });

  it('gives the same finding the same fingerprint after lines move, tells repeats apart, and maps errors and parse errors', () => {
    const route = "app.get('/me', (req, res) => res.status(401).end());\n";
    fs.writeFileSync(path.join(project, 'src', 'twice.ts'), route + route);
    fs.writeFileSync(path.join(project, 'src', 'broken.ts'), "app.get('/x', (req, res) => res.status(401).end(;\n");
    const args = ['src/twice.ts', 'src/broken.ts', '--format', 'json', '--rule', 'missing-www-authenticate=error'];
    const before = convert(runCli(args, { cwd: project }).stdout, project);
    fs.writeFileSync(path.join(project, 'src', 'twice.ts'), `// moved\n\n${route}${route}`);
    const after = convert(runCli(args, { cwd: project }).stdout, project);
    const twice = (issues: Issue[]) => issues.filter((issue) => issue.location.path === 'src/twice.ts');
    assert.equal(twice(before).length, 2);
    assert.notEqual(twice(before)[0].fingerprint, twice(before)[1].fingerprint);
    assert.deepEqual(twice(after).map((issue) => issue.fingerprint), twice(before).map((issue) => issue.fingerprint));
    assert.deepEqual(twice(after).map((issue) => issue.location.positions.begin.line), [3, 4]);
    assert.deepEqual(twice(after).map((issue) => issue.severity), ['major', 'major']);
    const broken = before.find((issue) => issue.location.path === 'src/broken.ts')!;
    assert.equal(broken.check_name, 'authlint/parse-error');
    assert.equal(broken.severity, 'critical');
  });
});
