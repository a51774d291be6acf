/**
 * The part of the CLI that needs TypeScript: linting, fixing, the project
 * index and the formats that describe the rules. Bundled apart, as
 * dist/cli-engine.js, and loaded only when a run needs it (engine-loader.ts),
 * so that a run served whole from `--cache` never loads TypeScript. The lint
 * workers run it alone.
 */
export { indexProject } from '../core/project/analyze';
export { DiskModuleResolver } from '../workspace/module-resolver';
export { formatGithub } from './formatters/github';
export { formatSarif } from './formatters/sarif';
export { lintSource } from './lint-file';
export { lintFiles } from './lint-files';
export { runLintWorker } from './worker';
