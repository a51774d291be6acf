import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mapOffset } from '../../server/src/core/fix';
import { parse, syntaxErrorOf } from '../../server/src/core/parse';
import { copyTree, jsonOf, removeTempProjects, ROOT, runCli } from './run-cli';

/**
 * `--fix` with edits to other files: 401s raised in several files reach one
 * central error handler that answers them without a challenge, and each
 * finding's fix is an edit to that handler. The edit is made once, the
 * handler still parses, every report then agrees with the files as they are,
 * and a second run has nothing left to do.
 */

const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'project', 'express-api-error');
const HANDLER = path.join('src', 'middlewares', 'error.js');
const CHALLENGE_LINE = "if (statusCode === 401) res.setHeader('WWW-Authenticate', 'Bearer realm=\"api\"');";

function copyOfFixture(edit?: (dir: string) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-elsewhere-'));
  copyTree(FIXTURE, dir);
  edit?.(dir);
  return dir;
}

function filesOf(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files.set(path.relative(dir, path.join(entry.parentPath, entry.name)), fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8'));
  }
  return files;
}

function occurrences(text: string, part: string): number {
  return text.split(part).length - 1;
}

function missingChallenge(dir: string) {
  return jsonOf(runCli(['.', '--format', 'json'], { cwd: dir })).flatMap((file) => file.messages.filter((m) => m.ruleId === 'missing-www-authenticate').map((m) => `${path.relative(dir, file.filePath)}:${m.line}`));
}

describe('CLI: --fix with edits to another file', () => {
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    removeTempProjects();
  });

  it('the fixture has two 401s that reach the handler, both fixed by the same edit to it', () => {
    const dir = copyOfFixture();
    dirs.push(dir);
    assert.deepEqual(missingChallenge(dir), ['src/middlewares/auth.js:7', 'src/services/auth.service.js:8']);
  });

  it('--fix edits the handler once, leaves the other files alone, and a second run changes nothing', () => {
    const dir = copyOfFixture();
    dirs.push(dir);
    const before = filesOf(dir);
    const run = runCli(['.', '--fix'], { cwd: dir });
    assert.equal(run.status, 0, run.stderr);
    const after = filesOf(dir);
    const changed = [...after.keys()].filter((file) => after.get(file) !== before.get(file));
    assert.deepEqual(changed, [HANDLER]);
    const handler = after.get(HANDLER)!;
    assert.equal(occurrences(handler, CHALLENGE_LINE), 1);
    assert.equal(syntaxErrorOf(parse(handler, 'error.js')), undefined);
    assert.match(run.stderr, /auth\.js: fixed 401 responses in src\/middlewares\/error\.js/);
    assert.deepEqual(missingChallenge(dir), []);
    const again = runCli(['.', '--fix'], { cwd: dir });
    assert.equal(again.status, 0, again.stderr);
    assert.deepEqual(filesOf(dir), after);
  });

  it('--fix-dry-run writes nothing, puts the edit once in the handler\'s output, and reports no finding the edit answers', () => {
    const dir = copyOfFixture();
    dirs.push(dir);
    const before = filesOf(dir);
    const report = jsonOf(runCli(['.', '--fix-dry-run', '--format', 'json'], { cwd: dir }));
    assert.deepEqual(filesOf(dir), before);
    const handler = report.find((file) => file.filePath.endsWith(HANDLER))!;
    assert.equal(occurrences(handler.output!, CHALLENGE_LINE), 1);
    assert.deepEqual(report.flatMap((file) => file.messages.map((m) => `${path.relative(dir, file.filePath)}:${m.line} ${m.ruleId}`)), []);
    assert.deepEqual(report.filter((file) => file.output !== undefined).map((file) => path.relative(dir, file.filePath)), [HANDLER]);
  });

  it('applies the edit where the handler file\'s own fixes have moved it', () => {
    const ownRoute = "const express = require('express');\nconst router = express.Router();\nrouter.get('/me', (req, res) => res.status(401).send('Sign in first'));\n";
    const dir = copyOfFixture((root) => {
      const file = path.join(root, HANDLER);
      fs.writeFileSync(file, ownRoute + fs.readFileSync(file, 'utf8').replace('module.exports = { errorConverter, errorHandler };', 'module.exports = { errorConverter, errorHandler, router };'));
    });
    dirs.push(dir);
    assert.deepEqual(missingChallenge(dir), ['src/middlewares/auth.js:7', 'src/middlewares/error.js:3', 'src/services/auth.service.js:8']);
    const run = runCli(['.', '--fix'], { cwd: dir });
    assert.equal(run.status, 0, run.stderr);
    const handler = fs.readFileSync(path.join(dir, HANDLER), 'utf8');
    assert.equal(syntaxErrorOf(parse(handler, 'error.js')), undefined);
    // With express required in the file, both fixes use Express's `res.set`.
    assert.equal(occurrences(handler, "if (statusCode === 401) res.set('WWW-Authenticate', 'Bearer realm=\"api\"');"), 1);
    assert.equal(occurrences(handler, "res.set('WWW-Authenticate', 'Bearer realm=\"api\"').status(401).send('Sign in first')"), 1);
    assert.deepEqual(missingChallenge(dir), []);
    const fixed = filesOf(dir);
    runCli(['.', '--fix'], { cwd: dir });
    assert.deepEqual(filesOf(dir), fixed);
  });

  it('linting one folder fixes the handler its 401 reaches in another, and names it', () => {
    const dir = copyOfFixture();
    dirs.push(dir);
    const run = runCli([path.join('src', 'services'), '--fix'], { cwd: dir });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /auth\.service\.js: fixed 401 responses in src\/middlewares\/error\.js/);
    assert.equal(occurrences(fs.readFileSync(path.join(dir, HANDLER), 'utf8'), CHALLENGE_LINE), 1);
    assert.deepEqual(missingChallenge(dir), []);
  });
});

describe('mapOffset', () => {
  it('moves an offset past the edits before it, through every pass, and loses one an edit replaced', () => {
    const passes = [[{ start: 2, end: 4, text: 'abcd' }, { start: 10, end: 10, text: 'xy' }], [{ start: 0, end: 0, text: '!' }]];
    assert.equal(mapOffset(1, passes), 2);
    assert.equal(mapOffset(4, passes), 7);
    assert.equal(mapOffset(10, passes), 15);
    assert.equal(mapOffset(3, passes), undefined);
    assert.equal(mapOffset(5, []), 5);
  });
});
