import fs from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';

/**
 * The extension-tests entry VS Code loads (`--extensionTestsPath`, or the
 * code-server payload): runs the mocha suite inside the extension host and
 * rejects when a test fails. Results also go to AUTHLINT_EDITOR_RESULTS when
 * set, since a browser-hosted workbench keeps the extension host's console.
 */
export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 20_000, reporter: 'spec' });
  mocha.addFile(path.join(__dirname, 'extension-suite.js'));
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      lines.push(`${runner.stats?.passes ?? 0} passed, ${failures} failed`);
      const results = process.env.AUTHLINT_EDITOR_RESULTS;
      if (results) fs.writeFileSync(results, `${lines.join('\n')}\n`);
      if (failures > 0) reject(new Error(`${failures} editor test(s) failed`));
      else resolve();
    });
    runner.on('pass', (test) => lines.push(`  ✔ ${test.fullTitle()} (${test.duration} ms)`));
    runner.on('fail', (test, error: Error) => lines.push(`  ✘ ${test.fullTitle()}\n    ${error.stack ?? error.message}`));
  });
}
