import ts from 'typescript';
import { isFunctionLike, memberName, skipOuterExpressions, stringValue } from '../ast';
import { splitWords, wordsMention, type AuthVocabulary } from './auth-vocabulary';
import type { ModelContext } from './context';

/**
 * What a guard condition tests, read with the auth vocabulary:
 * - `authentication`: the branch runs because the caller's credential is absent, malformed, invalid or expired;
 * - `authorization`: it runs because a permission, role, ownership or account-state check failed;
 * - `authenticated`: it runs because the caller is known (a principal is present);
 * - `unrelated`: the guard names a check that is neither (CSRF, reset tokens, rate limits…);
 * - `mixed`: both concerns decide it (`!user || user.role !== 'admin'`);
 * - `neutral`: nothing in it speaks of auth.
 */
export type GuardKind = 'authentication' | 'authorization' | 'authenticated' | 'unrelated' | 'mixed' | 'neutral';

/** What an expression denotes, as far as auth goes. */
interface Subject {
  /**
   * `client-data`: what the client sends as data (`req.body`, `req.params`): a token there is a link's, not the caller's credential.
   * `record`: a record looked up by what the client sent (`Admin.findOne({ email })`): its absence is "no such account",
   * never a permission failure, whatever the record or the variable holding it is called.
   */
  kind: 'request' | 'credential' | 'principal' | 'verify-error' | 'client-data' | 'record' | 'none';
  /**
   * A property of the credential or principal that the guard tests; `other`
   * for one the vocabulary does not know (`req.auth.isMaster`), which says
   * nothing about whether the caller is known.
   */
  attribute?: 'authorization' | 'expiry' | 'identity' | 'other';
  /**
   * A Feathers hook's context and its `params`, which hold what the server
   * set (`params.user`, the credential in `params.authentication`), not the client's route params.
   */
  feathers?: 'context' | 'params';
}

const NONE: Subject = { kind: 'none' };
/**
 * A handler's request parameter in untyped code is known by its name (`req`,
 * `ctx`) or type. The name only says where the members read from it come
 * from; whether a guard tests a credential or a permission is still decided
 * by those members (`req.headers.authorization`, `req.user.role`).
 */
const REQUEST_NAME = /^_*(req|request|rq|ctx|context|c|event)$/;
const HOOK_CONTEXT = /^HookContext\b/;
const REQUEST_TYPE = /\b(Request|NextRequest|FastifyRequest|IncomingMessage|Context|ParameterizedContext|HttpContext|HttpContextContract)\b/;
/**
 * Request members that hold other request members: `req.headers`, `ctx.state`, hapi's cookie jar `request.state`,
 * and where servers keep the principal they set: Express's `res.locals`, h3's `event.context`, Hono's `c.var`.
 */
const CONTAINERS = new Set(['headers', 'cookies', 'signedcookies', 'state', 'request', 'req', 'raw', 'locals', 'context', 'var']);
/** String methods that keep a credential a credential (`auth.split(' ')[1]`). */
const PASS_THROUGH = new Set(['split', 'replace', 'slice', 'substring', 'substr', 'trim', 'tostring', 'at', 'tolowercase']);
/** Methods that read one header or cookie by name. */
const READERS = new Set(['get', 'header', 'getheader']);
/** Where a reader method's receiver holds headers or cookies (`req.cookies.get('session')`). */
const HEADER_BAGS = new Set(['headers', 'cookies']);
/** Methods that test a credential's shape (`auth.startsWith('Bearer ')`). */
const SHAPE_TESTS = new Set(['startswith', 'endswith', 'test', 'match', 'includes']);
/** Callee words that check a credential on their own (`req.isAuthenticated()`, `isLoggedIn(req)`). */
const SESSION = new Set(['session']);
const STRONG_CHECKS = new Set(['authenticated', 'authenticate', 'authentication', 'loggedin', 'signedin']);
/** Callee words of a record lookup. */
const LOOKUPS = new Set(['find', 'by', 'load', 'fetch', 'lookup', 'query', 'search', 'list', 'count', 'exists']);
/** Words of an error class that name only the family of errors it belongs to. */
const ERROR_FAMILY = new Set(['o', 'oauth', 'oauth2', 'auth', 'auth2', 'error', 'exception', 'http', 'api']);
/** How many local names are followed back to their initializers. */
const MAX_DEPTH = 6;

export class GuardClassifier {
  /** Helper predicates being read, so a recursive one is not read forever. */
  private readonly expanding = new Set<ts.Node>();
  /**
   * Kinds already read, by condition, for each polarity: the guards before a
   * status are read again for every status after them. Only a reading made
   * outside a helper predicate is kept, since inside one the recursion cut-off
   * may shorten it.
   */
  private readonly knownWhenTrue = new Map<ts.Node, GuardKind>();
  private readonly knownWhenFalse = new Map<ts.Node, GuardKind>();
  /** Each text's words: the same texts are read against several vocabularies. */
  private readonly wordsOf = new Map<string, string[]>();
  private readonly unrelatedByNode = new Map<ts.Node, boolean>();

  constructor(readonly ctx: ModelContext, private readonly vocab: AuthVocabulary) {}

  /**
   * Set while reading a condition in code that runs only for a caller already
   * authenticated (a middleware mounted after authentication): a part of it
   * that fails only for a caller not known cannot be the part that failed.
   */
  private callerKnown = false;

  /** Why the code guarded by `condition` runs, when it runs because the condition is `whenTrue`. */
  classify(condition: ts.Expression, whenTrue: boolean): GuardKind {
    if (this.expanding.size > 0 || this.callerKnown) return this.read(condition, whenTrue);
    const known = whenTrue ? this.knownWhenTrue : this.knownWhenFalse;
    let kind = known.get(condition);
    if (kind === undefined) {
      kind = this.read(condition, whenTrue);
      known.set(condition, kind);
    }
    return kind;
  }

  /** `classify` for code that runs only once the caller is authenticated: `!req.user || !req.user.isAdmin` then fails on the role. */
  classifyForKnownCaller(condition: ts.Expression, whenTrue: boolean): GuardKind {
    this.callerKnown = true;
    try {
      return this.read(condition, whenTrue);
    } finally {
      this.callerKnown = false;
    }
  }

  /** What a test that also fails for a missing caller (`!user?.isAdmin`) says: a permission, once the caller is known. */
  private missingCallerToo(): GuardKind {
    return this.callerKnown ? 'authorization' : 'mixed';
  }

  private read(condition: ts.Expression, whenTrue: boolean): GuardKind {
    const node = skipOuterExpressions(condition) as ts.Expression;
    if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) return this.classify(node.operand, !whenTrue);
    if (ts.isBinaryExpression(node)) {
      const op = node.operatorToken.kind;
      if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken) {
        const parts = [this.classify(node.left, whenTrue), this.classify(node.right, whenTrue)];
        // `a && b` holds when both do; it fails when either fails (De Morgan), and so on.
        if ((op === ts.SyntaxKind.AmpersandAmpersandToken) === whenTrue) return all(parts);
        // `!admin || !passwordMatches`: no such account, or the wrong password — both a failed sign-in.
        const sides = [node.left, node.right];
        if (parts.includes('authentication') && parts.every((kind, i) => kind === 'authentication' || this.testsSubmittedRecord(sides[i]))) return 'authentication';
        const failing = this.callerKnown ? parts.filter((kind) => kind !== 'authentication') : parts;
        return any(failing.length > 0 ? failing : parts);
      }
    }
    const held = this.heldComparison(node);
    if (held) return this.read(held, whenTrue);
    return this.atom(node, whenTrue);
  }

  /** `const isOwner = userId === group.userId; if (!isOwner)`: the test is the comparison the constant holds. */
  private heldComparison(node: ts.Expression): ts.BinaryExpression | undefined {
    if (!ts.isIdentifier(node)) return undefined;
    const declaration = this.ctx.scopes.lookup(node.text, node);
    if (declaration?.kind !== 'variable' || !declaration.isConst || !declaration.initializer) return undefined;
    const initializer = skipOuterExpressions(declaration.initializer);
    return ts.isBinaryExpression(initializer) && equalityOf(initializer.operatorToken.kind) !== undefined ? initializer : undefined;
  }

  /**
   * Why a `case` of a `switch` runs: its label names the failure
   * (`'insufficient_scope'` a permission, `'invalid_token'` or `TokenExpiredError`
   * a credential). A label that names neither says nothing, even under
   * `switch (user.role)`: `case 'guest'` may be a caller who never signed in.
   */
  classifyCase(label: ts.Expression): GuardKind {
    if (this.namesUnrelatedCheck(label)) return 'unrelated';
    const text = this.decisiveText(label);
    if (this.mentions(text, this.vocab.ambiguous)) return 'mixed';
    if (this.mentions(text, this.vocab.authorization)) return 'authorization';
    if (this.mentions(text, this.vocab.credential) || this.mentions(text, this.vocab.expiry)) return 'authentication';
    return 'neutral';
  }

  private mentions(text: string, set: ReadonlySet<string>): boolean {
    return wordsMention(this.wordsIn(text), set);
  }

  private wordsIn(text: string): string[] {
    let words = this.wordsOf.get(text);
    if (!words) {
      words = splitWords(text);
      this.wordsOf.set(text, words);
    }
    return words;
  }

  /** `!admin`, `admin === null`: a test of whether a record looked up by what the client sent exists. */
  private testsSubmittedRecord(condition: ts.Expression): boolean {
    let node = skipOuterExpressions(condition) as ts.Expression;
    while (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) node = skipOuterExpressions(node.operand) as ts.Expression;
    if (ts.isBinaryExpression(node) && equalityOf(node.operatorToken.kind) !== undefined) {
      node = isEmpty(node.right) ? node.left : isEmpty(node.left) ? node.right : node;
    }
    return !ts.isBinaryExpression(node) && this.subject(node, 0).kind === 'record';
  }

  /** Whether a name speaks of a check that is neither authentication nor authorization (a CSRF token, a reset link). */
  isUnrelated(text: string): boolean {
    return this.mentions(text, this.vocab.unrelated);
  }

  /** Whether a call verifies the caller's credential, asked first of its callee's words: most calls name no verification. */
  verifiesCaller(call: ts.CallExpression): boolean {
    const callee = skipOuterExpressions(call.expression);
    const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
    const words = this.wordsIn(name);
    return (wordsMention(words, this.vocab.verification) || wordsMention(words, STRONG_CHECKS)) && this.verifies(call);
  }

  /** Whether a function's name says it authenticates the caller (`verifyToken`, Passport's `validate`, `authenticate`). */
  isAuthenticationName(name: string): boolean {
    return this.mentions(name, this.vocab.verification) || this.mentions(name, STRONG_CHECKS);
  }

  /** Whether an expression denotes the caller's credential or principal (a verification call's argument, say). */
  private concernsCaller(expression: ts.Expression): boolean {
    const kind = this.subject(expression, 0).kind;
    return kind === 'credential' || kind === 'principal';
  }

  private atom(node: ts.Expression, whenTrue: boolean): GuardKind {
    if (this.namesUnrelatedCheck(node)) return 'unrelated';
    const text = this.decisiveText(node);
    if (this.mentions(text, this.vocab.ambiguous)) return 'mixed';
    if (ts.isBinaryExpression(node)) return this.comparison(node, whenTrue, text);
    if (ts.isCallExpression(node)) {
      const kind = this.callTest(node, whenTrue, text);
      if (kind) return kind;
    }
    return this.truthiness(this.subject(node, 0), whenTrue, text, hasOptionalLink(node));
  }

  /**
   * `optional`: the tested value goes through `?.`, so it is also falsy when
   * the object before it is missing (`!user?.isAdmin` runs for a missing user too).
   */
  private truthiness(subject: Subject, whenTrue: boolean, text: string, optional: boolean): GuardKind {
    if (subject.kind === 'record') return 'neutral';
    if (subject.attribute === 'authorization') return optional && !whenTrue ? this.missingCallerToo() : 'authorization';
    if (subject.attribute === 'expiry' || subject.kind === 'verify-error') return whenTrue ? 'authentication' : 'neutral';
    if (isCaller(subject) && subject.attribute !== 'other') {
      if (!whenTrue) return 'authentication';
      return subject.kind === 'principal' ? 'authenticated' : 'neutral';
    }
    if (!this.permits(text, false)) return 'neutral';
    return optional && !whenTrue ? this.missingCallerToo() : 'authorization';
  }

  private comparison(node: ts.BinaryExpression, whenTrue: boolean, text: string): GuardKind {
    const op = node.operatorToken.kind;
    const left = skipOuterExpressions(node.left) as ts.Expression;
    const right = skipOuterExpressions(node.right) as ts.Expression;
    if (op === ts.SyntaxKind.InstanceOfKeyword) {
      // `instanceof` tests the error's type, and a class's name is what the type is: `TokenExpiredError`, `JsonWebTokenError`,
      // `JWTExpired`; an `AuthorizationError` names the permission, not the header.
      const errorClass = right.getText(this.ctx.sourceFile).replace(/authori[sz]ation/gi, ' permission ');
      if (!whenTrue) return 'neutral';
      // `OAuthError`, `AuthError` name a protocol's errors, `insufficient_scope` among them: not a credential failure as such.
      if (splitWords(errorClass).every((word) => ERROR_FAMILY.has(word))) return 'neutral';
      if (this.mentions(errorClass, this.vocab.authorization)) return 'authorization';
      return this.mentions(errorClass, this.vocab.credential) || this.mentions(errorClass, this.vocab.expiry) ? 'authentication' : 'neutral';
    }
    const equality = equalityOf(op);
    if (equality === undefined) return this.relational(node, whenTrue, text);
    // The branch runs when the two sides are equal (`===` taken, or `!==` not taken).
    const whenEqual = equality === whenTrue;
    const absenceTested = isEmpty(right) ? left : isEmpty(left) ? right : undefined;
    if (absenceTested) return this.truthiness(this.subject(typeofOperand(absenceTested), 0), !whenEqual, text, false);
    const typeofTested = typeofUndefined(left, right) ?? typeofUndefined(right, left);
    if (typeofTested) return this.truthiness(this.subject(typeofTested, 0), !whenEqual, text, false);
    const sides = [this.subject(left, 0), this.subject(right, 0)];
    const authish = sides.some(isCaller) || sides.some((s) => s.kind === 'verify-error') || this.mentions(text, this.vocab.credential);
    if (this.mentions(text, this.vocab.expiry) && authish) return whenEqual ? 'authentication' : 'neutral';
    if (sides.some((s) => s.kind === 'verify-error')) return whenEqual ? 'authentication' : 'neutral';
    const [a, b] = sides;
    // The credential itself against a value (`token !== process.env.ADMIN_TOKEN`, `scheme !== 'Bearer'`): a failed match is an invalid credential, whatever it unlocks.
    if ((a.kind === 'credential' && !a.attribute && !isCaller(b)) || (b.kind === 'credential' && !b.attribute && !isCaller(a))) {
      return whenEqual ? 'neutral' : 'authentication';
    }
    // `grant.accountId !== ctx.oidc.accessToken.accountId`: a record checked against what the credential says is a check of the credential.
    if (isCaller(a) !== isCaller(b) && (this.readsCredential(left, 0) || this.readsCredential(right, 0))) return whenEqual ? 'neutral' : 'authentication';
    // `req.user?.role !== 'admin'` also runs when the user is missing.
    const missingTakesBranch = !whenEqual && hasOptionalLink(node);
    if (this.permits(text, sides.some(isCaller))) return missingTakesBranch ? this.missingCallerToo() : 'authorization';
    if (isOwnership(a, b) || isOwnership(b, a)) return missingTakesBranch ? this.missingCallerToo() : 'authorization';
    return 'neutral';
  }

  /** `session.expiresAt < Date.now()`, `user.level < 3` */
  private relational(node: ts.BinaryExpression, whenTrue: boolean, text: string): GuardKind {
    const op = node.operatorToken.kind;
    const less = op === ts.SyntaxKind.LessThanToken || op === ts.SyntaxKind.LessThanEqualsToken;
    const greater = op === ts.SyntaxKind.GreaterThanToken || op === ts.SyntaxKind.GreaterThanEqualsToken;
    if (!less && !greater) return 'neutral';
    const leftText = this.maskedText(node.left, 0, [skipOuterExpressions(node.left)]);
    const rightText = this.maskedText(node.right, 0, [skipOuterExpressions(node.right)]);
    const leftExpiry = this.mentions(leftText, this.vocab.expiry);
    const rightExpiry = this.mentions(rightText, this.vocab.expiry);
    if (leftExpiry !== rightExpiry) {
      const expiredWhenTrue = (leftExpiry && less) || (rightExpiry && greater);
      return expiredWhenTrue === whenTrue ? 'authentication' : 'neutral';
    }
    return this.permits(text, false) ? 'authorization' : 'neutral';
  }

  /** A call used as a test: a permission check, a credential check, or a shape test on the credential. */
  private callTest(call: ts.CallExpression, whenTrue: boolean, text: string): GuardKind | undefined {
    const callee = skipOuterExpressions(call.expression) as ts.Expression;
    if (this.checksPassword(call)) return whenTrue ? 'neutral' : 'authentication';
    if (this.looksUpSubmitted(call)) return 'neutral';
    const principalInvolved = [callee, ...call.arguments].some((part) => this.concernsCaller(part));
    if (this.permits(text, principalInvolved)) return hasOptionalLink(call) && !whenTrue ? this.missingCallerToo() : 'authorization';
    const argIsCredential = call.arguments.some((arg) => this.subject(arg, 0).kind === 'credential');
    if (ts.isPropertyAccessExpression(callee) && SHAPE_TESTS.has(callee.name.text.toLowerCase())) {
      const receiverIsCredential = this.subject(callee.expression, 0).kind === 'credential';
      if (!receiverIsCredential && !argIsCredential) return undefined;
      return whenTrue ? 'neutral' : 'authentication';
    }
    const calleeName = this.calleeName(callee);
    const checksCredential =
      this.mentions(calleeName, STRONG_CHECKS) ||
      this.mentions(calleeName, this.vocab.credential) ||
      argIsCredential ||
      (this.mentions(calleeName, this.vocab.verification) && call.arguments.some((arg) => this.concernsCaller(arg)));
    if (!checksCredential) return this.helperPredicate(callee, whenTrue);
    return whenTrue ? (this.subject(call, 0).kind === 'principal' ? 'authenticated' : 'neutral') : 'authentication';
  }

  /** A predicate in this file that returns one expression (`const signedIn = (req) => !!req.session.userId`): that expression decides. */
  private helperPredicate(callee: ts.Expression, whenTrue: boolean): GuardKind | undefined {
    const fn = this.localFunction(callee);
    if (!fn || this.expanding.has(fn)) return undefined;
    const returned = singleReturn(fn);
    if (!returned) return undefined;
    this.expanding.add(fn);
    const kind = this.classify(returned, whenTrue);
    this.expanding.delete(fn);
    return kind === 'neutral' ? undefined : kind;
  }

  /** What an expression denotes: the request, the caller's credential or principal, a verification error, or nothing of auth. */
  private subject(expression: ts.Expression, depth: number): Subject {
    if (depth > MAX_DEPTH) return NONE;
    let node = skipOuterExpressions(expression) as ts.Expression;
    if (ts.isAwaitExpression(node)) node = skipOuterExpressions(node.expression) as ts.Expression;
    if (ts.isIdentifier(node)) return this.identifierSubject(node, depth);
    if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
      const base = this.subject(node.expression, depth);
      const name = memberName(node) ?? (ts.isElementAccessExpression(node) && ts.isNumericLiteral(node.argumentExpression) ? '#' : undefined);
      if (name === undefined) return NONE;
      return this.member(base, name);
    }
    if (ts.isCallExpression(node)) return this.callSubject(node, depth);
    if (ts.isBinaryExpression(node)) {
      const op = node.operatorToken.kind;
      if (op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.BarBarToken) {
        const sides = [this.subject(node.left, depth + 1), this.subject(node.right, depth + 1)];
        return sides.find((s) => s.kind === 'credential' || s.kind === 'principal') ?? NONE;
      }
      // `admin && (await bcrypt.compare(password, admin.password))`: the verdict, when there is an account to check.
      if (op === ts.SyntaxKind.AmpersandAmpersandToken) {
        const verdict = this.subject(node.right, depth + 1);
        if (verdict.kind === 'credential') return verdict;
      }
    }
    return NONE;
  }

  private identifierSubject(node: ts.Identifier, depth: number): Subject {
    const declaration = this.ctx.scopes.lookup(node.text, node);
    if (declaration?.kind === 'variable') return declaration.initializer ? this.subject(declaration.initializer, depth + 1) : NONE;
    if (declaration?.kind === 'parameter') return this.parameterSubject(declaration.node, declaration.fn, declaration.index, depth);
    if (!declaration) {
      const origin = destructuredFrom(node);
      if (origin) return this.member(this.subject(origin.initializer, depth + 1), origin.property);
      const bound = destructuredParameter(node);
      // `async me({ auth }: HttpContext)`: a member of the request, named by the binding.
      if (bound && bound.param.type && REQUEST_TYPE.test(bound.param.type.getText(this.ctx.sourceFile))) return this.requestMember(bound.property);
      // tRPC's `({ ctx, next }) => …`: a binding named like the request is the request.
      if (bound && REQUEST_NAME.test(bound.property)) return { kind: 'request' };
      // `({ request, locals }) => …`, `({ headers, set }) => …`: a handler handed its request context (SvelteKit, Elysia).
      const contextMember = destructuredContextMember(node);
      if (contextMember !== undefined) return REQUEST_NAME.test(contextMember) ? { kind: 'request' } : this.requestMember(contextMember);
    }
    return NONE;
  }

  private parameterSubject(param: ts.ParameterDeclaration, fn: ts.FunctionLikeDeclaration, index: number, depth: number): Subject {
    const name = param.name.getText(this.ctx.sourceFile);
    for (const decorator of ts.getDecorators(param) ?? []) {
      const call = decorator.expression;
      if (!ts.isCallExpression(call)) continue;
      const decoratorName = call.expression.getText(this.ctx.sourceFile);
      const header = stringValue(call.arguments[0]);
      if (decoratorName === 'Headers' && header) return this.requestMember(header);
      if (decoratorName === 'Req' || decoratorName === 'Request') return { kind: 'request' };
    }
    const type = param.type?.getText(this.ctx.sourceFile);
    if (type && HOOK_CONTEXT.test(type)) return { kind: 'request', feathers: 'context' };
    if (this.ctx.model.requestParameters?.has(param) || REQUEST_NAME.test(name) || (type && REQUEST_TYPE.test(type))) return { kind: 'request' };
    // `jwt.verify(token, key, (err, decoded) => …)`: the callback's error means the credential failed verification.
    const call = fn.parent;
    if (ts.isCallExpression(call) && call.arguments.includes(fn as ts.Expression) && this.verifies(call, depth)) {
      return index === 0 ? { kind: 'verify-error' } : { kind: 'principal' };
    }
    return NONE;
  }

  /** A call that verifies the caller's credential: `jwt.verify(token, …)`, `passport.authenticate('jwt', cb)`. */
  verifies(call: ts.CallExpression, depth = 0): boolean {
    // `jwt.verify(token, RESET_SECRET)` checks a reset link, not the caller; so does `jwt.verify(req.params.token)`.
    if (this.namesUnrelatedCheck(call)) return false;
    if (call.arguments.some((arg) => this.subject(arg, depth + 1).kind === 'client-data')) return false;
    const local = this.localFunction(skipOuterExpressions(call.expression) as ts.Expression);
    if (local) return this.wrapsVerification(local, depth);
    const calleeText = this.maskedText(call.expression, 0);
    if (!this.mentions(calleeText, this.vocab.verification) && !this.mentions(calleeText, STRONG_CHECKS)) return false;
    return this.mentions(calleeText, this.vocab.credential) || call.arguments.some((arg) => {
      const kind = this.subject(arg, depth + 1).kind;
      return kind === 'credential' || kind === 'principal';
    });
  }

  /** `function check(t) { return jwt.verify(t, KEY) }`: a function of this file verifies when its body makes a verification call. */
  private wrapsVerification(fn: ts.FunctionLikeDeclaration, depth: number): boolean {
    if (!fn.body || this.expanding.has(fn) || depth > MAX_DEPTH) return false;
    this.expanding.add(fn);
    const visit = (node: ts.Node): boolean => !isFunctionLike(node) && ((ts.isCallExpression(node) && this.verifies(node, depth + 1)) || !!ts.forEachChild(node, visit));
    const found = !!ts.forEachChild(fn.body, visit);
    this.expanding.delete(fn);
    return found;
  }

  private callSubject(call: ts.CallExpression, depth: number): Subject {
    // `const match = await bcrypt.compare(password, admin.password)`: the verdict on the credential the caller sent.
    if (this.checksPassword(call, depth)) return { kind: 'credential' };
    if (this.looksUpSubmitted(call, depth)) return { kind: 'record' };
    const callee = skipOuterExpressions(call.expression);
    if (ts.isPropertyAccessExpression(callee)) {
      const method = callee.name.text.toLowerCase();
      const receiver = this.subject(callee.expression, depth);
      if (receiver.kind === 'credential' && PASS_THROUGH.has(method)) return receiver;
      const key = stringValue(call.arguments[0]);
      if (READERS.has(method) && key !== undefined && (receiver.kind === 'request' || this.mentions(this.maskedText(callee.expression, 0), HEADER_BAGS))) {
        return this.requestMember(key);
      }
      if (method === 'getrequest') return { kind: 'request' };
    }
    const local = this.localFunction(callee as ts.Expression);
    if (local) return this.returnedSubject(local, depth);
    if (this.mentions(this.maskedText(callee, 0), this.vocab.unrelated)) return NONE;
    // The function's own name, not its namespace: `WIKI.auth.checkAccess(…)` checks access, it does not authenticate.
    const name = this.calleeName(callee as ts.Expression);
    const args = call.arguments.map((arg) => this.subject(arg, depth + 1));
    const aboutCaller = args.some((a) => a.kind === 'credential' || a.kind === 'principal' || a.kind === 'request');
    if (this.mentions(name, this.vocab.authorization) && aboutCaller) return { kind: 'principal', attribute: 'authorization' };
    if (args.some((a) => a.kind === 'credential')) return { kind: 'principal' };
    // `getCurrentUser(req)` yields the caller; `findOneByUserId(ctx, id)` looks up a record about them.
    const looksUp = this.mentions(name, LOOKUPS);
    // `Grant.find(ctx.oidc.accessToken.grantId)`: what the caller's credential refers to, whatever the record is called.
    if (looksUp && call.arguments.flatMap(keysOf).some((key) => this.readsCredential(key, depth + 1))) return { kind: 'principal' };
    const authenticates = this.mentions(name, this.vocab.credential) || (this.mentions(name, this.vocab.principal) && !looksUp) || this.mentions(name, this.vocab.verification);
    if (authenticates && (args.length === 0 || args.some((a) => a.kind === 'request' || isCaller(a)))) return { kind: 'principal' };
    // `getServerSession(authOptions)`, `getSession(config)`: a session getter reads the caller's own session, whatever config it is given.
    if (this.mentions(name, SESSION) && !looksUp && args.every((a) => a.kind !== 'client-data')) return { kind: 'principal' };
    return NONE;
  }

  /**
   * A lookup key read from the caller's credential: the credential itself
   * (`req.cookies.sid`), or a member the request holds under a credential's
   * name (`ctx.oidc.accessToken.grantId`); not the principal's identity
   * (`req.session.userId`), which keys records about the caller, nor what the
   * client sends as data.
   */
  private readsCredential(key: ts.Expression, depth: number): boolean {
    const subject = this.subject(key, depth);
    if (subject.kind === 'credential') return !subject.attribute;
    if (subject.kind !== 'none') return false;
    let root = skipOuterExpressions(key) as ts.Expression;
    const path: string[] = [];
    while (ts.isPropertyAccessExpression(root)) {
      path.push(root.name.text);
      root = skipOuterExpressions(root.expression) as ts.Expression;
    }
    if (path.length === 0 || this.subject(root, depth).kind !== 'request') return false;
    const text = path.reverse().join(' ');
    return this.mentions(text, this.vocab.credential) && !this.mentions(text, this.vocab.unrelated);
  }

  /** What a function of this file returns, when it returns one expression. */
  private returnedSubject(fn: ts.FunctionLikeDeclaration, depth: number): Subject {
    const returned = singleReturn(fn);
    if (!returned || this.expanding.has(fn)) return NONE;
    this.expanding.add(fn);
    const subject = this.subject(returned, depth + 1);
    this.expanding.delete(fn);
    return subject;
  }

  /**
   * A call given the password the client sent (`bcrypt.compare(password, hash)`,
   * `user.validPassword(req.body.password)`): it checks a credential, so its
   * failure is an authentication failure whatever else the call names.
   */
  private checksPassword(call: ts.CallExpression, depth = 0): boolean {
    return call.arguments.some((arg) => this.mentions(this.readName(arg), this.vocab.password) && this.subject(arg, depth + 1).kind === 'client-data');
  }

  /**
   * The name a value is read by: `password` of `req.body.password`, of `{ password } = req.body`, of `{ password: pw }`,
   * and of `const pw = req.body.password`; a local name itself says nothing.
   */
  private readName(expression: ts.Expression, depth = 0): string {
    const node = skipOuterExpressions(expression);
    if (ts.isPropertyAccessExpression(node)) return node.name.text;
    if (ts.isElementAccessExpression(node)) return stringValue(node.argumentExpression) ?? '';
    if (!ts.isIdentifier(node)) return '';
    const destructured = destructuredFrom(node);
    if (destructured) return destructured.property;
    const declaration = this.ctx.scopes.lookup(node.text, node);
    if (declaration?.kind === 'variable') return declaration.initializer && depth < MAX_DEPTH ? this.readName(declaration.initializer, depth + 1) : '';
    return declaration ? '' : node.text;
  }

  /**
   * A record lookup keyed by what the client sent and not by the caller
   * (`Admin.findOne({ email })`, `users.findByEmail(req.body.email)`); one that
   * is also keyed by the caller (`Membership.findOne({ userId: req.user.id, orgId })`)
   * is the caller's own record, whose absence can be a permission failure.
   */
  private looksUpSubmitted(call: ts.CallExpression, depth = 0): boolean {
    const callee = skipOuterExpressions(call.expression);
    if (!this.mentions(this.calleeName(callee as ts.Expression), LOOKUPS)) return false;
    const keys = call.arguments.flatMap(keysOf).map((key) => this.subject(key, depth + 1));
    return keys.some((key) => key.kind === 'client-data') && !keys.some(isCaller);
  }

  /** `req.headers.authorization`, `req.cookies.sid`, `req.user`, `ctx.state.user`, `request.auth`; not `req.body.token`. */
  private requestMember(name: string): Subject {
    const lower = name.toLowerCase();
    if (this.vocab.credentialHeaders.includes(lower)) return { kind: 'credential' };
    if (this.vocab.clientData.has(lower)) return { kind: 'client-data' };
    if (this.mentions(name, this.vocab.unrelated)) return NONE;
    if (CONTAINERS.has(lower)) return { kind: 'request' };
    if (this.mentions(name, this.vocab.principal)) {
      // `req.userRole` is a permission; `req.user`, `req.session`, `request.auth` are the caller.
      return this.mentions(name, this.vocab.authorization) ? { kind: 'principal', attribute: 'authorization' } : { kind: 'principal' };
    }
    if (this.mentions(name, this.vocab.credential)) return { kind: 'credential' };
    return NONE;
  }

  private member(base: Subject, name: string): Subject {
    if (base.feathers === 'context' && name === 'params') return { kind: 'request', feathers: 'params' };
    if (base.feathers === 'params' && name === 'authentication') return { kind: 'credential' };
    if (base.kind === 'request') return this.requestMember(name);
    if (base.kind === 'verify-error' || base.kind === 'client-data') return base;
    if (!isCaller(base)) return NONE;
    // `permissions.pages.write` of `getEffectivePermissions(req)`: every part of a permission set is a permission.
    if (name === '#' || base.attribute === 'authorization') return base;
    if (this.mentions(name, this.vocab.authorization) || this.mentions(name, this.vocab.accountState)) return { kind: base.kind, attribute: 'authorization' };
    if (this.mentions(name, this.vocab.expiry)) return { kind: base.kind, attribute: 'expiry' };
    if (this.vocab.identity.has(name.toLowerCase())) return { kind: 'principal', attribute: 'identity' };
    if (this.mentions(name, this.vocab.principal) || this.mentions(name, STRONG_CHECKS)) return { kind: 'principal' };
    if (this.mentions(name, this.vocab.credential)) return { kind: 'credential' };
    return { kind: base.kind, attribute: 'other' };
  }

  /** Whether text names a permission check; account-state words count only when the principal is involved. */
  private permits(text: string, principalInvolved: boolean): boolean {
    return this.mentions(text, this.vocab.authorization) || (principalInvolved && this.mentions(text, this.vocab.accountState));
  }

  /**
   * The text that decides an atom's kind: its own, with each local name
   * masked. A bare operand that names a variable reads as its initializer
   * (`!isAdmin` where `const isAdmin = user.role === 'admin'` reads as the
   * comparison); any other local name (a parameter, a function, a variable
   * read through a member) reads as nothing, a destructured one as the member
   * it was read from. The author's label for a value is no evidence: `const
   * admin = await Admin.findOne({ email })` holds an account, `check(admin)`
   * may be handed anything. What remains are member names, literals and
   * imported names, which say what the code reads and which library call
   * decides. A name read through a member (`user.username`) is not followed:
   * its initializer (a query) says what was looked up, not what is tested.
   */
  private decisiveText(node: ts.Expression): string {
    const operands = ts.isBinaryExpression(node) ? [node.left, node.right] : ts.isCallExpression(node) ? [...node.arguments] : [node];
    return this.maskedText(node, 0, operands.map((operand) => skipOuterExpressions(operand)));
  }

  /**
   * `node`'s text with its local names masked: those in `followed` (or every
   * one, when `followed` is undefined) read as their initializers, `depth`
   * levels at most; the others as nothing.
   */
  private maskedText(node: ts.Node, depth: number, followed?: readonly ts.Node[]): string {
    const source = this.ctx.sourceFile;
    const text = node.getText(source);
    const start = node.getStart(source);
    let result = '';
    let at = 0;
    const visit = (child: ts.Node): void => {
      if (ts.isIdentifier(child)) {
        const replacement = this.localReading(child, depth, !followed || followed.includes(child));
        if (replacement === undefined) return;
        const from = child.getStart(source) - start;
        result += `${text.slice(at, from)} ${replacement} `;
        at = from + child.getWidth(source);
        return;
      }
      ts.forEachChild(child, visit);
    };
    visit(node);
    return at === 0 ? text : result + text.slice(at);
  }

  /** How a local name reads in a masked text (see `decisiveText`); undefined for a name that is not local. */
  private localReading(name: ts.Identifier, depth: number, follow: boolean): string | undefined {
    if (!isValueReference(name)) return undefined;
    const declaration = this.ctx.scopes.lookup(name.text, name);
    if (declaration?.kind === 'variable') {
      const held = declaration.initializer;
      return follow && held && !isFunctionLike(held) && depth < 2 ? this.maskedText(held, depth + 1) : '';
    }
    if (declaration?.kind === 'parameter' || declaration?.kind === 'function') return '';
    if (declaration) return undefined;
    const bound = destructuredFrom(name) ?? destructuredParameter(name);
    if (bound) return bound.property;
    return destructuredContextMember(name) ?? (isCatchBinding(name) ? '' : undefined);
  }

  /**
   * Whether an expression names an unrelated check, read with the
   * initializers of the local names in it (two levels deep), so that `const ok =
   * csrf(req); if (!ok)` reads as CSRF; the names themselves are masked as in
   * `decisiveText`. Both polarities of a condition ask.
   */
  private namesUnrelatedCheck(node: ts.Expression): boolean {
    let names = this.unrelatedByNode.get(node);
    if (names === undefined) {
      names = this.mentions(this.maskedText(node, 0), this.vocab.unrelated);
      this.unrelatedByNode.set(node, names);
    }
    return names;
  }

  /** A function declared in this file: its name is its author's label, its body says what it does. */
  private localFunction(callee: ts.Expression): ts.FunctionLikeDeclaration | undefined {
    if (!ts.isIdentifier(callee)) return undefined;
    const declaration = this.ctx.scopes.lookup(callee.text, callee);
    const fn = declaration?.kind === 'function' ? declaration.node : declaration?.kind === 'variable' ? declaration.initializer : undefined;
    return fn && isFunctionLike(fn) ? fn : undefined;
  }

  /** The name a callee is known by, as evidence: none for a function of this file (its body is read instead). */
  private calleeName(callee: ts.Expression): string {
    if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
    return this.localFunction(callee) ? '' : callee.getText(this.ctx.sourceFile);
  }
}

/** An identifier read as a value, not a member name, key or declaration of one. */
function isValueReference(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
  if (ts.isQualifiedName(parent) && parent.right === node) return false;
  if ((ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent) || ts.isPropertyDeclaration(parent)) && parent.name === node) return false;
  return !(ts.isBindingElement(parent) && parent.propertyName === node);
}

/** `catch (e)`: the error's name is its author's label too. */
function isCatchBinding(node: ts.Identifier): boolean {
  for (let scope: ts.Node | undefined = node.parent; scope; scope = scope.parent) {
    if (ts.isCatchClause(scope)) {
      const name = scope.variableDeclaration?.name;
      if (name && ts.isIdentifier(name) && name.text === node.text) return true;
    }
  }
  return false;
}

function all(kinds: GuardKind[]): GuardKind {
  if (kinds.includes('unrelated')) return 'unrelated';
  if (kinds.includes('mixed')) return 'mixed';
  const authn = kinds.includes('authentication');
  const authz = kinds.includes('authorization');
  if (authn && (authz || kinds.includes('authenticated'))) return 'mixed';
  if (authn) return 'authentication';
  if (authz) return 'authorization';
  return kinds.includes('authenticated') ? 'authenticated' : 'neutral';
}

/** Either part may take the branch: they must agree, and a part that says nothing leaves the reason unknown. */
function any(kinds: GuardKind[]): GuardKind {
  if (kinds.includes('unrelated')) return 'unrelated';
  if (kinds.includes('mixed')) return 'mixed';
  const [first, ...rest] = kinds;
  if (rest.every((k) => k === first)) return first;
  if (kinds.includes('neutral')) return 'neutral';
  return 'mixed';
}

function equalityOf(op: ts.SyntaxKind): boolean | undefined {
  if (op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken) return true;
  if (op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken) return false;
  return undefined;
}

/** `null`, `undefined`, `''` */
function isEmpty(node: ts.Expression): boolean {
  return node.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(node) && node.text === 'undefined') || stringValue(node) === '';
}

function typeofOperand(node: ts.Expression): ts.Expression {
  return ts.isTypeOfExpression(node) ? node.expression : node;
}

/** `typeof x === 'undefined'` → x */
function typeofUndefined(a: ts.Expression, b: ts.Expression): ts.Expression | undefined {
  return ts.isTypeOfExpression(a) && stringValue(b) === 'undefined' ? a.expression : undefined;
}

/** The one expression a function returns: an arrow's expression body, or a body that is a single `return`. */
function singleReturn(fn: ts.FunctionLikeDeclaration): ts.Expression | undefined {
  const body = fn.body;
  if (!body) return undefined;
  if (!ts.isBlock(body)) return body as ts.Expression;
  const [only] = body.statements;
  return body.statements.length === 1 && ts.isReturnStatement(only) ? only.expression : undefined;
}

/** Whether an expression reads through `?.` anywhere. */
function hasOptionalLink(node: ts.Node): boolean {
  let found = false;
  const visit = (child: ts.Node): void => {
    if (found) return;
    if ((ts.isPropertyAccessExpression(child) || ts.isElementAccessExpression(child) || ts.isCallExpression(child)) && child.questionDotToken) found = true;
    else ts.forEachChild(child, visit);
  };
  visit(node);
  return found;
}

/** `project.ownerId !== session.user.id`: the principal's identity compared with a resource's. */
function isOwnership(a: Subject, b: Subject): boolean {
  return a.kind === 'principal' && a.attribute === 'identity' && !isCaller(b) && b.kind !== 'verify-error';
}

/** The caller's credential or principal. */
function isCaller(subject: Subject): boolean {
  return subject.kind === 'credential' || subject.kind === 'principal';
}

/** The values a lookup is keyed by: an argument, or the values of an object literal argument (`{ where: { email } }`). */
function keysOf(argument: ts.Expression): ts.Expression[] {
  const node = skipOuterExpressions(argument);
  if (!ts.isObjectLiteralExpression(node)) return [node as ts.Expression];
  return node.properties.flatMap((property) => {
    if (ts.isShorthandPropertyAssignment(property)) return [property.name];
    return ts.isPropertyAssignment(property) ? keysOf(property.initializer) : [];
  });
}

/** `const { user } = req` → the initializer and the property read from it. */
function destructuredFrom(node: ts.Identifier): { initializer: ts.Expression; property: string } | undefined {
  for (let scope: ts.Node | undefined = node.parent; scope; scope = scope.parent) {
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope)) continue;
    for (const statement of scope.statements) {
      if (!ts.isVariableStatement(statement) || statement.pos > node.pos) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (!ts.isObjectBindingPattern(declaration.name) || !declaration.initializer) continue;
        for (const element of declaration.name.elements) {
          if (ts.isIdentifier(element.name) && element.name.text === node.text) {
            const property = element.propertyName ? element.propertyName.getText() : element.name.text;
            return { initializer: declaration.initializer, property };
          }
        }
      }
    }
  }
  return undefined;
}

/** The context property a name is destructured from in the first parameter of an enclosing function (`({ headers }) => …` → `headers`). */
function destructuredContextMember(node: ts.Identifier): string | undefined {
  for (let scope: ts.Node | undefined = node.parent; scope; scope = scope.parent) {
    if (!isFunctionLike(scope)) continue;
    const pattern = scope.parameters[0]?.name;
    if (!pattern || !ts.isObjectBindingPattern(pattern)) continue;
    for (const element of pattern.elements) {
      if (element.dotDotDotToken || !ts.isIdentifier(element.name) || element.name.text !== node.text) continue;
      const key = element.propertyName ?? element.name;
      return ts.isIdentifier(key) ? key.text : undefined;
    }
  }
  return undefined;
}

/** The typed parameter a name is destructured from in the signature of a function around it: `({ auth }: HttpContext) => …`. */
function destructuredParameter(node: ts.Identifier): { param: ts.ParameterDeclaration; property: string } | undefined {
  for (let scope: ts.Node | undefined = node.parent; scope; scope = scope.parent) {
    if (!isFunctionLike(scope)) continue;
    for (const param of scope.parameters) {
      if (!ts.isObjectBindingPattern(param.name)) continue;
      for (const element of param.name.elements) {
        if (ts.isIdentifier(element.name) && element.name.text === node.text) {
          return { param, property: element.propertyName ? element.propertyName.getText() : element.name.text };
        }
      }
    }
  }
  return undefined;
}
