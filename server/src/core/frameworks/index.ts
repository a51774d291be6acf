import { appErrors } from './app-errors';
import { boom } from './boom';
import { express } from './express';
import { fastify } from './fastify';
import type { FrameworkModule } from './framework';
import { hapi } from './hapi';
import { hono } from './hono';
import { httpErrors } from './http-errors';
import { koa } from './koa';
import { nest } from './nest';
import { web } from './web';

/**
 * Every framework model, most specific first: the first module that claims a
 * node wins (Hono's `c.status()` before Express's `res.status()`; a framework's
 * own error classes before the catch-all for application error classes).
 */
export const FRAMEWORKS: readonly FrameworkModule[] = [hono, fastify, hapi, koa, express, web, nest, httpErrors, boom, appErrors];
