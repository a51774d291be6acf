import ts from 'typescript';
import { executionAnchor, isAncestorOf, isStatementList } from '../ast';
import type { FileModel, HeaderWrite, ResponseRef, StatusEmission } from './concepts';

/**
 * Whether the response an emission produces carries `header` on the path that
 * reaches it: in the emission itself, or set on the same response earlier on
 * every path to it (an unconditional statement before it in an enclosing
 * block), in the same statement or chain, or, for a status set before the
 * response is sent, later in the same block. A header set on one branch does
 * not cover another; a removal between the set and the emission undoes it.
 */
export function carriesHeader(emission: StatusEmission, header: string, model: FileModel): boolean {
  if (emission.carried.unknown || emission.carried.names.has(header)) return true;
  if (emission.viaHelper && carriesHeader(emission.viaHelper, header, model)) return true;
  if (emission.carriedOnly) return false;
  const writes = candidateWrites(emission, header, model).filter((w) => targets(emission, w));
  const sets = writes.filter((w) => w.op === 'set');
  const removes = writes.filter((w) => w.op === 'remove');
  return sets.some((set) => {
    if (!reaches(set, emission)) return false;
    return !removes.some((remove) => reaches(remove, emission) && remove.node.pos >= set.node.end && remove.node.pos < emission.node.pos);
  });
}

/**
 * A write of `header` to the emission's response, earlier in its function, that
 * runs on some paths to it and not others (`if (options.challenge) res.set(…)`):
 * the code chooses when to send the header, and an unconditional one added
 * beside the status would override that choice.
 */
export function conditionalWrite(emission: StatusEmission, header: string, model: FileModel): HeaderWrite | undefined {
  if (emission.delivery === 'error' || emission.carriedOnly) return undefined;
  return candidateWrites(emission, header, model).find(
    (write) =>
      write.op === 'set' &&
      targets(emission, write) &&
      write.node.pos < emission.node.pos &&
      sameFunctionBody(write.node, emission.node) &&
      !reaches(write, emission) &&
      leadsTo(write.node, emission.node),
  );
}

/**
 * Whether the code after `from` can go on to `to`: climbing from `from` to the
 * statement list that holds both, no block on the way leaves the function
 * after it (`if (!token) { res.set(…); return … }` does not lead to a later
 * 401), and `to` is not on another branch of a choice that holds `from`.
 */
function leadsTo(from: ts.Node, to: ts.Node): boolean {
  for (let node = from; node.parent; node = node.parent) {
    const parent = node.parent;
    if (ts.isFunctionLike(parent)) return false;
    if (isStatementList(parent)) {
      if (isAncestorOf(parent, to)) return true;
      const after = parent.statements.slice(parent.statements.indexOf(node as ts.Statement) + 1);
      if (after.some((statement) => ts.isReturnStatement(statement) || ts.isThrowStatement(statement))) return false;
    } else if (isAncestorOf(parent, to)) {
      return false;
    }
  }
  return false;
}

/**
 * A file's header writes indexed, so that each emission looks only at the
 * writes that can concern it: checking every write against every emission
 * would make a file of many handlers cost the square of its size.
 */
interface WriteIndex {
  /** How many writes the index holds; the model only ever appends. */
  count: number;
  /** By header name and target key, then by the target's declaration: the writes to one response. */
  byTarget: Map<string, Map<ts.Node | undefined, HeaderWrite[]>>;
  /** By header name, then by the node holding the write's statement. */
  byHolder: Map<string, Map<ts.Node, HeaderWrite[]>>;
  byName: Map<string, HeaderWrite[]>;
}

const indexes = new WeakMap<FileModel, WriteIndex>();

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function inner<K, V>(map: Map<string, Map<K, V>>, key: string): Map<K, V> {
  let found = map.get(key);
  if (!found) map.set(key, (found = new Map()));
  return found;
}

function writeIndex(model: FileModel): WriteIndex {
  const known = indexes.get(model);
  if (known && known.count === model.headerWrites.length) return known;
  const index: WriteIndex = { count: model.headerWrites.length, byTarget: new Map(), byHolder: new Map(), byName: new Map() };
  for (const write of model.headerWrites) {
    push(index.byName, write.name, write);
    push(inner(index.byTarget, `${write.name}\0${write.target.key}`), write.target.declaration, write);
    const holder = executionAnchor(write.node)?.parent;
    if (holder) push(inner(index.byHolder, write.name), holder, write);
  }
  indexes.set(model, index);
  return index;
}

/**
 * The writes of `header` that `targets` and `reaches` may accept for the
 * emission: those to its response, or for an error (which any response in
 * scope may carry), those whose statement sits in a block around it.
 */
function candidateWrites(emission: StatusEmission, header: string, model: FileModel): HeaderWrite[] {
  const index = writeIndex(model);
  if (emission.delivery === 'error') {
    if (emission.responseVariable) return index.byName.get(header) ?? [];
    const holders = index.byHolder.get(header);
    const found: HeaderWrite[] = [];
    for (let node: ts.Node | undefined = emission.node; node && holders; node = node.parent) found.push(...(holders.get(node) ?? []));
    return found;
  }
  const refs = [emission.response, emission.responseVariable];
  return refs.flatMap((ref) => (ref ? index.byTarget.get(`${header}\0${ref.key}`)?.get(ref.declaration) ?? [] : []));
}

function targets(emission: StatusEmission, write: HeaderWrite): boolean {
  if (emission.delivery === 'error') return true;
  if (emission.responseVariable && sameRef(emission.responseVariable, write.target)) return write.node.pos >= emission.node.end;
  return !!emission.response && sameRef(emission.response, write.target);
}

function sameRef(a: ResponseRef, b: ResponseRef): boolean {
  return a.key === b.key && a.declaration === b.declaration;
}

/** A write reaches an emission when it runs on every path to it, or (for a status only) right after it. */
function reaches(write: HeaderWrite, emission: StatusEmission): boolean {
  if (emission.responseVariable && sameRef(emission.responseVariable, write.target)) return sameFunctionBody(write.node, emission.node);
  const writeStatement = executionAnchor(write.node);
  const emissionStatement = executionAnchor(emission.node);
  if (!writeStatement || !emissionStatement) return false;
  if (writeStatement === emissionStatement) return true;
  const list = writeStatement.parent;
  if (isStatementList(list) && isAncestorOf(list, emission.node) && write.node.pos < emission.node.pos) return true;
  // `res.statusCode = 401; res.setHeader(…); res.end()`: a status is only sent later.
  return emission.delivery === 'status' && list === emissionStatement.parent && isStatementList(list) && write.node.pos >= emission.node.end;
}

function sameFunctionBody(a: ts.Node, b: ts.Node): boolean {
  const enclosing = (node: ts.Node) => {
    for (let current = node.parent; current; current = current.parent) {
      if (ts.isFunctionLike(current) || ts.isSourceFile(current)) return current;
    }
    return undefined;
  };
  return enclosing(a) === enclosing(b);
}
