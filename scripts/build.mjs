// Bundles the CLI, the language server and the VS Code client with esbuild.
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const production = process.argv.includes('--production');

/**
 * The repository's web address, for the docs links in SARIF, annotations and
 * the editor; package.json names none until authlint is published, and then
 * the tools show the docs shipped in the package.
 */
function repositoryUrl(repository) {
  const url = typeof repository === 'string' ? repository : repository?.url;
  if (!url) return undefined;
  const shorthand = /^(?:github:)?([\w.-]+\/[\w.-]+)$/.exec(url);
  if (shorthand) return `https://github.com/${shorthand[1]}`;
  return url.replace(/^git\+/, '').replace(/^git:\/\//, 'https://').replace(/\.git$/, '');
}

/**
 * Each of our modules says `import ts from 'typescript'`, and for each esbuild
 * wraps TypeScript's 3,000 exports in a fresh object of getters (`__toESM`):
 * tens of milliseconds at every start of the CLI and of each lint worker.
 * Routing the imports through one module makes it wrap them once.
 */
const typescriptOnce = {
  name: 'typescript-once',
  setup(build) {
    build.onResolve({ filter: /^typescript$/ }, (args) => (args.namespace === 'typescript-once' ? undefined : { path: 'typescript', namespace: 'typescript-once' }));
    build.onLoad({ filter: /.*/, namespace: 'typescript-once' }, () => ({ contents: "import ts from 'typescript';\nexport default ts;\n", resolveDir: process.cwd() }));
  },
};

/**
 * dist/cli.js loads the engine (dist/cli-engine.js, with TypeScript) at run
 * time, when a run needs it (server/src/cli/engine-loader.ts): its require
 * is left to Node rather than bundled.
 */
const engineApart = {
  name: 'engine-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/engine$/ }, (args) => (args.importer.endsWith('engine-loader.ts') ? { path: './engine', external: true } : undefined));
  },
};

/** A run served whole from the cache must not load TypeScript: the build fails if dist/cli.js holds any of it. */
function withoutTypescript(result) {
  const held = Object.keys(result.metafile.inputs).filter((input) => /node_modules[\\/]typescript[\\/]/.test(input));
  if (held.length) throw new Error(`dist/cli.js must not hold TypeScript; it holds ${held[0]}: import it through server/src/cli/engine.ts`);
}

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  charset: 'ascii',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  define: { AUTHLINT_VERSION: JSON.stringify(pkg.version), AUTHLINT_REPOSITORY_URL: JSON.stringify(repositoryUrl(pkg.repository)) ?? 'undefined' },
  plugins: [typescriptOnce],
};

/**
 * V8 keeps a script's source in memory, one byte a character only when all of
 * it is ASCII. esbuild escapes other characters in code but copies comments
 * as written, and one "—" in a comment doubles a 10 MB bundle's source to
 * 20 MB in every thread. Each such character becomes "?", which keeps the
 * columns of the source map.
 */
function asciiOnly(file) {
  const text = readFileSync(file, 'utf8');
  const ascii = text.replace(/[^\x00-\x7f]/g, '?');
  if (ascii !== text) writeFileSync(file, ascii);
}

await Promise.all([
  // The CLI runs dist/cli.js, and its lint workers dist/cli-engine.js, through dist/launch.js, which compiles them with a code cache (server/src/cli/launch.ts).
  build({ ...common, entryPoints: ['server/src/cli/index.ts'], outfile: 'dist/cli.js', metafile: true, plugins: [...common.plugins, engineApart] }).then(withoutTypescript),
  build({ ...common, entryPoints: ['server/src/cli/engine.ts'], outfile: 'dist/cli-engine.js' }),
  build({ ...common, entryPoints: ['server/src/cli/launch.ts'], outfile: 'dist/launch.js' }),
  build({ ...common, entryPoints: ['server/src/lsp/index.ts'], outfile: 'dist/server.js' }),
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['server/src/eslint/plugin.ts'], outfile: 'dist/eslint-plugin.js' }),
]);
for (const bundle of ['dist/cli.js', 'dist/cli-engine.js', 'dist/server.js', 'dist/eslint-plugin.js']) asciiOnly(bundle);
