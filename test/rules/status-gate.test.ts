import assert from 'node:assert/strict';
import { lint } from '../../server/src/core/lint';
import { defaultSettings } from '../../server/src/core/types';

/**
 * The model skips status recognition in a file that holds no 401, no 403 and
 * no status name. Each case spells a 401 without the digits "401" in its text,
 * so a gate that looked at the text, or missed a recogniser's names, would
 * drop its finding.
 */
const SPELLINGS: Record<string, string> = {
  'a hexadecimal literal': "app.get('/', (req, res) => { res.status(0x191).end(); });",
  'a literal with a separator': "app.get('/', (req, res) => { res.status(4_01).end(); });",
  'an element access on a status table': "import { StatusCodes } from 'http-status-codes';\napp.get('/', (req, res) => { res.status(StatusCodes['UNAUTHORIZED']).end(); });",
  'a lower-case member of an imported table': "import { Status } from './status';\napp.get('/', (req, res) => { res.status(Status.unauthorized).end(); });",
  'http2 constants': "import { constants } from 'node:http2';\napp.get('/', (req, res) => { res.writeHead(constants.HTTP_STATUS_UNAUTHORIZED).end(); });",
  'http2 constants through a namespace import': "import * as http2 from 'node:http2';\napp.get('/', (req, res) => { res.writeHead(http2.constants.HTTP_STATUS_UNAUTHORIZED).end(); });",
  'a table read off a require': "app.get('/', (req, res) => { res.status(require('http-status-codes').StatusCodes.UNAUTHORIZED).end(); });",
  'a NestJS exception': "import { UnauthorizedException } from '@nestjs/common';\nexport class C { get() { throw new UnauthorizedException(); } }",
  'a NestJS exception imported under another name': "import { UnauthorizedException as Denied } from '@nestjs/common';\nexport class C { get() { throw new Denied(); } }",
  Boom: "import Boom from '@hapi/boom';\nexport function handler() { throw Boom.unauthorized('no'); }",
  '@fastify/sensible': "fastify.get('/', async (request, reply) => reply.unauthorized());",
  'http-errors': "import createError from 'http-errors';\napp.get('/', (req, res, next) => next(createError.Unauthorized()));",
  'an application error class': "app.get('/', (req, res, next) => next(new UnauthorizedError()));",
};

describe('status spellings without the digits', () => {
  for (const [name, code] of Object.entries(SPELLINGS)) {
    it(name, () => {
      const { findings } = lint(code, 'src/routes.ts', defaultSettings());
      assert.deepEqual(
        findings.map((f) => f.ruleId),
        ['missing-www-authenticate'],
      );
    });
  }
});

/**
 * A member spelled as a status is taken as that status only on a table another
 * module defines: a table of unknown origin is no evidence, and one this file
 * defines is read for its values.
 */
const NOT_STATUSES: Record<string, string> = {
  'a parameter': "export function send(res, codes) { res.status(codes.UNAUTHORIZED).end(); }",
  'a member of this': "export class Api { send(res) { res.status(this.codes.UNAUTHORIZED).end(); } }",
  'a local table whose values are not statuses': "const Errors = { UNAUTHORIZED: 400 };\napp.get('/', (req, res) => { res.status(Errors.UNAUTHORIZED).end(); });",
  "http-status-codes' reason phrases": "import { ReasonPhrases } from 'http-status-codes';\napp.get('/', (req, res) => { res.status(ReasonPhrases.UNAUTHORIZED).end(); });",
};

describe('status spellings that are not statuses', () => {
  for (const [name, code] of Object.entries(NOT_STATUSES)) {
    it(name, () => {
      const { findings } = lint(code, 'src/routes.ts', defaultSettings());
      assert.deepEqual(findings.map((f) => f.ruleId), []);
    });
  }
});
