// Writes the benchmark's synthetic corpus: deterministic (a seeded generator),
// realistic handlers across the frameworks authlint models, and one
// 20,000-line file for the editor measurement.
import fs from 'node:fs';
import path from 'node:path';

/** mulberry32: a small seeded generator, so every run lints the same bytes. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const RESOURCES = ['users', 'orders', 'invoices', 'projects', 'teams', 'tokens', 'reports', 'carts', 'files', 'webhooks'];
const ROLES = ['admin', 'owner', 'billing', 'editor', 'support'];

const pick = (rng, list) => list[Math.floor(rng() * list.length)];

/** A 401 written the way real code writes it: with or without the challenge. */
function expressDeny(rng, res) {
  switch (Math.floor(rng() * 4)) {
    case 0:
      return `return ${res}.status(401).json({ error: 'unauthenticated' });`;
    case 1:
      return `${res}.set('WWW-Authenticate', 'Bearer realm="api"');\n    return ${res}.status(401).end();`;
    case 2:
      return `return ${res}.sendStatus(401);`;
    default:
      return `return ${res}.status(403).json({ error: 'forbidden' });`;
  }
}

function express(rng, i) {
  const resource = pick(rng, RESOURCES);
  const role = pick(rng, ROLES);
  const handlers = [];
  const count = 3 + Math.floor(rng() * 4);
  for (let h = 0; h < count; h++) {
    handlers.push(`router.${pick(rng, ['get', 'post', 'put', 'delete'])}('/${resource}/:id/${h}', async (req: Request, res: Response, next: NextFunction) => {
  try {
    const header = req.headers.authorization;
    if (!header || !header.startsWith('Bearer ')) {
      ${expressDeny(rng, 'res')}
    }
    const user = await verifyToken(header.slice(7));
    if (!user.roles.includes('${role}')) {
      return res.status(403).json({ error: 'missing role ${role}' });
    }
    const item = await db.${resource}.findOne({ id: req.params.id, owner: user.id });
    if (!item) return res.status(404).json({ error: 'not found' });
    res.json({ data: item, page: Number(req.query.page ?? 1) });
  } catch (error) {
    next(error);
  }
});`);
  }
  return `import express, { type Request, type Response, type NextFunction } from 'express';
import { verifyToken } from '../auth/verify';
import { db } from '../db';

const router = express.Router();
const PAGE_SIZE = ${10 + (i % 40)};

function deny(res: Response, status: number, reason: string) {
  res.status(status).json({ error: reason });
}

${handlers.join('\n\n')}

router.get('/${resource}', (req, res) => {
  if (!req.user) return deny(res, 401, 'sign in');
  res.json({ items: [], pageSize: PAGE_SIZE });
});

export default router;
`;
}

function koa(rng, i) {
  const resource = pick(rng, RESOURCES);
  return `import Koa from 'koa';
import Router from '@koa/router';
import { sessions } from '../sessions';

const router = new Router({ prefix: '/${resource}' });

router.use(async (ctx, next) => {
  const session = await sessions.get(ctx.cookies.get('sid'));
  if (!session) {
    ${rng() < 0.5 ? "ctx.throw(401, 'sign in', { headers: { 'WWW-Authenticate': 'Bearer' } });" : "ctx.throw(401, 'sign in');"}
  }
  ctx.state.user = session.user;
  await next();
});

router.get('/:id', async (ctx) => {
  const item = await ctx.db.${resource}.find(ctx.params.id);
  if (item.tenant !== ctx.state.user.tenant) {
    ctx.status = 403;
    ctx.body = { error: 'other tenant' };
    return;
  }
  ctx.body = item;
});

router.post('/', async (ctx) => {
  if (!ctx.headers.authorization) {
    ctx.status = 401;
    ctx.body = { error: 'no credentials' };
    return;
  }
  ctx.body = await ctx.db.${resource}.create(ctx.request.body, ${i});
});

export const app = new Koa().use(router.routes());
`;
}

function fastify(rng, i) {
  const resource = pick(rng, RESOURCES);
  return `import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export default async function routes(app: FastifyInstance) {
  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    const key = request.headers['x-api-key'];
    if (typeof key !== 'string') {
      ${rng() < 0.5 ? "return reply.code(401).header('WWW-Authenticate', 'ApiKey').send({ error: 'key' });" : "return reply.code(401).send({ error: 'key' });"}
    }
    request.tenant = await app.keys.lookup(key);
  });

  app.get('/${resource}/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    const row = await app.pg.query('select * from ${resource} where id = $1 limit ${i % 97 + 1}', [id]);
    if (row.tenant !== request.tenant) return reply.status(403).send({ error: 'forbidden' });
    return row;
  });
}
`;
}

function hono(rng) {
  const resource = pick(rng, RESOURCES);
  return `import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { verify } from 'hono/jwt';

const app = new Hono();

app.use('/${resource}/*', async (c, next) => {
  const token = c.req.header('Authorization')?.replace('Bearer ', '');
  if (!token) {
    ${rng() < 0.5 ? "throw new HTTPException(401, { message: 'no token' });" : "return c.json({ error: 'no token' }, 401, { 'WWW-Authenticate': 'Bearer' });"}
  }
  c.set('user', await verify(token, c.env.SECRET));
  await next();
});

app.get('/${resource}/:id', async (c) => {
  const user = c.get('user');
  if (!user.scopes.includes('${resource}:read')) return c.text('insufficient scope', 403);
  return c.json(await c.env.DB.prepare('select 1').first());
});

export default app;
`;
}

function nest(rng) {
  const resource = pick(rng, RESOURCES);
  const Name = resource[0].toUpperCase() + resource.slice(1);
  return `import { Controller, Get, Param, Req, UnauthorizedException, ForbiddenException, HttpException, HttpStatus } from '@nestjs/common';
import type { Request } from 'express';
import { ${Name}Service } from './${resource}.service';

@Controller('${resource}')
export class ${Name}Controller {
  constructor(private readonly service: ${Name}Service) {}

  @Get(':id')
  async findOne(@Param('id') id: string, @Req() request: Request) {
    if (!request.user) {
      throw new UnauthorizedException('sign in');
    }
    const item = await this.service.findOne(id);
    if (item.ownerId !== request.user.id) {
      throw new ${rng() < 0.5 ? 'ForbiddenException' : 'HttpException'}('not yours'${rng() < 0.5 ? '' : ', HttpStatus.FORBIDDEN'});
    }
    return item;
  }

  @Get()
  async findAll(@Req() request: Request) {
    if (!request.headers.authorization) throw new HttpException('no credentials', HttpStatus.UNAUTHORIZED);
    return this.service.findAll();
  }
}
`;
}

function next(rng) {
  const resource = pick(rng, RESOURCES);
  return `import { NextResponse, type NextRequest } from 'next/server';
import { getSession } from '@/lib/session';

export async function GET(request: NextRequest, { params }: { params: { id: string } }) {
  const session = await getSession(request);
  if (!session) {
    ${rng() < 0.5 ? "return NextResponse.json({ error: 'unauthorized' }, { status: 401 });" : "return new Response('unauthorized', { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm=\"app\"' } });"}
  }
  const row = await session.db.${resource}.get(params.id);
  if (!row) return NextResponse.json({ error: 'not found' }, { status: 404 });
  return NextResponse.json(row);
}

export async function DELETE(request: NextRequest) {
  const session = await getSession(request);
  if (session?.role !== 'admin') return Response.json({ error: 'admins only' }, { status: 403 });
  return new Response(null, { status: 204 });
}
`;
}

function nodeHttp(rng, i) {
  return `const http = require('node:http');
const { parse } = require('node:url');

const server = http.createServer((req, res) => {
  const { pathname } = parse(req.url, true);
  if (pathname.startsWith('/private') && !req.headers.authorization) {
    ${rng() < 0.5 ? "res.writeHead(401, { 'Content-Type': 'text/plain' });" : "res.writeHead(401, { 'WWW-Authenticate': 'Basic realm=\"private\"' });"}
    res.end('Unauthorized');
    return;
  }
  res.statusCode = 200;
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify({ ok: true, port: ${3000 + i} }));
});

server.listen(${3000 + i});
`;
}

function proxy(rng) {
  const upstream = pick(rng, ['http://users:8080', 'http://billing:9000', 'https://api.internal']);
  switch (Math.floor(rng() * 3)) {
    case 0:
      return `import express from 'express';
import { createProxyMiddleware } from 'http-proxy-middleware';

const app = express();
app.use('/api', createProxyMiddleware({
  target: '${upstream}',
  changeOrigin: true,
  on: {
    proxyReq: (proxyReq, req) => {
      ${rng() < 0.5 ? "proxyReq.removeHeader('authorization');" : "proxyReq.setHeader('x-request-id', String(req.headers['x-request-id'] ?? ''));"}
    },
  },
}));
export default app;
`;
    case 1:
      return `export async function forward(req: Request): Promise<Response> {
  const url = new URL(req.url);
  const upstream = await fetch('${upstream}' + url.pathname, {
    method: req.method,
    headers: { 'content-type': req.headers.get('content-type') ?? 'application/json'${rng() < 0.5 ? ", authorization: req.headers.get('authorization') ?? ''" : ''} },
    body: req.body,
  });
  return new Response(upstream.body, { status: upstream.status });
}
`;
    default:
      return `import axios from 'axios';
import type { Request, Response } from 'express';

export async function relay(req: Request, res: Response) {
  const response = await axios({
    method: req.method,
    url: '${upstream}' + req.path,
    data: req.body,
    headers: { accept: 'application/json' },
  });
  res.status(response.status).json(response.data);
}
`;
  }
}

const KINDS = [
  { name: 'express', ext: '.ts', make: express, weight: 5 },
  { name: 'koa', ext: '.js', make: koa, weight: 2 },
  { name: 'fastify', ext: '.ts', make: fastify, weight: 2 },
  { name: 'hono', ext: '.ts', make: hono, weight: 2 },
  { name: 'nest', ext: '.ts', make: nest, weight: 2 },
  { name: 'next', ext: '.ts', make: next, weight: 2 },
  { name: 'node-http', ext: '.cjs', make: nodeHttp, weight: 1 },
  { name: 'proxy', ext: '.ts', make: proxy, weight: 2 },
];

/** `count` handler files of the corpus's kinds, in memory, from `seed`: names and texts. */
export function sampleFiles(seed, count) {
  const rng = random(seed);
  const weighted = KINDS.flatMap((kind) => Array(kind.weight).fill(kind));
  return Array.from({ length: count }, (_, i) => {
    const kind = weighted[Math.floor(rng() * weighted.length)];
    return { name: `${kind.name}-${i}${kind.ext}`, text: kind.make(rng, i) };
  });
}

/** Writes `count` handler files and the 20,000-line file under `dir/src`; returns their paths. */
export function writeCorpus(dir, count = 3000) {
  const marker = path.join(dir, 'corpus.json');
  const recipe = JSON.stringify({ version: 2, count });
  const src = path.join(dir, 'src');
  const big = path.join(src, 'big', 'routes.ts');
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === recipe) return { src, big };
  fs.rmSync(dir, { recursive: true, force: true });
  // The CLI honours .gitignore files up to the enclosing repository, and this
  // repository ignores .bench/; a repository marker of its own makes the
  // corpus a project of its own, as a real checkout is.
  fs.mkdirSync(path.join(dir, '.git'), { recursive: true });
  const rng = random(7);
  const weighted = KINDS.flatMap((kind) => Array(kind.weight).fill(kind));
  for (let i = 0; i < count; i++) {
    const kind = weighted[Math.floor(rng() * weighted.length)];
    const file = path.join(src, kind.name, `m${Math.floor(i / 100)}`, `${kind.name}-${i}${kind.ext}`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, kind.make(rng, i));
  }
  fs.mkdirSync(path.dirname(big), { recursive: true });
  fs.writeFileSync(big, bigFile(random(11)));
  fs.writeFileSync(marker, recipe);
  return { src, big };
}

/** One Express router of exactly `total` lines: many handlers, as a generated or grown-over-years routes file. */
function bigFile(rng, total = 20_000) {
  const header = [
    "import express, { type Request, type Response } from 'express';",
    "import { verifyToken } from './auth';",
    '',
    'const router = express.Router();',
    '',
  ];
  const footer = ['', 'export default router;'];
  const lines = [...header];
  const target = total - footer.length;
  for (let h = 0; lines.length < target; h++) {
    const handler = express(rng, h).split('\n');
    // Keep only the route handlers; the imports belong once, at the top.
    const start = handler.findIndex((line) => line.startsWith('router.'));
    const end = handler.lastIndexOf('export default router;');
    for (const line of handler.slice(start, end)) {
      if (lines.length >= target) break;
      lines.push(line.replace(/^router\.(\w+)\('\//, `router.$1('/v${h}/`));
    }
  }
  // Cut mid-handler, the file would not parse; close whatever is open.
  while (lines.length && !/^\}\);$/.test(lines[lines.length - 1])) lines.pop();
  while (lines.length < target) lines.push(`// padding ${lines.length}`);
  return [...lines, ...footer].join('\n') + '\n';
}

/**
 * Two more 20,000-line files for the editor's timing, outside the linted
 * corpus: a NestJS controller of many methods and a Fastify plugin whose
 * routes all sit in one function. Their handlers are not top-level statements,
 * so the editor can only keep the analysis of the ones an edit left alone by
 * cutting the class or function up.
 */
export function writeEditorFiles(dir) {
  fs.mkdirSync(dir, { recursive: true });
  const controller = path.join(dir, 'controller.ts');
  const plugin = path.join(dir, 'plugin.ts');
  fs.writeFileSync(controller, bigContainer(random(13), CONTROLLER));
  fs.writeFileSync(plugin, bigContainer(random(17), PLUGIN));
  return [controller, plugin];
}

const CONTROLLER = {
  header: [
    "import { Controller, Get, Param, Req, NotFoundException, UnauthorizedException, ForbiddenException } from '@nestjs/common';",
    "import type { Request } from 'express';",
    "import { verifyToken } from './auth';",
    "import { ItemsService } from './items.service';",
    '',
    "@Controller('items')",
    'export class ItemsController {',
    '  constructor(private readonly service: ItemsService) {}',
  ],
  footer: ['}'],
  unit: (rng, h) => [
    '',
    `  @Get(':id/v${h}')`,
    `  async find${h}(@Param('id') id: string, @Req() request: Request) {`,
    '    const header = request.headers.authorization;',
    '    if (!header) {',
    `      throw new ${rng() < 0.7 ? 'UnauthorizedException' : 'ForbiddenException'}('sign in');`,
    '    }',
    '    const user = await verifyToken(header);',
    `    if (!user.roles.includes('${pick(rng, ROLES)}')) {`,
    `      throw new ${rng() < 0.7 ? 'ForbiddenException' : 'UnauthorizedException'}('missing role');`,
    '    }',
    `    const item = await this.service.findOne(id, ${h});`,
    '    if (!item) throw new NotFoundException();',
    '    return item;',
    '  }',
  ],
};

const PLUGIN = {
  header: [
    "import type { FastifyInstance } from 'fastify';",
    "import { verifyToken } from './auth';",
    '',
    'export default async function routes(app: FastifyInstance) {',
  ],
  footer: ['}'],
  unit: (rng, h) => [
    `  app.get('/v${h}/${pick(rng, RESOURCES)}/:id', async (request, reply) => {`,
    '    const header = request.headers.authorization;',
    '    if (!header) {',
    `      return reply.code(${rng() < 0.7 ? 401 : 403}).send({ error: 'sign in' });`,
    '    }',
    '    const user = await verifyToken(header);',
    `    if (!user.roles.includes('${pick(rng, ROLES)}')) {`,
    `      return reply.code(${rng() < 0.7 ? 403 : 401}).send({ error: 'missing role' });`,
    '    }',
    `    const item = await app.db.findOne(request.params.id, ${h});`,
    "    if (!item) return reply.code(404).send({ error: 'not found' });",
    '    return item;',
    '  });',
    '',
  ],
};

/**
 * The three editor files' texts at `lines` lines each, made as the bench makes
 * them: for tests that hold the editor's incremental analysis to a full one on
 * the bench's shapes, at a size a test can lint after every edit.
 */
export function editorTexts(lines) {
  return { routes: bigFile(random(11), lines), controller: bigContainer(random(13), CONTROLLER, lines), plugin: bigContainer(random(17), PLUGIN, lines) };
}

/** A class or function of exactly `total` lines, its body made of `shape.unit`s. */
function bigContainer(rng, shape, total = 20_000) {
  const lines = [...shape.header];
  const target = total - shape.footer.length;
  for (let h = 0; ; h++) {
    const unit = shape.unit(rng, h);
    if (lines.length + unit.length > target) break;
    lines.push(...unit);
  }
  while (lines.length < target) lines.push(`  // padding ${lines.length}`);
  return [...lines, ...shape.footer].join('\n') + '\n';
}
