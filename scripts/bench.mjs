// authlint's benchmark: the CLI against the parse-and-walk floor on the same
// files, and the language server's edit-to-diagnostics latency on a
// 20,000-line router, controller class and plugin function. `npm run bench [-- <dir>] [-- --runs N]`.
// Each process is measured from the outside (its own child process), so Node's
// start-up and loading TypeScript count on both sides.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { writeCorpus, writeEditorFiles } from './bench/corpus.mjs';
import { measureEdits } from './bench/lsp.mjs';

const root = path.resolve(fileURLToPath(import.meta.url), '../..');
const benchDir = path.join(root, '.bench');
const usagePreload = path.join(root, 'scripts/bench/usage.cjs');
const cliBin = path.join(root, 'bin/authlint.js');
const serverBin = path.join(root, 'bin/authlint-language-server.js');
const require = createRequire(import.meta.url);

function parseArgs(argv) {
  const options = { dir: undefined, runs: 3, samples: 60 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runs') options.runs = Number(argv[++i]);
    else if (argv[i] === '--samples') options.samples = Number(argv[++i]);
    else options.dir = path.resolve(argv[i]);
  }
  return options;
}

/** Runs `node <args>` with the usage preload; resolves with wall time, CPU and peak RSS. */
function measure(args, env = {}) {
  const usageFile = path.join(benchDir, `usage-${process.pid}.json`);
  fs.rmSync(usageFile, { force: true });
  const start = process.hrtime.bigint();
  const child = spawn(process.execPath, ['--require', usagePreload, ...args], {
    env: { ...process.env, ...env, AUTHLINT_BENCH_USAGE: usageFile },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  return new Promise((resolve, reject) => {
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
      if (code !== 0 && code !== 1) return reject(new Error(`node ${args.join(' ')} exited with ${code}`));
      const usage = JSON.parse(fs.readFileSync(usageFile, 'utf8'));
      resolve({ wallMs, cpuMs: usage.userMs + usage.systemMs, rssMb: usage.maxRssKb / 1024, stdout });
    });
  });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)];
/** The spread of repeated runs, as a fraction of their median: the machine's noise. */
const spread = (values) => (Math.max(...values) - Math.min(...values)) / median(values);

function summary(runs) {
  const pick = (key) => runs.map((r) => r[key]);
  return {
    wallMs: median(pick('wallMs')),
    cpuMs: median(pick('cpuMs')),
    rssMb: median(pick('rssMb')),
    noise: { wall: spread(pick('wallMs')), cpu: spread(pick('cpuMs')) },
    runs: runs.map(({ wallMs, cpuMs, rssMb }) => ({ wallMs, cpuMs, rssMb })),
  };
}

/** The files the CLI linted and the findings it reported, from its JSON report. */
function readReport(file) {
  const reports = JSON.parse(fs.readFileSync(file, 'utf8'));
  return { files: reports.map((r) => r.filePath), messages: reports.reduce((n, r) => n + r.messages.length, 0) };
}

/** Full parse plus walk of one file in this process: what an editor pays without incremental reparsing. */
function fullParseMs(file, repeats = 15) {
  const text = fs.readFileSync(file, 'utf8');
  const times = [];
  for (let i = 0; i < repeats; i++) {
    const start = process.hrtime.bigint();
    const visit = (node) => ts.forEachChild(node, visit);
    visit(ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS));
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times.slice(3));
}

const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;
const ratio = (a, b) => `${(a / b).toFixed(2)}×`;

async function main() {
  const options = parseArgs(process.argv.slice(2));
  fs.mkdirSync(benchDir, { recursive: true });
  const corpus = writeCorpus(path.join(benchDir, 'corpus'));
  const target = options.dir ?? corpus.src;
  const threads = os.availableParallelism();
  const name = options.dir ? path.basename(options.dir) : 'synthetic';
  const reportFile = path.join(benchDir, `cli-${name}.json`);
  const listFile = path.join(benchDir, `files-${name}.json`);
  const cliArgs = [cliBin, '--format', 'json', '--output-file', reportFile, target];

  console.log(`authlint bench: ${target}`);
  console.log(`Node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'}, ${threads} available threads, ${options.runs} runs each\n`);

  // A first CLI run lists the files it lints; the floor parses exactly those.
  await measure(cliArgs, { AUTHLINT_THREADS: '1' });
  const { files, messages } = readReport(reportFile);
  fs.writeFileSync(listFile, JSON.stringify(files.filter(isReadableSource)));
  const lines = countLines(files);

  const floorRuns = [];
  const likeAuthlintRuns = [];
  const { V8_FLAGS } = require(path.join(root, 'dist/launch.js'));
  const singleRuns = [];
  const parallelRuns = [];
  for (let run = 0; run < options.runs; run++) {
    floorRuns.push(await measure([path.join(root, 'scripts/bench/floor.mjs'), listFile]));
    likeAuthlintRuns.push(await measure([...V8_FLAGS, path.join(root, 'scripts/bench/floor.mjs'), listFile, '--no-jsdoc']));
    singleRuns.push(await measure(cliArgs, { AUTHLINT_THREADS: '1' }));
    parallelRuns.push(await measure(cliArgs, { AUTHLINT_THREADS: String(threads) }));
  }
  const floor = summary(floorRuns);
  const floorLikeAuthlint = summary(likeAuthlintRuns);
  const single = summary(singleRuns);
  const parallel = summary(parallelRuns);

  const editor = [];
  for (const file of [corpus.big, ...writeEditorFiles(path.join(benchDir, 'editor'))]) {
    const edits = await measureEdits(serverBin, file, options.samples);
    editor.push({
      file: path.relative(root, file),
      lines: edits.lines,
      openMs: edits.openMs,
      medianMs: median(edits.samples),
      p95Ms: percentile(edits.samples, 95),
      fullParseAndWalkMs: fullParseMs(file),
      samples: edits.samples,
    });
  }

  const result = {
    target,
    date: new Date().toISOString(),
    node: process.version,
    threads,
    files: files.length,
    lines,
    messages,
    floor,
    floorLikeAuthlint,
    cli: { singleThread: single, parallel },
    ratios: {
      cpuSingle: single.cpuMs / floor.cpuMs,
      cpuParallel: parallel.cpuMs / floor.cpuMs,
      wallSingle: single.wallMs / floor.wallMs,
      wallParallel: parallel.wallMs / floor.wallMs,
      rssSingle: single.rssMb / floor.rssMb,
      rssParallel: parallel.rssMb / floor.rssMb,
      cpuSingleOverFloorLikeAuthlint: single.cpuMs / floorLikeAuthlint.cpuMs,
    },
    editor,
  };
  const resultFile = path.join(benchDir, options.dir ? `result-${name}.json` : 'result.json');
  fs.writeFileSync(resultFile, JSON.stringify(result, null, 2) + '\n');
  print(result, resultFile);
}

function isReadableSource(file) {
  // The CLI skips huge and minified files (server/src/cli/read-source.ts); so must the floor.
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat || stat.size > 2 * 1024 * 1024) return false;
  return !fs.readFileSync(file, 'utf8').split('\n').some((line) => line.length > 10_000);
}

function countLines(files) {
  let lines = 0;
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  }
  return lines;
}

function print(r, resultFile) {
  const row = (label, s) =>
    `  ${label.padEnd(26)} wall ${fmt(s.wallMs).padStart(8)}   cpu ${fmt(s.cpuMs).padStart(8)}   peak RSS ${s.rssMb.toFixed(0).padStart(4)} MB   noise wall ±${(s.noise.wall * 50).toFixed(0)}% cpu ±${(s.noise.cpu * 50).toFixed(0)}%`;
  console.log(`${r.files} files, ${r.lines} lines, ${r.messages} messages reported\n`);
  console.log(row('parse+walk floor (1 thread)', r.floor));
  console.log(row('  same, parsed as authlint', r.floorLikeAuthlint));
  console.log(row('CLI, 1 thread', r.cli.singleThread));
  console.log(row(`CLI, ${r.threads} threads`, r.cli.parallel));
  console.log('');
  console.log(`  CLI/floor CPU:  1 thread ${ratio(r.cli.singleThread.cpuMs, r.floor.cpuMs)}, ${r.threads} threads ${ratio(r.cli.parallel.cpuMs, r.floor.cpuMs)}   (target ≤ 1.2×)`);
  console.log(`  CLI/floor wall: 1 thread ${ratio(r.cli.singleThread.wallMs, r.floor.wallMs)}, ${r.threads} threads ${ratio(r.cli.parallel.wallMs, r.floor.wallMs)}   (target < 1× with threads)`);
  console.log(`  CLI/floor RSS:  1 thread ${ratio(r.cli.singleThread.rssMb, r.floor.rssMb)}, ${r.threads} threads ${ratio(r.cli.parallel.rssMb, r.floor.rssMb)}   (target ≤ 1.5×)`);
  console.log(`  CLI/floor parsed as authlint (no JSDoc, its V8 flags), CPU: 1 thread ${ratio(r.cli.singleThread.cpuMs, r.floorLikeAuthlint.cpuMs)}: what the analysis itself adds`);
  console.log('');
  console.log(`  editor, one-character edit → diagnostics (${r.editor[0].samples.length} samples; targets: median ≤ 50 ms, p95 ≤ 120 ms):`);
  for (const e of r.editor) {
    console.log(`    ${e.file} (${e.lines} lines): median ${e.medianMs.toFixed(1)} ms, p95 ${e.p95Ms.toFixed(1)} ms; full parse+walk ${e.fullParseAndWalkMs.toFixed(1)} ms; open ${e.openMs} ms`);
  }
  console.log(`\nwrote ${path.relative(process.cwd(), resultFile)}`);
}

await main();
