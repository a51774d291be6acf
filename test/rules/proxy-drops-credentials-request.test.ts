import { proxyDropsCredentials } from '../../server/src/core/rules/proxy-drops-credentials';
import { runRuleTests } from '../rule-tester';

/** The `request` client (and request-promise, @cypress/request), still common in older gateways, and options held in a `let`. */
const lines = (...code: string[]) => code.join('\n');
const message = (start: string) => new RegExp(`^${start} \\(request\\): the upstream never sees the caller's credential`);
const rebuilt = message("The forwarded request's headers are rebuilt here without `Authorization`");
const none = message('This pass-through forwards the request with no headers at all, so `Authorization` is lost');

runRuleTests(proxyDropsCredentials, {
  valid: [
    {
      name: 'request piped from the incoming request: it copies the headers of the stream piped into it',
      code: lines(
        "const request = require('request');",
        "const app = require('express')();",
        '',
        "app.use('/api', (req, res) => {",
        '  req.pipe(request(`${process.env.API_URL}${req.url}`)).pipe(res);',
        '});',
      ),
      filename: 'gateway/index.js',
    },
    {
      name: 'request held in a variable that the incoming request is piped into',
      code: lines(
        "const request = require('request');",
        '',
        'module.exports = function relay(req, res) {',
        "  const upstream = request({ uri: process.env.FILES_URL + req.originalUrl, method: req.method, headers: { 'x-relay': 'edge' } });",
        '  req.pipe(upstream);',
        '  upstream.pipe(res);',
        '};',
      ),
      filename: 'gateway/files.js',
    },
    {
      name: 'request-promise with the incoming Authorization copied into the rebuilt headers',
      code: lines(
        "const rp = require('request-promise');",
        "const router = require('express').Router();",
        '',
        "router.all('/orders/*', async (req, res) => {",
        '  const body = await rp({',
        '    uri: `${process.env.ORDERS_URL}${req.originalUrl}`,',
        '    method: req.method,',
        '    json: true,',
        '    body: req.body,',
        "    headers: { 'content-type': 'application/json', authorization: req.headers.authorization },",
        '  });',
        '  res.json(body);',
        '});',
      ),
      filename: 'routes/orders.js',
    },
    {
      name: 'options in a let that is rebuilt before the call: what it finally holds is not read, nothing is reported',
      code: lines(
        "import request from 'request';",
        "import type { Request, Response } from 'express';",
        '',
        'export function forward(req: Request, res: Response) {',
        '  let options: request.Options = { uri: process.env.API_URL + req.url, method: req.method };',
        '  if (req.body) options = { ...options, json: true, body: req.body, headers: req.headers };',
        '  request(options, (err, upstream, body) => res.status(upstream?.statusCode ?? 502).send(body));',
        '}',
      ),
      filename: 'src/forward.ts',
    },
    {
      name: 'request to a third-party API with a few fields of the request is not a forward',
      code: lines(
        "const request = require('request');",
        '',
        "app.get('/weather', (req, res) => {",
        "  request.get({ url: 'https://api.openweathermap.org/data/2.5/weather', qs: { q: req.query.city, appid: process.env.OWM_KEY }, json: true }, (err, r, body) => res.json(body));",
        '});',
      ),
      filename: 'server.js',
    },
  ],
  invalid: [
    {
      name: 'request with options in a let never assigned again: method, body and URL passed on, no headers',
      code: lines(
        "const request = require('request');",
        "const app = require('express')();",
        '',
        "app.all('*', (req, res) => {",
        '  let options = {',
        '    method: req.method,',
        '    body: req.body,',
        '    json: true,',
        '    uri: `${process.env.UPSTREAM}${req.url}`,',
        '  };',
        '  request(options, (err, response) => res.send(response.body));',
        '});',
      ),
      filename: 'proxy/app.js',
      errors: [{ message: none, line: 11, column: 3, endColumn: 10 }],
      output: lines(
        "const request = require('request');",
        "const app = require('express')();",
        '',
        "app.all('*', (req, res) => {",
        '  let options = {',
        '    method: req.method,',
        '    body: req.body,',
        '    json: true,',
        '    uri: `${process.env.UPSTREAM}${req.url}`,',
        '    headers: { ...(req.headers.authorization && { authorization: req.headers.authorization }) },',
        '  };',
        '  request(options, (err, response) => res.send(response.body));',
        '});',
      ),
    },
    {
      name: 'request.post to a service of its own with the whole body and Content-Type only',
      code: lines(
        "import request from '@cypress/request';",
        "import { Router } from 'express';",
        '',
        'export const payments = Router();',
        '',
        "payments.post('/charges', (req, res) => {",
        '  request.post(`${process.env.PAYMENTS_URL}/charges`, {',
        '    json: req.body,',
        "    headers: { 'content-type': 'application/json' },",
        '  }).pipe(res);',
        '});',
      ),
      filename: 'src/routes/payments.ts',
      errors: [{ message: rebuilt, line: 9, column: 14, endColumn: 52 }],
      output: lines(
        "import request from '@cypress/request';",
        "import { Router } from 'express';",
        '',
        'export const payments = Router();',
        '',
        "payments.post('/charges', (req, res) => {",
        '  request.post(`${process.env.PAYMENTS_URL}/charges`, {',
        '    json: req.body,',
        "    headers: { 'content-type': 'application/json', ...(req.headers.authorization && { authorization: req.headers.authorization }) },",
        '  }).pipe(res);',
        '});',
      ),
    },
  ],
});
