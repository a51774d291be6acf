import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonOf, runCli } from '../cli/run-cli';
import { LspClient } from './lsp-client';

/** A SvelteKit-style endpoint answering 401 without a challenge. */
const ENDPOINT = `import { error } from '@sveltejs/kit';
export function GET({ locals }) {
  if (!locals.user) error(401, 'sign in first');
  return new Response('ok');
}
`;

/**
 * A repository checked out under a folder named `__tests__` (the developer's,
 * not the project's), holding a mock server (`src/__tests__/server/…`) and a
 * served route named `/mocks`.
 */
function makeRepository(): { outer: string; repo: string; files: Record<'app' | 'route' | 'testApp', string> } {
  const outer = fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-test-folders-'));
  const repo = path.join(outer, '__tests__', 'shop');
  const files = {
    app: path.join(repo, 'src/routes/account/+server.js'),
    route: path.join(repo, 'src/routes/mocks/+server.js'),
    testApp: path.join(repo, 'src/__tests__/server/routes/+server.js'),
  };
  fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
  fs.writeFileSync(path.join(repo, 'package.json'), '{ "name": "shop", "private": true }\n');
  for (const file of Object.values(files)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, ENDPOINT);
  }
  return { outer, repo, files };
}

function reported(cwd: string, target: string): string[] {
  return jsonOf(runCli(['--format', 'json', target], { cwd }))
    .filter((report) => report.messages.length > 0)
    .map((report) => path.relative(cwd, report.filePath))
    .sort();
}

describe('test folders are read from the project root, in the CLI and the editor', function () {
  this.timeout(30_000);
  let layout: ReturnType<typeof makeRepository> | undefined;
  let client: LspClient | undefined;

  afterEach(async () => {
    if (client && client.exitCode === null) await client.shutdown();
    if (layout) fs.rmSync(layout.outer, { recursive: true, force: true });
    client = layout = undefined;
  });

  it('CLI: a mock server is test code whatever folder is linted; a checkout under __tests__/ and a route named /mocks are not', () => {
    layout = makeRepository();
    const { repo } = layout;
    assert.deepEqual(reported(repo, '.'), ['src/routes/account/+server.js', 'src/routes/mocks/+server.js']);
    // Linting the test app's own folder does not make its path relative to that folder.
    assert.deepEqual(reported(path.join(repo, 'src/__tests__/server'), '.'), []);
    assert.deepEqual(reported(repo, 'src/__tests__/server/routes/+server.js'), []);
    // Run from outside the repository, with the folder named `test` on the way.
    assert.deepEqual(reported(layout.outer, '__tests__/shop'), ['__tests__/shop/src/routes/account/+server.js', '__tests__/shop/src/routes/mocks/+server.js']);
  });

  it('editor: the same files are reported as by the CLI', async () => {
    layout = makeRepository();
    client = new LspClient({ folders: [path.join(layout.repo, 'src/__tests__/server')] });
    await client.initialize();
    const testApp = await client.open(layout.files.testApp, ENDPOINT, 'javascript');
    assert.deepEqual(await client.diagnosticsFor(testApp), []);
    const route = await client.open(layout.files.route, ENDPOINT, 'javascript');
    const diagnostics = await client.diagnosticsFor(route, (d) => d.length > 0);
    assert.deepEqual(diagnostics.map((d) => d.code), ['missing-www-authenticate']);
    assert.deepEqual(await client.diagnosticsFor(testApp), []);
  });
});
