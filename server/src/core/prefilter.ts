import type { Registry } from './model/registry';
import { STATUS_MEMBER_NAMES } from './model/status';
import { STATUS_GETTERS } from './project/handlers';
import { STATUS_PROPERTIES } from './project/index';

/**
 * What a file's text says before it is parsed: whether its analysis can find
 * anything in it on its own, whether it can hold a central error handler,
 * and what it imports. The CLI parses only the files whose text can lead to
 * a finding or to a fact another file's analysis reads (cli/project-run.ts).
 *
 * Every test here is a superset of what the analysis looks for, so a file
 * it rules out is one whose analysis would report nothing:
 * - statuses are recognised only in files holding a 401 or 403 literal or a
 *   status name (model/build.ts), a central error handler, or an import of
 *   a binding that carries a status (decided from the project index, not here);
 *   a status name counts only as a whole identifier or string (`rejectUnauthorized`
 *   is none), and a comment is not code, so comments on lines of their own
 *   are not looked into (but for suppression directives);
 * - the challenge header is read only where its name is written;
 * - forwarders claim only calls their `vocabulary` names; the credential
 *   headers matter only at a forwarding site, so they need no word of their own;
 * - mounts are read only from calls of a router method, written as such;
 * - names and strings hidden behind escapes, or case-folded from a
 *   non-ASCII letter, are not looked into: such a file is always kept.
 */
export interface TextScan {
  /** Whether the file's own text can lead to a finding (or a directive about one). */
  mayFind: boolean;
  /** Whether a central error handler in it could read the status of the error it is given. */
  mayHoldHandler: boolean;
  /** Whether it may mount another file's middleware on a route (`router.get('/', protect, admin)`, `app.use(auth)`). */
  mayMount: boolean;
  /** Whether it may run other files' middleware in an array or call them from a middleware (model/challenge-order.ts reads only files naming `next`). */
  mayChain?: boolean;
  imports: ImportClause[];
}

/** An import or re-export as written: its specifier, and every name it binds in the file (undefined: any export of the module; none for a re-export). */
export interface ImportClause {
  specifier: string;
  names: string[] | undefined;
}

/** Letters outside ASCII that upper-case to ASCII ones (`ı` → `I`, `ſ` → `S`, `ﬀ` → `FF`), which a status name may be spelled with. */
const FOLDS_TO_ASCII = /[\u0130\u0131\u017f\u212a\u212b\ufb00-\ufb06]/;
/** An escape in a string or identifier (`\u0055`, `\x55`, `\125`): what it spells is not in the text as such. */
const ESCAPE = /\\(?:u|x|[0-7])/;
/** `401` or `403` as a number of its own (not `26.401` nor `14010`), `...401` too. */
const STATUS_DIGITS = /(?<![\w$])(?<![^.]\.)40[13]n?(?![\w$])/;
/** Numeric literals not written as plain decimals: hex, octal, binary, legacy octal, separators, exponents, fractions. */
/** What any numeral worth 401 or 403 not written `401`/`403` holds: its digits with a point or separator among them (`4.01e2`, `4_01`), or a radix prefix or a leading zero. */
const MAY_SPELL_STATUS = /4[._]?0[._]?[13]|\b0[xXoObB\d]/;
const OTHER_NUMERALS = /\b0[xXoObB][\da-fA-F_]+n?\b|\b0[0-7]+\b|\b\d[\d_]*[._eE][\d_eE+.-]*|\.\d[\d_]*(?:[eE][+-]?\d+)?/g;

/**
 * A comment on lines of its own: what follows a line's indentation is a line
 * comment or a block comment. At a line's start the text is code, a comment
 * or a template literal (strings and regular expressions do not span lines,
 * but for a string continued by a backslash, which is left alone). In a
 * template the comment's text is the template's; a template open there ends
 * inside the comment only at a backtick of it. So once no backtick is left
 * outside such comments, or none is in the comment, what is removed is never
 * code, and never a whole string the analysis compares.
 */
const OWN_LINE_COMMENT = /(?<!\\\r?\n)^[ \t]*(?:\/\/[^\n]*|\/\*(?:[^*]|\*(?!\/))*\*\/)/gm;
const OWN_LINE_COMMENT_WITHOUT_BACKTICK = /(?<!\\\r?\n)^[ \t]*(?:\/\/[^\n]*|\/\*(?:[^*`]|\*(?!\/))*\*\/)/gm;
/** Not part of an identifier: a name matched between these is a whole token. */
const BEFORE = String.raw`(?<![\w$])`;
const AFTER = String.raw`(?![\w$])`;

const SPECIFIER = String.raw`['"\x60]([^'"\x60\n]+)['"\x60]`;
/** `import … from 'm'`, `import x = require('m')`, `const … = require('m')`: the clause and the specifier. */
const IMPORT_CLAUSE = new RegExp(String.raw`\bimport\b([^;'"\x60]*?)\bfrom\s*${SPECIFIER}|\bimport\s+([\w$]+)\s*=\s*require\s*\(\s*${SPECIFIER}|\b(?:const|let|var)\b([^;=]*?)=\s*require\s*\(\s*${SPECIFIER}`, 'g');
/** `export … from 'm'`: a re-export, which binds nothing in the file (the index follows it from the file's facts). */
const EXPORT_FROM = new RegExp(String.raw`\bexport\b[^;'"\x60]*?\bfrom\s*${SPECIFIER}`, 'g');
/** Any other mention of a module: `require('m')` in an expression, `import('m')`, a clause the one above does not read. */
const ANY_MODULE = new RegExp(String.raw`\b(?:require|import)\s*\(\s*${SPECIFIER}|\bfrom\s*${SPECIFIER}`, 'g');
const NAME = /[\w$\u0080-\uffff]+/g;
/**
 * A call that registers a central error handler (`app.setErrorHandler(…)`,
 * `app.onError(…)`), which the index reads whatever the handler sends; as a
 * method call only, since UI code is full of `onError` props and callbacks.
 */
const HANDLER_REGISTRATION = /\.\s*(?:setErrorHandler|onError)\s*\(/;

/** A call of a router method, whatever follows (the mount recognisers in core/frameworks/mounts.ts read these). */
const ROUTE_CALL = /\.\s*(?:get|post|put|patch|delete|del|all|options|head|use|route|addHook|decorate)\s*\(/;

export class Prefilter {
  /** Names that count as whole identifiers or strings: status names, error classes, forwarders' callees. */
  private readonly names: RegExp | undefined;
  /** Words that count anywhere in the code, inside longer names too. */
  private readonly words: RegExp | undefined;
  /** Words of the vocabulary a path may hold (`vite.config`). */
  private readonly pathWords: RegExp | undefined;
  /** A string literal naming a module some forwarder needs imported. */
  private readonly modules: RegExp | undefined;
  private readonly handlerWords: RegExp;
  /** The names a 401 or 403 can be written with: status names, frameworks' status names and error classes. */
  private readonly statusWords: RegExp;

  constructor(registry: Registry) {
    const modules = [...registry.frameworks, ...registry.forwarders];
    // A forwarder that names no vocabulary may claim a call in any file.
    const everyForwarderNamed = registry.forwarders.every((module) => module.vocabulary);
    const names = [
      ...STATUS_MEMBER_NAMES,
      ...modules.flatMap((module) => [...(module.statusNames ?? []), ...(module.vocabulary?.names ?? [])]),
      ...registry.errorClasses.map((errorClass) => errorClass.name),
    ];
    this.statusWords = new RegExp(alternatives([...STATUS_MEMBER_NAMES, ...modules.flatMap((module) => module.statusNames ?? []), ...registry.errorClasses.map((errorClass) => errorClass.name)]), 'i');
    const words = [...modules.flatMap((module) => module.vocabulary?.words ?? []), 'www-authenticate'];
    this.names = everyForwarderNamed ? new RegExp(`${BEFORE}(?:${alternatives(names)})${AFTER}`, 'i') : undefined;
    this.words = everyForwarderNamed ? new RegExp(alternatives(words), 'i') : undefined;
    const pathWords = modules.flatMap((module) => module.vocabulary?.words ?? []);
    this.pathWords = pathWords.length ? new RegExp(alternatives(pathWords), 'i') : undefined;
    const specifiers = modules.flatMap((module) => module.vocabulary?.modules ?? []);
    this.modules = specifiers.length ? new RegExp(String.raw`['"\x60](?:${alternatives(specifiers)})['"\x60]`) : undefined;
    this.handlerWords = new RegExp(String.raw`\b(?:${[...STATUS_PROPERTIES, ...Object.keys(STATUS_GETTERS)].join('|')})\b`);
  }

  scan(text: string, filePath: string): TextScan {
    return {
      mayFind: this.mayFind(text, filePath),
      // A Fastify handler answers errors with its own status even where it reads none of theirs (project/handlers.ts `ownStatusFact`).
      mayHoldHandler: this.handlerWords.test(text) || HANDLER_REGISTRATION.test(text),
      mayMount: ROUTE_CALL.test(text),
      mayChain: text.includes('next'),
      imports: importsOf(text),
    };
  }

  /**
   * Whether a file's text can name a 401 or 403 (a number, a status name, an
   * error class that carries one): a file that cannot gives the project no
   * status, whatever else its analysis may find. Narrower than `mayFind`,
   * which also keeps files for the headers and forwarders they name.
   */
  namesStatus(text: string): boolean {
    return this.statusWords.test(text) || mayHoldNumber(text);
  }

  private mayFind(text: string, filePath: string): boolean {
    if (!this.names || !this.words) return true;
    // Suppression directives are reported on when they name no known rule; they live in comments.
    if (/authlint/i.test(text) || this.pathWords?.test(filePath) || this.modules?.test(text)) return true;
    const code = withoutOwnLineComments(text);
    return this.names.test(code) || this.words.test(code) || mayHoldNumber(code);
  }
}

/** A 401 or 403 written as a number, or hidden behind an escape or a case fold. */
function mayHoldNumber(code: string): boolean {
  if (STATUS_DIGITS.test(code) || ESCAPE.test(code) || FOLDS_TO_ASCII.test(code)) return true;
  // Only these can spell 401 or 403 other than as plain decimals: hex, octal, binary, separators, fractions, exponents.
  if (!MAY_SPELL_STATUS.test(code)) return false;
  for (const match of code.matchAll(OTHER_NUMERALS)) {
    const value = numeralValue(match[0]);
    if (value === 401 || value === 403) return true;
  }
  return false;
}

/**
 * The text less its comments on lines of their own. A comment holding a
 * backtick is removed only when no backtick is left in the code then: no
 * template literal can have been open where it starts.
 */
function withoutOwnLineComments(text: string): string {
  const code = text.replace(OWN_LINE_COMMENT, '');
  return code.includes('`') ? text.replace(OWN_LINE_COMMENT_WITHOUT_BACKTICK, '') : code;
}

function numeralValue(written: string): number {
  const plain = written.replace(/_/g, '').replace(/n$/, '');
  if (/^0[0-7]+$/.test(plain)) return Number.parseInt(plain, 8);
  return Number(plain);
}

/** The imports a file's text writes; a mention of a module the clauses do not account for stands for any of its exports. */
export function importsOf(text: string): ImportClause[] {
  const clauses: ImportClause[] = [];
  const accounted = new Set<number>();
  for (const match of text.matchAll(IMPORT_CLAUSE)) {
    const specifier = match[2] ?? match[4] ?? match[6];
    // `import x = require('m')` and `const … = require('m')` bind its default export or the properties they name.
    // `require('m').x` binds the export `x`, which the clause does not write: it stands for any export.
    const member = match[5] !== undefined && /^\s*\)\s*(?:\.|\?\.|\[)/.test(text.slice(match.index + match[0].length));
    const names = match[1] !== undefined ? importedNames(match[1]) : member ? undefined : [...((match[3] ?? match[5]).match(NAME) ?? []), 'default'];
    clauses.push({ specifier, names });
    accounted.add(match.index + match[0].length);
  }
  // Bound to no name here, but followed when asking what the file leads to.
  for (const match of text.matchAll(EXPORT_FROM)) {
    clauses.push({ specifier: match[1], names: [] });
    accounted.add(match.index + match[0].length);
  }
  for (const match of text.matchAll(ANY_MODULE)) {
    if (!accounted.has(match.index + match[0].length)) clauses.push({ specifier: match[1] ?? match[2], names: undefined });
  }
  return clauses;
}

/**
 * The exports an `import … from` clause binds, as the analysis asks about
 * them (core/model/context.ts): `default` for a default binding, the
 * imported name of each named binding; a namespace (`* as ns`) stands for no
 * one export. A type-only import binds no value, so it can carry no status
 * into the code (a value use of it does not compile): `import type { A }`
 * and `import { type A }` name nothing. A clause not read so (string names,
 * a comment inside) stands for all the module's exports.
 */
function importedNames(clause: string): string[] | undefined {
  const text = clause.trim();
  if (/[/'"\x60\\]/.test(text)) return undefined;
  // `import type { A } from`, `import type * as ns from`, `import type A from` (but `import type from`, `import type, { a } from`: a default named `type`).
  if (/^type\s*[{*]|^type\s+[\w$\u0080-\uffff]+\s*$/.test(text)) return [];
  const braces = /\{([^}]*)\}/.exec(text);
  const outside = (braces ? text.slice(0, braces.index) + text.slice(braces.index + braces[0].length) : text).replace(/\*\s*as\s+[\w$\u0080-\uffff]+/, '');
  const names = /[\w$\u0080-\uffff]/.test(outside) ? ['default'] : [];
  for (const element of braces ? braces[1].split(',') : []) names.push(...elementNames(element.match(NAME) ?? []));
  return names;
}

/** The export one element of `{ … }` imports: `a`, `a as b` → a; `type a`, `type a as b` → none (type-only); any other shape, each of its words. */
function elementNames(words: string[]): string[] {
  if (words.length === 1) return words;
  if (words[0] === 'type' && (words.length === 2 || (words.length === 4 && words[2] === 'as'))) return [];
  if (words.length === 3 && words[1] === 'as' && words[0] !== 'type') return [words[0]];
  return words;
}

function alternatives(words: readonly string[]): string {
  return [...new Set(words)].sort().map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
}
