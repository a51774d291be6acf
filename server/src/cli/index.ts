import { isMainThread } from 'node:worker_threads';
import { run } from './main';
import { loadEngine } from './engine-loader';

// Run from the sources, a lint worker starts here (worker-pool.ts); from dist/, dist/launch.js starts it in the engine.
if (isMainThread) runCli();
else loadEngine().runLintWorker();

function runCli(): void {
  // `authlint … | head` closes the pipe early; that is the reader's choice, not a crash, and the exit status still tells the findings.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });

  void run({
    argv: process.argv.slice(2),
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readStdin: () => require('node:fs').readFileSync(0),
    isTTY: !!process.stdout.isTTY,
    stderrIsTTY: !!process.stderr.isTTY,
    env: process.env,
  }).then((status) => {
    process.exitCode = status;
  });
}
