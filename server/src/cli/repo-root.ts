import fs from 'node:fs';
import path from 'node:path';

/**
 * The folder that SARIF and GitHub annotation paths are relative to: the
 * Actions workspace when running inside it, else the nearest folder holding
 * `.git` (a folder, or a file in a worktree or submodule), else `cwd`.
 */
export function repositoryRoot(cwd: string, env: NodeJS.ProcessEnv): string {
  const workspace = env.GITHUB_WORKSPACE;
  if (workspace && isInside(cwd, path.resolve(workspace))) return path.resolve(workspace);
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(cwd);
  }
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, path.resolve(child));
  return !relative.startsWith('..') && !path.isAbsolute(relative);
}
