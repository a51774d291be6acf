import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixSource, MAX_FIX_PASSES } from '../../server/src/core/fix';
import { writeFileAtomic } from '../../server/src/cli/write-file';
import { stampOf } from '../../server/src/workspace/read-source';
import { parse, syntaxErrorOf } from '../../server/src/core/parse';
import { rangeOf } from '../../server/src/core/positions';
import type { Finding, LintResult, TextEdit } from '../../server/src/core/types';
import { canRunAs, CONFORMANCE, copyTree, jsonOf, MISSING_CHALLENGE, removeTempProjects, runCli, tempProject, unprivilegedUser } from './run-cli';

/** Every file under `dir` with its bytes, to compare a tree before and after. */
function snapshot(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const full = path.join(entry.parentPath, entry.name);
      files.set(path.relative(dir, full), fs.readFileSync(full));
    }
  }
  return files;
}

function changedFiles(before: Map<string, Buffer>, after: Map<string, Buffer>): string[] {
  return [...after.keys()].filter((file) => !before.get(file)?.equals(after.get(file)!)).sort();
}

/** A finding at `start..end` whose fix applies `edits`, for driving fixSource without a rule. */
function finding(text: string, start: number, end: number, edits: TextEdit[]): Finding {
  const range = rangeOf(parse(text, 'a.ts'), start, end);
  return { ruleId: 'missing-www-authenticate', severity: 'warn', message: 'm', start, end, range, fix: { title: 'fix it', edits } };
}

describe('CLI: --fix', () => {
  after(removeTempProjects);

  it('on a copy of the conformance suite: every file still parses, no fixable finding is left, and a second run changes nothing', function () {
    if (!fs.existsSync(path.join(CONFORMANCE, 'cases'))) this.skip();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-fix-'));
    try {
      copyTree(path.join(CONFORMANCE, 'cases'), dir);
      fs.writeFileSync(path.join(dir, 'broken.ts'), 'app.get("/", (req, res) => res.status(401).end(;\n');
      const original = snapshot(dir);
      // Fixed and written from worker threads; the second run below uses one thread.
      const first = runCli(['--fix', '--format', 'json'], { cwd: dir, env: { AUTHLINT_THREADS: '3' } });
      assert.notEqual(first.status, 2, first.stderr);
      const fixed = snapshot(dir);
      const changed = changedFiles(original, fixed);
      assert.ok(changed.length >= 5, `expected several fixed files, got ${changed.join(', ')}`);
      assert.ok(!changed.includes('broken.ts'), 'a file that does not parse is never written');
      assert.deepEqual([...fixed.keys()].sort(), [...original.keys()].sort(), 'no temporary file is left behind');
      for (const result of jsonOf(first)) {
        assert.equal(result.fixableErrorCount + result.fixableWarningCount, 0, `${result.filePath}: fixable findings left after --fix`);
        if (changed.includes(path.relative(dir, result.filePath))) assert.equal(typeof result.output, 'string', 'a fixed file reports its output');
      }

      const relint = jsonOf(runCli(['--format', 'json'], { cwd: dir }));
      for (const result of relint) {
        const file = path.relative(dir, result.filePath);
        if (file === 'broken.ts') continue;
        assert.ok(!syntaxErrorOf(parse(fixed.get(file)!.toString('utf8'), file)), `${file} no longer parses`);
        assert.equal(result.fatalErrorCount, 0, `${file}: ${result.messages[0]?.message}`);
        assert.equal(result.fixableErrorCount + result.fixableWarningCount, 0, `${file} still has fixable findings`);
      }

      runCli(['--fix'], { cwd: dir });
      assert.deepEqual(changedFiles(fixed, snapshot(dir)), [], 'a second --fix changes nothing');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the BOM, CRLF line endings and permissions, and writes through a symbolic link', () => {
    const crlf = `\ufeff${MISSING_CHALLENGE.replace(/\n/g, '\r\n')}`;
    const project = tempProject({ 'src/crlf.ts': crlf, 'src/real.ts': MISSING_CHALLENGE });
    fs.chmodSync(path.join(project, 'src', 'crlf.ts'), 0o751);
    fs.mkdirSync(path.join(project, 'linked'));
    fs.symlinkSync(path.join('..', 'src', 'real.ts'), path.join(project, 'linked', 'link.ts'));

    const run = runCli(['--fix', 'src/crlf.ts', 'linked'], { cwd: project });
    assert.equal(run.status, 0, run.stderr);
    const fixed = fs.readFileSync(path.join(project, 'src', 'crlf.ts'), 'utf8');
    assert.ok(fixed.startsWith('\ufeff'), 'BOM kept');
    assert.ok(!/[^\r]\n/.test(fixed), 'every line break is still CRLF');
    assert.match(fixed, /res\.set\('WWW-Authenticate', 'Bearer realm="api"'\)\.status\(401\)/);
    assert.equal(fs.statSync(path.join(project, 'src', 'crlf.ts')).mode & 0o777, 0o751, 'permissions kept');
    assert.ok(fs.lstatSync(path.join(project, 'linked', 'link.ts')).isSymbolicLink(), 'the link stays a link');
    assert.match(fs.readFileSync(path.join(project, 'src', 'real.ts'), 'utf8'), /WWW-Authenticate/, 'its target is fixed');
    assert.deepEqual(fs.readdirSync(path.join(project, 'src')).sort(), ['crlf.ts', 'real.ts'], 'no temporary file is left behind');
  });

  it('leaves a file the user may not write untouched, even in a folder they may write, and exits 2 saying so', function () {
    const project = tempProject({ 'src/locked.ts': MISSING_CHALLENGE, 'src/open.ts': MISSING_CHALLENGE });
    const locked = path.join(project, 'src', 'locked.ts');
    const user = unprivilegedUser();
    fs.chmodSync(locked, 0o444);
    if (user) {
      // As root every file is writable; as nobody, in a world-writable folder, a rename over root's file would succeed.
      fs.chmodSync(project, 0o755);
      fs.chmodSync(path.join(project, 'src'), 0o777);
      fs.chownSync(path.join(project, 'src', 'open.ts'), user.uid, user.gid);
      if (!canRunAs(user)) this.skip();
    }
    const run = runCli(['--fix'], { cwd: project, ...user });
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /authlint: src\/locked\.ts: could not write the fixes: EACCES/);
    assert.equal(fs.readFileSync(locked, 'utf8'), MISSING_CHALLENGE);
    assert.match(fs.readFileSync(path.join(project, 'src', 'open.ts'), 'utf8'), /WWW-Authenticate/, 'the other file is fixed');
    assert.match(run.stdout, /src\/locked\.ts\n {2}7:12 {2}warning/, 'the unfixed finding is still reported');
  });

  it('--fix-dry-run reports the fixed source as "output" and writes nothing', () => {
    const project = tempProject({ 'src/login.ts': MISSING_CHALLENGE });
    const run = runCli(['--fix-dry-run', '--format', 'json'], { cwd: project });
    const [result] = jsonOf(run);
    assert.match(result.output!, /res\.set\('WWW-Authenticate'/);
    assert.equal(fs.readFileSync(path.join(project, 'src', 'login.ts'), 'utf8'), MISSING_CHALLENGE);
  });

  describe('fixSource', () => {
    const text = 'const a = 1;\nconst b = 2;\n';

    it('refuses a fix that would not parse, says which, and applies the others', () => {
      const lintText = (t: string): LintResult => {
        const parseError = syntaxErrorOf(parse(t, 'a.ts'));
        if (parseError) return { filePath: 'a.ts', findings: [], parseError };
        const findings: Finding[] = [];
        if (t.includes('const a = 1;')) findings.push(finding(t, 0, 12, [{ start: 10, end: 11, text: '(' }]));
        if (t.includes('const b = 2;')) findings.push(finding(t, 13, 25, [{ start: 23, end: 24, text: '3' }]));
        return { filePath: 'a.ts', findings };
      };
      const outcome = fixSource(text, lintText);
      assert.equal(outcome.text, 'const a = 1;\nconst b = 3;\n');
      assert.equal(outcome.applied, 1);
      assert.equal(outcome.refused.length, 1);
      assert.match(outcome.refused[0], /^missing-www-authenticate at line 1: "fix it" would leave code that does not parse \(Parsing error: /);
      assert.equal(outcome.result.findings.length, 1, 'the refused finding remains reported');
    });

    it('applies fixes in passes until none is left, and stops after MAX_FIX_PASSES', () => {
      const counting = (limit: number) => (t: string): LintResult => {
        const n = Number(/\d+/.exec(t)![0]);
        return { filePath: 'a.ts', findings: n < limit ? [finding(t, 10, 11, [{ start: 10, end: 10 + String(n).length, text: String(n + 1) }])] : [] };
      };
      assert.equal(fixSource(text, counting(4)).text, 'const a = 4;\nconst b = 2;\n');
      const endless = fixSource(text, counting(Infinity));
      assert.equal(endless.applied, MAX_FIX_PASSES);
      assert.equal(endless.result.findings.length, 1, 'what remains is reported');
    });

    it('leaves a text that does not parse alone', () => {
      const broken = 'const = ;';
      const outcome = fixSource(broken, (t) => ({ filePath: 'a.ts', findings: [], parseError: syntaxErrorOf(parse(t, 'a.ts')) }));
      assert.deepEqual([outcome.text, outcome.applied], [broken, 0]);
    });
  });

  describe('writeFileAtomic', () => {
    it('refuses to overwrite a file changed since it was read', () => {
      const project = tempProject({ 'a.ts': 'one\n' });
      const file = path.join(project, 'a.ts');
      const stamp = stampOf(fs.statSync(file), fs.readFileSync(file));
      fs.writeFileSync(file, 'changed meanwhile\n');
      assert.throws(() => writeFileAtomic(file, 'fixed\n', stamp), /changed while it was being linted/);
      assert.equal(fs.readFileSync(file, 'utf8'), 'changed meanwhile\n');
      assert.deepEqual(fs.readdirSync(project), ['a.ts']);
    });

    it('notices an edit that keeps the size and the modification time', () => {
      const project = tempProject({ 'a.ts': 'one\n' });
      const file = path.join(project, 'a.ts');
      const second = new Date('2026-01-01T00:00:00Z');
      fs.utimesSync(file, second, second);
      const stamp = stampOf(fs.statSync(file), fs.readFileSync(file));
      fs.writeFileSync(file, 'two\n');
      fs.utimesSync(file, second, second);
      assert.equal(fs.statSync(file).mtimeMs, stamp.mtimeMs);
      assert.throws(() => writeFileAtomic(file, 'fixed\n', stamp), /changed while it was being linted/);
      assert.equal(fs.readFileSync(file, 'utf8'), 'two\n');
    });
  });
});
