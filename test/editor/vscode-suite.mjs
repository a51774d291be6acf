// The extension's mocha suite (test/editor/suite) inside code-server.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { runExtensionTests, startCodeServer } from './code-server.mjs';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const FIXTURE_WORKSPACE = path.join(ROOT, 'test', 'editor', 'workspace');
const SUITE_OUT = path.join(ROOT, 'dist', 'test', 'editor', 'suite');

/** Compiles the suite file by file (mocha and vscode stay external) into dist/test/editor/suite. */
export async function buildSuite() {
  const suite = path.join(ROOT, 'test', 'editor', 'suite');
  await build({
    entryPoints: fs.readdirSync(suite).filter((f) => f.endsWith('.ts')).map((f) => path.join(suite, f)),
    outdir: SUITE_OUT,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
  });
  return path.join(SUITE_OUT, 'index.js');
}

/** A throwaway copy of the fixture workspace, since the suite edits files and settings in it. */
export function copyWorkspace(base) {
  const workspace = path.join(base, 'workspace');
  fs.cpSync(FIXTURE_WORKSPACE, workspace, { recursive: true });
  return workspace;
}

export async function runVsCodeSuite({ log = console.log } = {}) {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-code-server-'));
  const workspace = copyWorkspace(base);
  const results = path.join(base, 'results.txt');
  const testsPath = await buildSuite();
  const server = await startCodeServer({ base, workspace, extensionsDir: path.join(base, 'extensions'), env: { AUTHLINT_EDITOR_RESULTS: results } });
  try {
    const code = await runExtensionTests({ server, workspace, extensionPath: ROOT, testsPath });
    const report = fs.existsSync(results) ? fs.readFileSync(results, 'utf8') : '(the suite wrote no results)\n';
    log(report.trimEnd());
    if (code !== 0) log(`code-server log:\n${server.log().slice(-4000)}`);
    return code === 0;
  } finally {
    await server.stop();
    fs.rmSync(base, { recursive: true, force: true });
  }
}
