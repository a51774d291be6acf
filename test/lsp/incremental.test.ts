import assert from 'node:assert/strict';
import ts from 'typescript';
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { lint } from '../../server/src/core/lint';
import { parse } from '../../server/src/core/parse';
import { defaultSettings } from '../../server/src/core/types';
import { IncrementalAnalysis } from '../../server/src/lsp/incremental';

const URI = 'file:///project/src/routes.ts';
const PATH = '/project/src/routes.ts';

const SOURCE = `import express, { type Request, type Response } from 'express';
import { HTTPException } from 'hono/http-exception';

const router = express.Router();
const UNAUTHORIZED = 401;

function deny(res: Response, status: number) {
  res.status(status).json({ error: 'denied' });
}

router.get('/me', (req: Request, res: Response) => {
  if (!req.headers.authorization) {
    return res.status(401).json({ error: 'sign in' });
  }
  if (!req.user.roles.includes('admin')) return res.status(403).end();
  res.json(req.user);
});

router.post('/items', async (req, res) => {
  if (!req.user) return deny(res, UNAUTHORIZED);
  res.set('WWW-Authenticate', 'Bearer');
  res.status(401).end();
});

export async function GET(request: globalThis.Request) {
  if (!request.headers.get('authorization')) return new Response(null, { status: 401 });
  throw new HTTPException(401, { message: 'no' });
}
`;

/** Pieces typing adds: characters, tokens, and snippets that add or remove handlers and 401s. */
const INSERTS = [
  'x', ' ', ';', '\n', '{', '}', '(', ')', "'", '401', '403', 'res.status(401).end();\n',
  "res.set('WWW-Authenticate', 'Basic');\n", "router.get('/x', (req, res) => res.sendStatus(401));\n", '/* c */', '`', '//',
];

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/** One random change, in LSP form: an insertion, a deletion or a replacement somewhere in the text. */
function randomChange(document: TextDocument, next: () => number): TextDocumentContentChangeEvent {
  const length = document.getText().length;
  const start = Math.floor(next() * (length + 1));
  const end = Math.min(length, start + (next() < 0.5 ? 0 : Math.floor(next() * 12)));
  const text = next() < 0.3 ? '' : INSERTS[Math.floor(next() * INSERTS.length)];
  return { range: { start: document.positionAt(start), end: document.positionAt(end) }, text };
}

/** Every node's kind and span, in walk order: two trees agree when these do. */
function shape(sourceFile: ts.SourceFile): string {
  const parts: string[] = [];
  const visit = (node: ts.Node): void => {
    parts.push(`${node.kind}:${node.pos}-${node.end}`);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return parts.join(' ');
}

describe('language server: incremental analysis', () => {
  it('gives the results of a full parse after random edits, one or several per change event', () => {
    const settings = defaultSettings();
    for (let seed = 1; seed <= 6; seed++) {
      const next = random(seed);
      const analysis = new IncrementalAnalysis();
      const factory = analysis.tracking(TextDocument);
      let document = factory.create(URI, 'typescript', 1, SOURCE);
      analysis.lint(document, settings);
      for (let version = 2; version < 60; version++) {
        // Several changes in one event, each relative to the text the one before left.
        const changes: TextDocumentContentChangeEvent[] = [];
        const count = next() < 0.7 ? 1 : 2 + Math.floor(next() * 3);
        const scratch = TextDocument.create(URI, 'typescript', 0, document.getText());
        for (let i = 0; i < count; i++) {
          const change = randomChange(scratch, next);
          changes.push(change);
          TextDocument.update(scratch, [change], 0);
        }
        document = factory.update(document, changes, version);
        assert.equal(document.getText(), scratch.getText());
        // Lint after some edits only, so that several events collapse into one reparse.
        if (next() < 0.6) continue;
        const text = document.getText();
        const context = `seed ${seed}, version ${version}`;
        assert.equal(shape(analysis.sourceFile(document)), shape(parse(text, PATH)), `tree differs (${context})`);
        assert.deepEqual(analysis.lint(document, settings).result, lint(text, PATH, settings), `findings differ (${context})`);
      }
    }
  });

  it('parses afresh after a full-text change and after the document is reopened', () => {
    const settings = defaultSettings();
    const analysis = new IncrementalAnalysis();
    const factory = analysis.tracking(TextDocument);
    let document = factory.create(URI, 'typescript', 1, SOURCE);
    analysis.lint(document, settings);
    const replaced = SOURCE.replace('status(401)', 'status(403)');
    document = factory.update(document, [{ text: replaced }], 2);
    assert.deepEqual(analysis.lint(document, settings).result, lint(replaced, PATH, settings));
    analysis.close(URI);
    document = factory.create(URI, 'typescript', 1, SOURCE);
    assert.deepEqual(analysis.lint(document, settings).result, lint(SOURCE, PATH, settings));
  });
});
