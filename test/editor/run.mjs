// npm run test:editor: the real-editor tests, after scripts/setup-editor-toolchain.sh.
//   1. the extension's mocha suite inside VS Code (code-server + headless Chromium)
//   2. headless Neovim driving authlint-language-server --stdio
//   3. the packaged .vsix installed into code-server, activating
// `--screenshot FILE` also saves the editor hover from step 3 (docs/images/).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { missingToolchain } from './code-server.mjs';
import { runNeovim } from './neovim.mjs';
import { packageVsix, runVsixInstall } from './vsix.mjs';
import { ROOT, runVsCodeSuite } from './vscode-suite.mjs';

const screenshotFlag = process.argv.indexOf('--screenshot');
const screenshot = screenshotFlag > 0 ? path.resolve(process.argv[screenshotFlag + 1]) : undefined;
const indent = (text) => console.log(text.replace(/^/gm, '    '));

const missing = missingToolchain();
if (missing) {
  console.error(`test:editor: ${missing}`);
  process.exit(1);
}

const steps = [
  ['VS Code (code-server): the extension suite', () => runVsCodeSuite({ log: indent })],
  ['Neovim: authlint-language-server --stdio', () => runNeovim({ log: indent })],
  ['the .vsix installs into code-server and activates', () => runVsixInstall({ vsix: packageVsix(), screenshot, log: indent })],
];

execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
let passed = 0;
let failed = 0;
for (const [name, step] of steps) {
  const started = Date.now();
  console.log(`# ${name}`);
  let ok;
  try {
    ok = await step();
  } catch (error) {
    indent(String(error?.stack ?? error));
    ok = false;
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`${ok ? 'ok' : 'not ok'} - ${name} (${seconds} s)`);
  if (ok) passed++;
  else failed++;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
