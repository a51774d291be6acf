import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import type { ModuleResolver } from '../core/project/index';

const SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

/**
 * Resolves imports on disk as TypeScript does for the nearest tsconfig.json
 * (`paths`, `baseUrl`, `extends`), with JavaScript allowed and extensionless
 * and `index` imports found. What leads into node_modules or to a declaration
 * file is no project file: its facts are unknown.
 */
export class DiskModuleResolver implements ModuleResolver {
  private readonly optionsByDir = new Map<string, ts.CompilerOptions>();
  private readonly packageByDir = new Map<string, string>();
  /** Every answer given, by importing file and specifier: the same file asks the same question many times in a run. */
  private readonly byFile = new Map<string, Map<string, string | undefined>>();
  /** Answers by what decides them (see `keyOf`), shared by every file that asks the same. */
  private readonly shared = new Map<string, string | undefined>();
  private readonly optionsIds = new Map<ts.CompilerOptions, number>();
  private readonly workspaceImports = new Map<string, string | undefined>();
  private readonly manifests = new Map<string, Record<string, unknown> | undefined>();
  private workspace: Map<string, string> | undefined;
  private readonly host: ts.ModuleResolutionHost = {
    fileExists: (file) => ts.sys.fileExists(file),
    readFile: (file) => ts.sys.readFile(file),
    directoryExists: (dir) => ts.sys.directoryExists(dir),
    realpath: (file) => ts.sys.realpath?.(file) ?? file,
    getCurrentDirectory: () => process.cwd(),
  };

  constructor(private readonly root: string) {}

  resolve(specifier: string, fromFile: string): string | undefined {
    let answers = this.byFile.get(fromFile);
    if (!answers) this.byFile.set(fromFile, (answers = new Map()));
    if (answers.has(specifier)) return answers.get(specifier);
    const key = this.keyOf(specifier, fromFile);
    let found: string | undefined;
    if (this.shared.has(key)) found = this.shared.get(key);
    else this.shared.set(key, (found = this.resolveUncached(specifier, fromFile)));
    answers.set(specifier, found);
    return found;
  }

  packageOf(file: string): string {
    return this.nearest(path.dirname(file), this.packageByDir, (dir) => (fs.existsSync(path.join(dir, 'package.json')) ? dir : undefined)) ?? this.root;
  }

  /**
   * What decides where a specifier leads from a file, so that files asking
   * the same share one answer: a workspace package's name alone; a relative
   * or absolute path, the file it names under the importing file's compiler
   * options; another bare name, those options and the importing file's
   * package (a package may import itself by name; whatever node_modules
   * holds is no project file, whichever folder it is found from). Subpath
   * imports (`#internal`) read the nearest package.json: they are keyed by folder.
   */
  private keyOf(specifier: string, fromFile: string): string {
    if (this.workspaceImport(specifier)) return `workspace\0${specifier}`;
    const dir = path.dirname(fromFile);
    if (specifier.startsWith('#')) return `folder\0${dir}\0${specifier}`;
    const options = this.optionsId(this.compilerOptions(dir));
    if (specifier.startsWith('.') || path.isAbsolute(specifier)) return `path\0${options}\0${path.resolve(dir, specifier)}`;
    return `bare\0${options}\0${this.packageOf(fromFile)}\0${specifier}`;
  }

  private optionsId(options: ts.CompilerOptions): number {
    let id = this.optionsIds.get(options);
    if (id === undefined) this.optionsIds.set(options, (id = this.optionsIds.size));
    return id;
  }

  private resolveUncached(specifier: string, fromFile: string): string | undefined {
    const workspace = this.workspaceImport(specifier);
    if (workspace) return workspace;
    const options = this.compilerOptions(path.dirname(fromFile));
    const resolved = ts.resolveModuleName(specifier, fromFile, options, this.host).resolvedModule;
    if (!resolved || resolved.isExternalLibraryImport) return undefined;
    const file = path.resolve(resolved.resolvedFileName);
    if (file.endsWith('.d.ts') || !SOURCE.test(file) || file.split(path.sep).includes('node_modules')) return undefined;
    return file;
  }

  /** The folder of the workspace package a bare specifier names, if one does. */
  private workspacePackage(specifier: string): string | undefined {
    if (specifier.startsWith('.') || path.isAbsolute(specifier)) return undefined;
    const packages = (this.workspace ??= workspacePackages(this.root));
    const parts = specifier.split('/');
    return packages.get(parts.slice(0, specifier.startsWith('@') ? 2 : 1).join('/'));
  }

  /**
   * `@org/errors` or `@org/errors/http` where a workspace package of the
   * repository has that name: the source file its package.json `exports`,
   * `types` or `main` names, mapped from its build folder (`outDir`) to its
   * sources (`rootDir`) when the build is not there. Undefined when no
   * workspace package has the name, or nothing it names is a source file.
   */
  private workspaceImport(specifier: string): string | undefined {
    if (!this.workspaceImports.has(specifier)) this.workspaceImports.set(specifier, this.workspaceSource(specifier));
    return this.workspaceImports.get(specifier);
  }

  private workspaceSource(specifier: string): string | undefined {
    const dir = this.workspacePackage(specifier);
    if (!dir) return undefined;
    const parts = specifier.split('/');
    const nameLength = specifier.startsWith('@') ? 2 : 1;
    const subpath = parts.length > nameLength ? `./${parts.slice(nameLength).join('/')}` : '.';
    const manifestFile = path.join(dir, 'package.json');
    if (!this.manifests.has(manifestFile)) this.manifests.set(manifestFile, readJson(manifestFile));
    for (const target of packageTargets(this.manifests.get(manifestFile), subpath)) {
      const found = this.sourceOf(path.resolve(dir, target), dir);
      if (found) return found;
    }
    return undefined;
  }

  /** A package entry as a source file: itself, or its counterpart under the package's rootDir when it lies in its outDir. */
  private sourceOf(target: string, packageDir: string): string | undefined {
    const direct = withSourceExtension(target);
    if (direct) return direct;
    const options = this.compilerOptions(packageDir);
    const outDir = options.outDir ? path.resolve(packageDir, options.outDir) : undefined;
    if (!outDir || !isWithin(outDir, path.dirname(target))) return undefined;
    const rootDir = options.rootDir ? path.resolve(packageDir, options.rootDir) : path.join(packageDir, 'src');
    return withSourceExtension(path.join(rootDir, path.relative(outDir, target)));
  }

  private compilerOptions(dir: string): ts.CompilerOptions {
    return this.nearest(dir, this.optionsByDir, (candidate) => {
      const config = path.join(candidate, 'tsconfig.json');
      return fs.existsSync(config) ? readCompilerOptions(config) : undefined;
    }) ?? defaultOptions();
  }

  /** The first folder from `dir` up to the root (inclusive) for which `find` answers, memoised for every folder on the way. */
  private nearest<T>(dir: string, memo: Map<string, T | undefined>, find: (dir: string) => T | undefined): T | undefined {
    const visited: string[] = [];
    let current = dir;
    let found: T | undefined;
    for (;;) {
      if (memo.has(current)) {
        found = memo.get(current);
        break;
      }
      visited.push(current);
      found = find(current);
      if (found !== undefined) break;
      const parent = path.dirname(current);
      if (parent === current || !isWithin(this.root, current)) break;
      current = parent;
    }
    for (const folder of visited) memo.set(folder, found);
    return found;
  }
}

/** Source extensions tried in place of a built file's (`index.js`, `index.d.ts` → `index.ts`). */
const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

function withSourceExtension(file: string): string | undefined {
  const stem = file.replace(/\.d\.[cm]?ts$/, '').replace(/\.[cm]?[jt]sx?$/, '');
  const candidates = [...(SOURCE.test(file) && !/\.d\.[cm]?ts$/.test(file) ? [file] : []), ...SOURCE_EXTENSIONS.map((ext) => stem + ext), ...SOURCE_EXTENSIONS.map((ext) => path.join(stem, `index${ext}`))];
  return candidates.find((candidate) => isFile(candidate) && !candidate.split(path.sep).includes('node_modules'));
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Conditions of `exports` read, in order: the sources TypeScript would read first, then what Node runs. */
const CONDITIONS = ['source', 'types', 'import', 'require', 'node', 'default'];

/** What a package's manifest names for a subpath: `exports` (exact keys and `./*` patterns), else `types`/`main` for the root. */
function packageTargets(manifest: Record<string, unknown> | undefined, subpath: string): string[] {
  if (!manifest) return [];
  const exports = manifest.exports;
  if (exports !== undefined) {
    const map = typeof exports === 'string' || Array.isArray(exports) || !Object.keys(exports as object).some((key) => key.startsWith('.')) ? { '.': exports } : (exports as Record<string, unknown>);
    if (subpath in map) return conditionTargets(map[subpath]);
    for (const [key, value] of Object.entries(map)) {
      const star = key.indexOf('*');
      if (star < 0 || !subpath.startsWith(key.slice(0, star)) || !subpath.endsWith(key.slice(star + 1))) continue;
      const matched = subpath.slice(star, subpath.length - (key.length - star - 1));
      return conditionTargets(value).map((target) => target.replace(/\*/g, matched));
    }
    return [];
  }
  if (subpath !== '.') return [subpath];
  return [manifest.types, manifest.typings, manifest.module, manifest.main, './index']
    .filter((entry): entry is string => typeof entry === 'string');
}

function conditionTargets(value: unknown, depth = 0): string[] {
  if (depth > 4) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap((entry) => conditionTargets(entry, depth + 1));
  if (!value || typeof value !== 'object') return [];
  const record = value as Record<string, unknown>;
  return CONDITIONS.flatMap((condition) => (condition in record ? conditionTargets(record[condition], depth + 1) : []));
}

/**
 * The repository's workspace packages by name: the folders its root
 * package.json `workspaces` (or pnpm-workspace.yaml `packages`) lists, with
 * `*` and `**` patterns; node_modules is never searched.
 */
function workspacePackages(root: string): Map<string, string> {
  const packages = new Map<string, string>();
  const manifest = readJson(path.join(root, 'package.json'));
  const declared = manifest?.workspaces;
  const patterns = [
    ...(Array.isArray(declared) ? declared : Array.isArray((declared as { packages?: unknown })?.packages) ? (declared as { packages: unknown[] }).packages : []),
    ...pnpmPatterns(root),
  ].filter((pattern): pattern is string => typeof pattern === 'string' && !pattern.startsWith('!'));
  for (const pattern of patterns) {
    for (const dir of expandPattern(root, pattern.replace(/^\.\//, '').replace(/\/$/, ''))) {
      const name = readJson(path.join(dir, 'package.json'))?.name;
      if (typeof name === 'string' && !packages.has(name)) packages.set(name, dir);
    }
  }
  return packages;
}

function pnpmPatterns(root: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(path.join(root, 'pnpm-workspace.yaml'), 'utf8');
  } catch {
    return [];
  }
  const patterns: string[] = [];
  let inPackages = false;
  for (const line of text.split(/\r?\n/)) {
    if (/^packages\s*:/.test(line)) inPackages = true;
    else if (/^\S/.test(line)) inPackages = false;
    else if (inPackages) {
      const item = /^\s*-\s*['"]?([^'"#]+?)['"]?\s*(#.*)?$/.exec(line);
      if (item) patterns.push(item[1]);
    }
  }
  return patterns;
}

/** Folders a workspace pattern names (`packages/*`, `packages/**`, `apps/web`). */
function expandPattern(root: string, pattern: string, depth = 0): string[] {
  if (depth > 4) return [];
  const segments = pattern.split('/');
  const star = segments.findIndex((segment) => segment.includes('*'));
  if (star < 0) return isDirectory(path.join(root, pattern)) ? [path.join(root, pattern)] : [];
  const base = path.join(root, ...segments.slice(0, star));
  const rest = segments.slice(star + 1).join('/');
  const segment = segments[star];
  if (segment === '**') {
    const dirs = descendants(base, 4);
    return rest ? dirs.flatMap((dir) => expandPattern(dir, rest, depth + 1)) : dirs;
  }
  const matcher = new RegExp(`^${segment.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  return subfolders(base)
    .filter((dir) => matcher.test(path.basename(dir)))
    .flatMap((dir) => (rest ? expandPattern(dir, rest, depth) : [dir]));
}

/** `dir` and the folders below it, `levels` deep. */
function descendants(dir: string, levels: number): string[] {
  return [dir, ...(levels > 0 ? subfolders(dir).flatMap((sub) => descendants(sub, levels - 1)) : [])];
}

function subfolders(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.'))
      .map((entry) => path.join(dir, entry.name));
  } catch {
    return [];
  }
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** Reads a config's options and what it extends, but lists no folder for its `include`: the files it compiles are not wanted. */
const OPTIONS_ONLY: ts.ParseConfigHost = {
  useCaseSensitiveFileNames: ts.sys.useCaseSensitiveFileNames,
  readDirectory: () => [],
  fileExists: (file) => ts.sys.fileExists(file),
  readFile: (file) => ts.sys.readFile(file),
};

function readCompilerOptions(configPath: string): ts.CompilerOptions {
  const read = ts.readConfigFile(configPath, ts.sys.readFile);
  if (read.error) return defaultOptions();
  const parsed = ts.parseJsonConfigFileContent(read.config, OPTIONS_ONLY, path.dirname(configPath), undefined, configPath);
  return withSourceDefaults(parsed.options);
}

/** Resolution that finds `.js` sources and extensionless imports, whatever the project compiles with. */
function withSourceDefaults(options: ts.CompilerOptions): ts.CompilerOptions {
  const moduleResolution =
    options.moduleResolution === ts.ModuleResolutionKind.Node16 || options.moduleResolution === ts.ModuleResolutionKind.NodeNext
      ? options.moduleResolution
      : ts.ModuleResolutionKind.Bundler;
  return { ...options, allowJs: true, moduleResolution, module: moduleResolution === ts.ModuleResolutionKind.Bundler ? ts.ModuleKind.ESNext : options.module, noEmit: true };
}

function defaultOptions(): ts.CompilerOptions {
  return withSourceDefaults({});
}

function isWithin(root: string, dir: string): boolean {
  const relative = path.relative(root, dir);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
