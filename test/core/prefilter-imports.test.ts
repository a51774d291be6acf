import assert from 'node:assert/strict';
import { importsOf } from '../../server/src/core/prefilter';

/** The names a skipped file's imports are asked about must include every export its analysis asks about (core/model/context.ts). */
describe('prefilter: the exports an import binds', () => {
  const cases: [string, string[] | undefined][] = [
    ["import { a, b as c } from './m';", ['a', 'b']],
    ["import d, { a } from './m';", ['default', 'a']],
    ["import d from './m';", ['default']],
    ["import * as ns from './m';", []],
    ["import d, * as ns from './m';", ['default']],
    ["import type { T } from './m';", []],
    ["import type D from './m';", []],
    ["import type from './m';", ['default']],
    ["import type, { a } from './m';", ['default', 'a']],
    ["import { type T, type U as V, a } from './m';", ['a']],
    ["import { type as t } from './m';", ['type', 'as', 't']],
    ["import {\n  a, // the first\n  b,\n} from './m';", undefined],
    ["import { 'a-b' as c } from './m';", undefined],
    ["import x = require('./m');", ['x', 'default']],
    ["const { a: b, c } = require('./m');", ['a', 'b', 'c', 'default']],
  ];
  for (const [text, names] of cases) {
    it(text.replace(/\n/g, ' '), () => {
      const [clause] = importsOf(text);
      assert.equal(clause.specifier, './m');
      assert.deepEqual(clause.names, names);
    });
  }

  it('a re-export binds nothing in the file; `require(…).x` and a mention the clauses do not account for stand for every export', () => {
    assert.deepEqual(importsOf("export { a } from './m';\nconst m = require('./n').x;\nuse(require('./o'));"), [
      { specifier: './n', names: undefined },
      { specifier: './m', names: [] },
      { specifier: './o', names: undefined },
    ]);
  });
});
