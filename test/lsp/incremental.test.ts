import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { lint } from '../../server/src/core/lint';
import { parse } from '../../server/src/core/parse';
import { indexProject, lintInProject } from '../../server/src/core/project/analyze';
import { DiskModuleResolver } from '../../server/src/workspace/module-resolver';
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

describe('language server: incremental analysis in a project', () => {
  const ERRORS = `export class ApiError extends Error {
  constructor(public statusCode: number, message?: string) {
    super(message);
  }
}
`;
  const HANDLER = `import type { NextFunction, Request, Response } from 'express';
export function errorHandler(err: any, req: Request, res: Response, next: NextFunction) {
  res.status(err.statusCode).json({ message: err.message });
}
`;
  const CHALLENGED = HANDLER.replace('  res.status(', "  if (err.statusCode === 401) res.set('WWW-Authenticate', 'Bearer');\n  res.status(");
  const ROUTES = `import express from 'express';
import { ApiError } from './errors';

const router = express.Router();

router.get('/me', (req, res) => {
  if (!req.user) throw new ApiError(401, 'sign in');
  res.json(req.user);
});

router.get('/items', async (req, res, next) => {
  if (!req.headers.authorization) return next(new ApiError(401));
  res.json([]);
});

export async function owner(id: string) {
  if (!id) throw new ApiError(403, 'not yours');
}
`;
  const PROJECT_INSERTS = ["throw new ApiError(401, 'x');\n", 'new ApiError(401)', "import { ApiError as E } from './errors';\n", '401', '403', 'x', '\n', ';', '}'];

  it('gives the findings of a full analysis against the index, through random edits and changes of the index', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-incremental-'));
    try {
      fs.writeFileSync(path.join(dir, 'package.json'), '{}');
      const write = (name: string, text: string) => fs.writeFileSync(path.join(dir, name), text);
      write('errors.ts', ERRORS);
      write('handler.ts', HANDLER);
      write('routes.ts', ROUTES);
      const settings = defaultSettings();
      const file = path.join(dir, 'routes.ts');
      const uri = pathToFileURL(file).toString();
      const index = indexProject(['errors.ts', 'handler.ts'].map((name) => ({ filePath: path.join(dir, name), text: fs.readFileSync(path.join(dir, name), 'utf8') })), new DiskModuleResolver(dir), settings);
      const challenged = indexProject([{ filePath: path.join(dir, 'handler.ts'), text: CHALLENGED }], new DiskModuleResolver(dir), settings).get(path.join(dir, 'handler.ts'))!;
      const plain = index.get(path.join(dir, 'handler.ts'))!;
      let generation = 1;
      assert.ok(lintInProject(ROUTES, file, settings, index).result.findings.some((f) => /error handler in \.\/handler\.ts/.test(f.message)), 'the project gives no cross-file finding to start from');
      for (let seed = 1; seed <= 4; seed++) {
        const next = random(seed);
        const analysis = new IncrementalAnalysis();
        const factory = analysis.tracking(TextDocument);
        let document = factory.create(uri, 'typescript', 1, ROUTES);
        analysis.lint(document, settings, { index, generation });
        for (let version = 2; version < 50; version++) {
          if (next() < 0.15) {
            index.set(generation % 2 ? challenged : plain);
            generation++;
          }
          const length = document.getText().length;
          const start = Math.floor(next() * (length + 1));
          const end = Math.min(length, start + (next() < 0.6 ? 0 : Math.floor(next() * 8)));
          const text = next() < 0.2 ? '' : PROJECT_INSERTS[Math.floor(next() * PROJECT_INSERTS.length)];
          document = factory.update(document, [{ range: { start: document.positionAt(start), end: document.positionAt(end) }, text }], version);
          const context = `seed ${seed}, version ${version}`;
          const incremental = analysis.lint(document, settings, { index, generation });
          const full = lintInProject(document.getText(), file, settings, index);
          assert.deepEqual(incremental.result, full.result, `findings differ (${context})`);
          if (!incremental.asked.length && full.asked.length) assert.fail(`no questions recorded (${context})`);
        }
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
