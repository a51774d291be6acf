import assert from 'node:assert/strict';
import ts from 'typescript';
// @ts-expect-error: the benchmark's corpus generator is plain JavaScript, without types.
import { sampleFiles } from '../../scripts/bench/corpus.mjs';
import { lintIncrementally, type AnalysisState } from '../../server/src/core/incremental';
import { lint } from '../../server/src/core/lint';
import { parse, syntaxErrorOf } from '../../server/src/core/parse';
import { defaultSettings } from '../../server/src/core/types';

/**
 * Differential test of the editor's incremental analysis: after every edit of
 * a long random sequence, the findings it reports (kept ones moved, changed
 * statements analysed again) must equal a from-scratch lint of the same text.
 */

/** Statements that reach into one another: helpers, constants, a module-level headers object, Basic literals, a guard class. */
const LINKED = `import express, { type Request, type Response } from 'express';
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
const { verify } = require('jsonwebtoken');

const router = express.Router();
const UNAUTHORIZED = 401;
const FORBIDDEN = 403;
const upstreamHeaders = new Headers();
const expected = process.env.API_KEY;

function deny(res: Response, status: number) {
  res.status(status).json({ error: 'denied' });
}

function reject(res: Response) {
  res.status(401).end();
}

router.get('/me', (req: Request, res: Response) => {
  if (!req.headers.authorization) return deny(res, UNAUTHORIZED);
  if (!req.user.roles.includes('admin')) return res.status(FORBIDDEN).end();
  res.json(req.user);
});

router.get('/basic', (req, res) => {
  const header = req.headers.authorization;
  if (!header || !header.startsWith('Basic ')) return res.status(401).end();
  res.end();
});

router.post('/relay', async (req, res) => {
  upstreamHeaders.set('accept', 'application/json');
  upstreamHeaders.set('authorization', req.headers.authorization ?? '');
  const upstream = await fetch('https://api.internal' + req.url, { method: req.method, headers: upstreamHeaders, body: req.body });
  res.status(upstream.status).end();
});

router.get('/export', (req, res) => {
  const given = req.headers['x-export'];
  if (given !== expected) return res.status(403).end();
  res.end();
});

router.delete('/items/:id', (req, res) => {
  if (!req.user) return reject(res);
  if (!req.user.isAdmin) return res.status(401).json({ error: 'admins only' });
  res.status(204).end();
});

@Injectable()
export class TokenGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest();
    if (!request.headers.authorization) return false;
    return verify(request.headers.authorization.slice(7)) !== null;
  }
}

throw Object.assign(new Error('unreachable'), { status: UNAUTHORIZED });

export default router;
`;

/** Statements a user might add at the start of a line. */
const STATEMENTS = [
  "router.get('/z', (req, res) => res.status(401).end());\n",
  "res.set('WWW-Authenticate', 'Basic realm=\"a\"');\n",
  'const UNAUTHORIZED = 403;\n',
  'function deny(res, code) { res.sendStatus(code); }\n',
  "const { verify } = require('jsonwebtoken');\n",
  "upstreamHeaders.set('authorization', 'x');\n",
  'if (!req.user) return deny(res, 401);\n',
  'if (!req.user.isAdmin) return res.status(401).end();\n',
  '// authlint-disable-next-line\n',
  '\n',
];
/** Tokens a user might type anywhere, most of which break the syntax for a while. */
const TOKENS = ['x', ' ', '401', '403', ';', '}', '{', '(', ')', "'", '//'];

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
}

interface SampleFile {
  name: string;
  text: string;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

/** An edit near `cursor`, as typing and deleting around one place does. */
function randomEdit(rng: () => number, text: string, cursor: number): Edit {
  const at = Math.max(0, Math.min(text.length, cursor + Math.floor(rng() * 41) - 20));
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const lineEnd = text.indexOf('\n', at) === -1 ? text.length : text.indexOf('\n', at) + 1;
  const isWord = (offset: number) => /\w/.test(text[offset] ?? '');
  const choice = rng();
  // Typing in or deleting from a name keeps the code parsing, as most keystrokes do.
  if (choice < 0.3 && isWord(at)) return { start: at, end: at, text: 'x' };
  if (choice < 0.45 && isWord(at) && isWord(at + 1)) return { start: at, end: at + 1, text: '' };
  if (choice < 0.55) {
    const status = text.slice(at).search(/40[13]/);
    if (status !== -1) return { start: at + status, end: at + status + 3, text: text.startsWith('401', at + status) ? '403' : '401' };
  }
  if (choice < 0.75) return { start: lineStart, end: lineStart, text: STATEMENTS[Math.floor(rng() * STATEMENTS.length)] };
  if (choice < 0.85) return { start: lineStart, end: lineEnd, text: '' };
  return { start: at, end: at, text: TOKENS[Math.floor(rng() * TOKENS.length)] };
}

/** The one edit that turns `text` into `target`, as an editor's undo sends it: the differing middle. */
function editTowards(text: string, target: string): Edit {
  let prefix = 0;
  while (prefix < text.length && prefix < target.length && text[prefix] === target[prefix]) prefix++;
  let suffix = 0;
  while (suffix < text.length - prefix && suffix < target.length - prefix && text[text.length - 1 - suffix] === target[target.length - 1 - suffix]) suffix++;
  return { start: prefix, end: text.length - suffix, text: target.slice(prefix, target.length - suffix) };
}

/** Applies `steps` random edits to `text`, comparing the incremental findings with a fresh lint after each; returns how many reused findings. */
function replay(name: string, original: string, seed: number, steps: number): number {
  const settings = defaultSettings();
  const rng = random(seed);
  let text = original;
  let sourceFile = parse(text, name);
  let state: AnalysisState | undefined;
  let changes: ts.TextChangeRange[] = [];
  let reused = 0;
  let parserDisagreements = 0;
  let cursor = 0;
  for (let step = 0; step < steps; step++) {
    if (step % 6 === 0) cursor = Math.floor(rng() * text.length);
    // Every few edits, undo back to the original, so that the text does not drift into noise.
    const edit = step % 12 === 11 ? editTowards(text, original) : randomEdit(rng, text, cursor);
    const next = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
    const change = ts.createTextChangeRange(ts.createTextSpanFromBounds(edit.start, edit.end), edit.text.length);
    sourceFile = ts.updateSourceFile(sourceFile, next, change);
    text = next;
    changes.push(change);
    // Like the editor, lint after most edits but sometimes only after several.
    if (rng() < 0.25 && step < steps - 1) continue;
    if (!syntaxErrorOf(sourceFile) !== !syntaxErrorOf(parse(text, name))) {
      // TypeScript's incremental parser, many versions on, can disagree with a fresh parse about
      // a syntax error: that is the parser, not the analysis, so start again from a fresh parse.
      parserDisagreements++;
      sourceFile = parse(text, name);
      state = undefined;
      changes = [];
      continue;
    }
    const previous = state && { state, change: ts.collapseTextChangeRangesAcrossMultipleVersions(changes) };
    const incremental = lintIncrementally(sourceFile, name, settings, previous);
    const fresh = lint(text, name, settings);
    assert.deepEqual(incremental.result, fresh, `${name}, seed ${seed}, after edit ${step} (${JSON.stringify(edit)}):\n${text}`);
    if (incremental.reused) reused++;
    if (incremental.state !== state) changes = [];
    state = incremental.state;
  }
  assert.ok(parserDisagreements <= 2, `${name}, seed ${seed}: the incremental parser disagreed ${parserDisagreements} times`);
  return reused;
}

/** Routes beside invalid challenges: one sent with a 401, one set where no status is sent. */
const INVALID_CHALLENGES = `import express, { type Request, type Response } from 'express';

const router = express.Router();

router.get('/login', (req: Request, res: Response) => {
  res.set('WWW-Authenticate', 'Bearer error="bad_token"');
  res.json({ next: '/session' });
});

router.get('/me', (req: Request, res: Response) => {
  if (!req.headers.authorization) {
    res.set('WWW-Authenticate', 'Basic');
    return res.status(401).json({ error: 'sign in' });
  }
  res.json({ ok: true });
});

router.get('/items', (req: Request, res: Response) => {
  if (!req.headers.authorization) return res.status(403).json({ error: 'no token' });
  res.json([]);
});

router.get('/orders', (req: Request, res: Response) => {
  if (!req.headers.authorization) {
    res.set('WWW-Authenticate', 'Bearer realm="api"');
    return res.status(401).end();
  }
  res.json([]);
});

export default router;
`;

/** Two forwards that share a headers object declared in a third statement: the finding on it is reported once. */
const SHARED_HEADERS = `import express from 'express';
const app = express();
const upstream = 'https://api.internal';
const headers = { accept: 'application/json' };

app.post('/a', async (req, res) => {
  const answer = await fetch(upstream + req.url, { method: req.method, headers, body: req.body });
  res.status(answer.status).end();
});

app.post('/b', async (req, res) => {
  const answer = await fetch(upstream + req.url, { method: req.method, headers, body: req.body });
  res.status(answer.status).end();
});

app.get('/c', (req, res) => res.status(401).end());
`;

/** A NestJS controller and guard: members that call one another, class decorators, a status constant of the module. */
const CONTROLLER = `import { Controller, Get, Post, Param, Req, Res, UseGuards, Injectable, UnauthorizedException, ForbiddenException, HttpStatus } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ItemsService } from './items.service';

const DENIED = HttpStatus.FORBIDDEN;

@Injectable()
export class KeyGuard implements CanActivate {
  private readonly header = 'x-api-key';

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest();
    if (!request.headers.authorization) return false;
    return request.user.roles.includes('admin');
  }
}

@Controller('items')
@UseGuards(KeyGuard)
export class ItemsController {
  constructor(private readonly items: ItemsService) {}

  private deny(res: Response) {
    res.status(401).json({ error: 'denied' });
  }

  @Get(':id')
  async findOne(@Param('id') id: string, @Req() request: Request) {
    if (!request.user) {
      throw new ForbiddenException('sign in');
    }
    const item = await this.items.findOne(id);
    if (item.ownerId !== request.user.id) {
      throw new UnauthorizedException('not yours');
    }
    return item;
  }

  @Post(':id/archive')
  archive(@Req() request: Request, @Res() res: Response) {
    if (!request.user.isAdmin) return this.deny(res);
    res.status(DENIED).end();
  }

  @Get()
  async findAll(@Req() request: Request) {
    if (!request.headers.authorization) throw new ForbiddenException();
    return this.items.findAll();
  }

  @Post()
  async create(@Req() request: Request) {
    if (!request.user) throw new UnauthorizedException();
    if (!request.user.permissions.includes('items:write')) throw new UnauthorizedException('not allowed');
    return this.items.create(request.body);
  }

  @Get('export')
  async exportAll(@Req() request: Request) {
    const token = request.headers.authorization;
    if (!token) throw new ForbiddenException('no token');
    return this.items.findAll();
  }
}
`;

/** Fastify plugins whose routes all sit in one function: locals of the function, a helper, an early return, a wrapped plugin. */
const PLUGINS = `import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';

export default async function routes(app: FastifyInstance) {
  const UNAUTHORIZED = 401;

  function reject(reply) {
    return reply.code(403).send({ error: 'no' });
  }

  app.get('/items/:id', async (request, reply) => {
    if (!request.headers.authorization) return reply.code(UNAUTHORIZED).send({ error: 'sign in' });
    if (!request.user.roles.includes('admin')) return reply.code(401).send({ error: 'admins only' });
    return { id: request.params.id };
  });

  app.delete('/items/:id', async (request, reply) => {
    if (!request.user) return reject(reply);
    return reply.code(204).send();
  });

  app.post('/relay', async (request, reply) => {
    const answer = await fetch('https://api.internal' + request.url, { method: 'POST', headers: { accept: 'application/json' } });
    return reply.code(answer.status).send(await answer.text());
  });
}

export async function internal(app: FastifyInstance) {
  if (!app.config.user.isAdmin) return;
  app.get('/stats', async (request, reply) => reply.code(401).send());
  app.get('/logs', async (request, reply) => reply.code(403).send());
}

export const admin = fp(async (fastify: FastifyInstance) => {
  fastify.get('/admin', async (request, reply) => {
    if (!request.user) return reply.code(403).send();
    return 'ok';
  });

  fastify.get('/admin/keys', async (request, reply) => {
    if (request.user.role !== 'owner') return reply.code(401).send();
    return [];
  });
});
`;

describe('incremental analysis', () => {
  it('reports a place two statements share once, as a fresh lint does', () => {
    const settings = defaultSettings();
    const sourceFile = parse(SHARED_HEADERS, '/project/src/shared.ts');
    const fresh = lint(SHARED_HEADERS, '/project/src/shared.ts', settings);
    assert.equal(fresh.findings.filter((f) => f.ruleId === 'proxy-drops-credentials').length, 1);
    assert.deepEqual(lintIncrementally(sourceFile, '/project/src/shared.ts', settings).result, fresh);
    replay('/project/src/shared.ts', SHARED_HEADERS, 9, 60);
  });

  it('matches a fresh lint after every edit to a file whose statements reach into one another', () => {
    let reused = 0;
    for (let seed = 1; seed <= 6; seed++) reused += replay('/project/src/linked.ts', LINKED, seed, 120);
    assert.ok(reused > 25, `only ${reused} lints kept findings: the test no longer exercises reuse`);
  });

  it('matches a fresh lint after every edit to handler files of every framework', () => {
    let reused = 0;
    for (const [i, file] of (sampleFiles(3, 16) as SampleFile[]).entries()) reused += replay(`/project/src/${file.name}`, file.text, 100 + i, 60);
    assert.ok(reused > 70, `only ${reused} lints kept findings`);
  });

  it('matches a fresh lint after every edit to a controller class, re-analysing only the members edited', () => {
    let reused = 0;
    for (let seed = 1; seed <= 4; seed++) reused += replay('/project/src/items.controller.ts', CONTROLLER, seed, 120);
    assert.ok(reused > 25, `only ${reused} lints kept findings`);
  });

  it('matches a fresh lint after every edit to plugins whose routes sit in one function', () => {
    let reused = 0;
    for (let seed = 1; seed <= 4; seed++) reused += replay('/project/src/routes.ts', PLUGINS, 20 + seed, 120);
    assert.ok(reused > 25, `only ${reused} lints kept findings`);
  });

  it('keeps the findings of the other methods of a class when one method changes', () => {
    const settings = defaultSettings();
    const name = '/project/src/items.controller.ts';
    const sourceFile = parse(CONTROLLER, name);
    const first = lintIncrementally(sourceFile, name, settings);
    assert.ok(first.state, 'the controller can be analysed by unit');
    const at = CONTROLLER.indexOf('return this.items.findAll();');
    const text = CONTROLLER.slice(0, at) + 'void 0; ' + CONTROLLER.slice(at);
    const change = ts.createTextChangeRange(ts.createTextSpan(at, 0), 'void 0; '.length);
    const next = lintIncrementally(ts.updateSourceFile(sourceFile, text, change), name, settings, { state: first.state, change });
    assert.equal(next.reused, true);
    assert.deepEqual(next.result, lint(text, name, settings));
  });

  it('analyses a route again when another statement of its function writes the headers it sends', () => {
    const settings = defaultSettings();
    const name = '/project/src/plugin.ts';
    const text = `import type { Response } from 'express';
export default function routes(app, res: Response) {
  res.setHeader('WWW-Authenticate', 'Bearer realm="api"');
  const limit = 10;
  const page = 1;
  app.get('/', () => res.status(401).end());
}
`;
    const sourceFile = parse(text, name);
    const first = lintIncrementally(sourceFile, name, settings);
    assert.ok(first.state);
    const at = text.indexOf('end());');
    const next = text.slice(0, at) + 'x' + text.slice(at);
    const change = ts.createTextChangeRange(ts.createTextSpan(at, 0), 1);
    const result = lintIncrementally(ts.updateSourceFile(sourceFile, next, change), name, settings, { state: first.state, change });
    assert.deepEqual(result.result, lint(next, name, settings));
    assert.deepEqual(result.result.findings, []);
  });

  it('keeps the other routes\' findings while an invalid challenge is in the file, one set where no status is sent among them', () => {
    const settings = defaultSettings();
    const name = '/project/src/challenges.ts';
    const sourceFile = parse(INVALID_CHALLENGES, name);
    const first = lintIncrementally(sourceFile, name, settings);
    const fresh = lint(INVALID_CHALLENGES, name, settings);
    assert.deepEqual(first.result, fresh);
    assert.ok(first.state, 'the file can be analysed by unit');
    const challenges = fresh.findings.filter((f) => f.ruleId === 'invalid-www-authenticate');
    assert.deepEqual(
      challenges.map((f) => f.range.start.line),
      [5, 11],
    );
    const at = INVALID_CHALLENGES.indexOf("error: 'no token'") + "error: 'no".length;
    const text = INVALID_CHALLENGES.slice(0, at) + ' bearer' + INVALID_CHALLENGES.slice(at);
    const change = ts.createTextChangeRange(ts.createTextSpan(at, 0), ' bearer'.length);
    const next = lintIncrementally(ts.updateSourceFile(sourceFile, text, change), name, settings, { state: first.state, change });
    assert.equal(next.reused, true);
    assert.deepEqual(next.result, lint(text, name, settings));
    // The challenge alone, with no status sent anywhere in the file: still found.
    const alone = INVALID_CHALLENGES.replace(/router\.get\('\/me'[^]*?\n}\);\n/, '').replace(/router\.get\('\/items'[^]*?\n}\);\n/, '').replace(/router\.get\('\/orders'[^]*?\n}\);\n/, '');
    const aloneFresh = lint(alone, name, settings);
    assert.equal(aloneFresh.findings.filter((f) => f.ruleId === 'invalid-www-authenticate').length, 1);
    assert.deepEqual(lintIncrementally(parse(alone, name), name, settings).result, aloneFresh);
    let reused = 0;
    for (let seed = 1; seed <= 4; seed++) reused += replay(name, INVALID_CHALLENGES, 60 + seed, 80);
    assert.ok(reused > 25, `only ${reused} lints kept findings`);
  });

  it('matches a fresh lint on a long router of many handlers', () => {
    const handlers = (sampleFiles(5, 40) as SampleFile[]).filter((file) => file.name.startsWith('express'));
    const text = handlers.map((file) => file.text.replace(/^import .*$/gm, '')).join('\n');
    const source = `import express, { type Request, type Response } from 'express';\n${text}`;
    const reused = replay('/project/src/routes.ts', source, 42, 150);
    assert.ok(reused > 8, `only ${reused} lints kept findings`);
  });
});
