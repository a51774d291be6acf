import assert from 'node:assert/strict';
import path from 'node:path';
import { escapeData, escapeProperty } from '../../server/src/cli/formatters/github';
import { FIXTURES, MISSING_CHALLENGE, removeTempProjects, runCli, tempProject } from './run-cli';

/** Undoes GitHub's escaping, as the runner does, to read a command back. */
function unescape(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
}

function parseCommand(line: string): { kind: string; properties: Record<string, string>; message: string } {
  const match = /^::(\w+) ([^:]*)::(.*)$/.exec(line);
  assert.ok(match, `not a workflow command: ${line}`);
  const properties = Object.fromEntries(match[2].split(',').map((pair) => {
    const eq = pair.indexOf('=');
    return [pair.slice(0, eq), unescape(pair.slice(eq + 1))];
  }));
  return { kind: match[1], properties, message: unescape(match[3]) };
}

describe('CLI: --format github', () => {
  after(removeTempProjects);

  it('escapes data and property values as GitHub requires', () => {
    assert.equal(escapeData('100% sure\r\nnext: a,b'), '100%25 sure%0D%0Anext: a,b');
    assert.equal(escapeProperty('dir:a,b/100%\n'), 'dir%3Aa%2Cb/100%25%0A');
    assert.equal(unescape(escapeProperty('a:%,\r\n')), 'a:%,\r\n');
  });

  it('prints an annotation per finding with file, line, col, endLine, endColumn and title, relative to the workspace', () => {
    const project = path.join(FIXTURES, 'project');
    const run = runCli(['--format', 'github'], { cwd: project, env: { GITHUB_WORKSPACE: FIXTURES } });
    assert.equal(run.status, 1);
    const commands = run.stdout.split('\n').filter((line) => /^::(error|warning) /.test(line)).map(parseCommand);
    assert.deepEqual(commands.map((c) => [c.kind, c.properties.file, c.properties.line]), [
      ['error', 'project/src/broken.ts', '3'],
      ['warning', 'project/src/login.ts', '7'],
    ]);
    const warning = commands[1];
    assert.deepEqual(warning.properties, { file: 'project/src/login.ts', line: '7', endLine: '7', col: '12', endColumn: '27', title: 'authlint: missing-www-authenticate' });
    // No docs link while package.json names no repository to link to.
    assert.match(warning.message, /^401 response without a WWW-Authenticate header[^\n]*$/);
  });

  it('also prints the full stylish report, fenced off from command parsing, beyond the 10 annotations GitHub shows', () => {
    const handlers = Array.from({ length: 12 }, (_, i) => `app.get('/r${i}', (req, res) => res.status(401).end());`).join('\n');
    const project = tempProject({ 'src/many.ts': `import express from 'express';\nconst app = express();\n${handlers}\n` });
    const run = runCli(['--format', 'github'], { cwd: project });
    const lines = run.stdout.split('\n');
    assert.equal(lines.filter((line) => line.startsWith('::warning ')).length, 12);
    assert.ok(lines.some((line) => /first 10 errors and 10 warnings.*all 0 errors and 12 warnings/.test(line)));
    const stop = lines.findIndex((line) => line.startsWith('::stop-commands::'));
    const token = lines[stop].slice('::stop-commands::'.length);
    assert.match(token, /^authlint-[0-9a-f]{16}$/);
    const resume = lines.indexOf(`::${token}::`);
    const report = lines.slice(stop + 1, resume).join('\n');
    assert.equal((report.match(/warning {2}401 response/g) ?? []).length, 12);
    assert.match(report, /\u2716 12 problems \(0 errors, 12 warnings\)/);
  });

  it('prints nothing for a clean run', () => {
    const run = runCli(['--format', 'github'], { cwd: tempProject({ 'a.ts': MISSING_CHALLENGE.replace('res.status(401)', "res.set('WWW-Authenticate', 'Bearer realm=\"api\"').status(401)") }) });
    assert.deepEqual([run.status, run.stdout], [0, '']);
  });
});
