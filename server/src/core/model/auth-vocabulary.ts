/**
 * The one place that says which words mark a guard as authentication (the
 * caller's credential is absent, malformed, invalid or expired: "who are
 * you?") and which mark it as authorization (a known principal lacks a role,
 * permission, scope, ownership, membership, plan or account state: "you may
 * not"), and which words mark a check as neither (CSRF and reset tokens, rate
 * limits, IP lists, feature flags). Projects extend it with `authVocabulary`.
 */

import type { Settings } from '../types';

/** Extra words a project adds to the vocabulary (`authVocabulary` in `.authlintrc.json`). */
export interface AuthVocabularyConfig {
  /** Names of the caller's credential or principal (`ssoTicket`, `caller`). */
  authentication?: string[];
  /** Names of permission checks (`entitlement`, `seat`). */
  authorization?: string[];
  /** Names of checks that are neither (`honeypot`, `geo`). */
  unrelated?: string[];
}

export interface AuthVocabulary {
  /** The caller's credential as sent: header, token, key, session. */
  credential: ReadonlySet<string>;
  /** The authenticated caller, as middleware leaves it on the request. */
  principal: ReadonlySet<string>;
  /** Checking a credential: `verify`, `isAuthenticated`. */
  verification: ReadonlySet<string>;
  /** A credential past its lifetime. */
  expiry: ReadonlySet<string>;
  /** What a known principal may do: roles, permissions, scopes, ownership, membership, plans. */
  authorization: ReadonlySet<string>;
  /**
   * The state of an account (suspended, blocked). Only a principal's state
   * counts: a login flow checks the same words on an account it has not yet
   * accepted, where 401 is right.
   */
  accountState: ReadonlySet<string>;
  /** The principal's own identifiers, compared against a resource's in ownership checks. */
  identity: ReadonlySet<string>;
  /** Checks that are neither: a 403 there is right, and a guard naming them is left alone. */
  unrelated: ReadonlySet<string>;
  /** Words used for both concerns (`isAuthorized` means "signed in" as often as "permitted"): a guard naming them is left alone. */
  ambiguous: ReadonlySet<string>;
  /** Where request data comes from the client rather than from its credential. */
  clientData: ReadonlySet<string>;
  /** The secret a sign-in form sends (`req.body.password`): a call given it checks a credential. */
  password: ReadonlySet<string>;
  /** Lower-cased request headers that carry the credential (the `credentialHeaders` setting). */
  credentialHeaders: readonly string[];
}

const CREDENTIAL = [
  'token', 'jwt', 'bearer', 'authorization', 'auth', 'apikey', 'accesstoken', 'idtoken', 'credential', 'credentials',
  'session', 'sid', 'sessionid', 'oauth', 'basic', 'passport',
];
const PRINCIPAL = ['user', 'currentuser', 'principal', 'claims', 'identity', 'viewer', 'auth', 'session'];
const VERIFICATION = [
  'verify', 'verified', 'authenticate', 'authenticated', 'authentication', 'valid', 'validate', 'loggedin', 'signedin',
  'jwtverify', 'decode', 'introspect',
];
const EXPIRY = ['expired', 'expiry', 'expires', 'expiresat', 'expiration', 'exp', 'expire'];
const AUTHORIZATION = [
  'role', 'roles', 'admin', 'administrator', 'superuser', 'superadmin', 'staff', 'moderator', 'auditor', 'permission',
  'permissions', 'perm', 'perms', 'scope', 'scopes', 'scp', 'grant', 'grants', 'privilege', 'privileges', 'acl', 'policy',
  'ability', 'can', 'cannot', 'allowed', 'permitted', 'authorize', 'owner', 'owners', 'owns', 'ownership', 'author',
  'creator', 'member', 'members', 'membership', 'plan', 'tier', 'subscription', 'subscribed', 'premium', 'paid',
  'entitled', 'entitlement', 'checkaccess', 'hasaccess', 'canaccess', 'accesscontrol',
];
const ACCOUNT_STATE = ['suspended', 'banned', 'blocked', 'disabled', 'deactivated', 'locked', 'active', 'inactive'];
const IDENTITY = ['id', 'sub', 'userid', 'uid', 'email', 'username', 'customerid', 'accountid', 'orgid', 'tenantid'];
const UNRELATED = [
  'csrf', 'xsrf', 'reset', 'invite', 'invitation', 'verification', 'confirm', 'confirmation', 'captcha', 'recaptcha',
  'hcaptcha', 'turnstile', 'rate', 'ratelimit', 'throttle', 'throttled', 'limit', 'limiter', 'ip', 'ips', 'allowlist',
  'whitelist', 'blocklist', 'blacklist', 'feature', 'flag', 'flags', 'toggle', 'signature', 'webhook', 'hmac', 'otp',
  'totp', 'mfa', 'origin', 'referer', 'referrer', 'cors', 'honeypot', 'refresh', 'unsubscribe', 'magic',
];
const AMBIGUOUS = ['authorized', 'unauthorized', 'authorised', 'unauthorised'];
const PASSWORD = ['password', 'passwd', 'passcode', 'pwd', 'passphrase'];
const CLIENT_DATA = ['body', 'params', 'query', 'files', 'file', 'url', 'path', 'method', 'originalurl', 'searchparams', 'nexturl'];

/**
 * The vocabulary of the last settings seen, keyed by the two values it is
 * built from: the CLI lints every file with the same ones, and building it
 * takes a dozen sets.
 */
let lastVocabulary: { headers: Settings['credentialHeaders']; config: Settings['authVocabulary']; vocabulary: AuthVocabulary } | undefined;

export function vocabularyFor({ credentialHeaders: headers, authVocabulary: config }: Settings): AuthVocabulary {
  if (lastVocabulary?.headers !== headers || lastVocabulary.config !== config) {
    lastVocabulary = { headers, config, vocabulary: authVocabulary(headers, config) };
  }
  return lastVocabulary.vocabulary;
}

export function authVocabulary(credentialHeaders: readonly string[], config?: AuthVocabularyConfig): AuthVocabulary {
  const extra = (words: string[] | undefined) => (words ?? []).map((w) => splitWords(w).join(''));
  return {
    credential: new Set([...CREDENTIAL, ...extra(config?.authentication)]),
    principal: new Set([...PRINCIPAL, ...extra(config?.authentication)]),
    verification: new Set(VERIFICATION),
    expiry: new Set(EXPIRY),
    authorization: new Set([...AUTHORIZATION, ...extra(config?.authorization)]),
    accountState: new Set(ACCOUNT_STATE),
    identity: new Set(IDENTITY),
    unrelated: new Set([...UNRELATED, ...extra(config?.unrelated)]),
    ambiguous: new Set(AMBIGUOUS),
    clientData: new Set(CLIENT_DATA),
    password: new Set(PASSWORD),
    credentialHeaders: credentialHeaders.map((h) => h.toLowerCase()),
  };
}

const NON_ASCII = /[^\x00-\x7f]/;

/** `isAuthenticated` → [is, authenticated]; `x-api-key` → [x, api, key]; `JWTExpired` → [jwt, expired]. */
export function splitWords(text: string): string[] {
  // Lower-casing some non-ASCII letters yields ASCII ones (the Kelvin sign is a `k`): those texts take the long way.
  if (NON_ASCII.test(text)) return splitWordsByPattern(text);
  const words: string[] = [];
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 0;
    if (!isAlphanumeric(code)) {
      if (start >= 0) words.push(text.slice(start, i).toLowerCase());
      start = -1;
    } else if (start < 0) {
      start = i;
    } else if (isUpper(code) && startsWord(text.charCodeAt(i - 1), i + 1 < text.length ? text.charCodeAt(i + 1) : 0)) {
      words.push(text.slice(start, i).toLowerCase());
      start = i;
    }
  }
  return words;
}

/** Whether an upper-case letter after `previous` begins a word: `isAuth`, `v2Key`, and the `E` of `JWTExpired`. */
function startsWord(previous: number, next: number): boolean {
  return isLower(previous) || isDigit(previous) || (isUpper(previous) && isLower(next));
}

const isUpper = (code: number) => code >= 65 && code <= 90;
const isLower = (code: number) => code >= 97 && code <= 122;
const isDigit = (code: number) => code >= 48 && code <= 57;
const isAlphanumeric = (code: number) => isUpper(code) || isLower(code) || isDigit(code);

/** The rule `splitWords` follows, as patterns: any text, at the cost of three new strings and two arrays. */
export function splitWordsByPattern(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/**
 * Whether any word of `text`, or two neighbouring words run together
 * (`api key` → `apikey`, `logged in` → `loggedin`), is in `set`, in the
 * singular or the plural (`invitations`).
 */
export function mentions(text: string, set: ReadonlySet<string>): boolean {
  return wordsMention(splitWords(text), set);
}

/** `mentions`, for a text already split into words. */
export function wordsMention(words: readonly string[], set: ReadonlySet<string>): boolean {
  const { forms, starts } = matcherFor(set);
  for (let i = 0; i < words.length; i++) {
    if (forms.has(words[i])) return true;
    // Two words are joined only when the first can begin one: most cannot, and joining builds a string.
    if (i > 0 && starts.has(words[i - 1]) && forms.has(words[i - 1] + words[i])) return true;
  }
  return false;
}

/** Whether two words run together (`api` `key` → `apikey`) are in `set`, in the singular or the plural. */
export function pairMentions(first: string, second: string, set: ReadonlySet<string>): boolean {
  const { forms, starts } = matcherFor(set);
  return starts.has(first) && forms.has(first + second);
}

/** A set's words in the singular and the plural, and every start of one (`api` of `apikey`, `key` of `keys`). */
interface Matcher {
  forms: ReadonlySet<string>;
  starts: ReadonlySet<string>;
}

const matchers = new WeakMap<ReadonlySet<string>, Matcher>();

function matcherFor(set: ReadonlySet<string>): Matcher {
  let matcher = matchers.get(set);
  if (!matcher) {
    const forms = new Set<string>();
    const starts = new Set<string>(['']);
    for (const word of set) {
      forms.add(word);
      forms.add(`${word}s`);
      for (let length = 1; length <= word.length; length++) starts.add(word.slice(0, length));
    }
    matchers.set(set, (matcher = { forms, starts }));
  }
  return matcher;
}
