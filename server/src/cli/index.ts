import { isMainThread } from 'node:worker_threads';
import { run } from './main';
import { runLintWorker } from './worker';

// The lint workers run this same bundle (dist/launch.js loads it for them with this thread's code cache).
if (isMainThread) runCli();
else runLintWorker();

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
