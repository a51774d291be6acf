import { proxyDropsCredentials } from '../../server/src/core/rules/proxy-drops-credentials';
import { runRuleTests } from '../rule-tester';

/** Shapes met on real proxies: a vendor token given to proxy.web beside a proxyReq listener, and Headers given `undefined`. */
const lines = (...code: string[]) => code.join('\n');
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const message = (start: string) => (library: string) => new RegExp(`^${start} \\(${escape(library)}\\): the upstream never sees the caller's credential`);
const removed = message('`Authorization` is removed here before the request is forwarded');
const stringified = message('`Authorization` is set to `undefined` here, which this client sends as the text "undefined" in place of the credential');

/** An SDK middleware that proxies to its vendor's API with the vendor's token, and strips the end user's token in a listener. */
const vendorProxy = (headers: string) =>
  lines(
    "import httpProxy from 'http-proxy';",
    '',
    'const proxy = httpProxy.createProxyServer({ changeOrigin: true });',
    '',
    'export async function forward(req, res, session) {',
    `  const headers = ${headers};`,
    '  proxy.web(req, res, { target: process.env.VENDOR_API_URL, headers });',
    '}',
    '',
    "proxy.on('proxyReq', (proxyReq) => {",
    "  proxyReq.setHeader('x-sdk', 'node');",
    "  proxyReq.removeHeader('authorization');",
    '});',
  );

const honoProxy = (value: string) =>
  lines(
    "import { Hono } from 'hono';",
    "import { proxy } from 'hono/proxy';",
    '',
    'const app = new Hono();',
    "app.all('/api/*', (c) => {",
    '  const headers = new Headers(c.req.raw.headers);',
    `  headers.set('authorization', ${value});`,
    '  return proxy(`${process.env.API_URL}${c.req.path}`, { ...c.req, headers });',
    '});',
  );

/** A Next.js route handler relaying a body to one endpoint of its backend. */
const relay = (endpoint: string) =>
  lines(
    "import { NextRequest, NextResponse } from 'next/server';",
    '',
    'export async function POST(request: NextRequest) {',
    '  const body = await request.json();',
    `  const response = await fetch(\`\${process.env.BACKEND_URL}${endpoint}\`, {`,
    "    method: 'POST',",
    "    headers: { 'Content-Type': 'application/json' },",
    '    body: JSON.stringify(body),',
    '  });',
    '  return NextResponse.json(await response.json(), { status: response.status });',
    '}',
  );

runRuleTests(proxyDropsCredentials, {
  valid: [
    { name: 'a one-time code sent before sign-in (/send-otp): the caller has no credential yet', code: relay('/api/auth/send-otp'), filename: 'app/api/auth/send-otp/route.ts' },
    { name: 'a one-time code checked to sign in (/verify-otp)', code: relay('/api/auth/verify-otp'), filename: 'app/api/auth/verify-otp/route.ts' },
    {
      name: "http-proxy: the listener strips the caller's token, the one proxy.web sends the vendor's in x-access-token",
      code: vendorProxy("{ 'x-access-token': await vendorToken(), 'x-tenant-id': session.tenantId }"),
      filename: 'src/middleware/vendor.js',
    },
    {
      name: 'http-proxy: the server options carry the service key every request gets',
      code: lines(
        "import httpProxy from 'http-proxy';",
        "const proxy = httpProxy.createProxyServer({ target: process.env.SEARCH_URL, headers: { 'x-api-key': process.env.SEARCH_KEY } });",
        "proxy.on('proxyReq', (proxyReq) => proxyReq.removeHeader('authorization'));",
        'export const search = (req, res) => proxy.web(req, res);',
      ),
      filename: 'src/search.js',
    },
    {
      name: 'hono/proxy: a Headers copy given the credential again',
      code: honoProxy("c.req.header('authorization') ?? ''"),
      filename: 'src/index.js',
    },
  ],
  invalid: [
    {
      name: 'a body relayed to an endpoint whose name only contains the letters otp (/hotpot-orders) takes the caller\'s credential',
      code: relay('/api/hotpot-orders'),
      filename: 'app/api/orders/route.ts',
      errors: [{ message: /^The forwarded request's headers are rebuilt here without `Authorization` \(fetch\)/, line: 7, column: 14, endColumn: 52 }],
      output: relay('/api/hotpot-orders').replace(
        "{ 'Content-Type': 'application/json' }",
        "{ 'Content-Type': 'application/json', ...(request.headers.get('authorization') && { authorization: request.headers.get('authorization') ?? '' }) }",
      ),
    },
    {
      name: 'http-proxy: the one proxy.web adds only the tenant, so the removal in the listener loses the credential',
      code: vendorProxy('{ \'x-tenant-id\': session.tenantId }'),
      filename: 'src/middleware/vendor.js',
      errors: [{ message: removed('http-proxy'), line: 12, column: 3, endColumn: 41 }],
      output: lines(
        "import httpProxy from 'http-proxy';",
        '',
        'const proxy = httpProxy.createProxyServer({ changeOrigin: true });',
        '',
        'export async function forward(req, res, session) {',
        "  const headers = { 'x-tenant-id': session.tenantId };",
        '  proxy.web(req, res, { target: process.env.VENDOR_API_URL, headers });',
        '}',
        '',
        "proxy.on('proxyReq', (proxyReq) => {",
        "  proxyReq.setHeader('x-sdk', 'node');",
        '});',
      ),
    },
    {
      name: 'http-proxy: two proxy.web calls add different headers, so the listener is not taken to be covered by either',
      code: lines(
        "import httpProxy from 'http-proxy';",
        'const proxy = httpProxy.createProxyServer({});',
        "export const admin = (req, res) => proxy.web(req, res, { target: ADMIN, headers: { 'x-admin-token': process.env.ADMIN_TOKEN } });",
        "export const files = (req, res) => proxy.web(req, res, { target: FILES, headers: { 'x-region': 'eu' } });",
        "proxy.on('proxyReq', (proxyReq) => { proxyReq.removeHeader('authorization'); });",
      ),
      filename: 'src/gateway.js',
      errors: [{ message: removed('http-proxy'), line: 5, column: 38, endColumn: 76 }],
      output: lines(
        "import httpProxy from 'http-proxy';",
        'const proxy = httpProxy.createProxyServer({});',
        "export const admin = (req, res) => proxy.web(req, res, { target: ADMIN, headers: { 'x-admin-token': process.env.ADMIN_TOKEN } });",
        "export const files = (req, res) => proxy.web(req, res, { target: FILES, headers: { 'x-region': 'eu' } });",
        "proxy.on('proxyReq', (proxyReq) => {  });",
      ),
    },
    {
      name: "hono/proxy: Headers#set(name, undefined) stores the text \"undefined\", which hono's proxy sends (it deletes only null values of a plain object)",
      code: honoProxy('undefined'),
      filename: 'src/index.js',
      errors: [{ message: stringified('hono/proxy'), line: 7, column: 3, endColumn: 42 }],
      output: null,
    },
  ],
});
