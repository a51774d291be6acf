import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.join(__dirname, '..', '..');
/** The real bin, as users and the conformance scorer run it (built by `npm test`'s pretest). */
export const BIN = path.join(ROOT, 'bin', 'authlint.js');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'cli');
export const CONFORMANCE = path.join(ROOT, '..', 'shared', 'conformance');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  input?: string | Buffer;
  env?: Record<string, string>;
  uid?: number;
  gid?: number;
}

/**
 * Runs `node bin/authlint.js …` and waits for it. The environment is the
 * machine's without the variables that change the output (colour, GitHub
 * workspace), so a test sees the same output on a laptop and in CI.
 */
export function runCli(args: string[], options: RunOptions = {}): CliRun {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['FORCE_COLOR', 'NO_COLOR', 'GITHUB_WORKSPACE', 'GITHUB_ACTIONS']) delete env[name];
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    input: options.input ?? '',
    env: { ...env, ...options.env },
    encoding: 'utf8',
    uid: options.uid,
    gid: options.gid,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Parses a run's JSON report, showing its stderr when it is not JSON. */
export function jsonOf(run: CliRun): JsonResult[] {
  try {
    return JSON.parse(run.stdout) as JsonResult[];
  } catch {
    throw new Error(`not JSON (exit ${run.status}):\n${run.stdout}\nstderr:\n${run.stderr}`);
  }
}

export interface JsonMessage {
  ruleId: string | null;
  severity: number;
  message: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  fatal?: boolean;
  fix?: { range: [number, number]; text: string };
  suppressions?: { kind: string; justification: string }[];
}

export interface JsonResult {
  filePath: string;
  messages: JsonMessage[];
  suppressedMessages: JsonMessage[];
  errorCount: number;
  fatalErrorCount: number;
  warningCount: number;
  fixableErrorCount: number;
  fixableWarningCount: number;
  output?: string;
  source?: string;
  usedDeprecatedRules: { ruleId: string; replacedBy: string[] }[];
}

/** A temporary folder holding `files` (path → content), removed after the test file's tests. */
export function tempProject(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-cli-'));
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  created.push(dir);
  return dir;
}

const created: string[] = [];

export function removeTempProjects(): void {
  for (const dir of created.splice(0)) {
    makeRemovable(dir);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Opens up folders a test made unreadable (chmod 000), which a non-root user could not otherwise delete. */
function makeRemovable(dir: string): void {
  fs.chmodSync(dir, 0o755);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) makeRemovable(path.join(dir, entry.name));
  }
}

/** A handler that sends a 401 without a challenge: one fixable `missing-www-authenticate` warning, on line 7. */
export const MISSING_CHALLENGE = `import express from 'express';

export const app = express();

app.get('/me', (req, res) => {
  if (!req.headers.authorization) {
    return res.status(401).json({ error: 'sign in first' });
  }
  res.json({ ok: true });
});
`;

/** Copies a folder tree (the conformance cases, before `--fix` changes them), writable: shared/ is laid out read-only. */
export function copyTree(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true });
  makeWritable(to);
}

function makeWritable(dir: string): void {
  fs.chmodSync(dir, 0o755);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) makeWritable(full);
    else if (entry.isFile()) fs.chmodSync(full, 0o644);
  }
}

/**
 * An unprivileged user to run the bin as when the tests run as root, for whom
 * chmod 000 blocks nothing; undefined when not root (chmod works as is).
 */
export function unprivilegedUser(): { uid: number; gid: number } | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  return { uid: 65534, gid: 65534 };
}

/** Whether the bin runs as `user`: the container may forbid switching users, or the checkout may sit under a folder only root can enter. */
export function canRunAs(user: { uid: number; gid: number }): boolean {
  try {
    return runCli(['--version'], { ...user, cwd: os.tmpdir() }).status === 0;
  } catch {
    return false;
  }
}
