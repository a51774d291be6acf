import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { isMainThread, workerData } from 'node:worker_threads';
import { compileBundle, readCodeCache, runBundle, writeCodeCache, type CachedBundle } from './code-cache';

/**
 * dist/launch.js: what bin/authlint.js and the lint workers load first. It
 * runs the CLI's bundles through a V8 code cache, so that neither the process
 * nor any of its worker threads compiles them afresh: dist/cli.js, the CLI
 * without TypeScript (what a run served whole from `--cache` needs), and
 * dist/cli-engine.js, the 10 MB that lints, loaded when a run needs it
 * (cli/engine-loader.ts). Kept apart from both because it must run before
 * they are compiled.
 */
const CLI_BUNDLE = path.join(__dirname, 'cli.js');
const ENGINE_BUNDLE = path.join(__dirname, 'cli-engine.js');

/** What a lint worker is started with: the engine's code cache, and its share of the work (read by worker.ts). */
export interface LaunchData {
  codeCache?: Uint8Array;
  input: unknown;
}

let engine: { bundle: CachedBundle; exports: unknown } | undefined;
let workerCache: Uint8Array | undefined;

/** Runs the CLI in this process. */
export function launchCli(): void {
  setV8Flags();
  runBundle(cachedBundle(CLI_BUNDLE));
}

/** The engine's exports, compiled and run once in this process. */
export function launchEngine(): unknown {
  if (!engine) {
    const bundle = cachedBundle(ENGINE_BUNDLE);
    // Set before the run, which starts the workers.
    engine = { bundle, exports: runBundle(bundle) };
  }
  return engine.exports;
}

/** A bundle compiled with its stored code cache; when there was none to use, the cache is stored at exit, after the run has compiled the functions it needed. */
function cachedBundle(file: string): CachedBundle {
  const bundle = compileBundle(file, readCodeCache(file));
  if (!bundle.accepted) process.once('exit', () => writeCodeCache(file, bundle.script.createCachedData()));
  return bundle;
}

/** The engine's code cache for a lint worker: the stored one, else one made now from what this thread has compiled so far. */
export function codeCacheForWorkers(): Uint8Array | undefined {
  if (!engine) return undefined;
  workerCache ??= engine.bundle.accepted ?? engine.bundle.script.createCachedData();
  return workerCache;
}

/**
 * Flags are per process, so these hold for the lint threads too, and they are
 * set before the bundle is compiled because V8 accepts a code cache only under
 * the flags it was made with.
 *
 * V8 learns from the first files' syntax trees, which live through the whole
 * parse of a file (a large one above all), to allocate every later tree
 * straight in the old generation; each file's tree dies as soon as the file is
 * linted, so that fills the old generation with garbage: about a quarter of
 * the peak memory and a tenth of the CPU time on thousands of files.
 *
 * A quarter of V8's usual inlining budget: TurboFan compiling TypeScript's
 * large parser functions with everything inlined cost each thread more CPU
 * than the faster code saved in a lint of even 50 MB of source (a fifth less
 * CPU on 3,000 files with one thread, a tenth less time on 12,000).
 */
export const V8_FLAGS = ['--no-allocation-site-pretenuring', '--max-inlined-bytecode-size-cumulative=230'];

function setV8Flags(): void {
  for (const flag of V8_FLAGS) setFlagsFromString(flag);
}

// A lint worker (started by worker-pool.ts) runs the engine alone.
if (!isMainThread && (workerData as LaunchData | undefined)?.input) {
  const exports = runBundle(compileBundle(ENGINE_BUNDLE, (workerData as LaunchData).codeCache)) as typeof import('./engine');
  exports.runLintWorker();
}
