/**
 * The `WWW-Authenticate` field value grammar of RFC 9110 §11.3 and §11.6.1:
 *
 *   WWW-Authenticate = #challenge
 *   challenge  = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
 *   auth-param = token BWS "=" BWS ( token / quoted-string )
 *   token68    = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
 *
 * Parsed as a recipient must (empty list elements and whitespace around `=`
 * accepted, RFC 9110 §5.6.1.2 and §5.6.3), recording what a sender must not
 * generate so that a checker can report it. Offsets are into the text parsed.
 *
 * The text may stand for code whose value is partly unknown: `holes` are the
 * offsets of characters that stand for unknown text. Inside a quoted string a
 * hole is quoted text of unknown content; anywhere else the structure of the
 * value is unknown, and so is the result.
 */

export interface Span {
  start: number;
  end: number;
}

export interface AuthParam extends Span {
  /** The name as written. */
  name: string;
  nameEnd: number;
  valueStart: number;
  valueEnd: number;
  /** The value with quoted-pairs resolved; undefined when part of it is unknown. */
  value: string | undefined;
  quoted: boolean;
  /** Whitespace around the `=`. */
  bws: Span[];
}

export interface Challenge extends Span {
  scheme: string;
  schemeEnd: number;
  token68?: Span & { value: string };
  params: AuthParam[];
}

export interface ChallengeSyntaxError extends Span {
  message: string;
  /** Set when the list parses once a comma is inserted here. */
  missingCommaAt?: number;
  /** The offset of a colon written after the auth-scheme (`Bearer: realm="api"`). */
  strayColonAt?: number;
}

export type ParsedChallenges =
  | {
      kind: 'parsed';
      challenges: Challenge[];
      /** Commas that open empty list elements, each with the whitespace that goes with it. */
      emptyElements: Span[];
    }
  | { kind: 'invalid'; error: ChallengeSyntaxError }
  /** An unknown part stands where the structure is decided. */
  | { kind: 'unknown' };

const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const TOKEN68_CHAR = /[A-Za-z0-9\-._~+/]/;

class Unknown {}

class Parser {
  private i = 0;
  private readonly challenges: Challenge[] = [];
  private readonly emptyElements: Span[] = [];

  constructor(
    private readonly s: string,
    private readonly holes: ReadonlySet<number>,
  ) {}

  parse(): ParsedChallenges {
    try {
      const error = this.list();
      if (error) return { kind: 'invalid', error };
      return { kind: 'parsed', challenges: this.challenges, emptyElements: this.emptyElements };
    } catch (thrown) {
      if (thrown instanceof Unknown) return { kind: 'unknown' };
      throw thrown;
    }
  }

  private list(): ChallengeSyntaxError | undefined {
    this.ows();
    /** End of the last element, for a trailing comma; undefined before the first. */
    let lastEnd: number | undefined;
    let afterComma = false;
    while (!this.atEnd()) {
      if (this.peek() === ',') {
        const comma = this.i;
        this.i++;
        this.ows();
        // A comma with nothing before it (or only another comma) opens an empty element.
        // Removing a repeated comma keeps the whitespace after the one before it.
        if (lastEnd === undefined) this.emptyElements.push({ start: comma, end: this.i });
        else if (afterComma) this.emptyElements.push({ start: comma, end: comma + 1 });
        else if (this.atEnd()) this.emptyElements.push({ start: lastEnd, end: this.i });
        afterComma = true;
        continue;
      }
      if (lastEnd !== undefined && !afterComma) return this.separatorError(lastEnd);
      const error = this.challenge();
      if (error) return error;
      lastEnd = this.challenges[this.challenges.length - 1].end;
      afterComma = false;
      this.ows();
    }
    return undefined;
  }

  private challenge(): ChallengeSyntaxError | undefined {
    const start = this.i;
    const scheme = this.token();
    if (!scheme) return this.unexpected('an auth-scheme');
    const challenge: Challenge = { scheme, start, schemeEnd: this.i, end: this.i, params: [] };
    this.challenges.push(challenge);
    let spaces = 0;
    while (this.peek() === ' ') {
      this.i++;
      spaces++;
    }
    const afterSpaces = this.i;
    this.ows();
    if (this.atEnd() || this.peek() === ',') {
      this.i = afterSpaces;
      return undefined;
    }
    if (!isFieldChar(this.s[this.i])) return badCharacter(this.s[this.i], this.i);
    if (spaces === 0 && this.s[this.i] === ':') {
      return { message: `\`${scheme}:\`: a colon does not follow the auth-scheme; write \`${scheme}\`, a space, then its parameters (RFC 9110 §11.3)`, start: challenge.start, end: this.i + 1, strayColonAt: this.i };
    }
    if (spaces === 0 || this.i !== afterSpaces) {
      return { message: `separate the auth-scheme \`${scheme}\` from what follows with a space (RFC 9110 §11.3)`, start: challenge.schemeEnd, end: this.i + 1 };
    }
    const token68 = this.token68();
    if (token68) {
      challenge.token68 = token68;
      challenge.end = token68.end;
      return undefined;
    }
    return this.params(challenge);
  }

  /**
   * A token68 stands alone: it ends the challenge, before a comma, the end, or
   * whitespace not followed by `=` (which would make it a parameter's name).
   */
  private token68(): (Span & { value: string }) | undefined {
    const start = this.i;
    let j = start;
    while (j < this.s.length && TOKEN68_CHAR.test(this.s[j])) j++;
    if (j === start) return undefined;
    while (j < this.s.length && this.s[j] === '=') j++;
    if (this.holes.has(j)) throw new Unknown();
    if (j < this.s.length && this.s[j] !== ',') {
      if (this.s[j] !== ' ' && this.s[j] !== '\t') return undefined;
      let k = j;
      while (k < this.s.length && (this.s[k] === ' ' || this.s[k] === '\t')) k++;
      if (this.holes.has(k)) throw new Unknown();
      if (this.s[k] === '=') return undefined;
    }
    this.i = j;
    return { value: this.s.slice(start, j), start, end: j };
  }

  private params(challenge: Challenge): ChallengeSyntaxError | undefined {
    for (;;) {
      const param = this.param();
      if ('message' in param) return param;
      challenge.params.push(param);
      challenge.end = param.end;
      const afterParam = this.i;
      this.ows();
      if (this.atEnd()) {
        this.i = afterParam;
        return undefined;
      }
      if (this.peek() !== ',') return this.separatorError(afterParam);
      // After a comma: another parameter of this challenge, or the next challenge.
      let j = this.i;
      while (j < this.s.length && (this.s[j] === ',' || this.s[j] === ' ' || this.s[j] === '\t')) {
        if (this.holes.has(j)) throw new Unknown();
        j++;
      }
      if (j === this.s.length || !this.startsParam(j)) {
        this.i = afterParam;
        return undefined;
      }
      // Empty elements between two parameters.
      this.i++;
      this.ows();
      while (this.peek() === ',') {
        const comma = this.i;
        this.i++;
        this.ows();
        this.emptyElements.push({ start: comma, end: comma + 1 });
      }
    }
  }

  /** Whether a token followed by `=` starts at `j` (a parameter, not a new challenge). */
  private startsParam(j: number): boolean {
    let k = j;
    while (k < this.s.length && TCHAR.test(this.s[k])) {
      if (this.holes.has(k)) throw new Unknown();
      k++;
    }
    if (k === j) {
      if (this.holes.has(k)) throw new Unknown();
      return false;
    }
    while (k < this.s.length && (this.s[k] === ' ' || this.s[k] === '\t')) k++;
    if (this.holes.has(k)) throw new Unknown();
    return this.s[k] === '=';
  }

  private param(): AuthParam | ChallengeSyntaxError {
    const start = this.i;
    const name = this.token();
    if (!name) return this.unexpected('a parameter name');
    const nameEnd = this.i;
    const bws: Span[] = [];
    this.bws(bws);
    if (this.peek() !== '=') return this.unexpected(`\`=\` after the parameter name \`${name}\``);
    this.i++;
    this.bws(bws);
    const valueStart = this.i;
    if (this.peek() === '"') {
      const quoted = this.quotedString();
      if ('message' in quoted) return quoted;
      return { name, start, nameEnd, valueStart, valueEnd: this.i, end: this.i, value: quoted.value, quoted: true, bws };
    }
    const value = this.token();
    if (!value) {
      if (this.atEnd() || this.peek() === ',') {
        return { message: `the parameter \`${name}\` has no value: give it a token or a quoted string (RFC 9110 §11.2)`, start, end: this.i };
      }
      return this.unexpected(`a value for the parameter \`${name}\``);
    }
    return { name, start, nameEnd, valueStart, valueEnd: this.i, end: this.i, value, quoted: false, bws };
  }

  private quotedString(): { value: string | undefined } | ChallengeSyntaxError {
    const open = this.i;
    this.i++;
    let value = '';
    let known = true;
    for (;;) {
      if (this.atEnd()) return { message: 'the quoted string is never closed: add the closing `"` (RFC 9110 §5.6.4)', start: open, end: this.s.length };
      const at = this.i;
      const c = this.s[at];
      if (this.holes.has(at)) {
        known = false;
        this.i++;
        continue;
      }
      if (c === '"') {
        this.i++;
        return { value: known ? value : undefined };
      }
      if (c === '\\') {
        this.i++;
        if (this.atEnd()) return { message: 'the quoted string ends in a lone `\\` and is never closed (RFC 9110 §5.6.4)', start: open, end: this.s.length };
        if (this.holes.has(this.i)) {
          known = false;
          this.i++;
          continue;
        }
        const escaped = this.s[this.i];
        if (!isQuotedPairChar(escaped)) return badCharacter(escaped, this.i);
        value += escaped;
        this.i++;
        continue;
      }
      if (!isQdtext(c)) return badCharacter(c, at);
      value += c;
      this.i++;
    }
  }

  /** After an element: the next thing must be a comma. */
  private separatorError(lastEnd: number): ChallengeSyntaxError {
    const at = this.i;
    if (this.holes.has(at)) throw new Unknown();
    const c = this.s[at];
    const start = at;
    let end = at + 1;
    while (end < this.s.length && TCHAR.test(this.s[end]) && TCHAR.test(c)) end++;
    if (!isFieldChar(c)) return badCharacter(c, at);
    const element = this.s.slice(start, end);
    // Two elements run together only across whitespace or after a closing quote.
    const looksLikeElement = TCHAR.test(c) && (at > lastEnd || this.s[lastEnd - 1] === '"');
    return {
      message: looksLikeElement
        ? `a comma is missing before \`${element}\`: separate challenges and parameters with commas (RFC 9110 §11.3)`
        : `unexpected \`${c}\`: expected a comma before the next challenge or parameter (RFC 9110 §11.3)`,
      start,
      end,
      missingCommaAt: looksLikeElement ? lastEnd : undefined,
    };
  }

  private unexpected(what: string): ChallengeSyntaxError {
    if (this.holes.has(this.i)) throw new Unknown();
    if (this.atEnd()) return { message: `expected ${what}, but the value ends (RFC 9110 §11.3)`, start: Math.max(0, this.s.length - 1), end: this.s.length };
    const c = this.s[this.i];
    if (!isFieldChar(c)) return badCharacter(c, this.i);
    return { message: `unexpected \`${c}\`: expected ${what} (RFC 9110 §11.3)`, start: this.i, end: this.i + 1 };
  }

  private token(): string {
    const start = this.i;
    while (!this.atEnd() && TCHAR.test(this.s[this.i])) {
      if (this.holes.has(this.i)) throw new Unknown();
      this.i++;
    }
    if (this.holes.has(this.i)) throw new Unknown();
    return this.s.slice(start, this.i);
  }

  private ows(): void {
    while (!this.atEnd() && (this.s[this.i] === ' ' || this.s[this.i] === '\t')) this.i++;
    if (this.holes.has(this.i)) throw new Unknown();
  }

  private bws(into: Span[]): void {
    const start = this.i;
    this.ows();
    if (this.i > start) into.push({ start, end: this.i });
  }

  private peek(): string | undefined {
    if (this.holes.has(this.i)) throw new Unknown();
    return this.s[this.i];
  }

  private atEnd(): boolean {
    return this.i >= this.s.length;
  }
}

/** Parses a field value as a list of challenges. */
export function parseChallenges(text: string, holes: ReadonlySet<number> = new Set()): ParsedChallenges {
  return new Parser(text, holes).parse();
}

function isQdtext(c: string): boolean {
  const code = c.charCodeAt(0);
  return code === 0x09 || code === 0x20 || code === 0x21 || (code >= 0x23 && code <= 0x5b) || (code >= 0x5d && code <= 0x7e) || (code >= 0x80 && code <= 0xff);
}

function isQuotedPairChar(c: string): boolean {
  const code = c.charCodeAt(0);
  return code === 0x09 || (code >= 0x20 && code <= 0x7e) || (code >= 0x80 && code <= 0xff);
}

/** A character a field value may hold at all: visible ASCII, space, tab, obs-text. */
function isFieldChar(c: string): boolean {
  return isQuotedPairChar(c);
}

function badCharacter(c: string, at: number): ChallengeSyntaxError {
  const code = c.charCodeAt(0);
  const shown = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const message =
    code === 0x0d || code === 0x0a
      ? `a line break (${shown}) cannot be part of a header value: Node and fetch refuse it, and it would split the response (RFC 9110 §5.5)`
      : code > 0xff
        ? `\`${c}\` (${shown}) cannot be sent in a header value: Node and fetch accept only Latin-1 characters there (RFC 9110 §5.5)`
        : `the control character ${shown} cannot be part of a header value (RFC 9110 §5.5)`;
  return { message, start: at, end: at + 1 };
}
