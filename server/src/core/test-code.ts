/**
 * Which files are test code by their path: their servers are mocks and their
 * 401s are asserted, so no rule reports them. A file's name decides
 * wherever it lives (`api.test.ts`, type tests `.test-d.ts` and `.tst.ts`);
 * a folder decides only inside the project, read from the project root, so
 * that a checkout under `~/mocks/` or `/srv/__tests__/` is not silenced, and a
 * file gets the same answer linted alone, with its folder or with the whole
 * repository.
 */
const TEST_NAME = /\.(test|spec|tst|test-d)\.[cm]?[jt]sx?$/;
/** Folders that hold nothing but tests, wherever they sit in the project. */
const TEST_ONLY_FOLDERS = new Set(['__tests__', '__mocks__', '__fixtures__']);
/**
 * Mock servers (msw's `mocks/handlers.ts`). Folders named `test`, `tests` or
 * `fixtures` are not read as test code: they hold apps that are linted on
 * purpose (SvelteKit's test apps, a linter's own fixtures), and ESLint,
 * whose users this follows where SPEC.md is silent, lints them too.
 */
const TEST_FOLDERS = new Set(['mocks']);
/**
 * Folders whose sub-folders name URLs in file-system routing (SvelteKit, Next,
 * Nuxt, Remix): beneath one, `mocks/` is the route `/mocks`, not a test folder.
 */
const ROUTE_FOLDERS = new Set(['routes', 'pages', 'app', 'api']);

/**
 * Whether `filePath` is test code by its name or its folders. `roots` are the
 * project roots of the run; a relative path is read as relative to its
 * project already, and an absolute one under no root is judged by its name alone.
 */
export function isTestPath(filePath: string, roots: readonly string[] = []): boolean {
  const posix = filePath.replace(/\\/g, '/');
  if (TEST_NAME.test(posix)) return true;
  const inProject = withinProject(posix, roots);
  if (inProject === undefined) return false;
  const folders = inProject.split('/').slice(0, -1);
  let routed = false;
  for (const folder of folders) {
    if (TEST_ONLY_FOLDERS.has(folder) || (!routed && TEST_FOLDERS.has(folder))) return true;
    if (ROUTE_FOLDERS.has(folder)) routed = true;
  }
  return false;
}

/** The path beneath the innermost root holding it; undefined for an absolute path under none. */
function withinProject(posix: string, roots: readonly string[]): string | undefined {
  if (!isAbsolute(posix)) return posix.replace(/^(\.\/)+/, '');
  let best: string | undefined;
  for (const root of roots) {
    const base = root.replace(/\\/g, '/').replace(/\/+$/, '');
    if (posix.startsWith(`${base}/`) && (best === undefined || base.length > best.length)) best = base;
  }
  return best === undefined ? undefined : posix.slice(best.length + 1);
}

function isAbsolute(posix: string): boolean {
  return posix.startsWith('/') || /^[A-Za-z]:\//.test(posix);
}
