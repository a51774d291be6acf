// Preloaded (`node --require`) into each measured child: on exit it writes the
// process's own resource usage, which covers all its threads, to the file named
// by AUTHLINT_BENCH_USAGE. Node has no API for a child's rusage.
const fs = require('node:fs');
const { isMainThread } = require('node:worker_threads');

const file = process.env.AUTHLINT_BENCH_USAGE;
if (file && isMainThread) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    fs.writeFileSync(file, JSON.stringify({ userMs: usage.userCPUTime / 1000, systemMs: usage.systemCPUTime / 1000, maxRssKb: usage.maxRSS }));
  });
}
