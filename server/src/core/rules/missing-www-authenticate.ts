import ts from 'typescript';
import type { StatusEmission } from '../model/concepts';
import { carriesHeader } from '../model/coverage';
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
        'Express and Connect, node:http, Koa, Fastify (and @fastify/sensible), Hono, hapi and Boom, NestJS exceptions, http-errors, and Web `Response` objects ' +
        '(Next.js route handlers and middleware, Workers). The status may be a literal, a named constant (`StatusCodes.UNAUTHORIZED`, `HttpStatus.UNAUTHORIZED`, ' +
        'a local `const` or `enum`) or passed to a helper in the same file, in which case the call is reported.\n\n' +
        'AdonisJS (`response.unauthorized()`, `response.status(401)`, `abort`, `new Exception(…, { status: 401 })`, `E_UNAUTHORIZED_ACCESS` from a guard ' +
        "other than `basic_auth`, whose renderer sends the challenge), React Router and Remix (`data()`/`json()`, and on a page route a loader's headers " +
        "reach the document only through the route's `headers` export), itty-router (`error(401)` and `StatusError` carry no headers), Feathers " +
        "(`NotAuthenticated`) and tRPC (`TRPCError` with code `UNAUTHORIZED`) are covered too; none of these libraries sets the challenge itself.",
      whyIsThisBad:
        'RFC 9110 §15.5.2: a server generating a 401 response MUST send a `WWW-Authenticate` header containing at least one challenge. ' +
        'Without it, clients cannot tell which authentication scheme to use: HTTP libraries do not retry with credentials, browsers show no login prompt ' +
        'for Basic, and OAuth clients cannot tell an expired token (`error="invalid_token"`) from a missing one.\n\n' +
        "Some frameworks drop headers set before an error is thrown: Koa's `ctx.throw` and errors thrown under Koa, Hono's `HTTPException`, " +
        'and Boom. There the header must travel with the error itself.',
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
        "error's properties, a statement before the status, a `@Header()` decorator on a NestJS route). The challenge comes from the `challenge` setting " +
        '(default `Bearer realm="api"`); where the handler reads Basic credentials it is `Basic` with the same realm. No fix is offered where the header ' +
        'cannot be added without restructuring the code (a NestJS service, an `if` without braces) or belongs in a central place the message names ' +
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
    for (const emission of model.emissions) {
      if (emission.statusParameter || context.claimed.has(emission)) continue;
      if (!emission.sites.some((site) => site.value === 401)) continue;
      if (carriesHeader(emission, HEADER, model)) continue;
      reports.push(report(emission, context));
    }
    return reports;
  },
};

function report(emission: StatusEmission, context: RuleContext): RuleReport {
  const challenge = challengeFor(emission.node, context.settings.challenge, context.ctx);
  const edits = emission.addHeader?.(HEADER_NAME, challenge);
  return {
    node: emission.node,
    message: message(emission, challenge, context),
    fix: edits && edits.length ? { title: `Add ${HEADER_NAME}: ${challenge}`, edits } : undefined,
  };
}

function message(emission: StatusEmission, challenge: string, context: RuleContext): string {
  const why = 'clients cannot tell which authentication scheme to use (RFC 9110 §15.5.2)';
  if (emission.remedy) return `401 response without a WWW-Authenticate header: ${why}. ${emission.remedy(challenge)}`;
  if (emission.viaHelper) {
    const callee = (emission.node as ts.CallExpression).expression.getText(context.model.sourceFile);
    return `\`${callee}(…)\` sends a 401 without a WWW-Authenticate header: ${why}. Set \`WWW-Authenticate: ${challenge}\` on the response.`;
  }
  if (emission.framework === 'app-errors') {
    const errorClass = (emission.node as ts.NewExpression).expression.getText(context.model.sourceFile);
    return (
      `\`${errorClass}\` carries a 401 to the error handler with no WWW-Authenticate header: ${why}. ` +
      `Set \`WWW-Authenticate: ${challenge}\` on the response before throwing, or where the error handler answers a 401.`
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

function frameworkLabel(framework: string): string {
  const labels: Record<string, string> = { koa: 'Koa', hono: 'Hono', boom: 'hapi', 'http-errors': 'Koa' };
  return labels[framework] ?? framework;
}
