import ts from 'typescript';
import { vocabularyFor, type AuthVocabulary } from '../model/auth-vocabulary';
import type { StatusEmission, StatusSite } from '../model/concepts';
import { GuardClassifier } from '../model/guard-kind';
import { GuardFinder, type Reason } from '../model/guards';
import { sameStatusInOtherArm, statusChoice } from '../model/status-choice';
import { challengeIsSeparable, swapStatus, type AuthStatus } from '../model/status-swap';
import { challengeFor } from './challenge';
import type { Rule, RuleContext, RuleReport } from './rule';

export const authStatusMismatch: Rule = {
  id: 'auth-status-mismatch',
  meta: {
    fixable: true,
    securitySeverity: 4.3,
    tags: ['security', 'correctness', 'http', 'rfc9110', 'rfc6750'],
    docs: {
      summary: 'Answer a missing or invalid credential with 401 and a failed permission check with 403.',
      whatItDoes:
        'Reads why each 401 and 403 is sent: the guard that leads to it (an `if`/`else` branch, an early-return guard before it, a `switch` case ' +
        "label such as `case 'insufficient_scope'`, a conditional status " +
        'such as `user ? 403 : 401`, the `catch` of a token verification, the error of a `jwt.verify` callback, `ctx.assert(cond, 401)` and ' +
        'http-assert, a one-expression predicate or the calls of a helper in the same file, and a NestJS guard whose `canActivate` returns `false`, which Nest answers with 403). It flags a 403 sent because the ' +
        "caller's credential is absent, malformed, invalid or expired (the `Authorization` header, a bearer token or API key, a session, `req.user` " +
        'missing, a failed verification) and a 401 sent because an authenticated caller lacks a role, permission, scope, ownership, membership, plan or ' +
        'account state. It covers literals, constants (`StatusCodes.FORBIDDEN`, `HttpStatus.UNAUTHORIZED`, local ones), NestJS exceptions, Boom, ' +
        'http-errors, `@fastify/sensible`, Koa, Hono, hapi, node:http and Web `Response` objects, AdonisJS (`response.forbidden()` ↔ ' +
        "`unauthorized()`, `abortIf`/`abortUnless`), React Router and Remix, itty-router, Feathers (`NotAuthenticated` ↔ `Forbidden`) and tRPC " +
        "(`TRPCError` codes `UNAUTHORIZED` ↔ `FORBIDDEN`), restify-errors (`InvalidCredentialsError` ↔ `NotAuthorizedError`), Strapi (`ctx.unauthorized()` ↔ " +
        "`ctx.forbidden()`, a policy's `return false`), moleculer-web (`UnAuthorizedError` ↔ `ForbiddenError`), the results of AWS Lambda and Netlify handlers (`statusCode`) and of Azure Functions (`status`).\n\n" +
        'A middleware that every route mounts after one that authenticates the caller (`router.get(\'/\', protect, admin, handler)`, ' +
        "`router.use(protect)` before the routes, `app.use('/admin', protect, adminRouter)`, a Fastify `onRequest` hook before a `preHandler`; " +
        'in the same file or in another) runs for a known caller, so a condition such as `!req.user || !req.user.isAdmin` there fails on the role. ' +
        'A middleware authenticates when its code shows it (a 401 for a failed credential, a verification call, and no `next()` for a missing one) ' +
        'or it is a library\'s (`passport.authenticate(\'jwt\')`, express-jwt, koa-jwt); one mount without authentication before it leaves it alone.\n\n' +
        'It stays silent where a guard names something other than the caller\'s identity (CSRF, password-reset, invitation, e-mail verification and ' +
        'captcha tokens, rate limits, IP allow-lists, feature flags, webhook signatures) and where one condition mixes both concerns ' +
        "(`!user || user.role !== 'admin'`): there the right status depends on which half failed. Nor does it swap a 403 sent to a caller the " +
        'code has already accepted (inside `if (req.user)`, or past `if (!req.user) return …`): what it tests there is not the credential that ' +
        'identifies them. A local name decides nothing by itself: the ' +
        'value it holds does, so an account looked up by the e-mail a sign-in form sent is not a permission check whatever its variable is ' +
        'called, and a call given the submitted password (`bcrypt.compare(password, admin.password)`) checks a credential.',
      whyIsThisBad:
        'RFC 9110 §15.5.2 and §15.5.4: 401 means "I do not know who you are" (authenticate, then retry), 403 means "I know who you are, and you may not ' +
        'do this" (retrying with the same credentials will not help). RFC 6750 §3.1 draws the same line for bearer tokens: `invalid_token` is a 401, ' +
        '`insufficient_scope` a 403.\n\n' +
        'A 403 for a missing or expired token tells clients not to re-authenticate: token refresh logic (axios interceptors, OAuth clients) never runs ' +
        'and users see "forbidden" instead of a sign-in prompt. A 401 for a failed role check sends clients through sign-in again for a permission they ' +
        'will never get, often in a loop.',
      example: [
        "app.get('/admin/users', (req, res) => {",
        "  if (req.user.role !== 'admin') {",
        "    return res.status(401).json({ message: 'Admins only' });",
        '  }',
        '  res.json([]);',
        '});',
      ].join('\n'),
      useInstead: [
        "app.get('/admin/users', (req, res) => {",
        "  if (req.user.role !== 'admin') {",
        "    return res.status(403).json({ message: 'Admins only' });",
        '  }',
        '  res.json([]);',
        '});',
      ].join('\n'),
      fixSafety:
        'The fix swaps the status in the form it is written in: the literal, the constant (`StatusCodes.FORBIDDEN` ↔ `StatusCodes.UNAUTHORIZED`, a ' +
        'sibling member of a local enum or table, else the literal), the exception class (`ForbiddenException` ↔ `UnauthorizedException`, adding the ' +
        '`@nestjs/common` import), the Boom or `@fastify/sensible` method, http-errors\' named constructor, or a NestJS guard\'s `return false` ' +
        '(→ `throw new UnauthorizedException()`). A swap to 401 also adds the `WWW-Authenticate` challenge from the `challenge` setting, so the ' +
        'response is complete; where a conditional chooses the status (`sendStatus(req.user ? 401 : 403)`), the challenge is set under the ' +
        'condition that yields 401 (`if (!req.user) res.set(…)`), and where that cannot be done (a Response init, a condition that calls), or ' +
        'the challenge cannot be added in that framework\'s idiom, no fix is offered. Clients that relied on the wrong ' +
        'status (a front end that signs out on 403) change behaviour, which is the point of the fix.',
      options:
        '`authVocabulary` (object): words added to the vocabulary that classifies guards, each an array: `authentication` (names of the caller\'s ' +
        'credential or principal, e.g. `["ssoTicket"]`), `authorization` (names of permission checks, e.g. `["entitlement"]`), `unrelated` ' +
        '(names of checks that are neither, e.g. `["geofence"]`). `challenge` (string): the `WWW-Authenticate` value added on a swap to 401. ' +
        '`credentialHeaders` (array): request headers that carry the credential.',
      references: [
        { title: 'RFC 9110 §15.5.2 401 Unauthorized', url: 'https://www.rfc-editor.org/rfc/rfc9110#section-15.5.2' },
        { title: 'RFC 9110 §15.5.4 403 Forbidden', url: 'https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4' },
        { title: 'RFC 6750 §3.1 Error Codes', url: 'https://www.rfc-editor.org/rfc/rfc6750#section-3.1' },
        { title: 'NestJS Guards', url: 'https://docs.nestjs.com/guards' },
      ],
    },
  },
  check(context) {
    const { model } = context;
    if (model.isTestFile || model.emissions.length === 0) return [];
    const guards = new GuardFinder(model, classifierFor(context));
    const reports: RuleReport[] = [];
    for (const emission of model.emissions) {
      if (emission.statusParameter) continue;
      const mismatched: { site: StatusSite; reason: Reason; wanted: AuthStatus }[] = [];
      for (const site of emission.sites) {
        if (site.value !== 401 && site.value !== 403) continue;
        const reason = guards.reasonFor(site.node, carriedDecision(emission, site));
        const wanted = reason && wantedStatus(reason, site.value);
        if (!reason || !wanted) continue;
        // Asked only of a mismatch: most statuses are sent for the right reason, and the question walks to the file's top.
        if (guards.inUnrelatedFlow(site.node)) continue;
        if (wanted === 403 && guards.inAuthenticationRoutine(site.node)) continue;
        if (wanted === 401 && guards.runsForKnownCaller(site.node)) continue;
        // SPEC: a 401 reported as a permission failure is this rule's alone; its fix makes it a 403.
        if (site.value === 401) context.claimed.add(emission);
        mismatched.push({ site, reason, wanted });
      }
      const sites = mismatched.map((m) => m.site);
      for (const { site, reason, wanted } of mismatched) reports.push(report(emission, site, reason, wanted, sites, context));
    }
    return reports;
  },
};

/**
 * The classifier of the analysis `context` belongs to. Checked one unit at a
 * time, the file's units share it: what it has read (the words of texts that
 * recur across handlers) holds for the whole file, being read from the syntax
 * and the scopes, never from the emissions a unit's check is given.
 */
const classifiers = new WeakMap<RuleContext['ctx'], { vocabulary: AuthVocabulary; classifier: GuardClassifier }>();

function classifierFor({ ctx, settings }: RuleContext): GuardClassifier {
  const vocabulary = vocabularyFor(settings);
  const known = classifiers.get(ctx);
  if (known?.vocabulary === vocabulary) return known.classifier;
  const classifier = new GuardClassifier(ctx, vocabulary);
  classifiers.set(ctx, { vocabulary, classifier });
  return classifier;
}

/** The decision an emission carries itself: an assertion's condition, or what a NestJS guard returns. */
function carriedDecision(emission: StatusEmission, site: StatusSite) {
  if (emission.assertion) return GuardFinder.assertion(emission.assertion, emission.assertionSendsWhenTruthy);
  if (site.form === 'guard-denial' && site.node.kind !== ts.SyntaxKind.FalseKeyword) return GuardFinder.guardReturn(site.node as ts.Expression);
  return undefined;
}

function wantedStatus(reason: Reason, sent: 401 | 403): AuthStatus | undefined {
  if (sent === 403 && reason.kind === 'authentication') return 401;
  if (sent === 401 && (reason.kind === 'authorization' || reason.kind === 'authenticated')) return 403;
  return undefined;
}

/** Why a swap to 401 in a conditional status gets no fix. */
const INSEPARABLE =
  'No fix is offered: the status is chosen here between this one and another, and the challenge cannot be set for the 401 alone — set WWW-Authenticate only where the status is 401.';
/** Why a swap to 401 chosen by a conditional in a statement that is no block's (`if (a) return res.sendStatus(b ? 403 : 404)`) gets no fix. */
const NO_STATEMENT =
  'No fix is offered: the challenge must be set under the condition that chooses the 401, in a statement before this one, and this one is not in a block — set WWW-Authenticate only where the status is 401.';

/** `mismatched`: the emission's sites this rule reports, this one among them. */
function report(emission: StatusEmission, site: StatusSite, reason: Reason, wanted: AuthStatus, mismatched: readonly StatusSite[], context: RuleContext): RuleReport {
  const challenge = challengeFor(emission.node, context.settings.challenge, context.ctx);
  const twin = sameStatusInOtherArm(emission, site, mismatched);
  const edits = twin ? undefined : swapStatus(emission, site, wanted, challenge, context.ctx);
  const title = wanted === 401 ? `Use 401 with WWW-Authenticate: ${challenge}` : 'Use 403';
  const why = edits ? undefined : twin ? twinReason(site, wanted) : noFixReason(emission, site, wanted, context);
  return {
    node: site.form === 'guard-denial' ? emission.node : site.node,
    message: why ? `${message(site, reason, wanted)} ${why}` : message(site, reason, wanted),
    fix: edits ? { title, edits } : undefined,
    ...(reason.related ? { related: reason.related } : {}),
  };
}

function twinReason(site: StatusSite, wanted: AuthStatus): string {
  return `No fix is offered: every arm of this conditional sends ${site.value}, and a fix would swap one arm and leave the other — send ${wanted} once, without the conditional.`;
}

/** What keeps a swap to 401 in a conditional from carrying its challenge. */
function noFixReason(emission: StatusEmission, site: StatusSite, wanted: AuthStatus, context: RuleContext): string | undefined {
  if (wanted !== 401) return undefined;
  if (!challengeIsSeparable(emission, site)) return INSEPARABLE;
  return statusChoice(emission, site) && !context.ctx.insertStatementBefore(emission.node, '') ? NO_STATEMENT : undefined;
}

function message(site: StatusSite, reason: Reason, wanted: AuthStatus): string {
  if (site.form === 'guard-denial' && site.denial) {
    return `${reason.evidence}, and ${site.denial.answer} with 403: the caller's credential is missing or invalid — ${site.denial.instead} instead.`;
  }
  if (wanted === 401) {
    return `${reason.evidence}: the caller's credential is missing or invalid — use 401 (with a WWW-Authenticate challenge), not 403.`;
  }
  if (reason.kind === 'authenticated') return `${reason.evidence}: the caller is authenticated, so refusing them is 403, not 401 — use 403.`;
  return `${reason.evidence}: the caller is authenticated but not permitted — use 403, not 401.`;
}
