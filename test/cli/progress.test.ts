import assert from 'node:assert/strict';
import type { CliIo } from '../../server/src/cli/main';
import { progressReporter } from '../../server/src/cli/progress';

function fakeIo(stderrIsTTY: boolean): { io: CliIo; written: string[] } {
  const written: string[] = [];
  const io: CliIo = { argv: [], cwd: '/', stdout: () => {}, stderr: (t) => written.push(t), readStdin: () => Buffer.alloc(0), isTTY: false, stderrIsTTY, env: {} };
  return { io, written };
}

describe('CLI: progress', () => {
  it('draws on a terminal once a run is long, throttled, and clears its line at the end', () => {
    const { io, written } = fakeIo(true);
    let now = 0;
    const progress = progressReporter(io, () => now);
    progress.update(1, 100); // too early to be worth showing
    now = 1500;
    progress.update(2, 100);
    now = 1550;
    progress.update(3, 100); // within the redraw interval
    now = 1700;
    progress.update(4, 100);
    progress.update(100, 100);
    progress.done();
    assert.deepEqual(written, ['\r\u001b[Kauthlint: 2/100 files', '\r\u001b[Kauthlint: 4/100 files', '\r\u001b[K']);
  });

  it('writes nothing when standard error is not a terminal (CI logs, pipes)', () => {
    const { io, written } = fakeIo(false);
    let now = 0;
    const progress = progressReporter(io, () => now);
    now = 5000;
    progress.update(2, 100);
    progress.done();
    assert.deepEqual(written, []);
  });
});
