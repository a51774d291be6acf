import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';

/**
 * A CommonJS bundle compiled through `vm.Script`, so that V8 can take its
 * bytecode from a code cache instead of compiling 10 MB of JavaScript (most of
 * it TypeScript) in every process and every thread.
 */
export interface CachedBundle {
  file: string;
  script: vm.Script;
  /** The cache the script was compiled with, when V8 accepted it. */
  accepted?: Uint8Array;
}

/** Compiles the bundle `file`, with `cachedData` when given and V8 accepts it. */
export function compileBundle(file: string, cachedData?: Uint8Array): CachedBundle {
  const script = new vm.Script(wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData });
  return { file, script, accepted: cachedData && !script.cachedDataRejected ? cachedData : undefined };
}

/** Runs a compiled bundle as `require` would, and returns its exports. */
export function runBundle({ file, script }: CachedBundle): unknown {
  const module = { exports: {} };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  return module.exports;
}

/** Node's own CommonJS wrapper, so that line numbers in stack traces stay those of the file. */
function wrap(source: string): string {
  return `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;
}

/**
 * Where the cache of `file` lives: a folder of this user's in the temporary
 * folder, named by the bundle's size and time (a rebuilt bundle gets a new
 * cache) and the Node version and architecture (V8 rejects another's cache;
 * this just avoids reading it). V8 itself also checks the source and flags.
 */
export function cacheFileOf(file: string): string {
  const stat = fs.statSync(file);
  const user = typeof process.getuid === 'function' ? process.getuid() : os.userInfo().username;
  const key = `${path.basename(file, '.js')}-${stat.size}-${Math.trunc(stat.mtimeMs)}-${process.version}-${process.arch}`;
  return path.join(os.tmpdir(), `authlint-code-cache-${user}`, `${key}.bin`);
}

/**
 * The stored cache of `file`, or undefined. A cache is code V8 will run, so
 * one is read only from a folder that only this user can write to.
 */
export function readCodeCache(file: string): Buffer | undefined {
  try {
    const cacheFile = cacheFileOf(file);
    if (!isPrivateFolder(path.dirname(cacheFile))) return undefined;
    return fs.readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

/**
 * Stores the cache of `file`, written to a temporary file and renamed so that
 * no reader sees half of it, and removes the caches of the bundle's earlier
 * builds. Failures are ignored: the cache only saves time.
 */
export function writeCodeCache(file: string, data: Uint8Array): void {
  try {
    const cacheFile = cacheFileOf(file);
    const folder = path.dirname(cacheFile);
    fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
    if (!isPrivateFolder(folder)) return;
    const partial = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(partial, data, { mode: 0o600 });
    fs.renameSync(partial, cacheFile);
    removeOtherBuilds(folder, path.basename(cacheFile), path.basename(file, '.js'));
  } catch {
    // A read-only or full disk: the next run compiles the bundle again.
  }
}

/**
 * Installs used side by side (two versions, two checkouts) share the folder:
 * removing each other's caches would make each compile afresh every other
 * run. Only a build's cache unwritten for a day is taken for an earlier one.
 */
const STALE_MS = 24 * 60 * 60 * 1000;

function removeOtherBuilds(folder: string, keep: string, bundle: string): void {
  const now = Date.now();
  for (const name of fs.readdirSync(folder)) {
    if (name === keep || !name.startsWith(`${bundle}-`) || !name.endsWith('.bin')) continue;
    const file = path.join(folder, name);
    const written = fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs;
    if (written !== undefined && now - written > STALE_MS) fs.rmSync(file, { force: true });
  }
}

function isPrivateFolder(folder: string): boolean {
  const stat = fs.lstatSync(folder);
  if (!stat.isDirectory()) return false;
  if (typeof process.getuid !== 'function') return true;
  return stat.uid === process.getuid() && (stat.mode & 0o022) === 0;
}
