import assert from 'node:assert/strict';
import { isTestPath } from '../../server/src/core/test-code';

describe('test code by path (core/test-code.ts)', () => {
  const root = '/home/dev/mocks/shop';

  it('reads folders beneath the project root, not the folders the checkout sits in', () => {
    assert.equal(isTestPath(`${root}/src/__tests__/login.js`, [root]), true);
    assert.equal(isTestPath(`${root}/src/mocks/handlers.ts`, [root]), true);
    // The checkout lives under ~/mocks/: that folder is the developer's, not the project's.
    assert.equal(isTestPath(`${root}/src/server.ts`, [root]), false);
  });

  it('judges an absolute path under no root by its name alone', () => {
    assert.equal(isTestPath('/srv/__tests__/app/server.ts', []), false);
    assert.equal(isTestPath('/srv/app/server.test.ts', []), true);
  });

  it('reads a relative path as the project-relative path it is', () => {
    assert.equal(isTestPath('__tests__/server.js'), true);
    assert.equal(isTestPath('./src/__mocks__/db.ts'), true);
    assert.equal(isTestPath('src/server.ts'), false);
  });

  it('takes the innermost root that holds the file', () => {
    assert.equal(isTestPath('/w/mono/__tests__/repo/src/a.ts', ['/w/mono', '/w/mono/__tests__/repo']), false);
    assert.equal(isTestPath('/w/mono/__tests__/a.ts', ['/w/mono', '/w/mono/__tests__/repo']), true);
  });

  it('lints test/, tests/ and fixtures/ folders: they hold apps linted on purpose, as ESLint lints them', () => {
    for (const file of ['test/apps/basics/src/routes/+server.js', 'tests/app.ts', 'test/fixtures/cli/project/src/login.ts']) {
      assert.equal(isTestPath(file), false, file);
    }
  });

  it('reads `mocks/` beneath a file-system routing folder as the route /mocks, which is served', () => {
    assert.equal(isTestPath('src/routes/mocks/+server.ts'), false);
    assert.equal(isTestPath('app/api/mocks/route.ts'), false);
    assert.equal(isTestPath('src/routes/__tests__/a.ts'), true);
  });

  it('knows Windows paths', () => {
    assert.equal(isTestPath('C:\\work\\shop\\src\\__tests__\\a.js', ['C:\\work\\shop']), true);
    assert.equal(isTestPath('C:\\__tests__\\shop\\src\\a.js', ['C:\\__tests__\\shop']), false);
  });
});
