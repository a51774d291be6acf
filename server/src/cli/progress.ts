import type { CliIo } from './main';

/** Runs shorter than this finish before progress would be worth reading. */
const QUIET_MS = 1000;
const REDRAW_MS = 100;

/**
 * "authlint: 120/4000 files" on standard error, redrawn in place, for long
 * runs on a terminal only: CI logs and pipes get no control characters.
 */
export function progressReporter(io: CliIo, now: () => number = Date.now): { update: (done: number, total: number) => void; done: () => void } {
  const started = now();
  let drawn = 0;
  let visible = false;
  return {
    update(done, total) {
      if (!io.stderrIsTTY || done === total) return;
      const time = now();
      if (time - started < QUIET_MS || time - drawn < REDRAW_MS) return;
      drawn = time;
      visible = true;
      io.stderr(`\r\u001b[Kauthlint: ${done}/${total} files`);
    },
    done() {
      if (visible) io.stderr('\r\u001b[K');
    },
  };
}
