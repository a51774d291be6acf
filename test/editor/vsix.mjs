// The packaged .vsix, installed into code-server as a user would, activates
// and puts squiggles under the fixture's 401s; optionally saves a screenshot.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { codeServerCli, sandbox, startCodeServer, withPage, workbenchUrl } from './code-server.mjs';
import { copyWorkspace, ROOT } from './vscode-suite.mjs';

export function packageVsix() {
  execFileSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  return path.join(ROOT, 'authlint.vsix');
}

export async function runVsixInstall({ vsix, screenshot, log = console.log }) {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-vsix-'));
  const workspace = copyWorkspace(base);
  const extensionsDir = path.join(base, 'extensions');
  const server = { stop: async () => {} };
  try {
    const output = await codeServerCli(['--extensions-dir', extensionsDir, '--user-data-dir', path.join(base, 'user-data'), '--install-extension', vsix], { env: sandbox(base) });
    log(output.trim().split('\n').filter((line) => /authlint/i.test(line)).join('\n'));
    Object.assign(server, await startCodeServer({ base, workspace, extensionsDir, settings: { 'editor.minimap.enabled': false } }));
    return await withPage(async (page) => {
      await page.goto(workbenchUrl(server, workspace));
      await page.locator('.monaco-workbench').waitFor({ timeout: 30_000 });
      await openByQuickOpen(page, 'handlers.js');
      const squiggles = page.locator('.part.editor .squiggly-warning');
      await squiggles.first().waitFor({ timeout: 30_000 });
      log(`ok - the installed extension activated: ${await squiggles.count()} squiggles in handlers.js`);
      if (screenshot) await saveScreenshot(page, screenshot, log);
      return true;
    });
  } finally {
    await server.stop();
    fs.rmSync(base, { recursive: true, force: true });
  }
}

async function openByQuickOpen(page, name) {
  // Focus the workbench first; Quick Open ignores keys sent before it has focus.
  await page.locator('.monaco-workbench').click({ position: { x: 640, y: 400 } });
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 10_000 });
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
}

/** The hover on the first finding (message, rule link, quick fix), for docs/editors.md. */
async function saveScreenshot(page, file, log) {
  const box = await page.locator('.part.editor .squiggly-warning').first().boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.locator('.monaco-hover').first().waitFor({ timeout: 10_000 }).catch(() => log('(no hover appeared for the screenshot)'));
  await page.waitForTimeout(300);
  await page.screenshot({ path: file, clip: { x: 0, y: 0, width: 1280, height: 400 } });
  log(`screenshot saved to ${path.relative(ROOT, file)}`);
}
