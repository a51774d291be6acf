import assert from 'node:assert/strict';
import ts from 'typescript';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeActionParams, Diagnostic } from 'vscode-languageserver/node';
import { fixSource } from '../../server/src/core/fix';
import { REGISTRY } from '../../server/src/core/frameworks';
import { lintInProject } from '../../server/src/core/project/analyze';
import { ProjectIndex } from '../../server/src/core/project/index';
import { defaultSettings, type LintResult, type Settings } from '../../server/src/core/types';
import { codeActions } from '../../server/src/lsp/code-actions';
import { IncrementalAnalysis, movedLineStarts } from '../../server/src/lsp/incremental';
// @ts-expect-error: the bench's generator is plain JavaScript, without declarations.
import { editorTexts } from '../../scripts/bench/corpus.mjs';

/**
 * The editor's incremental analysis held to a full lint on the shapes the
 * bench times (scripts/bench/corpus.mjs): an Express router of many
 * top-level routes, a NestJS controller of many methods, a Fastify plugin
 * whose routes sit in one function. A seeded sequence of edits, typed where
 * people type (inside a handler) and anywhere, must leave the diagnostics and
 * the code actions exactly those of a fresh lint of the same text.
 */

const LINES = 700;
const BENCH = editorTexts(LINES) as Record<'routes' | 'controller' | 'plugin', string>;
/** The routes file with one route's challenge made invalid: its finding must not keep the other routes from being kept. */
const INVALID_CHALLENGE = `res.set('WWW-Authenticate', 'Basic')`;
const TEXTS = { ...BENCH, 'routes-invalid-challenge': BENCH.routes.replace(`res.set('WWW-Authenticate', 'Bearer realm="api"')`, INVALID_CHALLENGE) };
const EDITS = 36;

/** What typing in a handler adds, and edits that change what is found: statuses, challenges, guards, broken syntax. */
const INSERTS = [
  'x',
  ' ',
  '\n',
  ';',
  '{',
  '}',
  '401',
  '403',
  '//',
  "'",
  'return reply.code(401).send({});\n',
  "reply.header('WWW-Authenticate', 'Bearer');\n",
  "res.set('WWW-Authenticate', 'Bearer realm=\"api\"');\n",
  'return res.status(401).end();\n',
  "throw new UnauthorizedException('no');\n",
  'if (!user) return res.sendStatus(403);\n',
  '\r\n',
];

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/** An offset where people type: mostly on a line inside a handler, sometimes anywhere. */
function offsetOf(text: string, next: () => number): number {
  if (next() < 0.2) return Math.floor(next() * (text.length + 1));
  const lines = text.split('\n');
  const line = Math.floor(next() * lines.length);
  const start = lines.slice(0, line).reduce((n, l) => n + l.length + 1, 0);
  return start + Math.floor(next() * (lines[line].length + 1));
}

/** Line starts as TypeScript computes them for a text parsed afresh. */
const lineStartsOf = (text: string): readonly number[] => ts.createSourceFile('lines.ts', text, ts.ScriptTarget.Latest).getLineStarts();

const NO_RESOLVER = { resolve: () => undefined, packageOf: () => '' };

/** Every finding as the client sees it: the diagnostics the code actions are asked for. */
function diagnosticsOf(result: LintResult): Diagnostic[] {
  return result.findings.filter((f) => !f.suppressed).map((f) => ({ range: f.range, message: f.message, code: f.ruleId, source: 'authlint' }));
}

function actionsOf(document: TextDocument, result: LintResult): unknown {
  const params: CodeActionParams = { textDocument: { uri: document.uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: diagnosticsOf(result) } };
  return codeActions(document, result, params, { otherFile: () => undefined, fixedText: () => document.getText() });
}

function check(name: keyof typeof TEXTS, seed: number, settings: Settings): void {
  const file = `/project/src/${name}.ts`;
  const uri = `file://${file}`;
  const project = { index: new ProjectIndex(NO_RESOLVER, REGISTRY.errorClasses), generation: 1 };
  const next = random(seed);
  const analysis = new IncrementalAnalysis();
  const factory = analysis.tracking(TextDocument);
  let document = factory.create(uri, 'typescript', 1, TEXTS[name]);
  analysis.lint(document, settings, project);
  let withFindings = 0;
  /** The edits made, each as the edit that undoes it: typing breaks the syntax, and undoing mends it. */
  const undo: { start: number; end: number; text: string }[] = [];
  let broken = false;
  for (let version = 2; version < 2 + EDITS; version++) {
    const text = document.getText();
    // A text that does not parse is mostly mended next, as typing goes on.
    let edit = undo.length > 0 && next() < (broken ? 0.85 : 0.2) ? undo.pop()! : undefined;
    if (!edit) {
      const start = offsetOf(text, next);
      const end = Math.min(text.length, start + (next() < 0.6 ? 0 : 1 + Math.floor(next() * 10)));
      edit = { start, end, text: next() < 0.25 ? '' : INSERTS[Math.floor(next() * INSERTS.length)] };
      undo.push({ start, end: start + edit.text.length, text: text.slice(start, end) });
    }
    const range = { start: document.positionAt(edit.start), end: document.positionAt(edit.end) };
    document = factory.update(document, [{ range, text: edit.text }], version);
    const context = `${name}, seed ${seed}, version ${version}`;
    const incremental = analysis.lint(document, settings, project).result;
    const full = lintInProject(document.getText(), file, settings, project.index).result;
    assert.deepEqual(incremental, full, `findings differ (${context})`);
    assert.deepEqual(actionsOf(document, incremental), actionsOf(document, full), `code actions differ (${context})`);
    assert.deepEqual(analysis.sourceFile(document).getLineStarts(), lineStartsOf(document.getText()), `line starts differ (${context})`);
    broken = incremental.parseError !== undefined;
    if (incremental.findings.length > 0) withFindings++;
  }
  // Fix all, from the last incremental result, is the fix of a full lint.
  const lintText = (text: string) => lintInProject(text, file, settings, project.index).result;
  const fromIncremental = fixSource(document.getText(), lintText, { initial: analysis.lint(document, settings, project).result }).text;
  assert.equal(fromIncremental, fixSource(document.getText(), lintText).text, `fix all differs (${name}, seed ${seed})`);
  assert.ok(withFindings > EDITS / 3, `too few versions of ${name} parse to compare their findings (${withFindings} of ${EDITS})`);
}

describe('language server: incremental analysis on the bench files', function () {
  this.timeout(120_000);
  const settings = defaultSettings();

  it('has an invalid challenge in the routes file made for it', () => {
    const findings = lintInProject(TEXTS['routes-invalid-challenge'], '/project/src/routes.ts', settings, new ProjectIndex(NO_RESOLVER, REGISTRY.errorClasses)).result.findings;
    assert.equal(findings.filter((f) => f.ruleId === 'invalid-www-authenticate').length, 1);
  });

  for (const name of Object.keys(TEXTS) as (keyof typeof TEXTS)[]) {
    it(`gives the diagnostics and code actions of a full lint after seeded edits to the bench's ${name} file`, () => {
      for (const seed of [3, 8]) check(name, seed, settings);
    });
  }

  it('moves line starts across edits as TypeScript computes them, CRLF and Unicode separators included', () => {
    const pieces = ['a', '\n', '\r', '\r\n', '\u2028', '\u2029', 'xy', ''];
    const next = random(5);
    const piece = () => pieces[Math.floor(next() * pieces.length)];
    for (let n = 0; n < 2000; n++) {
      let text = Array.from({ length: Math.floor(next() * 12) }, piece).join('');
      let starts = lineStartsOf(text);
      for (let k = 0; k < 5; k++) {
        const start = Math.floor(next() * (text.length + 1));
        const end = Math.min(text.length, start + Math.floor(next() * 4));
        const insert = Array.from({ length: Math.floor(next() * 3) }, piece).join('');
        const edited = text.slice(0, start) + insert + text.slice(end);
        const moved = movedLineStarts(starts, edited, ts.createTextChangeRange(ts.createTextSpanFromBounds(start, end), insert.length));
        assert.deepEqual(moved, lineStartsOf(edited), `${JSON.stringify(text)} → ${JSON.stringify(edited)}`);
        text = edited;
        starts = moved;
      }
    }
  });
});
