import ts from 'typescript';
import { functionName, isAncestorOf, isFunctionLike, isStatementList, skipOuterExpressions } from '../ast';
import type { RelatedLocation } from '../types';
import type { FileModel } from './concepts';
import type { GuardClassifier, GuardKind } from './guard-kind';
import { MountOrder, type AuthenticationEvidence } from './mount-order';

/** Why a status is sent: the kind of guard that leads to it, and how to name that guard in a message. */
export interface Reason {
  kind: Exclude<GuardKind, 'neutral' | 'unrelated' | 'mixed'>;
  /** "this branch runs when `!token`" */
  evidence: string;
  /** Where the code is mounted after authentication, when that decided the kind. */
  related?: RelatedLocation[];
}

/** One place on the way out from a status where something decides whether it runs. */
type Decision =
  | { form: 'branch' | 'fallthrough' | 'choice' | 'assertion' | 'guard-return'; condition: ts.Expression; whenTrue: boolean }
  | { form: 'case'; subject: ts.Expression; label: ts.Expression }
  | { form: 'catch'; verification: ts.CallExpression };

type StatementList = ts.Block | ts.SourceFile | ts.ModuleBlock | ts.CaseClause | ts.DefaultClause;

/** How many helper layers are followed to their call sites (`deny(res)` called from a guard). */
const HELPER_DEPTH = 2;
const MAX_TEXT = 70;

/**
 * Finds the guard that decides whether a status is sent, reading outward from
 * it within its function: `if`/`else` branches, early-return guards before it
 * (`if (ok) return next();`), conditional and `&&` expressions, `catch`
 * blocks of a verification call, the error of a verification callback
 * (`jwt.verify(t, k, (err) => …)`), assertions (`ctx.assert(cond, 401)`), and
 * for a helper in the same file, the guards around its calls.
 *
 * The first guard that speaks of auth decides. Guards that say nothing of auth
 * are passed over, but then only a failure can decide: a principal that is
 * merely present (`if (req.user) { if (!doc) … }`) does not explain the status.
 */
export class GuardFinder implements AuthenticationEvidence {
  private readonly sourceFile: ts.SourceFile;
  private readonly exitGuards = new Map<StatementList, ts.IfStatement[]>();
  readonly mounts: MountOrder;
  /** Set while reading what a middleware's own code shows (whether it authenticates): where it is mounted does not count then. */
  private ownCodeOnly = false;

  constructor(private readonly model: FileModel, private readonly classifier: GuardClassifier) {
    this.sourceFile = model.sourceFile;
    this.mounts = new MountOrder(model, classifier.ctx, classifier, this);
  }

  /** The reason `node` runs; `first` is a decision the emission itself carries (an assertion's condition). */
  reasonFor(node: ts.Node, first?: Decision, depth = 0): Reason | undefined {
    let crossedNeutral = false;
    const decisions = first ? [first, ...this.decisions(node)] : this.decisions(node);
    for (const decision of decisions) {
      // Past a guard that says nothing of auth, only enclosing guards explain the status, not earlier siblings.
      if (crossedNeutral && decision.form === 'fallthrough') continue;
      let kind = this.kindOf(decision);
      const mounted = kind === 'mixed' && 'condition' in decision && !this.ownCodeOnly ? this.mounts.authenticatedMounts(node) : undefined;
      // `!req.user || !req.user.isAdmin` in a middleware every route mounts after authentication fails on the role.
      if (mounted && 'condition' in decision) kind = this.classifier.classifyForKnownCaller(decision.condition, decision.whenTrue);
      if (kind === 'neutral') {
        crossedNeutral = true;
        continue;
      }
      if (kind === 'unrelated' || kind === 'mixed') return undefined;
      if (kind === 'authenticated' && crossedNeutral) return undefined;
      // `if (!req.user) return …; res.status(401)`: that the caller got past a sign-in check
      // says nothing of why this status is sent, so it is no evidence of a permission failure.
      if (kind === 'authenticated' && decision.form === 'fallthrough') return undefined;
      if (mounted) return { kind, evidence: `${this.describe(decision)}, and every route mounts this after authentication`, related: mounted };
      return { kind, evidence: this.describe(decision) };
    }
    if (crossedNeutral || depth >= HELPER_DEPTH) return undefined;
    return this.reasonAtCalls(node, depth);
  }

  /**
   * Whether the code runs only for a caller already known: inside `if (req.user)`,
   * or past `if (!req.user) return …`. A 403 there refuses someone the code has
   * accepted, so whatever else it tests (a download token, a second header) is
   * not the credential that identifies them, and a swap to 401 would undo that.
   */
  runsForKnownCaller(node: ts.Node): boolean {
    for (const decision of this.decisions(node)) {
      if (decision.form === 'catch' || decision.form === 'case') continue;
      if (this.classifier.classify(decision.condition, decision.whenTrue) === 'authenticated') return true;
    }
    return false;
  }

  /** Whether `fn` sends a 401 because the caller's credential failed, by its own code. */
  sendsAuthenticationFailure(fn: ts.FunctionLikeDeclaration): boolean {
    return this.ownCode(() =>
      this.model.emissions.some((emission) => isAncestorOf(fn, emission.node) && emission.sites.some((site) => site.value === 401 && this.reasonFor(site.node)?.kind === 'authentication')),
    );
  }

  /** Whether `fn` calls `next` because the credential is missing (`if (!token) return next()`): optional authentication lets anyone through. */
  passesWithoutCredential(fn: ts.FunctionLikeDeclaration): boolean {
    const next = fn.parameters[fn.parameters.length - 1]?.name;
    if (!next || !ts.isIdentifier(next)) return false;
    // `next(err)` hands a failure on; only a bare `next()` lets the request through.
    const calls = (this.model.callsByName.get(next.text) ?? []).filter((call) => call.arguments.length === 0 && isAncestorOf(fn, call));
    return this.ownCode(() => calls.some((call) => this.reasonFor(call)?.kind === 'authentication'));
  }

  private ownCode<T>(read: () => T): T {
    const outer = this.ownCodeOnly;
    this.ownCodeOnly = true;
    try {
      return read();
    } finally {
      this.ownCodeOnly = outer;
    }
  }

  /**
   * Whether the code sits in a flow that is not about the caller's identity,
   * judged by the names of its enclosing functions and classes and the routes
   * they serve (`resetPassword`, `PasswordResetUsecase`, `app.post('/invitations/:id/accept', …)`).
   *
   * Here names decide, and deliberately only one way: they can withhold a
   * finding, never make one or turn a 401 finding into a 403 one. Such flows
   * test their own link tokens under names that cannot be told from the
   * caller's credential (`req.headers.authorization` carrying an unsubscribe
   * token), and a wrong swap there breaks the flow; a missed swap costs a finding.
   */
  inUnrelatedFlow(node: ts.Node): boolean {
    for (let current = node.parent; current; current = current.parent) {
      if (ts.isClassDeclaration(current) && current.name && this.classifier.isUnrelated(current.name.text)) return true;
      if (!isFunctionLike(current)) continue;
      const name = declaredName(current);
      if (name && this.classifier.isUnrelated(name)) return true;
      const call = current.parent;
      // An e-mail route (`/verify-email/:token`) checks a link's token, not the caller's credential.
      const routes = ts.isCallExpression(call) ? call.arguments.filter(ts.isStringLiteralLike) : [];
      if (routes.some((route) => this.classifier.isUnrelated(route.text) || /email/i.test(route.text))) return true;
    }
    return false;
  }

  /**
   * Whether the code sits in a routine that authenticates the caller
   * (`verifyToken`, `authenticate`, a Passport strategy's `validate`): the
   * caller has not been accepted yet, so whatever it refuses is refused as
   * "who are you?", and a 401 there is not a permission failure. The name
   * (often a framework's hook name, Passport's `validate`) only withholds a
   * 401 → 403 swap; it never makes a finding.
   */
  inAuthenticationRoutine(node: ts.Node): boolean {
    for (let current = node.parent; current; current = current.parent) {
      if (!isFunctionLike(current)) continue;
      const name = declaredName(current);
      if (name) return this.classifier.isAuthenticationName(name);
    }
    return false;
  }

  private kindOf(decision: Decision): GuardKind {
    if (decision.form === 'catch') return 'authentication';
    if (decision.form === 'case') return this.classifier.classifyCase(decision.label);
    return this.classifier.classify(decision.condition, decision.whenTrue);
  }

  /** An assertion that sends its status when `condition` is falsy (`ctx.assert(user, 401)`), or truthy when `sendsWhenTruthy`. */
  static assertion(condition: ts.Expression, sendsWhenTruthy = false): Decision {
    return { form: 'assertion', condition, whenTrue: sendsWhenTruthy };
  }

  /** A NestJS guard's `return <expr>`: the request is denied when the expression is falsy. */
  static guardReturn(condition: ts.Expression): Decision {
    return { form: 'guard-return', condition, whenTrue: false };
  }

  private *decisions(start: ts.Node): Generator<Decision> {
    for (let node = start; node.parent; node = node.parent) {
      const parent = node.parent;
      if (ts.isConditionalExpression(parent) && node !== parent.condition) {
        yield { form: 'choice', condition: parent.condition, whenTrue: node === parent.whenTrue };
      } else if (ts.isBinaryExpression(parent) && node === parent.right) {
        const op = parent.operatorToken.kind;
        if (op === ts.SyntaxKind.AmpersandAmpersandToken) yield { form: 'branch', condition: parent.left, whenTrue: true };
        if (op === ts.SyntaxKind.BarBarToken) yield { form: 'branch', condition: parent.left, whenTrue: false };
      } else if (ts.isIfStatement(parent) && node !== parent.expression) {
        yield { form: 'branch', condition: parent.expression, whenTrue: node === parent.thenStatement };
      } else if (isStatementList(parent) && ts.isStatement(node)) {
        yield* this.earlierGuards(parent, node);
        // `switch (error.code) { case 'insufficient_scope': … }`: the case label says why its statements run.
        if (ts.isCaseClause(parent)) yield { form: 'case', subject: parent.parent.parent.expression, label: parent.expression };
      } else if (ts.isCatchClause(parent)) {
        const verification = this.verificationIn(parent.parent.tryBlock);
        if (verification) yield { form: 'catch', verification };
      } else if (isFunctionLike(parent)) {
        const rejection = this.rejectedVerification(parent);
        if (rejection) yield { form: 'catch', verification: rejection };
        // A callback runs inside the flow of the call it is passed to; a declared function does not.
        if (!isCallbackArgument(parent)) return;
      }
    }
  }

  /** `if (token) return next();` before the status: the status runs when the guard did not return. */
  private *earlierGuards(list: StatementList, statement: ts.Statement): Generator<Decision> {
    const guards = this.exitGuardsOf(list);
    for (let i = guards.length - 1; i >= 0; i--) {
      if (guards[i].pos < statement.pos) yield { form: 'fallthrough', condition: guards[i].expression, whenTrue: false };
    }
  }

  /** A list's `if` statements without `else` that leave the function, found once per list: a long list is asked about by every status in it. */
  private exitGuardsOf(list: StatementList): ts.IfStatement[] {
    let guards = this.exitGuards.get(list);
    if (!guards) {
      guards = list.statements.filter((s): s is ts.IfStatement => ts.isIfStatement(s) && !s.elseStatement && exits(s.thenStatement));
      this.exitGuards.set(list, guards);
    }
    return guards;
  }

  /** A verification call made directly in a `try` block with no `throw` of its own: its `catch` runs when the credential fails. */
  private verificationIn(block: ts.Block): ts.CallExpression | undefined {
    let found: ts.CallExpression | undefined;
    let throws = false;
    const visit = (node: ts.Node): void => {
      if (isFunctionLike(node)) return;
      if (ts.isThrowStatement(node)) throws = true;
      if (!found && ts.isCallExpression(node) && this.classifier.verifies(node)) found = node;
      ts.forEachChild(node, visit);
    };
    visit(block);
    return throws ? undefined : found;
  }

  /** `verify(token).catch(() => …)` and `.then(ok, () => …)` on a verification. */
  private rejectedVerification(fn: ts.FunctionLikeDeclaration): ts.CallExpression | undefined {
    const call = fn.parent;
    if (!ts.isCallExpression(call)) return undefined;
    const callee = skipOuterExpressions(call.expression);
    if (!ts.isPropertyAccessExpression(callee)) return undefined;
    const handlesRejection = (callee.name.text === 'catch' && call.arguments[0] === fn) || (callee.name.text === 'then' && call.arguments[1] === fn);
    if (!handlesRejection) return undefined;
    for (let node: ts.Expression = callee.expression; ; ) {
      const inner = skipOuterExpressions(node) as ts.Expression;
      if (!ts.isCallExpression(inner)) return undefined;
      if (this.classifier.verifies(inner)) return inner;
      const innerCallee = skipOuterExpressions(inner.expression);
      if (!ts.isPropertyAccessExpression(innerCallee)) return undefined;
      node = innerCallee.expression;
    }
  }

  /**
   * A status sent unconditionally by a helper in this file (`function deny(res) { res.status(403)… }`):
   * the guards around its calls decide, when they all agree.
   */
  private reasonAtCalls(node: ts.Node, depth: number): Reason | undefined {
    let fn: ts.Node | undefined = node.parent;
    while (fn && !isFunctionLike(fn)) fn = fn.parent;
    if (!fn || isCallbackArgument(fn as ts.FunctionLikeDeclaration)) return undefined;
    const name = functionName(fn as ts.FunctionLikeDeclaration);
    const calls = name ? this.model.callsByName.get(name) ?? [] : [];
    if (calls.length === 0) return undefined;
    const reasons = calls.map((call) => this.reasonFor(call, undefined, depth + 1));
    const [first] = reasons;
    if (!first || reasons.some((r) => r?.kind !== first.kind)) return undefined;
    return { kind: first.kind, evidence: `\`${name}(…)\` is called where ${first.evidence.replace(/^this (branch )?runs/, 'the code runs')}` };
  }

  private describe(decision: Decision): string {
    if (decision.form === 'catch') {
      return `this runs when \`${clip(decision.verification.expression.getText(this.sourceFile))}(…)\` fails`;
    }
    if (decision.form === 'case') {
      return `this case runs when \`${clip(this.oneLine(decision.subject))}\` is \`${clip(this.oneLine(decision.label))}\``;
    }
    const when = this.whenText(decision.condition, decision.whenTrue) + this.verificationErrorNote(decision.condition);
    switch (decision.form) {
      case 'branch':
        return `this branch runs when ${when}`;
      case 'fallthrough':
        return `this runs when ${when}`;
      case 'choice':
        return `this status is chosen when ${when}`;
      case 'assertion':
        // `response.abortIf(cond, …)` sends on a truthy condition: there is no assertion to fail.
        return decision.whenTrue ? `this aborts when ${when}` : `the assertion fails when ${when}`;
      case 'guard-return':
        return `\`canActivate\` returns false when ${when}`;
    }
  }

  /** ` (the error of \`jwt.verify\`)` when the condition is a verification callback's error parameter. */
  private verificationErrorNote(condition: ts.Expression): string {
    const node = skipOuterExpressions(condition);
    const fn = ts.isIdentifier(node) ? enclosingFunctionWithParameter(node) : undefined;
    const call = fn?.parent;
    if (!fn || fn.parameters[0]?.name.getText(this.sourceFile) !== (node as ts.Identifier).text) return '';
    if (!call || !ts.isCallExpression(call) || !this.classifier.verifies(call)) return '';
    return ` (the error of \`${clip(call.expression.getText(this.sourceFile))}\`)`;
  }

  private oneLine(node: ts.Node): string {
    return node.getText(this.sourceFile).replace(/\s+/g, ' ');
  }

  /** The condition as it holds on this path: `!token` for the else of `if (token)`. */
  private whenText(condition: ts.Expression, whenTrue: boolean): string {
    const node = skipOuterExpressions(condition) as ts.Expression;
    const text = (n: ts.Node) => this.oneLine(n);
    if (whenTrue) return `\`${clip(text(condition))}\``;
    if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) return `\`${clip(text(node.operand))}\``;
    const simple = ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) || ts.isCallExpression(node);
    return simple ? `\`!${clip(text(node))}\`` : `\`!(${clip(text(node))})\``;
  }
}

/** A statement that always leaves the function: `return …`, `throw …`, or a block ending in one. */
function exits(statement: ts.Statement): boolean {
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return true;
  if (ts.isBlock(statement)) {
    const last = statement.statements[statement.statements.length - 1];
    return !!last && exits(last);
  }
  return false;
}

/** A function's name, including one assigned to a member (`controller.unsubscribePost = async function …`). */
function declaredName(fn: ts.FunctionLikeDeclaration): string | undefined {
  const parent = fn.parent;
  if (ts.isBinaryExpression(parent) && parent.right === fn && ts.isPropertyAccessExpression(parent.left)) return parent.left.name.text;
  return functionName(fn);
}

/** The nearest enclosing function that declares a parameter named like `id`. */
function enclosingFunctionWithParameter(id: ts.Identifier): ts.FunctionLikeDeclaration | undefined {
  for (let current = id.parent; current; current = current.parent) {
    if (isFunctionLike(current) && current.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === id.text)) return current;
  }
  return undefined;
}

function isCallbackArgument(fn: ts.FunctionLikeDeclaration): boolean {
  const parent = fn.parent;
  return (ts.isCallExpression(parent) || ts.isNewExpression(parent)) && !!parent.arguments?.includes(fn as ts.Expression);
}

function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}
