import { run } from './main';

void run({
  argv: process.argv.slice(2),
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin: () => require('node:fs').readFileSync(0),
  isTTY: !!process.stdout.isTTY,
  env: process.env,
}).then((status) => {
  process.exitCode = status;
});
