import ts from 'typescript';
import { calleeName, executionAnchor, headerTupleNames, isAncestorOf, isFunctionLike, isStatementList, propertyNameText, skipOuterExpressions, stringValue } from '../ast';
import type { FileModel, ForwardingSite, HeaderWrite, PropertyWrite, UnsetValue } from './concepts';
import type { ModelContext } from './context';
import type { OutgoingFact, Span } from '../project/facts';

/** How a credential header is lost on its way upstream. */
export type DropKind = 'rebuilt' | 'none' | 'instance' | 'removed' | 'stringified' | 'destructured' | 'allow-list' | 'deny-list' | 'headers-spread';

export type CredentialFate =
  | { kind: 'kept' }
  | { kind: 'dropped'; how: DropKind; node: ts.Node; site: ForwardingSite; elsewhere?: Elsewhere; value?: Unset };

/** A drop that happens in a function of another file: `node` is where this file hands the request to it. */
export interface Elsewhere {
  file: string;
  name: string;
  at: Span;
}

/** An explicit list of header names that decides which incoming headers go on. */
interface NameList {
  node: ts.Node;
  names: Set<string>;
  elsewhere?: Elsewhere;
}

interface Removal {
  name: string;
  how: 'removed' | 'stringified' | 'destructured' | 'deny-list';
  node: ts.Node;
  /** A removal by a value of `undefined` or `null`: what it does is the library's to say. */
  value?: Unset;
  elsewhere?: Elsewhere;
}

type Unset = 'undefined' | 'null';

/**
 * What is known about a set of outgoing headers. `names` are set explicitly
 * (forwarded or replaced, either way the upstream gets a credential); `open`
 * means headers not known statically pass too (the incoming ones, an opaque
 * value); an allow-list keeps only the names on it.
 */
export interface Outgoing {
  names: Set<string>;
  open: boolean;
  removals: Removal[];
  allowLists: NameList[];
  /** The expression the headers were rebuilt in, when they were. */
  rebuilt: ts.Node | undefined;
  /** Set when they were rebuilt by a function of another file. */
  rebuiltElsewhere?: Elsewhere;
  /** `...event.headers` in the rebuilt object: a Fetch API `Headers` holds no own properties, so the spread copies none. */
  spreadHeaders?: ts.SpreadAssignment;
}

const MAX_DEPTH = 6;
const STRING_TRANSFORMS = new Set(['toLowerCase', 'toLocaleLowerCase', 'trim']);

interface WritesTo {
  header: HeaderWrite[];
  property: PropertyWrite[];
}

/**
 * Memos keyed by objects that do not change once the file's model is built:
 * the writes indexed by the declaration they write to, and each site's
 * outgoing headers (read once, then asked about every credential header).
 */
const writeIndexes = new WeakMap<FileModel, Map<ts.Node, WritesTo>>();
const outgoingBySite = new WeakMap<ForwardingSite, Outgoing>();

/**
 * Header names that carry a credential or the caller's identity: set on the
 * forwarded request in the caller's credential's place (a service API key, an
 * admin token, the verified user), or forwarded as the credential itself (a
 * cookie session), they mean the upstream is authenticated on purpose.
 */
const CREDENTIAL_LIKE = /^(authorization|proxy-authorization|cookie)$|(^|-)(token|key|apikey|secret|auth|session|jwt|signature|credentials?|bearer|assertion)(-|$)/;
const IDENTITY_HEADER = /^x-(forwarded-)?(user|user-id|userid|principal|identity|claims|email|subject|sub)$/;
const NOT_CREDENTIAL = /(^|-)(csrf|xsrf|idempotency|cache|request|correlation|trace|dedupe?)(-|$)/;

/**
 * What happens to the credential header `header` (lower-cased) at a forwarding
 * site. `configured` are every credential header in the settings: one of them
 * forwarded is not a replacement for another.
 */
export function credentialFate(site: ForwardingSite, header: string, configured: readonly string[], ctx: ModelContext): CredentialFate {
  let outgoing = outgoingBySite.get(site);
  if (!outgoing) {
    const outer = headersObject;
    headersObject = site.isHeadersObject;
    try {
      outgoing = outgoingOf(site, ctx);
    } finally {
      headersObject = outer;
    }
    outgoingBySite.set(site, outgoing);
  }
  if (outgoing.names.has(header)) return { kind: 'kept' };
  if (replacedByAnother(outgoing, configured)) return { kind: 'kept' };
  const removal = outgoing.removals.find((r) => r.name === header && unsetEffect(r, site) !== 'ignored');
  if (removal) {
    const how = unsetEffect(removal, site) === 'stringified' ? 'stringified' : removal.how;
    return { kind: 'dropped', how, node: removal.node, site, elsewhere: removal.elsewhere, value: removal.value };
  }
  const allowList = outgoing.allowLists.find((list) => !list.names.has(header));
  if (allowList) return { kind: 'dropped', how: 'allow-list', node: allowList.node, site, elsewhere: allowList.elsewhere };
  if (outgoing.allowLists.length > 0 || outgoing.open) return { kind: 'kept' };
  if (site.headers.kind === 'none') return { kind: 'dropped', how: site.defaultHeaders ? 'instance' : 'none', node: site.headers.call, site };
  if (site.headers.kind === 'chained' && site.headers.calls.length === 0) return { kind: 'dropped', how: 'none', node: site.headers.end, site };
  if (outgoing.spreadHeaders && !outgoing.rebuiltElsewhere) return { kind: 'dropped', how: 'headers-spread', node: outgoing.spreadHeaders, site };
  return outgoing.rebuilt ? { kind: 'dropped', how: 'rebuilt', node: outgoing.rebuilt, site, elsewhere: outgoing.rebuiltElsewhere } : { kind: 'kept' };
}

/**
 * The site's test for a Fetch API `Headers` object (`event.headers` under h3,
 * a route handler's `request.headers`), set while its headers are evaluated.
 */
let headersObject: ((expression: ts.Expression) => boolean) | undefined;

/** Another credential set explicitly, or kept by the allow-list: the upstream is authenticated some other way. */
function replacedByAnother(outgoing: Outgoing, configured: readonly string[]): boolean {
  const other = (name: string) => !configured.includes(name) && isCredentialLike(name);
  for (const name of outgoing.names) if (other(name)) return true;
  return outgoing.allowLists.some((list) => [...list.names].some(other));
}

/**
 * What a removal by `undefined` or `null` comes to at this site: a removal, the
 * text sent in the header's place, or nothing (the library skips the entry and
 * keeps the incoming value, or throws before the request leaves).
 */
function unsetEffect(removal: Removal, site: ForwardingSite): 'removed' | 'stringified' | 'ignored' {
  if (removal.how === 'stringified') return 'stringified';
  if (!removal.value) return 'removed';
  const effect: UnsetValue = site.unsetValue?.[removal.value] ?? 'removes';
  return effect === 'removes' ? 'removed' : effect === 'stringifies' ? 'stringified' : 'ignored';
}

function isCredentialLike(name: string): boolean {
  return (CREDENTIAL_LIKE.test(name) || IDENTITY_HEADER.test(name)) && !NOT_CREDENTIAL.test(name);
}

function outgoingOf(site: ForwardingSite, ctx: ModelContext): Outgoing {
  const headers = site.headers;
  const outgoing =
    headers.kind === 'expression' ? evaluate(headers.expression, ctx, 0)
    : headers.kind === 'chained' ? chained(headers.calls, headers.end, ctx)
    : empty(headers.kind === 'incoming');
  if (headers.kind === 'incoming' && headers.added) merge(outgoing, evaluate(headers.added, ctx, 0));
  if (site.defaultHeaders) {
    // The instance's defaults go under the call's own: what they set is sent, what they rebuild is not what this call rebuilt.
    const defaults = evaluate(site.defaultHeaders, ctx, 0);
    defaults.rebuilt = undefined;
    merge(outgoing, defaults);
  }
  for (const hook of site.hooks) {
    const request = hook.parameters[0];
    if (!request) continue;
    addHeaderWrites(outgoing, request, ctx);
    addKeyedHeaderWrites(outgoing, request, ctx);
  }
  for (const hook of site.remoteHooks ?? []) {
    const edits = fromFact(hook.fact, hook.node, hook.elsewhere);
    if (hook.returns) Object.assign(outgoing, edits);
    else merge(outgoing, edits);
  }
  if (site.request) addHeaderWrites(outgoing, site.request, ctx);
  const filtered = site.filtered && nameList(site.filtered, ctx);
  if (filtered) denyList(outgoing, filtered.names, filtered.node);
  return outgoing;
}

/** `.set('Accept', 'json')`, `.set({ … })`, `.auth(token, { type: 'bearer' })` chained on a request. */
function chained(calls: readonly ts.CallExpression[], end: ts.CallExpression, ctx: ModelContext): Outgoing {
  const outgoing = empty(false);
  const first = calls[0]?.expression;
  outgoing.rebuilt = first && ts.isPropertyAccessExpression(first) ? first.name : end;
  for (const call of calls) {
    const [first, second] = call.arguments;
    const name = calleeName(call);
    if (name === 'auth') outgoing.names.add('authorization');
    else if (!first) continue;
    else if (second === undefined) merge(outgoing, { ...evaluate(first, ctx, 1), rebuilt: undefined });
    else if (stringValue(first) === undefined) outgoing.open = true;
    else if (nothing(second)) outgoing.removals.push({ name: stringValue(first)!.toLowerCase(), how: 'removed', node: call, value: unsetOf(second) });
    else outgoing.names.add(stringValue(first)!.toLowerCase());
  }
  return outgoing;
}

function empty(open: boolean): Outgoing {
  return { names: new Set(), open, removals: [], allowLists: [], rebuilt: undefined };
}

function merge(target: Outgoing, source: Outgoing): void {
  for (const name of source.names) target.names.add(name);
  target.open ||= source.open;
  target.removals.push(...source.removals);
  target.allowLists.push(...source.allowLists);
  if (!target.rebuilt) {
    target.rebuilt = source.rebuilt;
    target.rebuiltElsewhere = source.rebuiltElsewhere;
    target.spreadHeaders = source.spreadHeaders;
  }
}

function evaluate(expression: ts.Expression, ctx: ModelContext, depth: number): Outgoing {
  const node = unwrap(expression);
  if (depth > MAX_DEPTH) return empty(true);
  if (ts.isObjectLiteralExpression(node)) return objectLiteral(node, ctx, depth);
  if (ts.isArrayLiteralExpression(node)) return pairs(node);
  if (ts.isNewExpression(node)) {
    const name = calleeName(node);
    if (name !== 'Headers' && name !== 'Map') return empty(true);
    const init = node.arguments?.[0];
    const outgoing = init ? evaluate(init, ctx, depth + 1) : empty(false);
    // The Fetch API's `Headers` turns every value into a string (WebIDL ByteString), so `undefined` is sent as that text.
    if (name === 'Headers') for (const removal of outgoing.removals) if (removal.value) removal.how = 'stringified';
    outgoing.rebuilt ??= node;
    return outgoing;
  }
  if (ts.isIdentifier(node)) return identifier(node, ctx, depth);
  if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
    // `req.headers`, `opts.headers`: headers not known here, less those deleted from them.
    const outgoing = empty(!isSupplied(node, ctx));
    const ref = ctx.reference(node);
    if (ref?.declaration) addHeaderWrites(outgoing, ref.declaration, ctx);
    return outgoing;
  }
  if (ts.isCallExpression(node)) return call(node, ctx, depth);
  if (ts.isBinaryExpression(node)) return logical(node, ctx, depth);
  if (ts.isConditionalExpression(node)) {
    const outgoing = evaluate(node.whenTrue, ctx, depth + 1);
    merge(outgoing, evaluate(node.whenFalse, ctx, depth + 1));
    return outgoing;
  }
  return empty(true);
}

/** `cond && { authorization }` adds the right side's headers or none; `a ?? b` and `a || b` either side's. */
function logical(node: ts.BinaryExpression, ctx: ModelContext, depth: number): Outgoing {
  const operator = node.operatorToken.kind;
  if (operator === ts.SyntaxKind.AmpersandAmpersandToken) return evaluate(node.right, ctx, depth + 1);
  if (operator !== ts.SyntaxKind.BarBarToken && operator !== ts.SyntaxKind.QuestionQuestionToken) return empty(true);
  const outgoing = evaluate(node.left, ctx, depth + 1);
  merge(outgoing, evaluate(node.right, ctx, depth + 1));
  return outgoing;
}

function unwrap(expression: ts.Expression): ts.Expression {
  let node = skipOuterExpressions(expression) as ts.Expression;
  while (ts.isAwaitExpression(node)) node = skipOuterExpressions(node.expression) as ts.Expression;
  return node;
}

function objectLiteral(object: ts.ObjectLiteralExpression, ctx: ModelContext, depth: number): Outgoing {
  const outgoing = empty(false);
  outgoing.rebuilt = object;
  for (const property of object.properties) {
    if (ts.isSpreadAssignment(property)) {
      if (headersObject?.(property.expression)) {
        outgoing.spreadHeaders ??= property;
        continue;
      }
      const spread = evaluate(property.expression, ctx, depth + 1);
      spread.rebuilt = undefined;
      merge(outgoing, spread);
      continue;
    }
    const name = property.name && propertyNameText(property.name);
    if (name === undefined) {
      outgoing.open = true;
    } else if (ts.isPropertyAssignment(property) && nothing(property.initializer)) {
      // `{ ...req.headers, authorization: '' }` blanks the header; `undefined` does what the library makes of it.
      outgoing.removals.push({ name: name.toLowerCase(), how: 'removed', node: property, value: unsetOf(property.initializer) });
      outgoing.names.delete(name.toLowerCase());
    } else {
      outgoing.names.add(name.toLowerCase());
    }
  }
  return outgoing;
}

/** `undefined`, `void 0`, `null`, `''`: a header given no value (see `unsetOf`) or a blank one. */
function nothing(expression: ts.Expression): boolean {
  return unsetOf(expression) !== undefined || stringValue(skipOuterExpressions(expression)) === '';
}

function unsetOf(expression: ts.Expression): Unset | undefined {
  const node = skipOuterExpressions(expression);
  if ((ts.isIdentifier(node) && node.text === 'undefined') || ts.isVoidExpression(node)) return 'undefined';
  return node.kind === ts.SyntaxKind.NullKeyword ? 'null' : undefined;
}

/** `[['content-type', 'application/json'], …]` */
function pairs(array: ts.ArrayLiteralExpression): Outgoing {
  const outgoing = empty(false);
  outgoing.rebuilt = array;
  const { names, open } = headerTupleNames(array);
  for (const name of names) outgoing.names.add(name);
  outgoing.open = open;
  return outgoing;
}

function identifier(node: ts.Identifier, ctx: ModelContext, depth: number): Outgoing {
  if (node.text === 'undefined') return empty(false);
  const declaration = ctx.scopes.lookup(node.text, node);
  if (!declaration) return destructuredRest(node, ctx, depth) ?? empty(true);
  let outgoing: Outgoing;
  if (declaration.kind === 'variable' && declaration.initializer) {
    outgoing = evaluate(declaration.initializer, ctx, depth + 1);
    // A `let` may be reassigned to anything.
    if (!declaration.isConst) outgoing.open = true;
  } else if (declaration.kind === 'parameter' && declaration.fn === suppliedBy) {
    // What the caller passes is read at each call.
    outgoing = empty(false);
  } else if (declaration.kind === 'variable' || declaration.kind === 'parameter') {
    outgoing = empty(true);
  } else {
    return empty(true);
  }
  addWrites(outgoing, declaration.node, ctx);
  // `headers.set('authorization', undefined)` on a Fetch API `Headers` stores the text "undefined", whichever client sends it.
  if (declaration.kind === 'variable' && isNewHeaders(declaration.initializer)) {
    for (const removal of outgoing.removals) if (removal.value) removal.how = 'stringified';
  }
  return outgoing;
}

function isNewHeaders(expression: ts.Expression | undefined): boolean {
  const node = expression && unwrap(expression);
  return node !== undefined && ts.isNewExpression(node) && calleeName(node) === 'Headers';
}

/** Headers set on, or taken from, a variable after it was made: `headers.set(…)`, `out[name] = …`, `delete h.authorization`. */
function addWrites(outgoing: Outgoing, declaration: ts.Node, ctx: ModelContext): void {
  addHeaderWrites(outgoing, declaration, ctx);
  for (const write of writesTo(declaration, ctx).property) {
    const name = write.name ?? constantName(write.key, ctx);
    if (write.op === 'remove') {
      if (name !== undefined) removed(outgoing, name, write.node, declaration, ctx);
      else keyedRemoval(outgoing, write.key, write.node, ctx);
    } else if (name !== undefined) {
      namedSet(outgoing, name, write.node, declaration, ctx);
    } else {
      keyedWrite(outgoing, write.key, write.node, ctx);
    }
  }
}

/** `headers.set(…)`, `proxyReq.removeHeader(…)`, `delete req.headers.authorization` */
function addHeaderWrites(outgoing: Outgoing, declaration: ts.Node, ctx: ModelContext): void {
  for (const write of writesTo(declaration, ctx).header) {
    if (write.op === 'set') namedSet(outgoing, write.name, write.node, declaration, ctx);
    else removed(outgoing, write.name, write.node, declaration, ctx);
  }
}

/**
 * On an outgoing request that already holds the incoming headers (a proxy's
 * `proxyReq`), a write under a computed name adds a header and cannot narrow
 * them; only removals over a list and names held in constants are read.
 */
function addKeyedHeaderWrites(outgoing: Outgoing, declaration: ts.Node, ctx: ModelContext): void {
  for (const write of writesTo(declaration, ctx).property) {
    if (write.name !== undefined) continue;
    const name = constantName(write.key, ctx);
    if (name !== undefined) {
      if (write.op === 'remove') removed(outgoing, name, write.node, declaration, ctx);
      else namedSet(outgoing, name, write.node, declaration, ctx);
    } else if (write.op === 'remove') {
      keyedRemoval(outgoing, write.key, write.node, ctx);
    }
  }
}

/** A header set: to a value, it goes on; to `''` or `undefined` (`proxyReq.setHeader('authorization', '')`), it is taken away. */
function namedSet(outgoing: Outgoing, name: string, node: ts.Node, declaration: ts.Node, ctx: ModelContext): void {
  const value = ts.isCallExpression(node) ? node.arguments[1] : ts.isBinaryExpression(node) ? node.right : undefined;
  if (value && nothing(value)) removed(outgoing, name, node, declaration, ctx, unsetOf(value));
  else outgoing.names.add(name);
}

/** The header name a `const` holds: `const AUTH = 'authorization'; proxyReq.removeHeader(AUTH)`. */
function constantName(key: ts.Expression | undefined, ctx: ModelContext): string | undefined {
  const node = key && skipOuterExpressions(key);
  if (!node || !ts.isIdentifier(node)) return undefined;
  const declaration = ctx.scopes.lookup(node.text, node);
  if (declaration?.kind !== 'variable' || !declaration.isConst || !declaration.initializer) return undefined;
  return stringValue(declaration.initializer)?.toLowerCase();
}

/**
 * A header taken away, unless the same block hands the upstream the caller's
 * identity some other way: a gateway that verified the token and sends
 * `user: JSON.stringify(req.user)` or a service token in its place has
 * replaced the credential, not lost it.
 */
function removed(outgoing: Outgoing, name: string, node: ts.Node, declaration: ts.Node, ctx: ModelContext, value?: Unset): void {
  if (replacedBeside(node, declaration, ctx)) outgoing.names.add(name);
  else if (!onlyOnSomePaths(node)) outgoing.removals.push({ name, how: 'removed', node, value });
}

/** Members whose test picks the paths a removal applies to: `if (req.url.startsWith('/login'))`. */
const PATH_MEMBERS = new Set(['url', 'path', 'originalUrl', 'pathname', 'baseUrl', 'route']);

/**
 * A removal under a test of the request's path (the public login and register
 * routes) leaves every other path forwarding the header: a choice per route,
 * not a lost credential.
 */
function onlyOnSomePaths(removal: ts.Node): boolean {
  for (let current = removal; current.parent && !isFunctionLike(current); current = current.parent) {
    const parent = current.parent;
    const condition =
      ts.isIfStatement(parent) && parent.expression !== current ? parent.expression
      : ts.isConditionalExpression(parent) && parent.condition !== current ? parent.condition
      : ts.isBinaryExpression(parent) && parent.right === current && parent.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken ? parent.left
      : undefined;
    if (condition && readsPath(condition)) return true;
  }
  return false;
}

function readsPath(node: ts.Node): boolean {
  if (ts.isPropertyAccessExpression(node) && PATH_MEMBERS.has(node.name.text)) return true;
  return ts.forEachChild(node, (child) => readsPath(child) || undefined) ?? false;
}

function replacedBeside(removal: ts.Node, declaration: ts.Node, ctx: ModelContext): boolean {
  const block = executionAnchor(removal)?.parent;
  if (!block || !isStatementList(block)) return false;
  const writes = writesTo(declaration, ctx);
  const sets = [...writes.header, ...writes.property].filter((w) => w.op === 'set' && w.node !== removal && isAncestorOf(block, w.node));
  return sets.some((set) => {
    const value = ts.isCallExpression(set.node) ? set.node.arguments[1] : ts.isBinaryExpression(set.node) ? set.node.right : undefined;
    return value !== undefined && namesIdentity(value);
  });
}

/** Names that say a value stands for the authenticated caller: `req.user`, `claims`, `serviceToken`, `keyToken`. */
const IDENTITY = /^(user|userId|principal|claims|identity|session|auth)$|^(?!csrf|xsrf).*token$/i;

function namesIdentity(value: ts.Node): boolean {
  if (ts.isIdentifier(value) || ts.isPrivateIdentifier(value)) return IDENTITY.test(value.text);
  return ts.forEachChild(value, (child) => namesIdentity(child) || undefined) ?? false;
}

function writesTo(declaration: ts.Node, ctx: ModelContext): WritesTo {
  let index = writeIndexes.get(ctx.model);
  if (!index) {
    index = indexWrites(ctx);
    writeIndexes.set(ctx.model, index);
  }
  return index.get(declaration) ?? NO_WRITES;
}

/** The property writes to a variable or parameter: `out[name] = …`, `delete h.authorization`, `opts.headers = …`. */
export function propertyWritesTo(declaration: ts.Node, ctx: ModelContext): readonly PropertyWrite[] {
  return writesTo(declaration, ctx).property;
}

function indexWrites(ctx: ModelContext): Map<ts.Node, WritesTo> {
  const model = ctx.model;
  const index = new Map<ts.Node, WritesTo>();
  const entry = (node: ts.Node): WritesTo => {
    let writes = index.get(node);
    if (!writes) {
      writes = { header: [], property: [] };
      index.set(node, writes);
    }
    return writes;
  };
  for (const write of model.headerWrites) if (write.target.declaration) entry(write.target.declaration).header.push(write);
  for (const write of model.propertyWrites) {
    const declaration = ctx.scopes.lookup(write.holder.text, write.holder);
    if (declaration?.kind === 'variable' || declaration?.kind === 'parameter') entry(declaration.node).property.push(write);
  }
  return index;
}

const NO_WRITES: WritesTo = { header: [], property: [] };

/**
 * `out[name] = …`, `headers.set(name, value)`: an allow-list when `name` runs
 * over a list of names, or a copy guarded by a test of the name; otherwise
 * anything may be copied.
 */
function keyedWrite(outgoing: Outgoing, key: ts.Expression | undefined, write: ts.Node, ctx: ModelContext): void {
  const name = key && keyIdentifier(key);
  const binder = name && keyBinder(name, write, ctx);
  if (!name || !binder) {
    outgoing.open = true;
    return;
  }
  const list = ts.isForOfStatement(binder) ? nameList(binder.expression, ctx) : isFunctionLike(binder) ? forEachList(binder, ctx) : undefined;
  if (list) outgoing.allowLists.push(list);
  else if (!guardedCopy(outgoing, write, binder, name.text, ctx)) outgoing.open = true;
}

/** `for (const name of STRIPPED) delete headers[name]`, `STRIPPED.forEach((h) => headers.delete(h))`: each name listed is taken away. */
function keyedRemoval(outgoing: Outgoing, key: ts.Expression | undefined, write: ts.Node, ctx: ModelContext): void {
  const name = key && keyIdentifier(key);
  const binder = name && keyBinder(name, write, ctx);
  const list = !binder ? undefined : ts.isForOfStatement(binder) ? nameList(binder.expression, ctx) : isFunctionLike(binder) ? forEachList(binder, ctx) : undefined;
  if (list) for (const removed of list.names) outgoing.removals.push({ name: removed, how: 'deny-list', node: list.node });
}

/** The loop or callback that binds a key: `for (const name of …)`, `for (const [name] of …)`, `(value, name) => …`. */
function keyBinder(name: ts.Identifier, write: ts.Node, ctx: ModelContext): ts.Node | undefined {
  const declaration = ctx.scopes.lookup(name.text, name);
  if (declaration?.kind === 'parameter') return declaration.fn;
  if (declaration?.kind === 'variable') {
    const loop = declaration.node.parent.parent;
    if (ts.isForOfStatement(loop) || ts.isForInStatement(loop)) return loop;
    // `const key = k.toLowerCase()` in the loop body names the loop's key.
    const source = declaration.isConst && declaration.initializer ? keyIdentifier(declaration.initializer) : undefined;
    return source && source.text !== name.text ? keyBinder(source, write, ctx) : undefined;
  }
  if (declaration) return undefined;
  for (let current = write.parent; current; current = current.parent) {
    if (ts.isForOfStatement(current) && ts.isVariableDeclarationList(current.initializer)) {
      const pattern = current.initializer.declarations[0]?.name;
      const first = pattern && ts.isArrayBindingPattern(pattern) ? pattern.elements[0] : undefined;
      if (first && ts.isBindingElement(first) && ts.isIdentifier(first.name) && first.name.text === name.text) return current;
    }
    if (isFunctionLike(current)) return undefined;
  }
  return undefined;
}

function keyIdentifier(key: ts.Expression): ts.Identifier | undefined {
  let node = skipOuterExpressions(key);
  while (ts.isCallExpression(node) && STRING_TRANSFORMS.has(calleeName(node) ?? '')) {
    const callee = skipOuterExpressions(node.expression);
    if (!ts.isPropertyAccessExpression(callee)) break;
    node = skipOuterExpressions(callee.expression);
  }
  return ts.isIdentifier(node) ? node : undefined;
}

/** `ALLOWED.forEach((name) => { out[name] = … })` */
function forEachList(fn: ts.FunctionLikeDeclaration, ctx: ModelContext): NameList | undefined {
  const parent = fn.parent;
  if (!ts.isCallExpression(parent) || calleeName(parent) !== 'forEach' || parent.arguments[0] !== fn) return undefined;
  const callee = skipOuterExpressions(parent.expression);
  return ts.isPropertyAccessExpression(callee) ? nameList(callee.expression, ctx) : undefined;
}

/**
 * `for (const name of Object.keys(req.headers)) if (ALLOWED.includes(name)) out[name] = …`:
 * the condition right around the copy says which names go on. A copy in an
 * `else`, or guarded some other way, is not read.
 */
function guardedCopy(outgoing: Outgoing, write: ts.Node, binder: ts.Node, key: string, ctx: ModelContext): boolean {
  for (let current = write.parent; current && current !== binder; current = current.parent) {
    if (ts.isIfStatement(current) && isAncestorOrSelf(current.thenStatement, write)) {
      return applyCondition(outgoing, current.expression, key, ctx);
    }
    if (ts.isIfStatement(current)) return false;
  }
  return skippedNames(outgoing, write, binder, key, ctx);
}

/**
 * `if (key === 'host' || key === 'authorization') continue;` before the copy,
 * in the loop's own body (or `return` in a forEach callback): the names the
 * test picks are skipped. False when the copy has no such test, or one that
 * is not read.
 */
function skippedNames(outgoing: Outgoing, write: ts.Node, binder: ts.Node, key: string, ctx: ModelContext): boolean {
  const statement = executionAnchor(write);
  const body = statement?.parent;
  if (!statement || !body || !isStatementList(body) || (body.parent !== binder && body !== binder)) return false;
  let read = false;
  for (const sibling of body.statements) {
    if (sibling === statement) break;
    if (!ts.isIfStatement(sibling) || sibling.elseStatement || !skips(sibling.thenStatement)) continue;
    if (!applySkip(outgoing, sibling.expression, key, ctx)) return false;
    read = true;
  }
  return read;
}

function skips(statement: ts.Statement): boolean {
  const only = ts.isBlock(statement) && statement.statements.length === 1 ? statement.statements[0] : statement;
  return ts.isContinueStatement(only) || (ts.isReturnStatement(only) && !only.expression);
}

/** A skip test: the names it is true for are not copied. Sides that test something other than the name (`v == null`) skip values, not names. */
function applySkip(outgoing: Outgoing, test: ts.Expression, key: string, ctx: ModelContext): boolean {
  const node = skipOuterExpressions(test);
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.BarBarToken) {
    return applySkip(outgoing, node.left, key, ctx) && applySkip(outgoing, node.right, key, ctx);
  }
  if (!mentions(node, key)) return true;
  if (ts.isBinaryExpression(node)) {
    const operator = node.operatorToken.kind;
    const keySide = [node.left, node.right].find((side) => keyIdentifier(side)?.text === key);
    const name = stringValue(keySide === node.left ? node.right : node.left);
    if (!keySide || name === undefined) return false;
    if (operator === ts.SyntaxKind.EqualsEqualsEqualsToken || operator === ts.SyntaxKind.EqualsEqualsToken) {
      denyList(outgoing, [name.toLowerCase()], node);
      return true;
    }
    if (operator === ts.SyntaxKind.ExclamationEqualsEqualsToken || operator === ts.SyntaxKind.ExclamationEqualsToken) {
      outgoing.allowLists.push({ node, names: new Set([name.toLowerCase()]) });
      return true;
    }
    return false;
  }
  // `if (!ALLOWED.has(key)) continue` copies only the names listed; `if (BLOCKED.has(key)) continue` all others.
  const negated = ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken;
  const inner = negated ? skipOuterExpressions((node as ts.PrefixUnaryExpression).operand) : node;
  const list = ts.isCallExpression(inner) ? testedList(inner, key, ctx) : undefined;
  if (!list) return false;
  if (negated) outgoing.allowLists.push(list);
  else denyList(outgoing, list.names, list.node);
  return true;
}

/** `ALLOWED.includes(key)`, `BLOCKED.has(key.toLowerCase())`: the list of names tested. */
function testedList(test: ts.CallExpression, key: string, ctx: ModelContext): NameList | undefined {
  if (!['includes', 'has'].includes(calleeName(test) ?? '')) return undefined;
  const arg = test.arguments[0] && keyIdentifier(test.arguments[0]);
  const callee = skipOuterExpressions(test.expression);
  if (arg?.text !== key || !ts.isPropertyAccessExpression(callee)) return undefined;
  return nameList(callee.expression, ctx);
}

function mentions(node: ts.Node, name: string): boolean {
  if (ts.isIdentifier(node)) return node.text === name;
  return ts.forEachChild(node, (child) => mentions(child, name) || undefined) ?? false;
}

function isAncestorOrSelf(ancestor: ts.Node, node: ts.Node): boolean {
  for (let current: ts.Node | undefined = node; current; current = current.parent) if (current === ancestor) return true;
  return false;
}

/**
 * Reads a test over a header name (`ALLOWED.includes(k)`, `!BLOCKED.has(k)`,
 * `k !== 'cookie'`, joined by `&&`) into allow- and deny-lists; false when the
 * test is something else.
 */
function applyCondition(outgoing: Outgoing, condition: ts.Expression, key: string, ctx: ModelContext): boolean {
  const node = skipOuterExpressions(condition);
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) {
    const left = applyCondition(outgoing, node.left, key, ctx);
    const right = applyCondition(outgoing, node.right, key, ctx);
    return left || right;
  }
  const negated = ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken;
  const test = negated ? skipOuterExpressions((node as ts.PrefixUnaryExpression).operand) : node;
  if (ts.isCallExpression(test) && ['includes', 'has'].includes(calleeName(test) ?? '')) {
    const list = testedList(test, key, ctx);
    if (!list) return false;
    if (negated) denyList(outgoing, list.names, list.node);
    else outgoing.allowLists.push(list);
    return true;
  }
  if (ts.isBinaryExpression(test) && !negated) {
    const operator = test.operatorToken.kind;
    const sides = [test.left, test.right];
    const keySide = sides.find((side) => keyIdentifier(side)?.text === key);
    const name = stringValue(sides.find((side) => side !== keySide));
    if (!keySide || name === undefined) return false;
    if (operator === ts.SyntaxKind.ExclamationEqualsEqualsToken || operator === ts.SyntaxKind.ExclamationEqualsToken) {
      denyList(outgoing, [name.toLowerCase()], test);
      return true;
    }
    if (operator === ts.SyntaxKind.EqualsEqualsEqualsToken || operator === ts.SyntaxKind.EqualsEqualsToken) {
      outgoing.allowLists.push({ node: test, names: new Set([name.toLowerCase()]) });
      return true;
    }
  }
  return false;
}

/** Everything passes but the names listed. */
function denyList(outgoing: Outgoing, names: Iterable<string>, node: ts.Node): void {
  outgoing.open = true;
  for (const name of names) outgoing.removals.push({ name, how: 'deny-list', node });
}

/** A list of header names written out: `['accept', …]`, a constant holding one, `new Set([…])`. */
function nameList(expression: ts.Expression, ctx: ModelContext, depth = 0): NameList | undefined {
  const node = skipOuterExpressions(expression);
  if (depth > 3) return undefined;
  if (ts.isArrayLiteralExpression(node)) {
    const names = new Set<string>();
    for (const element of node.elements) {
      const name = stringValue(element);
      if (name === undefined) return undefined;
      names.add(name.toLowerCase());
    }
    return { node, names };
  }
  if (ts.isNewExpression(node) && calleeName(node) === 'Set' && node.arguments?.[0]) return nameList(node.arguments[0], ctx, depth + 1);
  if (ts.isIdentifier(node)) {
    const declaration = ctx.scopes.lookup(node.text, node);
    if (declaration?.kind === 'variable' && declaration.isConst && declaration.initializer) {
      return nameList(declaration.initializer, ctx, depth + 1);
    }
  }
  return undefined;
}

function call(node: ts.CallExpression, ctx: ModelContext, depth: number): Outgoing {
  const name = calleeName(node);
  const callee = skipOuterExpressions(node.expression);
  const owner = ts.isPropertyAccessExpression(callee) ? skipOuterExpressions(callee.expression) : undefined;
  const onObject = owner !== undefined && ts.isIdentifier(owner) && owner.text === 'Object';
  if (onObject && name === 'assign') {
    const outgoing = empty(false);
    for (const arg of node.arguments) merge(outgoing, evaluate(arg, ctx, depth + 1));
    return outgoing;
  }
  if (onObject && name === 'fromEntries' && node.arguments[0]) return entries(node.arguments[0], ctx, depth);
  if ((name === 'pick' || name === 'omit') && node.arguments.length === 2) return pickOrOmit(node, name, ctx, depth);
  if (ts.isIdentifier(callee)) {
    const fn = localFunction(callee, ctx);
    if (fn) return returned(fn, ctx, depth);
  }
  // `forwardHeaders(req)` from a utils file: the headers it returns, as the project index read them there.
  const imported = ctx.importedFunction(node.expression);
  const built = imported?.fact.headers?.returns;
  if (imported && built) return fromFact(built, node, { file: imported.file, name: imported.fact.name, at: built.rebuilt ?? imported.fact.at });
  return empty(true);
}

/**
 * Outgoing headers another file's function makes, placed at `node` (where
 * this file calls or names it): each drop is reported there, pointing to the
 * place in that file.
 */
function fromFact(fact: OutgoingFact, node: ts.Node, elsewhere: Elsewhere): Outgoing {
  return {
    names: new Set(fact.names),
    open: fact.open,
    removals: fact.removals.map((r) => ({ name: r.name, how: r.how, node, value: r.value, elsewhere: { ...elsewhere, at: r.at } })),
    allowLists: fact.allowLists.map((list) => ({ node, names: new Set(list.names), elsewhere: { ...elsewhere, at: list.at } })),
    rebuilt: fact.rebuilt ? node : undefined,
    rebuiltElsewhere: fact.rebuilt ? { ...elsewhere, at: fact.rebuilt } : undefined,
  };
}

/**
 * The function whose parameters `ownOutgoing` leaves to its callers. Set only
 * for the length of that synchronous call, so no other evaluation sees it.
 */
let suppliedBy: ts.FunctionLikeDeclaration | undefined;

/** `options.headers` of a parameter the caller supplies. */
function isSupplied(node: ts.PropertyAccessExpression | ts.ElementAccessExpression, ctx: ModelContext): boolean {
  if (!suppliedBy) return false;
  let base: ts.Expression = node;
  while (ts.isPropertyAccessExpression(base) || ts.isElementAccessExpression(base)) base = skipOuterExpressions(base.expression) as ts.Expression;
  if (!ts.isIdentifier(base)) return false;
  const declaration = ctx.scopes.lookup(base.text, base);
  return declaration?.kind === 'parameter' && declaration.fn === suppliedBy;
}

/**
 * The headers a request made in `fn` sends of its own (`{ 'Content-Type': 'application/json', ...headers }`),
 * what its parameters add left to each call of it (undefined `headers`: it sends none).
 */
export function ownOutgoing(headers: ts.Expression | undefined, defaults: ts.Expression | undefined, call: ts.Node, fn: ts.FunctionLikeDeclaration, ctx: ModelContext): Outgoing {
  const outer = suppliedBy;
  suppliedBy = fn;
  try {
    const outgoing = headers ? evaluate(headers, ctx, 0) : empty(false);
    if (defaults) merge(outgoing, { ...evaluate(defaults, ctx, 0), rebuilt: undefined });
    outgoing.rebuilt ??= call;
    return outgoing;
  } finally {
    suppliedBy = outer;
  }
}

/** What a function does to the outgoing request it is given first (a proxy hook's `proxyReq`): what it sets and takes off. */
export function hookOutgoing(fn: ts.FunctionLikeDeclaration, ctx: ModelContext): Outgoing | undefined {
  const request = fn.parameters[0];
  if (!request) return undefined;
  const outgoing = empty(true);
  addHeaderWrites(outgoing, request, ctx);
  addKeyedHeaderWrites(outgoing, request, ctx);
  return outgoing.removals.length > 0 ? outgoing : undefined;
}

/**
 * SvelteKit's `handleFetch({ event, request, fetch })`: the headers it sets on,
 * or takes off, the request of every `event.fetch` the app makes on the server.
 */
export function fetchHookOutgoing(fn: ts.FunctionLikeDeclaration, ctx: ModelContext): Outgoing | undefined {
  const param = fn.parameters[0];
  if (!param || !ts.isObjectBindingPattern(param.name)) return undefined;
  const request = param.name.elements.find((element) => (element.propertyName ?? element.name).getText(ctx.sourceFile) === 'request');
  if (!request || !ts.isIdentifier(request.name)) return undefined;
  const outgoing = empty(false);
  // A destructured parameter has no declaration of its own in scope: its writes are known by name.
  for (const write of ctx.model.headerWrites) {
    if (write.target.declaration || write.target.key !== request.name.text || !isAncestorOf(fn, write.node)) continue;
    if (write.op === 'set') namedSet(outgoing, write.name, write.node, request, ctx);
    else removed(outgoing, write.name, write.node, request, ctx);
  }
  return outgoing.names.size > 0 || outgoing.removals.length > 0 ? outgoing : undefined;
}

/** The headers a function returns, when it builds or filters some (`return { ...pick(req.headers, ALLOWED) }`). */
export function returnedOutgoing(fn: ts.FunctionLikeDeclaration, ctx: ModelContext): Outgoing | undefined {
  if (returnedExpressions(fn).length === 0) return undefined;
  const outgoing = returned(fn, ctx, 0);
  return outgoing.rebuilt || outgoing.removals.length > 0 || outgoing.allowLists.length > 0 ? outgoing : undefined;
}

/** `pick(req.headers, ['accept'])` keeps only the names listed; `omit(…)` takes them away. */
function pickOrOmit(node: ts.CallExpression, name: string, ctx: ModelContext, depth: number): Outgoing {
  const outgoing = evaluate(node.arguments[0], ctx, depth + 1);
  outgoing.rebuilt = undefined;
  const list = nameList(node.arguments[1], ctx);
  if (!list) return empty(true);
  if (name === 'pick') {
    outgoing.names = new Set([...outgoing.names].filter((n) => list.names.has(n)));
    outgoing.allowLists.push(list);
  } else {
    denyList(outgoing, list.names, list.node);
  }
  return outgoing;
}

/** `Object.fromEntries(Object.entries(req.headers).filter(([k]) => ALLOWED.includes(k)))` */
function entries(expression: ts.Expression, ctx: ModelContext, depth: number): Outgoing {
  const node = skipOuterExpressions(expression);
  if (ts.isArrayLiteralExpression(node)) return pairs(node);
  if (!ts.isCallExpression(node)) return empty(true);
  const name = calleeName(node);
  const callee = skipOuterExpressions(node.expression);
  if (!ts.isPropertyAccessExpression(callee)) return empty(true);
  if (name === 'entries') {
    const source = node.arguments[0] ?? callee.expression;
    const outgoing = evaluate(source, ctx, depth + 1);
    outgoing.rebuilt = undefined;
    return outgoing;
  }
  if (name !== 'filter') return empty(true);
  const outgoing = entries(callee.expression, ctx, depth + 1);
  const predicate = node.arguments[0] && skipOuterExpressions(node.arguments[0]);
  if (!predicate || !(ts.isArrowFunction(predicate) || ts.isFunctionExpression(predicate))) return empty(true);
  const key = entryKeyName(predicate.parameters[0]);
  const body = predicateBody(predicate);
  if (!key || !body || !applyCondition(outgoing, body, key, ctx)) return empty(true);
  outgoing.names = new Set([...outgoing.names].filter((n) => outgoing.allowLists.every((list) => list.names.has(n))));
  return outgoing;
}

/** `([key]) => …` or `([key, value]) => …` */
function entryKeyName(param: ts.ParameterDeclaration | undefined): string | undefined {
  if (!param || !ts.isArrayBindingPattern(param.name)) return undefined;
  const first = param.name.elements[0];
  return first && ts.isBindingElement(first) && ts.isIdentifier(first.name) ? first.name.text : undefined;
}

function predicateBody(fn: ts.ArrowFunction | ts.FunctionExpression): ts.Expression | undefined {
  if (!ts.isBlock(fn.body)) return fn.body;
  const only = fn.body.statements.length === 1 ? fn.body.statements[0] : undefined;
  return only && ts.isReturnStatement(only) ? only.expression : undefined;
}

/** A function declared in this file under that name. */
export function localFunction(name: ts.Identifier, ctx: ModelContext): ts.FunctionLikeDeclaration | undefined {
  const declaration = ctx.scopes.lookup(name.text, name);
  if (declaration?.kind === 'function') return declaration.node;
  if (declaration?.kind === 'variable' && declaration.isConst && declaration.initializer) {
    const value = skipOuterExpressions(declaration.initializer);
    if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) return value;
  }
  return undefined;
}

/** What a helper returns, over all its `return`s. */
function returned(fn: ts.FunctionLikeDeclaration, ctx: ModelContext, depth: number): Outgoing {
  const results = returnedExpressions(fn);
  if (results.length === 0) return empty(true);
  const outgoing = evaluate(results[0], ctx, depth + 1);
  for (const result of results.slice(1)) merge(outgoing, evaluate(result, ctx, depth + 1));
  return outgoing;
}

/** Each function's returned expressions, read once: every call that passes it, in every recogniser, asks again. */
const returnedByFunction = new WeakMap<ts.FunctionLikeDeclaration, readonly ts.Expression[]>();

/** The expressions a function returns (its body, for a concise arrow), not looking into nested functions. */
export function returnedExpressions(fn: ts.FunctionLikeDeclaration): readonly ts.Expression[] {
  let results = returnedByFunction.get(fn);
  if (!results) returnedByFunction.set(fn, (results = readReturned(fn)));
  return results;
}

function readReturned(fn: ts.FunctionLikeDeclaration): ts.Expression[] {
  if (!fn.body) return [];
  if (!ts.isBlock(fn.body)) return [fn.body];
  const results: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isReturnStatement(node) && node.expression) results.push(node.expression);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn.body, visit);
  return results;
}

/**
 * `const { authorization, ...rest } = req.headers`: `rest` is the source less
 * the names pulled out beside it. The scope table does not hold destructured
 * names, so the enclosing blocks are searched for the pattern.
 */
function destructuredRest(node: ts.Identifier, ctx: ModelContext, depth: number): Outgoing | undefined {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    const statements = ts.isBlock(current) || ts.isSourceFile(current) ? current.statements : undefined;
    if (!statements) continue;
    for (const statement of statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        const found = restOf(declaration, node.text, ctx, depth);
        if (found) return found;
      }
    }
  }
  return undefined;
}

function restOf(declaration: ts.VariableDeclaration, name: string, ctx: ModelContext, depth: number): Outgoing | undefined {
  const pattern = declaration.name;
  if (!ts.isObjectBindingPattern(pattern) || !declaration.initializer) return undefined;
  const rest = pattern.elements.find((e) => e.dotDotDotToken && ts.isIdentifier(e.name) && e.name.text === name);
  if (!rest) return undefined;
  const outgoing = evaluate(declaration.initializer, ctx, depth + 1);
  outgoing.rebuilt = undefined;
  for (const element of pattern.elements) {
    if (element === rest) continue;
    const key = element.propertyName ? propertyNameText(element.propertyName) : ts.isIdentifier(element.name) ? element.name.text : undefined;
    if (key === undefined) outgoing.open = true;
    else outgoing.removals.push({ name: key.toLowerCase(), how: 'destructured', node: element });
  }
  return outgoing;
}
