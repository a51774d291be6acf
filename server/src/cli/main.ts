import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, findConfig, readConfigFile, resolveSettings, type ProjectConfig } from '../core/config';
import { lint } from '../core/lint';
import type { Settings } from '../core/types';
import { HELP, parseArgs, type CliOptions } from './args';
import { collectFiles, UsageError } from './files';
import { formatJson } from './formatters/json';
import { formatStylish } from './formatters/stylish';
import { lintFiles } from './lint-files';
import { countMessages, fileReport, type FileReport, type Message } from './report';
import { decodeSource } from './read-source';

declare const AUTHLINT_VERSION: string;

export interface CliIo {
  argv: string[];
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => Buffer;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
}

/** Runs the CLI and returns its exit status: 0 clean, 1 findings over the limits, 2 bad usage or internal error. */
export async function run(io: CliIo): Promise<number> {
  try {
    return await runChecked(io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      io.stderr(`authlint: ${error.message}\n`);
      return 2;
    }
    io.stderr(`authlint: internal error: ${(error as Error).stack ?? error}\n`);
    return 2;
  }
}

async function runChecked(io: CliIo): Promise<number> {
  const options = parseArgs(io.argv);
  if (options.help) {
    io.stdout(HELP);
    return 0;
  }
  if (options.version) {
    io.stdout(`${AUTHLINT_VERSION}\n`);
    return 0;
  }
  const { settings, ignore } = loadSettings(options, io.cwd);
  const reports = options.stdin ? [lintStdin(options, settings, io)] : await lintPaths(options, settings, ignore, io);
  const output = format(reports, options, io);
  if (options.outputFile) fs.writeFileSync(path.resolve(io.cwd, options.outputFile), output);
  else if (output) io.stdout(output);
  return exitStatus(reports, options);
}

function loadSettings(options: CliOptions, cwd: string): { settings: Settings; ignore: string[] } {
  let config: ProjectConfig | undefined;
  if (options.config) {
    const file = path.resolve(cwd, options.config);
    if (!fs.existsSync(file)) throw new UsageError(`Config file not found: ${options.config}`);
    config = readConfigFile(file) ?? {};
  } else {
    config = findConfig(cwd)?.config;
  }
  const settings = resolveSettings(config, { rules: options.rules });
  return { settings, ignore: config?.ignore ?? [] };
}

async function lintPaths(options: CliOptions, settings: Settings, ignore: string[], io: CliIo): Promise<FileReport[]> {
  const { files, warnings } = collectFiles(options.paths.length ? options.paths : ['.'], io.cwd, ignore);
  for (const warning of warnings) io.stderr(`authlint: ${warning}\n`);
  if (files.length === 0) io.stderr('authlint: no JavaScript or TypeScript files to lint\n');
  const reports = await lintFiles(files, settings, { fix: options.fix ? 'write' : 'off' });
  for (const report of reports) {
    for (const notice of report.notices ?? []) io.stderr(`authlint: ${path.relative(io.cwd, report.filePath)}: ${notice.text}\n`);
  }
  return reports.filter((report) => !report.skipped);
}

function lintStdin(options: CliOptions, settings: Settings, io: CliIo): FileReport {
  const filePath = path.resolve(io.cwd, options.stdinFilename ?? '<text>.ts');
  const read = decodeSource(io.readStdin());
  if (!read.ok) return countMessages({ filePath, messages: [fatal(`Cannot lint standard input: ${'skipped' in read ? read.skipped : read.error}`)], suppressedMessages: [] });
  return fileReport(lint(read.text, filePath, settings), read.text);
}

function fatal(message: string): Message {
  return { ruleId: null, fatal: true, severity: 2, message, line: 1, column: 1 };
}

function format(reports: FileReport[], options: CliOptions, io: CliIo): string {
  switch (options.format) {
    case 'json':
      return formatJson(reports);
    case 'stylish':
      return formatStylish(reports, { color: io.isTTY && !options.outputFile && !io.env.NO_COLOR, cwd: io.cwd });
    default:
      throw new UsageError(`--format ${options.format} is not available yet`);
  }
}

function exitStatus(reports: FileReport[], options: CliOptions): number {
  const errors = reports.reduce((n, r) => n + r.errorCount, 0);
  const warnings = reports.reduce((n, r) => n + r.warningCount, 0);
  if (errors > 0) return 1;
  if (options.maxWarnings !== undefined && options.maxWarnings >= 0 && warnings > options.maxWarnings) return 1;
  return 0;
}
