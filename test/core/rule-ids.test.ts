import assert from 'node:assert/strict';
import { RULES } from '../../server/src/core/rules';
import { RULE_IDS } from '../../server/src/core/rules/ids';

describe('rules: the list of ids', () => {
  it('names every rule, in the order they run', () => {
    assert.deepEqual(RULE_IDS, RULES.map((rule) => rule.id));
  });
});
