import { parentPort, workerData } from 'node:worker_threads';
import type { LaunchData } from './launch';
import { claim, lintForPool, type WorkerInput, type WorkerMessage } from './worker-pool';

/** A lint worker's loop: claims files from the shared counter until none are left. */
export function runLintWorker(): void {
  const input = (workerData as LaunchData).input as WorkerInput;
  const post = (message: WorkerMessage) => parentPort!.postMessage(message);
  try {
    for (let index = claim(input.next); index < input.files.length; index = claim(input.next)) {
      post({ index, linted: lintForPool(input, index) });
    }
  } catch (error) {
    post({ error: `internal error in a lint worker: ${(error as Error).stack ?? error}` });
  }
}
