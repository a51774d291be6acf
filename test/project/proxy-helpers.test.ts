import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lintFiles } from '../../server/src/cli/lint-files';
import { indexProject, lintInProject } from '../../server/src/core/project/analyze';
import { defaultSettings, type Finding } from '../../server/src/core/types';
import { collectFiles } from '../../server/src/workspace/files';
import { DiskModuleResolver } from '../../server/src/workspace/module-resolver';

/** proxy-drops-credentials across files: proxy hooks and header builders declared in another module of the project. */
const CASES = path.join(__dirname, '..', 'fixtures', 'project');

const TABLE: { name: string; why: string; expected: { at: string; message: RegExp; related: string[]; fix?: string[] }[] }[] = [
  {
    name: 'proxy-remote-hooks',
    why: 'an http-proxy-middleware v3 hook imported from proxy/hooks.ts strips Authorization over a list; a route forwards with headers built by utils/headers.ts from an allow-list without it',
    expected: [
      {
        at: 'src/gateway.ts:7:112',
        message: /^`Authorization` is filtered out of the forwarded headers by `stripCredentials` \(http-proxy-middleware\): the upstream never sees/,
        related: ['src/proxy/hooks.ts:3'],
      },
      {
        at: 'src/routes/billing.ts:9:14',
        message: /^`Authorization` is missing from the allow-list of forwarded headers in `forwardHeaders` \(fetch\): /,
        related: ['src/utils/headers.ts:3'],
      },
    ],
  },
  {
    name: 'proxy-remote-hooks-forwarded',
    why: 'the same shapes in CommonJS (an http-proxy listener and a v2 onProxyReq imported with require), whose hook strips only cookies and whose allow-list holds Authorization: nothing is reported',
    expected: [],
  },
  {
    name: 'proxy-remote-decorators',
    why: "an express-http-proxy proxyReqOptDecorator from proxy/decorators.js deletes Authorization; a @fastify/http-proxy rewriteRequestHeaders from proxy/headers.ts returns the headers with it destructured out",
    expected: [
      {
        at: 'src/gateway.js:6:80',
        message: /^`Authorization` is removed by `stripAuthorization` before the request is forwarded \(express-http-proxy\): the upstream never sees/,
        related: ['src/proxy/decorators.js:2'],
      },
      {
        at: 'src/server.ts:10:42',
        message: /^`Authorization` is destructured out of the forwarded headers by `upstreamHeaders` \(@fastify\/http-proxy \/ reply-from\): /,
        related: ['src/proxy/headers.ts:5'],
      },
    ],
  },
  {
    name: 'proxy-remote-decorators-forwarded',
    why: 'the same hooks where the decorator puts the verified user in place of the token or drops only cache headers, and the rewrite spreads the incoming headers: nothing is reported',
    expected: [],
  },
  {
    name: 'remote-wrappers',
    why: 'controllers hand the incoming path parameters, query and body to wrappers of axios in services/http.js that send no headers, or only Content-Type and what they are given',
    expected: [
      {
        at: 'src/controllers/orders.js:6:3',
        message: /^This pass-through forwards the request with no headers at all, so `Authorization` is lost \(axios\): /,
        related: [],
      },
      {
        at: 'src/controllers/orders.js:11:34',
        message: /^The forwarded request's headers are rebuilt by `callService` without `Authorization` \(axios\): the upstream never sees/,
        related: ['src/services/http.js:6'],
        fix: [', { ...(req.headers.authorization && { authorization: req.headers.authorization }) }'],
      },
      {
        at: 'src/controllers/orders.js:16:105',
        message: /^The forwarded request's headers are rebuilt here without `Authorization` \(axios\): /,
        related: [],
        fix: [', ...(req.headers.authorization && { authorization: req.headers.authorization })'],
      },
    ],
  },
  {
    name: 'remote-wrappers-forwarded',
    why: 'the same wrappers given the incoming Authorization or headers, a login relayed, a third-party API, a wrapper that sets its own API key and one that copies the credential from the request it is given: nothing is reported',
    expected: [],
  },
  {
    name: 'sveltekit-handle-fetch',
    why: "+server endpoints call the event's fetch with headers rebuilt from Content-Type, and src/hooks.server.ts's handleFetch sets Authorization from the session cookie on every such request: nothing is reported",
    expected: [],
  },
  {
    name: 'sveltekit-handle-fetch-strips',
    why: "the handleFetch of src/hooks.server.js deletes Authorization from every request the event's fetch makes, so an endpoint that forwards through it loses the credential",
    expected: [
      {
        at: 'src/routes/api/invoices/+server.js:4:10',
        message: /^`Authorization` is removed by `handleFetch` before the request is forwarded \(fetch\): the upstream never sees/,
        related: ['src/hooks.server.js:3'],
      },
    ],
  },
  {
    name: 'sveltekit-no-fetch-hook',
    why: 'src/hooks.server.ts has a handle hook but no handleFetch, so the rebuilt headers of the endpoint are what the upstream gets',
    expected: [
      {
        at: 'src/routes/api/orders/+server.ts:7:14',
        message: /^The forwarded request's headers are rebuilt here without `Authorization` \(fetch\): /,
        related: [],
        fix: [", ...(request.headers.get('authorization') && { authorization: request.headers.get('authorization') ?? '' })"],
      },
    ],
  },
];

function lintCase(dir: string): { file: string; finding: Finding }[] {
  const files = collectFiles([dir], dir, []).files;
  const sources = files.map((filePath) => ({ filePath, text: fs.readFileSync(filePath, 'utf8') }));
  const index = indexProject(sources, new DiskModuleResolver(dir), defaultSettings());
  return sources.flatMap(({ filePath, text }) =>
    lintInProject(text, filePath, defaultSettings(), index)
      .result.findings.filter((finding) => finding.ruleId === 'proxy-drops-credentials')
      .map((finding) => ({ file: relative(dir, filePath), finding })),
  );
}

async function cliPositions(dir: string, targets?: string[]): Promise<string[]> {
  const files = collectFiles([dir], dir, []).files;
  const reports = await lintFiles(targets ?? files, defaultSettings(), { fix: 'off', project: { files, resolver: new DiskModuleResolver(dir) } });
  return reports.flatMap((report) =>
    report.messages.filter((m) => m.ruleId === 'proxy-drops-credentials').map((m) => `${relative(dir, report.filePath)}:${m.line}:${m.column}`),
  );
}

function relative(dir: string, file: string): string {
  return path.relative(dir, file).split(path.sep).join('/');
}

describe('proxy-drops-credentials across files', () => {
  for (const { name, why, expected } of TABLE) {
    it(`${name}: ${why}`, () => {
      const dir = path.join(CASES, name);
      const found = lintCase(dir);
      assert.deepEqual(
        found.map(({ file, finding }) => `${file}:${finding.range.start.line + 1}:${finding.range.start.character + 1}`),
        expected.map((e) => e.at),
      );
      found.forEach(({ finding }, i) => {
        assert.match(finding.message, expected[i].message);
        assert.deepEqual((finding.related ?? []).map((r) => `${relative(dir, r.filePath)}:${r.range.start.line + 1}`), expected[i].related);
        // A drop in another file is fixed from here only by passing the wrapper the credential.
        assert.deepEqual(finding.fix?.edits.map((edit) => edit.text), expected[i].fix);
      });
    });
  }

  it("the CLI lints a file the prefilter skips when it calls another file's outbound wrapper", async () => {
    // Copied out of the checkout, whose own path may hold a forwarder's word and keep every file.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-wrappers-'));
    try {
      fs.cpSync(path.join(CASES, 'remote-wrappers'), dir, { recursive: true });
      const expected = TABLE.find((c) => c.name === 'remote-wrappers')!.expected.map((e) => e.at);
      assert.deepEqual(await cliPositions(dir, [path.join(dir, 'src/controllers/orders.js')]), expected);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the CLI reports the same, also when only the forwarding file is linted', async () => {
    for (const { name, expected } of TABLE) {
      const dir = path.join(CASES, name);
      const whole = await cliPositions(dir);
      assert.deepEqual(whole, expected.map((e) => e.at), name);
      for (const file of new Set(expected.map((e) => e.at.split(':')[0]))) {
        assert.deepEqual(await cliPositions(dir, [path.join(dir, file)]), whole.filter((p) => p.startsWith(`${file}:`)), `${name}/${file}`);
      }
    }
  });
});
