import { parseChallenges, type AuthParam, type Challenge, type ChallengeSyntaxError, type Span } from './challenge';

/**
 * What the RFCs require of a `WWW-Authenticate` value a server sends, checked
 * on the parsed list: the grammar and sender rules of RFC 9110 §5.6 and
 * §11.2–§11.6.1, Basic's parameters (RFC 7617 §2, §2.1) and Bearer's (RFC 6750
 * §3, §3.1). Other schemes are checked for syntax only. Offsets are into the
 * text checked; fixes are edits of that text.
 */

export interface ValueEdit extends Span {
  text: string;
}

export interface ValueFix {
  title: string;
  edits: ValueEdit[];
  /** Set when the fix adds a `realm`: a value a library builds adds it in the library's own idiom. */
  addsRealm?: string;
}

export interface ChallengeProblem extends Span {
  message: string;
  fix?: ValueFix;
}

export type ChallengeCheck = { kind: 'checked'; problems: ChallengeProblem[] } | { kind: 'unknown' };

export interface CheckOptions {
  /** The realm a fix adds where one is missing. */
  realm: string;
}

/**
 * The `error` codes a Bearer challenge may carry: RFC 6750 §3.1 and the codes
 * the OAuth Extensions Error Registry lists for resource access error
 * responses (RFC 9470 §3 adds `insufficient_user_authentication`).
 */
const BEARER_ERRORS = new Set(['invalid_request', 'invalid_token', 'insufficient_scope', 'insufficient_user_authentication']);
/** The attributes RFC 6750 §3 names, each allowed once. */
const BEARER_ATTRIBUTES = new Set(['realm', 'scope', 'error', 'error_description', 'error_uri']);
/** RFC 6750 §3: `error` and `error_description` values are limited to %x20-21 / %x23-5B / %x5D-7E. */
const BEARER_TEXT = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** `WWW-Authenticate: Basic …` written into the value: the field name repeated. */
const FIELD_NAME = /^\s*www-authenticate\s*:\s*/i;

export function checkChallenges(text: string, holes: ReadonlySet<number>, options: CheckOptions): ChallengeCheck {
  const named = FIELD_NAME.exec(text);
  if (named && ![...holes].some((hole) => hole < named[0].length)) {
    return {
      kind: 'checked',
      problems: [
        {
          message: 'the value repeats the field name `WWW-Authenticate:`: the value is the challenge alone (RFC 9110 §11.6.1)',
          start: named.index,
          end: named[0].length,
          fix: { title: 'Remove `WWW-Authenticate:` from the value', edits: [{ start: 0, end: named[0].length, text: '' }] },
        },
      ],
    };
  }
  const parsed = parseChallenges(text, holes);
  if (parsed.kind === 'unknown') return parsed;
  if (parsed.kind === 'invalid') return { kind: 'checked', problems: [syntaxProblem(text, holes, parsed.error)] };
  const problems: ChallengeProblem[] = [];
  if (parsed.challenges.length === 0) {
    problems.push({
      message: 'the value holds no challenge: a 401 must carry at least one (RFC 9110 §11.6.1)',
      start: 0,
      end: text.length,
    });
  }
  for (const empty of parsed.emptyElements) {
    problems.push({
      message: 'an empty list element (a stray comma): senders must not generate one (RFC 9110 §5.6.1.1)',
      start: empty.start,
      end: empty.end,
      fix: { title: 'Remove the stray comma', edits: [{ ...empty, text: '' }] },
    });
  }
  for (const challenge of parsed.challenges) problems.push(...challengeProblems(challenge, options));
  return { kind: 'checked', problems: problems.sort((a, b) => a.start - b.start || a.end - b.end) };
}

/**
 * A syntax error, with the missing comma inserted where that is what the
 * value means: the text after it must then be a parameter or a challenge with
 * parameters (`realm=Secure Area` wants quotes, not a challenge named `Area`).
 */
function syntaxProblem(text: string, holes: ReadonlySet<number>, error: ChallengeSyntaxError): ChallengeProblem {
  if (error.strayColonAt !== undefined) return colonProblem(text, holes, error, error.strayColonAt);
  const at = error.missingCommaAt;
  if (at === undefined) return { message: error.message, start: error.start, end: error.end };
  const repaired = parseChallenges(`${text.slice(0, at)},${text.slice(at)}`, shiftedHoles(holes, at, 1));
  if (repaired.kind !== 'parsed') return { message: error.message, start: error.start, end: error.end };
  const next = repaired.challenges.find((challenge) => challenge.start > at);
  const startsParam = repaired.challenges.some((challenge) => challenge.params.some((param) => param.start === error.start + 1));
  if (!startsParam && next && next.start === error.start + 1 && next.params.length === 0 && !next.token68) {
    const previous = [...repaired.challenges].reverse().find((challenge) => challenge.start <= at);
    const param = previous?.params[previous.params.length - 1];
    if (param && !param.quoted && param.end === at) {
      return {
        message: `\`${param.name}=${param.value}\` is followed by \`${next.scheme}\`: a value with spaces must be a quoted string (RFC 9110 §11.2)`,
        start: param.start,
        end: error.end,
      };
    }
    return { message: error.message, start: error.start, end: error.end };
  }
  return { message: error.message, start: error.start, end: error.end, fix: { title: 'Insert the missing comma', edits: [{ start: at, end: at, text: ',' }] } };
}

/** `Bearer: realm="api"` → `Bearer realm="api"`, where the value then parses. */
function colonProblem(text: string, holes: ReadonlySet<number>, error: ChallengeSyntaxError, colon: number): ChallengeProblem {
  const problem: ChallengeProblem = { message: error.message, start: error.start, end: error.end };
  const replacement = colon + 1 === text.length || text[colon + 1] === ' ' || text[colon + 1] === '\t' ? '' : ' ';
  const shift = replacement.length - 1;
  const repaired = `${text.slice(0, colon)}${replacement}${text.slice(colon + 1)}`;
  const repairedHoles = new Set([...holes].map((hole) => (hole > colon ? hole + shift : hole)));
  if (parseChallenges(repaired, repairedHoles).kind !== 'invalid') {
    problem.fix = { title: 'Remove the colon after the auth-scheme', edits: [{ start: colon, end: colon + 1, text: replacement }] };
  }
  return problem;
}

function challengeProblems(challenge: Challenge, options: CheckOptions): ChallengeProblem[] {
  const problems: ChallengeProblem[] = [];
  const scheme = challenge.scheme.toLowerCase();
  if (/^\d+$/.test(challenge.scheme)) {
    return [
      {
        message: `\`${challenge.scheme}\` is not an auth-scheme: the value names a scheme and its parameters, such as \`Bearer realm="api"\` (RFC 9110 §11.6.1)`,
        start: challenge.start,
        end: challenge.end,
      },
    ];
  }
  challenge.params.forEach((param, index) => {
    if (param.bws.length > 0) {
      problems.push({
        message: `whitespace around the \`=\` of \`${param.name}\`: senders must not generate it (RFC 9110 §5.6.3)`,
        start: param.start,
        end: param.end,
        fix: { title: 'Remove the whitespace around `=`', edits: param.bws.map((span) => ({ ...span, text: '' })) },
      });
    }
    const first = challenge.params.find((other) => other.name.toLowerCase() === param.name.toLowerCase());
    if (first !== param) problems.push(duplicate(challenge, param, first!, challenge.params[index - 1]));
    if (param.name.toLowerCase() === 'realm' && !param.quoted) {
      problems.push({
        message: `\`${param.name}=${param.value}\`: senders must use the quoted-string form of \`realm\` (RFC 9110 §11.5)`,
        start: param.start,
        end: param.end,
        // Two insertions, so that a realm read from a constant is quoted where it is used.
        fix: { title: 'Quote the realm', edits: [{ start: param.valueStart, end: param.valueStart, text: '"' }, { start: param.valueEnd, end: param.valueEnd, text: '"' }] },
      });
    }
  });
  if (scheme === 'basic') problems.push(...basicProblems(challenge, options));
  else if (scheme === 'bearer') problems.push(...bearerProblems(challenge, options));
  return problems;
}

function duplicate(challenge: Challenge, param: AuthParam, first: AuthParam, previous: AuthParam): ChallengeProblem {
  const name = param.name.toLowerCase();
  const reference = challenge.scheme.toLowerCase() === 'bearer' && BEARER_ATTRIBUTES.has(name) ? 'RFC 9110 §11.2, RFC 6750 §3' : 'RFC 9110 §11.2';
  const same = param.value !== undefined && param.value === first.value;
  return {
    message: `\`${param.name}\` appears more than once in this \`${challenge.scheme}\` challenge: each parameter may occur only once (${reference})${same ? '' : '; keep the one you mean'}`,
    start: param.start,
    end: param.end,
    fix: same ? { title: `Remove the repeated \`${param.name}\``, edits: [{ start: previous.end, end: param.end, text: '' }] } : undefined,
  };
}

function basicProblems(challenge: Challenge, options: CheckOptions): ChallengeProblem[] {
  const problems: ChallengeProblem[] = [];
  const scheme = { start: challenge.start, end: challenge.schemeEnd };
  if (challenge.token68) {
    problems.push({
      message: `a \`${challenge.scheme}\` challenge carries \`realm\` and \`charset\` parameters, not a token68 (RFC 7617 §2)`,
      start: challenge.token68.start,
      end: challenge.token68.end,
    });
    return problems;
  }
  if (!challenge.params.some((p) => p.name.toLowerCase() === 'realm')) {
    problems.push({
      ...scheme,
      message: `a \`${challenge.scheme}\` challenge without \`realm\`: RFC 7617 §2 requires it. Add \`realm="${options.realm}"\``,
      fix: addRealm(challenge, options.realm),
    });
  }
  for (const param of challenge.params) {
    const name = param.name.toLowerCase();
    if (name !== 'realm' && name !== 'charset') {
      problems.push({
        message: `\`${challenge.scheme}\` defines only \`realm\` and \`charset\` (RFC 7617 §2): clients ignore \`${param.name}\``,
        start: param.start,
        end: param.end,
      });
    } else if (name === 'charset' && param.value !== undefined && param.value.toLowerCase() !== 'utf-8') {
      problems.push({
        message: `\`charset\` may only be "UTF-8" (RFC 7617 §2.1), not "${param.value}"`,
        start: param.start,
        end: param.end,
      });
    }
  }
  return problems;
}

function bearerProblems(challenge: Challenge, options: CheckOptions): ChallengeProblem[] {
  if (challenge.token68) {
    return [
      {
        message: `a \`${challenge.scheme}\` challenge carries auth-params (\`realm\`, \`scope\`, \`error\`), not a token68 (RFC 6750 §3)`,
        start: challenge.token68.start,
        end: challenge.token68.end,
      },
    ];
  }
  if (challenge.params.length === 0) {
    return [
      {
        message: `a \`${challenge.scheme}\` challenge needs at least one auth-param (RFC 6750 §3). Add \`realm="${options.realm}"\``,
        start: challenge.start,
        end: challenge.schemeEnd,
        fix: addRealm(challenge, options.realm),
      },
    ];
  }
  const problems: ChallengeProblem[] = [];
  for (const param of challenge.params) {
    const name = param.name.toLowerCase();
    if (param.value === undefined) continue;
    if (name === 'error' && !BEARER_ERRORS.has(param.value)) {
      problems.push({
        message: `\`error="${param.value}"\` is not a Bearer error code: use invalid_request, invalid_token or insufficient_scope (RFC 6750 §3.1), and put the text in \`error_description\``,
        start: param.start,
        end: param.end,
      });
    } else if (name === 'error_description' && !BEARER_TEXT.test(param.value)) {
      problems.push({
        message: '`error_description` may hold only printable ASCII without `"` or `\\` (RFC 6750 §3)',
        start: param.start,
        end: param.end,
      });
    }
  }
  return problems;
}

/** Inserts `realm="…"` right after the scheme, before any other parameter. */
function addRealm(challenge: Challenge, realm: string): ValueFix {
  const param = `realm="${realm.replace(/[\\"]/g, '\\$&')}"`;
  return {
    title: `Add ${param}`,
    edits: [{ start: challenge.schemeEnd, end: challenge.schemeEnd, text: challenge.params.length > 0 ? ` ${param},` : ` ${param}` }],
    addsRealm: realm,
  };
}

function shiftedHoles(holes: ReadonlySet<number>, at: number, by: number): Set<number> {
  return new Set([...holes].map((hole) => (hole >= at ? hole + by : hole)));
}

/** The realm of the first challenge that has one, as a fix would reuse it. */
export function realmOf(text: string): string | undefined {
  const parsed = parseChallenges(text);
  if (parsed.kind !== 'parsed') return undefined;
  for (const challenge of parsed.challenges) {
    const realm = challenge.params.find((p) => p.name.toLowerCase() === 'realm');
    if (realm?.value !== undefined) return realm.value;
  }
  return undefined;
}

/**
 * Why a `challenge` setting is not a value the quick fixes may insert, or
 * undefined when it is one: it is checked as the rule checks code.
 */
export function challengeSettingProblem(value: string): string | undefined {
  const check = checkChallenges(value, new Set(), { realm: DEFAULT_SETTING_REALM });
  if (check.kind === 'unknown' || check.problems.length === 0) return undefined;
  const [problem] = check.problems;
  return `${JSON.stringify(value)} is not a valid WWW-Authenticate value: ${problem.message}`;
}

const DEFAULT_SETTING_REALM = 'api';
