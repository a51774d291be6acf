import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { parseArgs } from '../../server/src/cli/args';
import { ROOT } from '../cli/run-cli';

/**
 * The composite action (action.yml): its shape as GitHub reads it, and its
 * shell steps run for real with bash against the built CLI, the expressions
 * substituted as the runner would.
 */

interface Step {
  id?: string;
  if?: string;
  uses?: string;
  shell?: string;
  run?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}

interface Action {
  inputs: Record<string, { description: string; default?: string; required?: boolean }>;
  runs: { using: string; steps: Step[] };
}

const action = parse(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as Action;
const steps = action.runs.steps;
const defaults = Object.fromEntries(Object.entries(action.inputs).map(([name, input]) => [name, input.default ?? '']));

/** Replaces `${{ … }}` as the runner does for the few expressions the shell steps use; any other is a mistake. */
function expand(text: string, inputs: Record<string, string>, outputs: Record<string, string>): string {
  return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expression: string) => {
    const input = /^inputs\.([\w-]+)$/.exec(expression);
    if (input) {
      assert.ok(input[1] in inputs, `unknown input ${input[1]}`);
      return inputs[input[1]];
    }
    const output = /^steps\.(\w+)\.outputs\.(\w+)$/.exec(expression);
    if (output) return outputs[`${output[1]}.${output[2]}`] ?? '';
    if (expression === 'github.action_path') return ROOT;
    throw new Error(`action.yml uses an expression the test does not know: ${expression}`);
  });
}

interface StepRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the action's shell steps in `workspace` with the given inputs; stops at the first failing step, as a runner does. */
function runSteps(workspace: string, given: Record<string, string>): { runs: Map<string, StepRun>; failedAt: number | undefined } {
  const inputs = { ...defaults, ...given };
  const outputs: Record<string, string> = {};
  const runs = new Map<string, StepRun>();
  const shellSteps = steps.filter((step) => step.run);
  for (const [i, step] of shellSteps.entries()) {
    const outputFile = path.join(workspace, `.github-output-${i}`);
    fs.writeFileSync(outputFile, '');
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, GITHUB_OUTPUT: outputFile, GITHUB_WORKSPACE: workspace };
    for (const [name, value] of Object.entries(step.env ?? {})) env[name] = expand(value, inputs, outputs);
    const result = spawnSync('bash', ['-e', '-c', expand(step.run!, inputs, outputs)], { cwd: workspace, env, encoding: 'utf8' });
    runs.set(step.id ?? `step-${i}`, { status: result.status, stdout: result.stdout, stderr: result.stderr });
    for (const line of fs.readFileSync(outputFile, 'utf8').split('\n').filter(Boolean)) {
      const [name, ...value] = line.split('=');
      outputs[`${step.id}.${name}`] = value.join('=');
    }
    if (result.status !== 0) return { runs, failedAt: i };
  }
  return { runs, failedAt: undefined };
}

/** The arguments a step passes to authlint, its variables set to the inputs' values and split as bash splits them. */
function authlintArgs(step: Step, inputs: Record<string, string>): string[] {
  const line = step.run!.split('\n').find((text) => text.includes('node "$AUTHLINT"'))!;
  const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([name, value]) => [name, expand(value, inputs, {})]));
  const words = line.trim().replace(/\s*\|\|.*$/, '').split(/\s+/).slice(2);
  return words.flatMap((word) => {
    if (word === '"${limit[@]}"') return env.MAX_WARNINGS ? ['--max-warnings', env.MAX_WARNINGS] : [];
    const quoted = /^"\$(\w+)"$/.exec(word);
    if (quoted) return [env[quoted[1]]];
    const bare = /^\$(\w+)$/.exec(word);
    if (bare) return env[bare[1]].split(/\s+/).filter(Boolean);
    return [word];
  });
}

describe('GitHub action (action.yml)', () => {
  it('is a composite action whose every input is used, with defaults for all', () => {
    assert.equal(action.runs.using, 'composite');
    const text = JSON.stringify(action.runs);
    for (const [name, input] of Object.entries(action.inputs)) {
      assert.ok(text.includes(`inputs.${name} `) || text.includes(`inputs.${name}}`), `input ${name} is used`);
      assert.ok(input.description, `${name} is described`);
      assert.equal(input.required, false, `${name} is optional`);
    }
    assert.deepEqual(Object.keys(action.inputs).sort(), ['args', 'max-warnings', 'node-version', 'paths', 'sarif-file', 'upload']);
    for (const step of steps) if (step.run) assert.equal(step.shell, 'bash', 'a composite run step names its shell');
  });

  it('sets up Node first, and uploads the SARIF report even when the lint step failed, unless asked not to', () => {
    assert.match(steps[0].uses!, /^actions\/setup-node@v\d+$/);
    assert.equal(steps[0].with!['node-version'], '${{ inputs.node-version }}');
    const upload = steps.find((step) => step.uses?.startsWith('github/codeql-action/upload-sarif@'))!;
    assert.ok(upload, 'an upload-sarif step');
    assert.equal(steps.indexOf(upload), steps.length - 1, 'after the lint steps');
    assert.match(upload.if!, /always\(\)/);
    assert.match(upload.if!, /inputs\.upload == 'true'/);
    assert.equal(upload.with!.sarif_file, '${{ inputs.sarif-file }}');
  });

  it("passes authlint only options its argument parser knows, for the defaults and for every input set", () => {
    const sarif = steps.find((step) => step.id === 'sarif')!;
    const annotate = steps.find((step) => step.run?.includes('--format github'))!;
    for (const inputs of [defaults, { ...defaults, paths: 'src\napi', 'max-warnings': '0', args: '--rule missing-www-authenticate=error --no-color', 'sarif-file': 'reports/a.sarif' }]) {
      const forSarif = parseArgs(authlintArgs(sarif, inputs));
      assert.equal(forSarif.format, 'sarif');
      assert.equal(forSarif.outputFile, inputs['sarif-file']);
      assert.deepEqual(forSarif.paths, inputs.paths.split(/\s+/));
      const forAnnotations = parseArgs(authlintArgs(annotate, inputs));
      assert.equal(forAnnotations.format, 'github');
      assert.equal(forAnnotations.maxWarnings, inputs['max-warnings'] ? Number(inputs['max-warnings']) : undefined);
      assert.deepEqual(forAnnotations.rules, inputs.args ? { 'missing-www-authenticate': 'error' } : {});
    }
  });

  describe('its shell steps, run with bash on a project that has authlint installed', function () {
    this.timeout(60_000);
    let workspace: string;

    beforeEach(() => {
      workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-action-'));
      fs.cpSync(path.join(ROOT, 'examples', 'express-api', 'src'), path.join(workspace, 'src'), { recursive: true });
      fs.writeFileSync(path.join(workspace, 'package.json'), '{ "private": true }\n');
      fs.mkdirSync(path.join(workspace, 'node_modules'));
      fs.symlinkSync(ROOT, path.join(workspace, 'node_modules', 'authlint'));
    });

    afterEach(() => fs.rmSync(workspace, { recursive: true, force: true }));

    it('writes the SARIF report and annotates; warnings alone pass without max-warnings', () => {
      const { runs, failedAt } = runSteps(workspace, {});
      assert.equal(failedAt, undefined, JSON.stringify([...runs.values()].map((r) => r.stderr)));
      const sarif = JSON.parse(fs.readFileSync(path.join(workspace, 'authlint.sarif'), 'utf8'));
      assert.equal(sarif.version, '2.1.0');
      assert.ok(sarif.runs[0].results.length >= 3);
      const annotations = [...runs.values()].at(-1)!.stdout.split('\n').filter((line) => line.startsWith('::warning '));
      assert.equal(annotations.length, sarif.runs[0].results.filter((r: { suppressions?: unknown[] }) => !r.suppressions?.length).length);
    });

    it('fails the job on max-warnings 0 after writing the report, and on an error severity given in args', () => {
      const limited = runSteps(workspace, { 'max-warnings': '0', 'sarif-file': 'out/authlint.sarif' });
      assert.equal(limited.failedAt, 2);
      assert.equal([...limited.runs.values()].at(-1)!.status, 1);
      assert.match([...limited.runs.values()].at(-1)!.stderr, /too many warnings \(maximum: 0\)/);
      assert.ok(fs.existsSync(path.join(workspace, 'out', 'authlint.sarif')), 'the report for the upload step');
      const errors = runSteps(workspace, { args: '--rule missing-www-authenticate=error', paths: 'src/auth.ts' });
      assert.equal(errors.failedAt, 2);
      assert.match([...errors.runs.values()].at(-1)!.stdout, /^::error file=src\/auth\.ts,/m);
    });

    it('fails at the SARIF step when the run itself is broken (exit 2), not on findings', () => {
      const broken = runSteps(workspace, { args: '--rule no-such-rule=error' });
      assert.equal(broken.failedAt, 1);
      assert.equal(broken.runs.get('sarif')!.status, 2);
      assert.match(broken.runs.get('sarif')!.stderr, /unknown rule "no-such-rule"/);
    });
  });
});
