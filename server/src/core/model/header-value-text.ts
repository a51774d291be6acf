import ts from 'typescript';
import { propertyNameText, skipOuterExpressions } from '../ast';
import type { Scopes } from '../scope';
import type { BuiltPart, HeaderValue } from './concepts';
import { propertyValue } from './header-writes';

/** The character that stands for text the code does not show. */
export const HOLE = '\uffff';

export type TextLiteral = ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateHead | ts.TemplateMiddle | ts.TemplateTail;

/** A stretch of a value's text read from one literal in the code. */
export interface LiteralSpan {
  /** Offsets in the value's text. */
  start: number;
  end: number;
  literal: TextLiteral;
  sourceFile: ts.SourceFile;
  /** The source offset of each character from `start`, and of `end`; undefined where the literal's escapes could not be followed. */
  offsets: number[] | undefined;
  /** The constants read on the way to the literal. */
  via: readonly ts.VariableDeclaration[];
}

/** One text a header value may have, with where each part came from. */
export interface ValueText {
  text: string;
  /** Offsets of the characters that stand for unknown text (each is HOLE). */
  holes: Set<number>;
  spans: LiteralSpan[];
}

/**
 * Where the project index can say what a name imported from another file
 * holds; without one, imported names are unknown.
 */
export interface ConstantSource {
  imported(module: string, name: string, from: ts.SourceFile): { expression: ts.Expression; sourceFile: ts.SourceFile; scopes: Scopes } | undefined;
}

interface Place {
  sourceFile: ts.SourceFile;
  scopes: Scopes;
  via: readonly ts.VariableDeclaration[];
  depth: number;
}

/** How many texts one value is read as at most: conditionals multiply. */
const MAX_ALTERNATIVES = 8;
const MAX_DEPTH = 6;

/**
 * Reads the text of header values as far as the code shows it: string and
 * template literals, `+` concatenations, constants (`const`, and members of
 * `const` object literals), both arms of `?:`, `??` and `||`, and arrays of
 * values (sent as one comma-separated list). Anything else is a hole:
 * unknown text, never guessed.
 */
export class HeaderValueReader {
  constructor(
    private readonly sourceFile: ts.SourceFile,
    private readonly scopes: Scopes,
    private readonly constants?: ConstantSource,
  ) {}

  /**
   * The texts a value may have: one list per variant the value's builder
   * leaves open, each holding the alternatives the code spells out.
   */
  read(value: HeaderValue): ValueText[][] {
    const place: Place = { sourceFile: this.sourceFile, scopes: this.scopes, via: [], depth: 0 };
    if (value.kind === 'expression') return [this.field(value.expression, place)];
    return value.variants.map((parts) => this.built(parts, place));
  }

  /** A field value: a string, or an array of them sent as one list. */
  private field(expression: ts.Expression, place: Place): ValueText[] {
    const node = skipOuterExpressions(expression);
    if (ts.isArrayLiteralExpression(node)) return this.list(node, place);
    if (ts.isIdentifier(node)) {
      const constant = this.constant(node, place);
      if (constant && ts.isArrayLiteralExpression(skipOuterExpressions(constant.expression))) return this.field(constant.expression, constant.place);
    }
    return this.text(expression, place);
  }

  private list(array: ts.ArrayLiteralExpression, place: Place): ValueText[] {
    let texts: ValueText[] = [];
    array.elements.forEach((element, index) => {
      const item = ts.isSpreadElement(element) ? [hole()] : this.text(element, place);
      texts = index === 0 ? item : product(product(texts, [synthetic(', ')]), item);
    });
    return texts;
  }

  private built(parts: readonly BuiltPart[], place: Place): ValueText[] {
    let texts: ValueText[] = [synthetic('')];
    for (const part of parts) {
      let piece: ValueText[];
      if ('text' in part) piece = [synthetic(part.text)];
      else if ('unknown' in part) piece = [hole()];
      else piece = part.quoted ? this.text(part.expression, place).map(escapeQuoted) : this.field(part.expression, place);
      texts = product(texts, piece);
    }
    return texts;
  }

  private text(expression: ts.Expression, place: Place): ValueText[] {
    if (place.depth > MAX_DEPTH) return [hole()];
    const node = skipOuterExpressions(expression);
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [literalText(node, place)];
    if (ts.isTemplateExpression(node)) {
      let texts = [literalText(node.head, place)];
      for (const span of node.templateSpans) texts = product(product(texts, this.text(span.expression, place)), [literalText(span.literal, place)]);
      return texts;
    }
    if (ts.isNumericLiteral(node)) return [synthetic(String(Number(node.text)))];
    if (ts.isConditionalExpression(node)) return alternatives(this.text(node.whenTrue, place), this.text(node.whenFalse, place));
    if (ts.isBinaryExpression(node)) {
      const operator = node.operatorToken.kind;
      if (operator === ts.SyntaxKind.PlusToken) return product(this.text(node.left, place), this.text(node.right, place));
      if (operator === ts.SyntaxKind.QuestionQuestionToken || operator === ts.SyntaxKind.BarBarToken) {
        return alternatives(this.text(node.left, place), this.text(node.right, place));
      }
    }
    if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
      const constant = ts.isIdentifier(node) ? this.constant(node, place) : this.member(node, place);
      if (constant) return this.text(constant.expression, constant.place);
    }
    return [hole()];
  }

  /** What a `const` (or an imported constant the project index knows) holds. */
  private constant(name: ts.Identifier, place: Place): { expression: ts.Expression; place: Place } | undefined {
    const declaration = place.scopes.lookup(name.text, name);
    if (declaration?.kind === 'variable' && declaration.isConst && declaration.initializer) {
      return { expression: declaration.initializer, place: { ...place, via: [...place.via, declaration.node], depth: place.depth + 1 } };
    }
    if (declaration?.kind === 'import' && this.constants) {
      const found = this.constants.imported(declaration.module, declaration.imported, place.sourceFile);
      if (found) return { expression: found.expression, place: { sourceFile: found.sourceFile, scopes: found.scopes, via: [], depth: place.depth + 1 } };
    }
    return undefined;
  }

  /** `AUTH.realm`, `AUTH['realm']`: a member of a `const` object literal. */
  private member(node: ts.PropertyAccessExpression | ts.ElementAccessExpression, place: Place): { expression: ts.Expression; place: Place } | undefined {
    const key = ts.isPropertyAccessExpression(node) ? node.name.text : ts.isStringLiteral(node.argumentExpression) ? node.argumentExpression.text : undefined;
    const owner = skipOuterExpressions(node.expression);
    if (key === undefined || !ts.isIdentifier(owner)) return undefined;
    const constant = this.constant(owner, place);
    const object = constant && skipOuterExpressions(constant.expression);
    if (!object || !ts.isObjectLiteralExpression(object)) return undefined;
    // A spread may override the property: its value is then unknown.
    if (object.properties.some(ts.isSpreadAssignment)) return undefined;
    const property = [...object.properties].reverse().find((p) => p.name && propertyNameText(p.name) === key);
    const value = property && propertyValue(property);
    return value ? { expression: value, place: constant.place } : undefined;
  }
}

function synthetic(text: string): ValueText {
  return { text, holes: new Set(), spans: [] };
}

function hole(): ValueText {
  return { text: HOLE, holes: new Set([0]), spans: [] };
}

function alternatives(a: ValueText[], b: ValueText[]): ValueText[] {
  return [...a, ...b].slice(0, MAX_ALTERNATIVES);
}

/** Every concatenation of a text of `a` with a text of `b`. */
function product(a: ValueText[], b: ValueText[]): ValueText[] {
  const out: ValueText[] = [];
  for (const left of a) {
    for (const right of b) {
      if (out.length === MAX_ALTERNATIVES) return out;
      out.push(concat(left, right));
    }
  }
  return out;
}

function concat(left: ValueText, right: ValueText): ValueText {
  const shift = left.text.length;
  return {
    text: left.text + right.text,
    holes: new Set([...left.holes, ...[...right.holes].map((h) => h + shift)]),
    spans: [...left.spans, ...right.spans.map((span) => ({ ...span, start: span.start + shift, end: span.end + shift }))],
  };
}

/** The text as a library places it inside a quoted string: `"` and `\` escaped with `\`. */
function escapeQuoted(value: ValueText): ValueText {
  let text = '';
  const holes = new Set<number>();
  const starts: number[] = [];
  for (let i = 0; i < value.text.length; i++) {
    starts.push(text.length);
    const c = value.text[i];
    if (value.holes.has(i)) holes.add(text.length);
    else if (c === '"' || c === '\\') text += '\\';
    text += c;
  }
  starts.push(text.length);
  const spans = value.spans.map((span) => {
    const offsets = span.offsets && remapOffsets(span, starts);
    return { ...span, start: starts[span.start], end: starts[span.end], offsets };
  });
  return { text, holes, spans };
}

/** A span's source offsets once escapes lengthen its text: an escape maps to its character's source. */
function remapOffsets(span: LiteralSpan, starts: number[]): number[] {
  const offsets: number[] = [];
  for (let i = span.start; i < span.end; i++) {
    const source = span.offsets![i - span.start];
    for (let k = starts[i]; k < starts[i + 1]; k++) offsets.push(source);
  }
  offsets.push(span.offsets![span.end - span.start]);
  return offsets;
}

function literalText(node: TextLiteral, place: Place): ValueText {
  const text = node.text;
  const span: LiteralSpan = {
    start: 0,
    end: text.length,
    literal: node,
    sourceFile: place.sourceFile,
    offsets: cookedOffsets(node, place.sourceFile),
    via: place.via,
  };
  return { text, holes: new Set(), spans: [span] };
}

/** The source offset of each character of a literal's value, and of its end; undefined when they cannot be followed. */
function cookedOffsets(node: TextLiteral, sourceFile: ts.SourceFile): number[] | undefined {
  const source = sourceFile.text;
  const start = node.getStart(sourceFile) + 1;
  const closing = node.kind === ts.SyntaxKind.TemplateHead || node.kind === ts.SyntaxKind.TemplateMiddle ? 2 : 1;
  const end = node.getEnd() - closing;
  const offsets: number[] = [];
  let cooked = '';
  for (let i = start; i < end; ) {
    const c = source[i];
    if (c !== '\\') {
      cooked += c;
      offsets.push(i);
      i++;
      continue;
    }
    const escape = readEscape(source, i);
    if (!escape) return undefined;
    for (let k = 0; k < escape.text.length; k++) offsets.push(i);
    cooked += escape.text;
    i += escape.length;
  }
  offsets.push(end);
  return cooked === node.text ? offsets : undefined;
}

const SIMPLE_ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '0': '\0' };

function readEscape(source: string, at: number): { text: string; length: number } | undefined {
  const next = source[at + 1];
  if (next === undefined) return undefined;
  if (next === '\r') return { text: '', length: source[at + 2] === '\n' ? 3 : 2 };
  if (next === '\n' || next === '\u2028' || next === '\u2029') return { text: '', length: 2 };
  if (next === 'x') {
    const hex = source.slice(at + 2, at + 4);
    return /^[0-9a-fA-F]{2}$/.test(hex) ? { text: String.fromCharCode(parseInt(hex, 16)), length: 4 } : undefined;
  }
  if (next === 'u') {
    const braced = /^\{([0-9a-fA-F]+)\}/.exec(source.slice(at + 2, at + 12));
    if (braced) return { text: String.fromCodePoint(parseInt(braced[1], 16)), length: 2 + braced[0].length };
    const hex = source.slice(at + 2, at + 6);
    return /^[0-9a-fA-F]{4}$/.test(hex) ? { text: String.fromCharCode(parseInt(hex, 16)), length: 6 } : undefined;
  }
  // Legacy octal escapes are rare enough to give up on.
  if (/[0-9]/.test(next) && (next !== '0' || /[0-9]/.test(source[at + 2] ?? ''))) return undefined;
  return { text: SIMPLE_ESCAPES[next] ?? next, length: 2 };
}
