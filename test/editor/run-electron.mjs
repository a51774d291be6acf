// npm run test:vscode: the same mocha suite in desktop VS Code through
// @vscode/test-electron, which downloads VS Code first (so it needs the
// internet; on a machine without it, use npm run test:editor).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { buildSuite, copyWorkspace, ROOT } from './vscode-suite.mjs';

execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-electron-'));
try {
  await runTests({
    version: process.env.VSCODE_VERSION ?? 'stable',
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: await buildSuite(),
    launchArgs: [copyWorkspace(base), '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', path.join(base, 'user-data')],
  });
} catch (error) {
  console.error(`test:vscode failed: ${error.message ?? error}`);
  process.exitCode = 1;
} finally {
  fs.rmSync(base, { recursive: true, force: true });
}
