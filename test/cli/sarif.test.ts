import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Ajv from 'ajv-draft-04';
import type { ValidateFunction } from 'ajv';
import type { Log, Result } from 'sarif';
import { formatSarif, MAX_RESULTS } from '../../server/src/cli/formatters/sarif';
import { countMessages } from '../../server/src/cli/report';
import { RULE_IDS } from '../../server/src/core/rules';
import { CONFORMANCE, FIXTURES, MISSING_CHALLENGE, removeTempProjects, ROOT, runCli, tempProject } from './run-cli';

/** The official OASIS SARIF 2.1.0 schema (draft-04), vendored: see test/fixtures/sarif/README.md. */
function sarifValidator(): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strict: false });
  // The schema's formats, checked rather than ignored: GitHub rejects a log whose URIs do not parse.
  ajv.addFormat('uri', (value: string) => URL.canParse(value));
  ajv.addFormat('uri-reference', (value: string) => URL.canParse(value, 'file:///base/') && !/\s/.test(value));
  ajv.addFormat('date-time', (value: string) => !Number.isNaN(Date.parse(value)));
  const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'sarif', 'sarif-schema-2.1.0.json'), 'utf8'));
  return ajv.compile(schema);
}

function sarifOf(args: string[], cwd: string, env?: Record<string, string>): Log {
  const run = runCli(['--format', 'sarif', ...args], { cwd, env });
  assert.ok(run.status === 0 || run.status === 1, `exit ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout) as Log;
}

function assertValid(validate: ValidateFunction, log: Log): void {
  const valid = validate(log);
  assert.ok(valid, `SARIF does not match the 2.1.0 schema:\n${JSON.stringify(validate.errors?.slice(0, 5), null, 2)}`);
}

/** What GitHub code scanning needs beyond the schema (its upload rejects or mis-shows logs without these). */
function assertGithubReady(log: Log): void {
  const [run] = log.runs;
  const rules = run.tool.driver.rules!;
  assert.deepEqual(rules.map((r) => r.id), [...RULE_IDS], 'every rule is described');
  for (const rule of rules) {
    assert.ok(rule.shortDescription?.text && rule.fullDescription?.text, `${rule.id}: descriptions`);
    assert.ok(rule.help?.text && rule.help.markdown?.startsWith(`# ${rule.id}`), `${rule.id}: help text and markdown`);
    assert.equal(rule.helpUri, undefined, `${rule.id}: no helpUri while package.json names no repository`);
    assert.ok((rule.properties!.tags as string[]).includes('security'));
    const severity = rule.properties!['security-severity'] as string;
    assert.equal(typeof severity, 'string');
    assert.ok(Number(severity) >= 0 && Number(severity) <= 10, `${rule.id}: security-severity ${severity}`);
  }
  for (const result of run.results!) {
    assert.ok(result.ruleId && RULE_IDS.includes(result.ruleId));
    assert.equal(rules[result.ruleIndex!].id, result.ruleId);
    assert.ok(result.message.text);
    const location = result.locations![0].physicalLocation!;
    assert.equal(location.artifactLocation!.uriBaseId, '%SRCROOT%');
    assert.ok(!location.artifactLocation!.uri!.startsWith('/') && !location.artifactLocation!.uri!.includes('\\'));
    const region = location.region!;
    assert.ok(region.startLine! >= 1 && region.startColumn! >= 1 && region.endLine! >= region.startLine!);
    assert.match(Object.values(result.partialFingerprints!)[0], /^[0-9a-f]{32}$/);
  }
}

describe('CLI: --format sarif', () => {
  let validate: ValidateFunction;
  before(() => {
    validate = sarifValidator();
    const wrongLevel = { version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, level: 'warn' }] }] };
    assert.equal(validate(wrongLevel), false, 'the validator rejects what the schema forbids');
  });
  after(removeTempProjects);

  it('validates against the SARIF 2.1.0 schema on the whole public conformance suite', function () {
    if (!fs.existsSync(path.join(CONFORMANCE, 'cases'))) this.skip();
    const log = sarifOf(['cases'], CONFORMANCE);
    assertValid(validate, log);
    assertGithubReady(log);
    assert.ok(log.runs[0].results!.length > 10);
  });

  it('validates with a parse error, a suppression and no findings at all', () => {
    const log = sarifOf([], path.join(FIXTURES, 'project'));
    assertValid(validate, log);
    assertGithubReady(log);
    const empty = sarifOf([], tempProject({ 'a.ts': 'export {};\n' }));
    assertValid(validate, empty);
    assert.deepEqual(empty.runs[0].results, []);
  });

  it('puts locations relative to the repository root, and to GITHUB_WORKSPACE in Actions', () => {
    const repo = tempProject({ '.git/HEAD': 'ref: refs/heads/main\n', 'api/src/login.ts': MISSING_CHALLENGE });
    const api = path.join(repo, 'api');
    const uriOf = (log: Log) => log.runs[0].results![0].locations![0].physicalLocation!.artifactLocation!.uri;
    const fromRepo = sarifOf([], api);
    assert.equal(uriOf(fromRepo), 'api/src/login.ts');
    assert.equal(fromRepo.runs[0].originalUriBaseIds!['%SRCROOT%'].uri, `${pathToFileURL(repo).href}/`);
    assert.equal(uriOf(sarifOf([], api, { GITHUB_WORKSPACE: api })), 'src/login.ts');
  });

  it('keeps suppressed findings as results with an inSource suppression and its reason', () => {
    const log = sarifOf([], path.join(FIXTURES, 'project'));
    const suppressed = log.runs[0].results!.filter((r) => r.suppressions);
    assert.equal(suppressed.length, 1);
    assert.match(suppressed[0].locations![0].physicalLocation!.artifactLocation!.uri!, /legacy\.js$/);
    assert.deepEqual(suppressed[0].suppressions, [{ kind: 'inSource', status: 'accepted', justification: 'the old mobile client breaks on a challenge' }]);
  });

  it('reports a file that does not parse as a tool execution notification, not a result', () => {
    const log = sarifOf([], path.join(FIXTURES, 'project'));
    const [invocation] = log.runs[0].invocations!;
    assert.equal(invocation.executionSuccessful, true);
    const [notification] = invocation.toolExecutionNotifications!;
    assert.equal(notification.level, 'error');
    assert.match(notification.message.text!, /^Parsing error/);
    assert.match(notification.locations![0].physicalLocation!.artifactLocation!.uri!, /broken\.ts$/);
  });

  it('levels follow the configured severity', () => {
    const log = sarifOf(['--rule', 'missing-www-authenticate=error'], tempProject({ 'a.ts': MISSING_CHALLENGE }));
    assert.equal(log.runs[0].results![0].level, 'error');
  });

  it('keeps at most 25,000 results, errors first and suppressed ones last, and says how many it left out', function () {
    this.timeout(120_000);
    const handler = (k: number, body: string) => `app.get('/r${k}', (req, res) => { ${body} res.json({}); });\n`;
    const warn = (k: number) => handler(k, 'if (!req.user) return res.sendStatus(401);');
    const error = (k: number) => handler(k, "if (!req.headers.authorization) return res.status(403).json({ error: 'sign in' });");
    const file = (lines: string[]) => `import express from 'express';\nconst app = express();\n${lines.join('')}`;
    const range = (from: number, n: number, line: (k: number) => string) => Array.from({ length: n }, (_, i) => line(from + i));
    const files: Record<string, string> = {};
    // Errors and suppressed results sit in the last files, so keeping them means choosing, not truncating.
    for (let f = 0; f < 6; f++) files[`src/w${f}.ts`] = file(range(f * 4400, 4400, warn));
    files['src/z-errors.ts'] = file(range(0, 300, error));
    files['src/z-suppressed.ts'] = file(range(0, 50, (k) => `// authlint-disable-next-line\n${warn(k)}`));
    const log = sarifOf(['--rule', 'auth-status-mismatch=error'], tempProject(files));
    assertValid(validate, log);
    const results = log.runs[0].results!;
    assert.equal(results.length, MAX_RESULTS);
    assert.equal(results.filter((r) => r.level === 'error').length, 300);
    assert.equal(results.filter((r) => r.suppressions).length, 0);
    const [note] = log.runs[0].invocations![0].toolExecutionNotifications!;
    assert.equal(note.level, 'warning');
    assert.match(note.message.text!, new RegExp(`^${6 * 4400 + 300 + 50 - MAX_RESULTS} of ${6 * 4400 + 300 + 50} results left out: GitHub code scanning accepts at most ${MAX_RESULTS} per run`));
  });

  it('gives related locations and a fix\'s edits, in this file and others, as relatedLocations and artifactChanges', () => {
    const root = '/repo';
    const report = countMessages({
      filePath: '/repo/src/routes/login.ts',
      source: 'throw new Unauthorized();\n',
      suppressedMessages: [],
      messages: [
        {
          ruleId: 'missing-www-authenticate',
          severity: 1,
          message: 'm',
          line: 1,
          column: 7,
          endLine: 1,
          endColumn: 25,
          fix: { range: [0, 0], text: '// a\n' },
          fixElsewhere: [{ filePath: '/repo/src/errors.ts', fixes: [{ range: [120, 120], text: "res.set('WWW-Authenticate', 'Bearer');" }] }],
          related: [{ filePath: '/repo/src/errors.ts', line: 9, column: 5, endLine: 9, endColumn: 30, message: 'the 401 is sent here' }],
        },
      ],
    });
    const log = JSON.parse(formatSarif([report], { root, version: '1.0.0' })) as Log;
    assertValid(validate, log);
    const [result] = log.runs[0].results!;
    assert.deepEqual(result.relatedLocations, [
      { id: 0, physicalLocation: { artifactLocation: { uri: 'src/errors.ts', uriBaseId: '%SRCROOT%' }, region: { startLine: 9, startColumn: 5, endLine: 9, endColumn: 30 } }, message: { text: 'the 401 is sent here' } },
    ]);
    assert.deepEqual(result.fixes, [
      {
        artifactChanges: [
          { artifactLocation: { uri: 'src/routes/login.ts', uriBaseId: '%SRCROOT%' }, replacements: [{ deletedRegion: { charOffset: 0, charLength: 0 }, insertedContent: { text: '// a\n' } }] },
          { artifactLocation: { uri: 'src/errors.ts', uriBaseId: '%SRCROOT%' }, replacements: [{ deletedRegion: { charOffset: 120, charLength: 0 }, insertedContent: { text: "res.set('WWW-Authenticate', 'Bearer');" } }] },
        ],
      },
    ]);
  });

  it('keeps fingerprints when unrelated lines move, and tells identical lines apart', () => {
    const twice = MISSING_CHALLENGE.replace("res.json({ ok: true });", "res.json({ ok: true });\n  if (!req.query.token) {\n    return res.status(401).json({ error: 'sign in first' });\n  }");
    const moved = `// a comment added above\nimport cors from 'cors';\n\n${twice.replace('export const app', '\n\nexport const app')}`;
    const fingerprints = (text: string) => {
      const results = sarifOf([], tempProject({ 'src/a.ts': text })).runs[0].results as Result[];
      return results.map((r) => [r.locations![0].physicalLocation!.region!.startLine, Object.values(r.partialFingerprints!)[0]] as const);
    };
    const before = fingerprints(twice);
    const after = fingerprints(moved);
    assert.equal(before.length, 2);
    assert.notEqual(before[0][1], before[1][1], 'the same line text twice gets two fingerprints');
    assert.notDeepEqual(before.map(([line]) => line), after.map(([line]) => line), 'the lines did move');
    assert.deepEqual(before.map(([, hash]) => hash), after.map(([, hash]) => hash));
  });
});
