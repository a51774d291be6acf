import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { lint } from '../../server/src/core/lint';
import { defaultSettings } from '../../server/src/core/types';
import { renameLocals } from '../rename-locals';
import { registeredCases, registeredValidCases, type ValidCase } from '../rule-tester';

/**
 * Names decide nothing: every case of the auth-status-mismatch table, with its
 * local values renamed to plain (`x`), permission-sounding (`admin`),
 * principal-sounding (`user`) and credential-sounding (`token`) names, gets the
 * same findings of both status rules on the same lines, saying the same thing
 * (the quoted code in a message differs by the names, so it is left out).
 */

for (const file of readdirSync(__dirname).filter((f) => f.endsWith('.test.ts') && f !== 'renamed-twins.test.ts').sort()) require(join(__dirname, file));

const RULES = new Set(['auth-status-mismatch', 'missing-www-authenticate']);
const PREFIXES = ['x', 'admin', 'user', 'token'];

function verdicts(test: ValidCase, code: string): string[] {
  const result = lint(code, test.filename ?? 'handler.ts', { ...defaultSettings(), ...test.settings });
  assert.equal(result.parseError, undefined, `renamed code does not parse:\n${code}`);
  return result.findings
    .filter((f) => RULES.has(f.ruleId) && !f.suppressed)
    .map((f) => `${f.range.start.line + 1} ${f.ruleId}: ${f.message.replace(/`[^`]*`/g, '…')}${f.fix ? ' (fix)' : ''}`);
}

describe('renamed twins: the status rules decide by what the code tests, not by names', () => {
  const cases = [...registeredValidCases(), ...registeredCases()].filter((entry) => entry.ruleId === 'auth-status-mismatch');
  for (const { test } of cases) {
    it(test.name ?? test.code.trim().split('\n')[0], () => {
      const expected = verdicts(test, test.code);
      for (const prefix of PREFIXES) {
        const renamed = renameLocals(test.code, test.filename ?? 'handler.ts', prefix);
        assert.deepEqual(verdicts(test, renamed), expected, `with ${prefix} names:\n${renamed}`);
      }
    });
  }
});
