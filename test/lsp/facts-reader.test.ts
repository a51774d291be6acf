import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultSettings } from '../../server/src/core/types';
import { FactsReader, readFacts } from '../../server/src/lsp/facts-reader';

const ERRORS = `export class ApiError extends Error {
  constructor(public statusCode: number, message?: string) {
    super(message);
  }
}
export const NOT_AUTHENTICATED = 401;
`;

describe('language server: reading the project facts on a worker thread', function () {
  this.timeout(60_000);

  it("gives the facts read on this thread, from an open document's text or from disk", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-facts-'));
    try {
      const file = path.join(dir, 'errors.ts');
      fs.writeFileSync(file, ERRORS);
      const settings = defaultSettings();
      const logged: string[] = [];
      const reader = new FactsReader((message) => logged.push(message));
      after(() => reader.close());
      const edited = ERRORS.replace('401', '403');
      const [fromDisk, fromText, missing] = await Promise.all([
        reader.read({ file, text: undefined, settings }),
        reader.read({ file, text: edited, settings }),
        reader.read({ file: path.join(dir, 'gone.ts'), text: undefined, settings }),
      ]);
      assert.deepEqual(fromDisk, readFacts({ file, text: ERRORS, settings }));
      assert.deepEqual(fromText, readFacts({ file, text: edited, settings }));
      assert.notEqual(fromDisk.json, fromText.json);
      assert.ok(fromDisk.facts?.declarations.ApiError, 'the error class is a fact');
      assert.deepEqual(missing, { facts: undefined, json: 'undefined' });
      assert.deepEqual(logged, [], 'no worker failure or output');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
