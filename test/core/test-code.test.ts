import assert from 'node:assert/strict';
import { isTestPath } from '../../server/src/core/test-code';

describe('test code by path (core/test-code.ts)', () => {
  const root = '/home/dev/test/kit';

  it('reads folders beneath the project root, not the folders the checkout sits in', () => {
    assert.equal(isTestPath(`${root}/packages/kit/test/apps/basics/src/routes/+layout.server.js`, [root]), true);
    assert.equal(isTestPath(`${root}/packages/kit/src/runtime/server/respond.js`, [root]), false);
    // The checkout lives under ~/test/: that folder is the developer's, not the project's.
    assert.equal(isTestPath('/home/dev/test/kit/src/server.ts', [root]), false);
  });

  it('judges an absolute path under no root by its name alone', () => {
    assert.equal(isTestPath('/srv/test/app/server.ts', []), false);
    assert.equal(isTestPath('/srv/app/server.test.ts', []), true);
  });

  it('reads a relative path as the project-relative path it is', () => {
    assert.equal(isTestPath('test/server.js'), true);
    assert.equal(isTestPath('./tests/helpers/app.ts'), true);
    assert.equal(isTestPath('src/server.ts'), false);
  });

  it('takes the innermost root that holds the file', () => {
    assert.equal(isTestPath('/w/mono/test/repo/src/a.ts', ['/w/mono', '/w/mono/test/repo']), false);
    assert.equal(isTestPath('/w/mono/test/fixtures/a.ts', ['/w/mono', '/w/mono/test/repo']), true);
  });

  it('counts test runners\' folders and the folders that hold only tests', () => {
    for (const file of ['spec/auth.js', 'e2e/login.ts', 'src/__tests__/auth.ts', 'src/mocks/handlers.ts', 'src/routes/__fixtures__/a.ts', 'fixtures/app.ts']) {
      assert.equal(isTestPath(file), true, file);
    }
  });

  it('reads `test/` beneath a file-system routing folder as the route /test, which is served', () => {
    for (const file of ['src/routes/test/+server.ts', 'app/api/test/route.ts', 'pages/api/tests/index.ts', 'server/api/spec/index.get.ts']) {
      assert.equal(isTestPath(file), false, file);
    }
    // A test app's own routes are still test code: the test folder comes first.
    assert.equal(isTestPath('test/apps/basics/src/routes/+server.js'), true);
  });

  it('knows Windows paths', () => {
    assert.equal(isTestPath('C:\\work\\kit\\packages\\kit\\test\\apps\\a.js', ['C:\\work\\kit']), true);
    assert.equal(isTestPath('C:\\test\\kit\\src\\a.js', ['C:\\test\\kit']), false);
  });
});
