import path from 'node:path';
import ts from 'typescript';
import type { StatusEmission } from '../model/concepts';
import { isStatementList } from '../ast';
import { ChallengeOrder } from '../model/challenge-order';
import { carriesHeader, conditionalWrite } from '../model/coverage';
import { choiceCondition, headerForChoice, statusChoice, type StatusChoice } from '../model/status-choice';
import { spanOf } from '../project/declarations';
import { handlerFacts } from '../project/handlers';
import type { ServingHandler } from '../project/index';
import { challengeFor } from './challenge';
import type { Rule, RuleContext, RuleReport } from './rule';

const HEADER = 'www-authenticate';
const HEADER_NAME = 'WWW-Authenticate';

export const missingWwwAuthenticate: Rule = {
  id: 'missing-www-authenticate',
  meta: {
    fixable: true,
    securitySeverity: 3.1,
    tags: ['security', 'correctness', 'http', 'rfc9110'],
    docs: {
      summary: 'A 401 response must carry a WWW-Authenticate challenge.',
      whatItDoes:
        'Flags every place a server sends a 401 Unauthorized response without a `WWW-Authenticate` header on that response, on that code path: ' +
        'Express and Connect, node:http, Koa, Fastify (and @fastify/sensible), Hono, hapi and Boom, NestJS exceptions, http-errors (and LoopBack 4 `HttpErrors`), and Web `Response` objects ' +
        '(Next.js route handlers and middleware, Workers). The status may be a literal, a named constant (`StatusCodes.UNAUTHORIZED`, `HttpStatus.UNAUTHORIZED`, ' +
        'a local `const` or `enum`) or passed to a helper in the same file, in which case the call is reported. ' +
        'SvelteKit (`error()`, `fail()`, `json()` and Responses, with the headers of `setHeaders()`), h3 under Nitro and Nuxt (v1 `createError()`, ' +
        '`setResponseStatus()`; v2 `HTTPError`, `event.res`) and Elysia (`set.status`, `status()`) are read with their own semantics. ' +
        'AdonisJS (`response.unauthorized()`, `response.status(401)`, `abort`, `new Exception(…, { status: 401 })`, `E_UNAUTHORIZED_ACCESS` from a guard ' +
        "other than `basic_auth`, whose renderer sends the challenge), React Router and Remix (`data()`/`json()`, and on a page route a loader's headers " +
        "reach the document only through the route's `headers` export), itty-router (`error(401)` and `StatusError` carry no headers), Feathers " +
        "(`NotAuthenticated`), tRPC (`TRPCError` with code `UNAUTHORIZED`), restify (`res.send(401, body, headers)`, restify-errors' " +
        '`InvalidCredentialsError` and `UnauthorizedError`) and Strapi (`ctx.unauthorized()`, `ctx.send(body, 401)`, `errors.UnauthorizedError` of ' +
        '`@strapi/utils`) Moleculer behind moleculer-web (`UnAuthorizedError`, `MoleculerClientError(msg, 401)`) and GraphQL errors that set ' +
        'the HTTP response (`new GraphQLError(msg, { extensions: { http: { status: 401, headers } } })` under Apollo Server 4 and GraphQL Yoga) are covered too; ' +
        'none of these libraries sets the challenge itself. ' +
        'So are AWS Lambda behind API Gateway, an ALB or a function URL, and Netlify Functions (the `{ statusCode, headers, multiValueHeaders }` a handler ' +
        'returns or passes to its callback, and under middy the `@middy/util` errors http-error-handler answers with; a Lambda authorizer is not read, since API ' +
        'Gateway answers its denials with its own gateway responses), and ' +
        'Azure Functions (v4 `HttpResponseInit` and `HttpResponse`, v3 `context.res`): both send the headers the code gives and no others.',
      whyIsThisBad:
        'RFC 9110 §15.5.2: a server generating a 401 response MUST send a `WWW-Authenticate` header containing at least one challenge. ' +
        'Without it, clients cannot tell which authentication scheme to use: HTTP libraries do not retry with credentials, browsers show no login prompt ' +
        'for Basic, and OAuth clients cannot tell an expired token (`error="invalid_token"`) from a missing one.\n\n' +
        "Some frameworks drop headers set before an error is thrown: Koa's `ctx.throw` and errors thrown under Koa, Hono's `HTTPException`, " +
        "Boom, and h3 v2's `HTTPError` (only its own headers and `event.res.errHeaders` reach the client). There the header must travel with the error itself. " +
        "SvelteKit's `error()` thrown in the `handle` hook gets no headers at all: return a `Response` there instead.",
      example: [
        "app.get('/me', (req, res) => {",
        '  if (!req.user) {',
        "    return res.status(401).json({ error: 'sign in first' });",
        '  }',
        '  res.json(req.user);',
        '});',
      ].join('\n'),
      useInstead: [
        "app.get('/me', (req, res) => {",
        '  if (!req.user) {',
        "    return res.set('WWW-Authenticate', 'Bearer realm=\"api\"').status(401).json({ error: 'sign in first' });",
        '  }',
        '  res.json(req.user);',
        '});',
      ].join('\n'),
      fixSafety:
        'The fix sets the header on that response in the framework\'s own idiom (a chained `.set()`/`.header()`, a `headers` entry in the Response init or the ' +
        "error's properties, a statement before the status, a `@Header()` decorator on a NestJS route that answers nothing but 401). The challenge comes from the `challenge` setting " +
        '(default `Bearer realm="api"`); its scheme follows the one the handler reads, with the same realm: `Basic` where it reads Basic credentials, ' +
        '`Key realm="api"` where it reads `Authorization: Key …`. Where a conditional chooses the status (`status(up.status === 401 ? 401 : 502)`), the ' +
        'header is set under that condition (`if (up.status === 401) res.set(…)`). No fix is offered where the header ' +
        'cannot be added without restructuring the code (a NestJS service, an `if` without braces), where it would also go out with other statuses (a NestJS ' +
        'route that also returns a result, a status chosen by a call), nor where the code itself sets the header on the ' +
        'same response under a condition (`if (options.challenge) res.set(…)`): a challenge added beside the status would override that choice and its realm. ' +
        "SvelteKit: `setHeaders()` before the error (destructured from the event where needed), or in the `handle` hook a returned `Response`; " +
        "h3 v1: `setResponseHeader(event, …)` before it (imported where the file imports h3's helpers); h3 v2: the error's `headers`; " +
        "Elysia: `set.headers['www-authenticate']` before it. " +
        'No fix is offered either where the header belongs in a central place the message names ' +
        "(tRPC's `responseMeta`, Feathers' error handler, a React Router page's `headers` export, AdonisJS's exception handler).",
      options: '`challenge` (string): the `WWW-Authenticate` value the quick fix inserts. Default `Bearer realm="api"`.',
      references: [
        { title: 'RFC 9110 §15.5.2 401 Unauthorized', url: 'https://www.rfc-editor.org/rfc/rfc9110#section-15.5.2' },
        { title: 'RFC 9110 §11.6.1 WWW-Authenticate', url: 'https://www.rfc-editor.org/rfc/rfc9110#section-11.6.1' },
        { title: 'RFC 6750 §3 The WWW-Authenticate Response Header Field', url: 'https://www.rfc-editor.org/rfc/rfc6750#section-3' },
      ],
    },
  },
  check(context) {
    const { model } = context;
    if (model.isTestFile) return [];
    const reports: RuleReport[] = [];
    let challenges: ChallengeOrder | undefined;
    for (const emission of model.emissions) {
      if (emission.statusParameter || context.claimed.has(emission)) continue;
      if (!emission.sites.some((site) => site.value === 401)) continue;
      if (carriesHeader(emission, HEADER, model)) continue;
      const serving = servingHandlers(emission, context);
      // A handler that maps the error to its status (`getHttpErrorCode(err.code)`), or sets its own, serves this 401 only where it sends 401.
      const served = serving.filter(({ status }) => !status || (status.kind === 'number' && status.value === 401));
      if (serving.length > served.length && served.length === 0) continue;
      if (served.length === 0) {
        const found = report(emission, context);
        if (found) reports.push(found);
      }
      // A handler that rebuilds the response is reported once, below, in its own file.
      else if (!served.some(({ handler }) => handler.rebuilds)) {
        const unchallenged = served.filter(({ handler }) => handler.challenge === 'never');
        // A middleware that runs before this code adds the challenge to the error on its way to the handler.
        if (unchallenged.length > 0 && !(challenges ??= new ChallengeOrder(model, context.ctx)).challenged(emission.node)) {
          reports.push(servedReport(emission, unchallenged, context));
        }
      }
    }
    reports.push(...rebuildingHandlers(context));
    return reports;
  },
};

/** The project's central handlers, in other files, that answer the error an emission raises. */
function servingHandlers(emission: StatusEmission, context: RuleContext): ServingHandler[] {
  const project = context.ctx.project;
  return project && emission.construction ? project.handlersFor(emission.construction) : [];
}

/** A 401 decided here and sent by central handlers elsewhere that answer it without a challenge. */
function servedReport(emission: StatusEmission, handlers: ServingHandler[], context: RuleContext): RuleReport {
  const challenge = challengeFor(emission.node, context.settings.challenge, context.ctx);
  const here = context.model.sourceFile.fileName;
  const [first] = handlers;
  const where = relativePath(here, first.file);
  const fixable = handlers.length === 1 && first.handler.fix;
  return {
    node: emission.node,
    message:
      `${errorText(emission, context)} carries a 401 to the error handler in ${where}, which answers it without a WWW-Authenticate header: ` +
      `clients cannot tell which authentication scheme to use (RFC 9110 §15.5.2). Set \`WWW-Authenticate: ${challenge}\` where that handler answers a 401.`,
    related: handlers.map(({ file, handler }) => ({ filePath: file, ...handler.sendAt, message: 'The error handler answers the 401 here, without WWW-Authenticate.' })),
    fix: fixable
      ? { title: `Add ${HEADER_NAME}: ${context.settings.challenge} for 401s in ${where}`, edits: [], elsewhere: [{ filePath: first.file, edits: first.handler.fix! }] }
      : undefined,
  };
}

/** Exception filters of this file that rebuild every 401 they catch without a challenge: the one place to fix them. */
function rebuildingHandlers(context: RuleContext): RuleReport[] {
  const { model, ctx } = context;
  if (!model.errorHandlers.some((handler) => handler.rebuilds?.unauthorized)) return [];
  const reports: RuleReport[] = [];
  for (const fact of handlerFacts(model, ctx, context.settings.challenge)) {
    const handler = model.errorHandlers.find((h) => h.fn.getStart(model.sourceFile) === fact.at.start);
    if (!handler?.rebuilds?.unauthorized || fact.challenge !== 'never') continue;
    reports.push({
      node: handler.fn,
      start: fact.sendAt.start,
      end: fact.sendAt.end,
      message:
        'This exception filter rebuilds the 401 responses it catches without a WWW-Authenticate header: clients cannot tell which authentication scheme to use ' +
        `(RFC 9110 §15.5.2). Set \`WWW-Authenticate: ${context.settings.challenge}\` here when the status is 401.`,
      fix: fact.fix ? { title: `Add ${HEADER_NAME}: ${context.settings.challenge} for 401s`, edits: fact.fix } : undefined,
    });
  }
  return reports;
}

function errorText(emission: StatusEmission, context: RuleContext): string {
  const callee = ts.isNewExpression(emission.node) ? emission.node.expression : emission.node;
  return `\`${callee.getText(context.model.sourceFile)}\``;
}

function relativePath(from: string, to: string): string {
  const relative = path.relative(path.dirname(from), to).split(path.sep).join('/');
  return relative.startsWith('.') ? relative : `./${relative}`;
}

function report(emission: StatusEmission, context: RuleContext): RuleReport | undefined {
  const chosen = conditionalWrite(emission, HEADER, context.model);
  if (chosen && writtenForChoice(chosen.node, emission, context)) return undefined;
  if (chosen) return { node: emission.node, message: conditionalMessage(chosen.node, context) };
  const challenge = challengeFor(emission.node, context.settings.challenge, context.ctx);
  const choice = choiceOf401(emission);
  if (choice === null) {
    return { node: emission.node, message: `${message(emission, challenge, context)} The status is chosen between 401 and another by code a fix cannot repeat safely: set the header only where it is 401.` };
  }
  const edits = choice ? headerForChoice(emission, choice, HEADER_NAME, challenge, context.ctx) : emission.addHeader?.(HEADER_NAME, challenge);
  const helper = emission.helperElsewhere;
  const unplaced = choice && !edits && emission.response && emission.headerSetter;
  return {
    node: emission.node,
    message: unplaced
      ? `${message(emission, challenge, context)} No fix is offered: the header must be set under the condition that chooses 401, in a statement before this one, and this one is not in a block.`
      : message(emission, challenge, context),
    related: helper
      ? [{ filePath: helper.file, ...helper.sendAt, message: `\`${helper.name}\` sends the 401 here, without WWW-Authenticate.` }]
      : emission.mappedFor && [{ filePath: context.model.sourceFile.fileName, ...spanOf(emission.mappedFor, context.model.sourceFile), message: 'The error handler sends the 401 here, without WWW-Authenticate.' }],
    fix: edits && edits.length ? { title: `Add ${HEADER_NAME}: ${challenge}`, edits } : undefined,
  };
}

/** How the emission chooses its 401 among other statuses (see `statusChoice`). */
function choiceOf401(emission: StatusEmission): StatusChoice | null | undefined {
  const site = emission.sites.find((s) => s.value === 401);
  return site && statusChoice(emission, site, 401);
}

/** The header is written under the very condition that chooses 401 here (the fix's `if`): every 401 carries it. */
function writtenForChoice(write: ts.Node, emission: StatusEmission, context: RuleContext): boolean {
  const choice = choiceOf401(emission);
  const condition = conditionOf(write);
  if (!choice || !condition) return false;
  const text = (written: string) => written.replace(/\s+/g, ' ');
  return text(condition.getText(context.model.sourceFile)) === text(choiceCondition(choice, context.model.sourceFile));
}

function message(emission: StatusEmission, challenge: string, context: RuleContext): string {
  const why = 'clients cannot tell which authentication scheme to use (RFC 9110 §15.5.2)';
  if (emission.remedy) return `401 response without a WWW-Authenticate header: ${why}. ${emission.remedy(challenge)}`;
  if (emission.viaHelper || emission.helperElsewhere) {
    const callee = (emission.node as ts.CallExpression).expression.getText(context.model.sourceFile);
    const helper = emission.helperElsewhere;
    if (helper && !emission.response) {
      const where = relativePath(context.model.sourceFile.fileName, helper.file);
      return `\`${callee}(…)\` builds a 401 response without a WWW-Authenticate header (${where}): ${why}. Set \`WWW-Authenticate: ${challenge}\` where it builds a 401.`;
    }
    return `\`${callee}(…)\` sends a 401 without a WWW-Authenticate header: ${why}. Set \`WWW-Authenticate: ${challenge}\` on the response.`;
  }
  if (emission.mappedFor) {
    return `The error handler sends this 401 without a WWW-Authenticate header: ${why}. Set \`WWW-Authenticate: ${challenge}\` on the response where it maps the error to 401.`;
  }
  if (emission.framework === 'app-errors') {
    const errorClass = (emission.node as ts.NewExpression).expression.getText(context.model.sourceFile);
    return (
      `\`${errorClass}\` carries a 401 to the error handler with no WWW-Authenticate header: ${why}. ` +
      `Set \`WWW-Authenticate: ${challenge}\` on the response before throwing, or where the error handler answers a 401.`
    );
  }
  if (emission.carriedOnly && emission.headerless) {
    return (
      `401 error without a WWW-Authenticate header: ${frameworkLabel(emission.framework)} answers this error with none of the headers set for the request, and the error cannot carry any, so ${why}. ` +
      `Return a response that sets \`WWW-Authenticate: ${challenge}\` instead.`
    );
  }
  if (emission.carriedOnly) {
    return (
      `401 error without a WWW-Authenticate header: ${frameworkLabel(emission.framework)} builds the response from the error alone and drops headers set before it, ` +
      `so ${why}. Pass \`WWW-Authenticate: ${challenge}\` with the error.`
    );
  }
  return `401 response without a WWW-Authenticate header: ${why}. Set \`WWW-Authenticate: ${challenge}\` on this response.`;
}

/** The header is set under a condition the code chose: say so, and offer no fix that would override it. */
function conditionalMessage(write: ts.Node, context: RuleContext): string {
  const { sourceFile } = context.model;
  const line = sourceFile.getLineAndCharacterOfPosition(write.getStart(sourceFile)).line + 1;
  const condition = conditionOf(write);
  const when = condition ? ` when \`${condition.getText(sourceFile).replace(/\s+/g, ' ')}\` does not hold` : ' on some paths';
  return (
    `401 response without a WWW-Authenticate header${when}: clients cannot tell which authentication scheme to use (RFC 9110 §15.5.2). ` +
    `The code sets the header only under that condition (line ${line}); no fix is offered, since a challenge added here would override it.`
  );
}

/** The `if` condition or `&&` left side that a write runs under. */
function conditionOf(write: ts.Node): ts.Expression | undefined {
  for (let node = write; node.parent && !ts.isFunctionLike(node.parent); node = node.parent) {
    const parent = node.parent;
    if (ts.isIfStatement(parent) && node === parent.thenStatement) return parent.expression;
    if (ts.isBinaryExpression(parent) && node === parent.right && parent.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) return parent.left;
    if (isStatementList(parent) && !ts.isBlock(parent)) return undefined;
  }
  return undefined;
}

function frameworkLabel(framework: string): string {
  const labels: Record<string, string> = { koa: 'Koa', hono: 'Hono', boom: 'hapi', 'http-errors': 'Koa', h3: 'h3', sveltekit: 'SvelteKit' };
  return labels[framework] ?? framework;
}
