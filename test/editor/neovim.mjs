// Headless Neovim driving `authlint-language-server --stdio` (test/editor/nvim/lsp-test.lua).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sandbox } from './code-server.mjs';
import { copyWorkspace, ROOT } from './vscode-suite.mjs';

export async function runNeovim({ log = console.log } = {}) {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-nvim-'));
  const workspace = copyWorkspace(base);
  const script = path.join(ROOT, 'test', 'editor', 'nvim', 'lsp-test.lua');
  const env = { ...sandbox(base), AUTHLINT_SERVER: path.join(ROOT, 'bin', 'authlint-language-server.js') };
  const child = spawn('nvim', ['--headless', '--clean', '-n', '-i', 'NONE', '-c', `luafile ${script}`, 'src/handlers.js'], {
    cwd: workspace,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const timer = setTimeout(() => process.kill(-child.pid, 'SIGKILL'), 30_000);
  const code = await new Promise((resolve) => child.on('exit', (exitCode, signal) => resolve(signal ? signal : exitCode)));
  clearTimeout(timer);
  try {
    // The server exits with its client; this only sweeps up after a failure.
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Nothing left in the group.
  }
  log(output.trimEnd());
  fs.rmSync(base, { recursive: true, force: true });
  return code === 0;
}
