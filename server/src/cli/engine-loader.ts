import path from 'node:path';
import type * as Engine from './engine';

export type CliEngine = typeof Engine;

let loaded: CliEngine | undefined;

/** The CLI's engine (engine.ts): from the sources a plain require; from dist/cli.js, dist/cli-engine.js through dist/launch.js, with its code cache. */
export function loadEngine(): CliEngine {
  if (loaded) return loaded;
  if (__filename.endsWith('.ts')) loaded = require('./engine') as CliEngine;
  else loaded = (require(path.join(__dirname, 'launch.js')) as typeof import('./launch')).launchEngine() as CliEngine;
  return loaded;
}
