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
  const writes = model.headerWrites.filter((w) => w.name === header && targets(emission, w));
  const sets = writes.filter((w) => w.op === 'set');
  const removes = writes.filter((w) => w.op === 'remove');
  return sets.some((set) => {
    if (!reaches(set, emission)) return false;
    return !removes.some((remove) => reaches(remove, emission) && remove.node.pos > set.node.end && remove.node.pos < emission.node.pos);
  });
}

function targets(emission: StatusEmission, write: HeaderWrite): boolean {
  if (emission.delivery === 'error') return true;
  if (emission.responseVariable && sameRef(emission.responseVariable, write.target)) return write.node.pos > emission.node.end;
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
  return emission.delivery === 'status' && list === emissionStatement.parent && isStatementList(list) && write.node.pos > emission.node.end;
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
