import fs from 'node:fs';
import path from 'node:path';

/**
 * Which project a path belongs to, for both adapters: the CLI indexes the
 * project around the paths it lints, and the language server the project
 * around each workspace folder, so a file gets the same findings from
 * `authlint` as in the editor.
 *
 * The root is the repository around the path (the nearest folder holding
 * `.git`, a folder or a worktree's file), else the outermost folder with a
 * package.json, else the path's own folder. A sub-package of a monorepo thus
 * indexes the whole repository (its error handler may live in a sibling
 * package), while a folder holding several repositories, with none around
 * it, is a project of its own.
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

/** The project roots of a run's paths, each once, and the folder holding them all (where imports resolve from). */
export function projectRootsOf(targets: readonly string[]): { roots: string[]; base: string } {
  const roots = [...new Set(targets.map((target) => projectRootOf(path.resolve(target))))];
  return { roots, base: commonAncestor(roots) };
}

function commonAncestor(dirs: readonly string[]): string {
  return dirs.reduce((common, dir) => {
    let current = common;
    while (path.relative(current, dir).startsWith('..')) current = path.dirname(current);
    return current;
  });
}
