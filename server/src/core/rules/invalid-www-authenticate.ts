import ts from 'typescript';
import { checkChallenges, realmOf, type ChallengeProblem, type ValueEdit } from '../http/check-challenges';
import type { FileModel, HeaderValue } from '../model/concepts';
import { HeaderValueReader, HOLE, type LiteralSpan, type ValueText } from '../model/header-value-text';
import type { TextEdit } from '../types';
import type { Rule, RuleContext, RuleReport } from './rule';

const HEADER = 'www-authenticate';
/** The realm a fix adds when the `challenge` setting names none. */
const DEFAULT_REALM = 'api';

export const invalidWwwAuthenticate: Rule = {
  id: 'invalid-www-authenticate',
  meta: {
    fixable: true,
    securitySeverity: 3.1,
    tags: ['security', 'correctness', 'http', 'rfc9110', 'rfc6750', 'rfc7617'],
    docs: {
      summary: 'A WWW-Authenticate value must be a valid challenge list.',
      whatItDoes:
        'Checks every `WWW-Authenticate` value the code sets whose text it can read: string and template literals (a `${…}` inside a quoted ' +
        'parameter counts as quoted text), `+` concatenations, constants and members of constant objects in the same file, both arms of `?:`, ' +
        '`??` and `||`, arrays of values, and the challenge Boom builds from `Boom.unauthorized(message, scheme, attributes)`. ' +
        'Values set with `res.set`/`setHeader`/`header`/`append`, `headers.set`, `res.headers[…] =`, `writeHead` headers, a `Response` init, ' +
        "an error's `headers` (http-errors, Koa's `ctx.throw`) and Hono's helpers are all read.\n\n" +
        'The value must parse as a list of challenges (RFC 9110 §11.3, §11.6.1): an auth-scheme, then a token68 or comma-separated ' +
        '`name=value` parameters with token or quoted-string values, quotes closed, challenges separated by commas, no empty list elements, ' +
        'no whitespace around `=`. Each parameter occurs once per challenge (§11.2) and `realm` is a quoted string (§11.5). ' +
        '`Basic` carries `realm`, and only `realm` and `charset="UTF-8"` (RFC 7617 §2, §2.1). `Bearer` carries at least one auth-param, ' +
        'its `error` is `invalid_request`, `invalid_token` or `insufficient_scope` (RFC 6750 §3.1; `insufficient_user_authentication` from ' +
        'RFC 9470 is accepted too) and `error_description` holds printable ASCII only. Other schemes (`Digest`, `Negotiate`, `DPoP`, vendor ' +
        'schemes) are checked for syntax only. A value that is computed (read from configuration, returned by a function) is never guessed: ' +
        'where the unknown part decides the structure, nothing is reported.',
      whyIsThisBad:
        'A client reads the challenge to decide how to authenticate. A malformed one is as useless as none: HTTP libraries that parse ' +
        '`WWW-Authenticate` (browsers for Basic, OAuth clients for Bearer) drop challenges they cannot parse, so the browser shows no login ' +
        'prompt and the OAuth client cannot tell an expired token (`error="invalid_token"`) from a missing one. `Basic` without `realm` ' +
        'breaks RFC 7617, which makes `realm` required, and an `error` code outside RFC 6750\'s list is one no client acts on.\n\n' +
        'A 401 whose `WWW-Authenticate` is present but malformed is reported by this rule alone; `missing-www-authenticate` stays silent there.',
      example: [
        "app.get('/me', (req, res) => {",
        '  if (!req.user) {',
        "    res.set('WWW-Authenticate', 'Basic');",
        "    return res.status(401).json({ error: 'sign in first' });",
        '  }',
        '  res.json(req.user);',
        '});',
      ].join('\n'),
      useInstead: [
        "app.get('/me', (req, res) => {",
        '  if (!req.user) {',
        "    res.set('WWW-Authenticate', 'Basic realm=\"api\", charset=\"UTF-8\"');",
        "    return res.status(401).json({ error: 'sign in first' });",
        '  }',
        '  res.json(req.user);',
        '});',
      ].join('\n'),
      fixSafety:
        'Fixes are offered where the intent is plain: add `realm="…"` (the realm of the `challenge` setting, else `"api"`; for Boom, an ' +
        '`attributes` object), quote an unquoted `realm`, insert a missing comma between parameters or challenges, remove a parameter ' +
        'repeated with the same value, a stray comma, whitespace around `=`, or a `WWW-Authenticate:` prefix written into the value. ' +
        'The edit is made in the string literal the text comes from (in a constant only when that constant is read once). No fix is offered ' +
        'for an unknown `error` code, a parameter repeated with different values, or Basic parameters other than `realm` and `charset`: ' +
        'which one you mean is yours to say.',
      options: '`challenge` (string): its realm is the one a fix adds. Default `Bearer realm="api"`.',
      references: [
        { title: 'RFC 9110 §11.3 Challenge and Response', url: 'https://www.rfc-editor.org/rfc/rfc9110#section-11.3' },
        { title: 'RFC 9110 §11.2 Authentication Parameters', url: 'https://www.rfc-editor.org/rfc/rfc9110#section-11.2' },
        { title: 'RFC 9110 §11.5 Establishing a Protection Space (Realm)', url: 'https://www.rfc-editor.org/rfc/rfc9110#section-11.5' },
        { title: 'RFC 9110 §11.6.1 WWW-Authenticate', url: 'https://www.rfc-editor.org/rfc/rfc9110#section-11.6.1' },
        { title: 'RFC 9110 §5.6 Common Rules for Defining Field Values', url: 'https://www.rfc-editor.org/rfc/rfc9110#section-5.6' },
        { title: 'RFC 7617 §2 The Basic Authentication Scheme', url: 'https://www.rfc-editor.org/rfc/rfc7617#section-2' },
        { title: 'RFC 6750 §3 The WWW-Authenticate Response Header Field', url: 'https://www.rfc-editor.org/rfc/rfc6750#section-3' },
      ],
    },
  },
  check(context) {
    const { model } = context;
    if (model.isTestFile) return [];
    const values = challengeValues(model, context.unit);
    if (values.length === 0) return [];
    const reader = new HeaderValueReader(model.sourceFile, context.ctx.scopes);
    const realm = realmOf(context.settings.challenge) ?? DEFAULT_REALM;
    const reports: RuleReport[] = [];
    const seen = new Set<string>();
    for (const value of values) {
      for (const report of valueReports(value, reader.read(value), realm, context)) {
        const key = `${report.start}:${report.end}:${report.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        reports.push(report);
      }
    }
    return reports;
  },
};

/**
 * Every `WWW-Authenticate` value set in the file (in `unit`, when one is
 * checked at a time: the emissions are that unit's, the header writes the file's), each once.
 */
function challengeValues(model: FileModel, unit: ts.Node | undefined): HeaderValue[] {
  const values: HeaderValue[] = [];
  const seen = new Set<ts.Node>();
  const add = (value: HeaderValue) => {
    const node = value.kind === 'expression' ? value.expression : value.node;
    if (seen.has(node)) return;
    seen.add(node);
    values.push(value);
  };
  for (const write of model.headerWrites) {
    if (unit && (write.node.pos < unit.pos || write.node.pos >= unit.end)) continue;
    if (write.op === 'set' && write.name === HEADER && write.value) add({ kind: 'expression', expression: write.value });
  }
  for (const emission of model.emissions) for (const value of emission.carried.values?.get(HEADER) ?? []) add(value);
  return values;
}

/**
 * The findings on one value. Each text the code spells out (an arm of `?:`)
 * is checked on its own; a library's variants (Boom with and without a
 * message) must all show the problem.
 */
function valueReports(value: HeaderValue, variants: ValueText[][], realm: string, context: RuleContext): RuleReport[] {
  const anchor = value.kind === 'expression' ? value.expression : value.node;
  let common: Map<string, RuleReport> | undefined;
  for (const alternatives of variants) {
    const found = new Map<string, RuleReport>();
    for (const text of alternatives) {
      const check = checkChallenges(text.text, text.holes, { realm });
      if (check.kind === 'unknown') continue;
      for (const problem of check.problems) {
        const report = toReport(problem, text, anchor, value, context);
        if (!found.has(key(report, problem))) found.set(key(report, problem), report);
      }
    }
    common = common ? new Map([...common].filter(([id]) => found.has(id))) : found;
  }
  return [...(common?.values() ?? [])];
}

/** The same problem at the same place, whichever text of the value shows it. */
function key(report: RuleReport, problem: ChallengeProblem): string {
  return `${report.start}:${report.end}:${problem.message}`;
}

function toReport(problem: ChallengeProblem, text: ValueText, anchor: ts.Node, value: HeaderValue, context: RuleContext): RuleReport {
  const { sourceFile } = context.model;
  // An empty range (an empty value) is reported on the whole expression.
  const range = problem.start < problem.end ? literalRange(text, problem.start, problem.end, sourceFile) : undefined;
  const shown = shownValue(text.text);
  const message = value.kind === 'built' ? `${builder(value.node, sourceFile)} sends \`WWW-Authenticate: ${shown}\`: ${problem.message}` : `\`WWW-Authenticate: ${shown}\`: ${problem.message}`;
  return {
    node: anchor,
    start: range && range.span.via.length === 0 ? range.start : anchor.getStart(sourceFile),
    end: range && range.span.via.length === 0 ? range.end : anchor.getEnd(),
    message,
    fix: problem.fix && fixFor(problem.fix, text, value, context),
  };
}

const SHOWN_LENGTH = 100;

/** The value as a message quotes it: unknown parts as `…`, control characters escaped, long values cut. */
function shownValue(text: string): string {
  const shown = text.replaceAll(HOLE, '…').replace(/[\x00-\x1f\x7f]/g, (c) => JSON.stringify(c).slice(1, -1));
  return shown.length > SHOWN_LENGTH ? `${shown.slice(0, SHOWN_LENGTH - 1)}…` : shown;
}

/** How a message names the call that builds a value: `Boom.unauthorized(…)`. */
function builder(node: ts.Node, sourceFile: ts.SourceFile): string {
  return ts.isCallExpression(node) || ts.isNewExpression(node) ? `\`${node.expression.getText(sourceFile)}(…)\`` : 'this call';
}

function fixFor(fix: NonNullable<ChallengeProblem['fix']>, text: ValueText, value: HeaderValue, context: RuleContext): RuleReport['fix'] {
  // A library adds the realm in its own idiom where it can (Boom's attributes), not inside the scheme's literal.
  if (value.kind === 'built' && fix.addsRealm !== undefined) {
    const edits = value.addParameter?.('realm', fix.addsRealm);
    if (edits && edits.length > 0) return { title: fix.title, edits };
  }
  const edits: TextEdit[] = [];
  for (const edit of fix.edits) {
    const source = sourceEdit(edit, text, context);
    if (!source) return undefined;
    edits.push(source);
  }
  return { title: fix.title, edits };
}

/** An edit of the value's text as an edit of the literal it comes from; undefined when it does not lie within one literal of this file. */
function sourceEdit(edit: ValueEdit, text: ValueText, context: RuleContext): TextEdit | undefined {
  const { sourceFile } = context.model;
  const range = literalRange(text, edit.start, edit.end, sourceFile);
  if (!range) return undefined;
  // Editing a constant changes every use of it: only one read in the file, the header's, may be edited.
  if (range.span.via.some((declaration) => references(declaration, sourceFile, context) !== 1)) return undefined;
  return { start: range.start, end: range.end, text: escapeFor(range.span.literal, edit.text, sourceFile) };
}

/**
 * The source range of the value's text between two offsets, when it lies
 * within one literal of this file whose escapes are known. An insertion
 * between two literals goes into the one read most directly (the template
 * around `${REALM}`, not the constant).
 */
function literalRange(text: ValueText, start: number, end: number, sourceFile: ts.SourceFile): { start: number; end: number; span: LiteralSpan } | undefined {
  let best: LiteralSpan | undefined;
  for (const span of text.spans) {
    if (span.sourceFile !== sourceFile || !span.offsets || start < span.start || end > span.end) continue;
    if (!best || span.via.length < best.via.length) best = span;
  }
  return best && { start: best.offsets![start - best.start], end: best.offsets![end - best.start], span: best };
}

function lookupVariable(context: RuleContext, name: string, at: ts.Node): ts.VariableDeclaration | undefined {
  const found = context.ctx.scopes.lookup(name, at);
  return found?.kind === 'variable' ? found.node : undefined;
}

/** How many times a constant is read in the file. */
function references(declaration: ts.VariableDeclaration, sourceFile: ts.SourceFile, context: RuleContext): number {
  if (!ts.isIdentifier(declaration.name)) return 0;
  const name = declaration.name.text;
  let count = 0;
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === name && node !== declaration.name && lookupVariable(context, name, node) === declaration) count++;
    else ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return count;
}

/** Text to insert into a literal, escaped for its quotes (and `${` in a template). */
function escapeFor(literal: LiteralSpan['literal'], inserted: string, sourceFile: ts.SourceFile): string {
  const opening = sourceFile.text[literal.getStart(sourceFile)];
  const quote = opening === '"' || opening === "'" ? opening : '`';
  let escaped = inserted.replace(/\\/g, '\\\\').replaceAll(quote, `\\${quote}`);
  if (quote === '`') escaped = escaped.replace(/\$\{/g, '\\${');
  return escaped;
}
