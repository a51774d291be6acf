import assert from 'node:assert/strict';
import { splitWords, splitWordsByPattern } from '../../server/src/core/model/auth-vocabulary';

describe('splitWords', () => {
  it('splits names as the patterns do', () => {
    for (const text of ['isAuthenticated', 'x-api-key', 'JWTExpired', 'ABCdEFg', 'aBC', 'v2Key', 'req.headers["Authorization"]', '__user_id', 'K', '']) {
      assert.deepEqual(splitWords(text), splitWordsByPattern(text), text);
    }
  });

  it('agrees with the patterns on every short text over letters, digits and separators', () => {
    const alphabet = ['a', 'z', 'A', 'Z', 'E', '0', '_', '-', ' '];
    const texts = [''];
    for (let length = 1; length <= 5; length++) {
      for (const prefix of texts.filter((t) => t.length === length - 1)) for (const c of alphabet) texts.push(prefix + c);
    }
    for (const text of texts) assert.deepEqual(splitWords(text), splitWordsByPattern(text), text);
  });

  it('reads non-ASCII text through the patterns (the Kelvin sign lower-cases to k)', () => {
    assert.deepEqual(splitWords('\u212Aey'), ['key']);
  });
});
