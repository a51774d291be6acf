import { setFlagsFromString } from 'node:v8';
import { run } from './main';

// V8 learns from the first files' syntax trees, which live through the whole
// parse of a file (a large one above all), to allocate every later tree
// straight in the old generation; each file's tree dies as soon as the file is
// linted, so that fills the old generation with garbage: about a quarter of
// the peak memory and a tenth of the CPU time on thousands of files. Flags are
// per process, so this holds for the lint threads too.
setFlagsFromString('--no-allocation-site-pretenuring');

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
