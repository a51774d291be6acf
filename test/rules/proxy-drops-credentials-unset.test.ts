import { proxyDropsCredentials } from '../../server/src/core/rules/proxy-drops-credentials';
import { runRuleTests } from '../rule-tester';

/**
 * What each client does with `authorization: undefined` (or `null`) in the
 * headers it is given, as its source says (see UNSET_VALUES in
 * server/src/core/frameworks/forward.ts): removed, sent as text, skipped in
 * favour of the incoming value, or thrown on.
 */
const lines = (...code: string[]) => code.join('\n');
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const removed = (library: string) => new RegExp(`^\`Authorization\` is removed here before the request is forwarded \\(${escape(library)}\\): `);
const sentAsText = (value: string, library: string) =>
  new RegExp(`^\`Authorization\` is set to \`${value}\` here, which this client sends as the text "${value}" in place of the credential \\(${escape(library)}\\): `);
/** The 1-based columns of `needle` on line `line` of `code`. */
const at = (code: string, line: number, needle: string) => {
  const text = code.split('\n')[line - 1];
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`${needle} not on line ${line}`);
  return { line, column: index + 1, endColumn: index + 1 + needle.length };
};

const gotUndefined = lines(
  "import got from 'got';",
  "app.all('/api/*', (req, res) => { got.stream(API + req.originalUrl, { method: req.method as 'GET', headers: { ...req.headers, authorization: undefined } }).pipe(res); });",
);
const axiosNull = lines(
  "import axios from 'axios';",
  "app.all('/api/*', async (req, res) => {",
  '  const r = await axios({ url: API + req.originalUrl, method: req.method, headers: { ...req.headers, authorization: null }, data: req.body });',
  '  res.status(r.status).send(r.data);',
  '});',
);
const axiosUndefined = lines(
  "import axios from 'axios';",
  "app.get('/api/*', async (req, res) => {",
  '  const r = await axios.get(API + req.originalUrl, { headers: { ...req.headers, Authorization: undefined } });',
  '  res.json(r.data);',
  '});',
);
const undiciUndefined = lines(
  "import { request } from 'undici';",
  "app.all('/api/*', async (req, res) => {",
  '  const r = await request(API + req.originalUrl, { method: req.method as any, headers: { ...req.headers, authorization: undefined } });',
  '  res.status(r.statusCode).send(await r.body.text());',
  '});',
);
const honoNull = lines(
  "import { Hono } from 'hono';",
  "import { proxy } from 'hono/proxy';",
  'const app = new Hono();',
  "app.all('/api/*', (c) => proxy(`${BACKEND}${c.req.path}`, { ...c.req, headers: { ...c.req.header(), authorization: null } }));",
);
const kyNull = lines(
  "import ky from 'ky';",
  "app.post('/api/*', async (req, res) => {",
  '  res.json(await ky.post(API + req.originalUrl, { json: req.body, headers: { ...req.headers, authorization: null } }).json());',
  '});',
);
const kyUndefined = lines(
  "import ky from 'ky';",
  "app.post('/api/*', async (req, res) => {",
  '  res.json(await ky.post(API + req.originalUrl, { json: req.body, headers: { ...req.headers, authorization: undefined } }).json());',
  '});',
);
const ofetchUndefined = lines(
  'export default defineEventHandler(async (event) => {',
  "  return $fetch(`${API}/${getRouterParam(event, 'path')}`, { headers: { ...getRequestHeaders(event), authorization: undefined } });",
  '});',
);
const h3Null = lines(
  'export default defineEventHandler((event) =>',
  '  proxyRequest(event, `${process.env.API}${event.path}`, { headers: { authorization: null } }),',
  ');',
);
const h3Blank = lines(
  'export default defineEventHandler((event) =>',
  "  proxyRequest(event, `${process.env.API}${event.path}`, { headers: { authorization: '' } }),",
  ');',
);
const headersInstance = lines(
  "import axios from 'axios';",
  "app.get('/api/*', async (req, res) => {",
  '  const headers = new Headers({ ...(req.headers as Record<string, string>), authorization: undefined as unknown as string });',
  '  const r = await axios.get(API + req.originalUrl, { headers });',
  '  res.json(r.data);',
  '});',
);

runRuleTests(proxyDropsCredentials, {
  valid: [
    {
      name: 'h3 proxyRequest: `authorization: undefined` is skipped by its merge, the incoming value goes on',
      code: lines(
        'export default defineEventHandler((event) =>',
        '  proxyRequest(event, `${process.env.API}${event.path}`, { headers: { ...getRequestHeaders(event), authorization: undefined } }),',
        ');',
      ),
      filename: 'server/api/[...path].ts',
    },
    {
      name: 'h3 proxyRequest: fetchOptions.headers go through the same merge',
      code: lines(
        "import { defineEventHandler, proxyRequest } from 'h3';",
        'export default defineEventHandler((event) =>',
        "  proxyRequest(event, 'http://backend.internal' + event.path, { fetchOptions: { headers: { authorization: undefined, 'x-forwarded-host': 'app' } } }),",
        ');',
      ),
      filename: 'server/middleware/proxy.ts',
    },
    {
      name: 'http.request: an undefined header throws before the request leaves, nothing forwarded without it',
      code: lines(
        "import http from 'node:http';",
        "app.all('/api/*', (req, res) => {",
        '  const out = http.request(API + req.originalUrl, { method: req.method, headers: { ...req.headers, authorization: undefined } }, (up) => up.pipe(res));',
        '  req.pipe(out);',
        '});',
      ),
    },
    {
      name: 'http-proxy: options.headers merged over the incoming ones for http.request, which throws on undefined',
      code: lines(
        "import httpProxy from 'http-proxy';",
        'const proxy = httpProxy.createProxyServer({ target: API });',
        "app.use('/api', (req, res) => proxy.web(req, res, { headers: { authorization: undefined } }));",
      ),
    },
    {
      name: 'fetch given a Request built by a helper: the Request carries its own headers (SvelteKit runtime fetch)',
      code: lines(
        'export function create_fetch({ event }) {',
        '  return async (info, init) => {',
        '    const request = normalize_fetch_input(info, init, event.url);',
        "    if (!request.headers.has('origin')) request.headers.set('origin', event.url.origin);",
        '    return fetch(request);',
        '  };',
        '}',
      ),
      filename: 'src/runtime/server/fetch.js',
    },
  ],
  invalid: [
    {
      name: 'got: undefined deletes the header (sanitizeHeaders)',
      code: gotUndefined,
      filename: 'src/proxy.ts',
      errors: [{ message: removed('got'), ...at(gotUndefined, 2, 'authorization: undefined') }],
      output: null,
    },
    {
      name: 'axios: null is left out of the request (AxiosHeaders.toJSON)',
      code: axiosNull,
      errors: [{ message: removed('axios'), ...at(axiosNull, 3, 'authorization: null') }],
      output: null,
    },
    {
      name: 'axios: undefined is left out too',
      code: axiosUndefined,
      errors: [{ message: removed('axios'), ...at(axiosUndefined, 3, 'Authorization: undefined') }],
      output: null,
    },
    {
      name: 'undici request: processHeader skips undefined',
      code: undiciUndefined,
      errors: [{ message: removed('undici'), ...at(undiciUndefined, 3, 'authorization: undefined') }],
      output: null,
    },
    {
      name: 'hono/proxy: null deletes the header (preprocessRequestInit)',
      code: honoNull,
      errors: [{ message: removed('hono/proxy'), ...at(honoNull, 4, 'authorization: null') }],
      output: null,
    },
    {
      name: 'ky: undefined is dropped by its header merge',
      code: kyUndefined,
      errors: [{ message: removed('ky'), ...at(kyUndefined, 3, 'authorization: undefined') }],
      output: null,
    },
    {
      name: 'ky: null goes on into new Headers() and is sent as text',
      code: kyNull,
      errors: [{ message: sentAsText('null', 'ky'), ...at(kyNull, 3, 'authorization: null') }],
      output: null,
    },
    {
      name: 'ofetch ($fetch): the headers go through new Headers(), undefined is sent as text',
      code: ofetchUndefined,
      filename: 'server/api/[...path].ts',
      errors: [{ message: sentAsText('undefined', 'ofetch'), ...at(ofetchUndefined, 2, 'authorization: undefined') }],
      output: null,
    },
    {
      name: 'h3 proxyRequest: null is not skipped by the merge, Headers.set sends it as text',
      code: h3Null,
      filename: 'server/api/[...path].ts',
      errors: [{ message: sentAsText('null', 'h3 proxyRequest'), ...at(h3Null, 2, 'authorization: null') }],
      output: null,
    },
    {
      name: "h3 proxyRequest: '' is set over the incoming value, a blank credential",
      code: h3Blank,
      filename: 'server/api/[...path].ts',
      errors: [{ message: removed('h3 proxyRequest'), ...at(h3Blank, 2, "authorization: ''") }],
      output: null,
    },
    {
      name: 'new Headers() stringifies undefined whatever client it is handed to',
      code: headersInstance,
      errors: [{ message: sentAsText('undefined', 'axios'), ...at(headersInstance, 3, 'authorization: undefined as unknown as string') }],
      output: null,
    },
  ],
});
