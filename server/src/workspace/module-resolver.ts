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
  private readonly cache = new Map<string, string | undefined>();
  private readonly host: ts.ModuleResolutionHost = {
    fileExists: (file) => ts.sys.fileExists(file),
    readFile: (file) => ts.sys.readFile(file),
    directoryExists: (dir) => ts.sys.directoryExists(dir),
    realpath: (file) => ts.sys.realpath?.(file) ?? file,
    getCurrentDirectory: () => process.cwd(),
  };

  constructor(private readonly root: string) {}

  resolve(specifier: string, fromFile: string): string | undefined {
    const key = `${path.dirname(fromFile)}\0${specifier}`;
    if (this.cache.has(key)) return this.cache.get(key);
    const found = this.resolveUncached(specifier, fromFile);
    this.cache.set(key, found);
    return found;
  }

  packageOf(file: string): string {
    return this.nearest(path.dirname(file), this.packageByDir, (dir) => (fs.existsSync(path.join(dir, 'package.json')) ? dir : undefined)) ?? this.root;
  }

  private resolveUncached(specifier: string, fromFile: string): string | undefined {
    const options = this.compilerOptions(path.dirname(fromFile));
    const resolved = ts.resolveModuleName(specifier, fromFile, options, this.host).resolvedModule;
    if (!resolved || resolved.isExternalLibraryImport) return undefined;
    const file = path.resolve(resolved.resolvedFileName);
    if (file.endsWith('.d.ts') || !SOURCE.test(file) || file.split(path.sep).includes('node_modules')) return undefined;
    return file;
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

function readCompilerOptions(configPath: string): ts.CompilerOptions {
  const read = ts.readConfigFile(configPath, ts.sys.readFile);
  if (read.error) return defaultOptions();
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(configPath), undefined, configPath);
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

/**
 * The folder a run's project is indexed from, for a path it lints: the
 * repository around it (the nearest folder holding `.git`), else the
 * outermost folder with a package.json, else the path's own folder.
 */
export function projectRootOf(target: string): string {
  const start = fs.existsSync(target) && fs.statSync(target).isDirectory() ? target : path.dirname(target);
  let outermostPackage: string | undefined;
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    if (fs.existsSync(path.join(dir, 'package.json'))) outermostPackage = dir;
    if (path.dirname(dir) === dir) return outermostPackage ?? path.resolve(start);
  }
}
