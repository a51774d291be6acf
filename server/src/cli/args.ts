import { RULE_IDS } from '../core/rules/ids';
import type { Severity } from '../core/types';
import { UsageError } from '../workspace/files';

export const FORMATS = ['stylish', 'json', 'sarif', 'github'] as const;
export type Format = (typeof FORMATS)[number];

export interface CliOptions {
  paths: string[];
  format: Format;
  outputFile?: string;
  fix: boolean;
  fixDryRun: boolean;
  maxWarnings?: number;
  rules: Record<string, Severity>;
  config?: string;
  stdin: boolean;
  stdinFilename?: string;
  /** `--color` / `--no-color`; unset leaves it to the terminal and NO_COLOR. */
  color?: boolean;
  /** `--no-prefilter`: parse every file. */
  prefilter: boolean;
  cache: boolean;
  cacheLocation?: string;
  cacheStrategy: CacheStrategy;
  /** `--shard I/N`: the I-th (1-based) of N shares of the files. */
  shard?: { index: number; count: number };
  help: boolean;
  version: boolean;
}

export const CACHE_STRATEGIES = ['metadata', 'content'] as const;
export type CacheStrategy = (typeof CACHE_STRATEGIES)[number];

export const HELP = `authlint [options] [paths...]

Finds auth-handling mistakes in TypeScript and JavaScript servers.
Lints .ts .tsx .mts .cts .js .jsx .mjs .cjs files under the given paths
(default: the current folder).

Options:
  --format stylish|json|sarif|github   Output format (default: stylish)
  --output-file F, -o F                Write the report to F
  --fix                                Apply the safe quick fixes to the files in place
  --fix-dry-run                        Compute the fixes without writing: the fixed source is the
                                       "output" of each file in --format json (use this with --stdin)
  --max-warnings N                     Exit 1 when warnings exceed N
  --rule ID=off|warn|error             Override a rule's severity (repeatable)
  --config F, -c F                     Use this config file instead of .authlintrc.json
  --stdin                              Lint source from standard input (--fix is refused: use --fix-dry-run)
  --stdin-filename F                   The file name to report standard input as (and parse it by)
  --color, --no-color                  Force colour on or off (default: on a terminal, unless NO_COLOR is set)
  --cache                              Reuse the results of files unchanged since the last run (and whose
                                       project facts are unchanged): only changed files are linted again
  --cache-location P                   The cache file, or a folder to keep it in (default: .authlintcache)
  --cache-strategy metadata|content    Tell changed files by size and modification time (default) or by content
  --shard I/N                          Lint only the I-th of N deterministic shares of the files (CI matrices);
                                       every shard still reads the whole project, so the N reports add up to one run
  --no-prefilter                       Parse every file, also those whose text cannot lead to a finding (diagnosis)
  -h, --help                           Show this help
  -v, --version                        Print the version

Configuration: .authlintrc.json (or an "authlint" key in package.json) in the folder or above:
  rules (id -> off|warn|error), ignore (globs), challenge, credentialHeaders, authVocabulary.
Suppressions: // authlint-disable-next-line [ids] -- reason, // authlint-disable-line [ids],
  /* authlint-disable [ids] */ for the whole file.

Rules: ${RULE_IDS.join(', ')}
Exit status: 0 clean or warnings only (within --max-warnings); 1 errors or too many warnings;
  2 bad usage, a broken config, a file or folder that could not be read or written, or an internal error.
`;

export function parseArgs(argv: readonly string[]): CliOptions {
  const options: CliOptions = {
    paths: [],
    format: 'stylish',
    fix: false,
    fixDryRun: false,
    rules: {},
    stdin: false,
    prefilter: true,
    cache: false,
    cacheStrategy: 'metadata',
    help: false,
    version: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i];
    const eq = raw.startsWith('--') ? raw.indexOf('=') : -1;
    const flag = eq > 0 ? raw.slice(0, eq) : raw;
    const inline = eq > 0 ? raw.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--format':
      case '-f': {
        const format = value();
        if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`Unknown format "${format}" (expected ${FORMATS.join(', ')})`);
        options.format = format as Format;
        break;
      }
      case '--output-file':
      case '-o':
        options.outputFile = value();
        break;
      case '--fix':
        options.fix = true;
        break;
      case '--fix-dry-run':
        options.fixDryRun = true;
        break;
      case '--max-warnings': {
        const text = value();
        const n = Number(text);
        if (!/^-?\d+$/.test(text) || n < -1) throw new UsageError(`--max-warnings needs a whole number, not "${text}"`);
        options.maxWarnings = n;
        break;
      }
      case '--rule':
        parseRule(value(), options.rules);
        break;
      case '--config':
      case '-c':
        options.config = value();
        break;
      case '--stdin':
        options.stdin = true;
        break;
      case '--color':
      case '--no-color':
        options.color = flag === '--color';
        break;
      case '--stdin-filename':
        options.stdinFilename = value();
        break;
      case '--no-prefilter':
        options.prefilter = false;
        break;
      case '--cache':
        options.cache = true;
        break;
      case '--cache-location':
        options.cacheLocation = value();
        break;
      case '--cache-strategy': {
        const strategy = value();
        if (!(CACHE_STRATEGIES as readonly string[]).includes(strategy)) throw new UsageError(`Unknown cache strategy "${strategy}" (expected ${CACHE_STRATEGIES.join(', ')})`);
        options.cacheStrategy = strategy as CacheStrategy;
        break;
      }
      case '--shard':
        options.shard = parseShard(value());
        break;
      case '--help':
      case '-h':
        options.help = true;
        break;
      case '--version':
      case '-v':
        options.version = true;
        break;
      default:
        if (raw.startsWith('-') && raw !== '-') throw new UsageError(`Unknown option ${raw} (see --help)`);
        options.paths.push(raw);
    }
  }
  if (options.stdinFilename && !options.stdin) throw new UsageError('--stdin-filename needs --stdin');
  if (options.stdin && options.paths.length) throw new UsageError('--stdin lints standard input; do not also pass paths');
  if (options.fix && options.fixDryRun) throw new UsageError('--fix and --fix-dry-run cannot be used together');
  // As in ESLint: piped-in code has no file to write; --fix-dry-run puts the fixed source in the JSON report's "output".
  if (options.stdin && options.shard) throw new UsageError('--shard splits the files of paths; it cannot be used with --stdin');
  if (options.stdin && options.fix) throw new UsageError('--fix is not available for piped-in code; use --fix-dry-run --format json and read "output"');
  return options;
}

function parseRule(spec: string, rules: Record<string, Severity>): void {
  const match = /^([^=:\s]+)\s*[=:]\s*(off|warn|error|0|1|2)$/.exec(spec.trim());
  if (!match) throw new UsageError(`--rule expects ID=off|warn|error, not "${spec}"`);
  const id = match[1].replace(/^authlint\//, '');
  if (!RULE_IDS.includes(id)) throw new UsageError(`--rule: unknown rule "${match[1]}" (known: ${RULE_IDS.join(', ')})`);
  const numeric: Record<string, Severity> = { '0': 'off', '1': 'warn', '2': 'error' };
  rules[id] = numeric[match[2]] ?? (match[2] as Severity);
}

function parseShard(spec: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(spec.trim());
  if (!match) throw new UsageError(`--shard expects I/N (such as 1/3), not "${spec}"`);
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || index < 1 || index > count) throw new UsageError(`--shard ${spec}: I must be between 1 and N (N at least 1)`);
  return { index, count };
}
