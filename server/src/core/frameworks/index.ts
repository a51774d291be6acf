import { adonis } from './adonis';
import { appErrors } from './app-errors';
import { awsLambda } from './aws-lambda';
import { azureFunctions } from './azure-functions';
import { projectHelpers } from './project-helpers';
import { handlerMappings } from './handler-mappings';
import { boom } from './boom';
import { assignedErrors } from './assigned-error-status';
import { betterAuth } from './better-auth';
import { elysia } from './elysia';
import { express } from './express';
import { fastify } from './fastify';
import { feathers } from './feathers';
import type { FrameworkModule, Registry } from '../model/registry';
import { graphql } from './graphql';
import { h3 } from './h3';
import { hapi } from './hapi';
import { hono } from './hono';
import { httpErrors } from './http-errors';
import { ittyRouter } from './itty-router';
import { koa } from './koa';
import { moleculer } from './moleculer';
import { nest } from './nest';
import { reactRouter } from './react-router';
import { restify } from './restify';
import { strapi } from './strapi';
import { trpc } from './trpc';
import { axios } from './outbound/axios';
import { fetchApi } from './outbound/fetch';
import { got } from './outbound/got';
import { requestClient } from './outbound/request';
import { h3Proxy } from './outbound/h3-proxy';
import { honoProxy } from './outbound/hono-proxy';
import { ky } from './outbound/ky';
import { nodeHttp } from './outbound/node-http';
import { ofetch } from './outbound/ofetch';
import { superagent } from './outbound/superagent';
import { undici } from './outbound/undici';
import { projectWrappers } from './outbound/wrapper';
import { expressHttpProxy } from './proxy/express-http-proxy';
import { fastifyHttpProxy } from './proxy/fastify-http-proxy';
import { httpProxy } from './proxy/http-proxy';
import { httpProxyMiddleware } from './proxy/http-proxy-middleware';
import { nextRewrite } from './proxy/next-rewrite';
import { vite } from './proxy/vite';
import { sveltekit } from './sveltekit';
import { web } from './web';

/**
 * Every framework model, most specific first: the first module that claims a
 * node wins (Hono's `c.status()` before Express's `res.status()`; a framework's
 * own error classes before the catch-all for application error classes).
 */
export const FRAMEWORKS: readonly FrameworkModule[] = [
  sveltekit,
  h3,
  elysia,
  adonis,
  hono,
  fastify,
  hapi,
  strapi,
  koa,
  express,
  assignedErrors,
  reactRouter,
  ittyRouter,
  web,
  nest,
  feathers,
  trpc,
  betterAuth,
  awsLambda,
  azureFunctions,
  restify,
  moleculer,
  graphql,
  httpErrors,
  boom,
  appErrors,
  projectHelpers,
  handlerMappings,
];

/**
 * Models of code that forwards the request being handled upstream: proxy
 * libraries, then outbound clients (recognised only when they pass the
 * incoming request on). They run over the same nodes, after FRAMEWORKS.
 */
export const FORWARDERS: readonly FrameworkModule[] = [
  httpProxyMiddleware,
  httpProxy,
  expressHttpProxy,
  fastifyHttpProxy,
  vite,
  nextRewrite,
  fetchApi,
  axios,
  ky,
  superagent,
  got,
  requestClient,
  honoProxy,
  h3Proxy,
  ofetch,
  undici,
  nodeHttp,
  projectWrappers,
];

/** The registry the analysis runs with: every framework model above. */
export const REGISTRY: Registry = { frameworks: FRAMEWORKS, forwarders: FORWARDERS, errorClasses: FRAMEWORKS.flatMap((f) => f.errorClasses ?? []) };
