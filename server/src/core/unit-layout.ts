import ts from 'typescript';
import { skipOuterExpressions } from './ast';

/** A container with fewer members than this is one unit: cutting it up would save nothing. */
const MIN_MEMBERS = 2;

/**
 * How the editor's incremental analysis (incremental.ts) cuts a file into
 * units, the parts whose analysis it keeps or redoes: its top-level
 * statements, except that a top-level class or function (a NestJS controller,
 * a Fastify plugin `async function routes(app) { app.get(…); … }`) is cut into
 * its members or body statements, and its own text around them, its shell,
 * is one more unit, known by the statement.
 */
export class UnitLayout {
  /** Every unit in source order; a container's statement (its shell) comes before its members. */
  readonly units: ts.Node[] = [];
  /** The members of each container, by its statement. */
  readonly containers = new Map<ts.Node, readonly ts.Node[]>();
  private readonly statements: Spans;
  private readonly memberSpans = new Map<ts.Node, Spans>();
  private readonly containerOfMember = new Map<ts.Node, ts.Node>();

  constructor(private readonly sourceFile: ts.SourceFile) {
    this.statements = new Spans(sourceFile.statements);
    for (const statement of sourceFile.statements) {
      this.units.push(statement);
      const members = containedUnits(statement);
      if (!members) continue;
      this.containers.set(statement, members);
      this.memberSpans.set(statement, new Spans(members));
      for (const member of members) {
        this.units.push(member);
        this.containerOfMember.set(member, statement);
      }
    }
  }

  /** The unit holding `offset`: a member, or a statement (for a container, that is its shell); undefined outside every statement. */
  unitAt(offset: number): ts.Node | undefined {
    const statement = this.statements.at(offset);
    if (!statement) return undefined;
    return this.memberSpans.get(statement)?.at(offset) ?? statement;
  }

  /** The container statement a member unit belongs to; undefined for a statement. */
  containerOf(unit: ts.Node): ts.Node | undefined {
    return this.containerOfMember.get(unit);
  }

  /** A container's text outside its members: while it stays the same, what its members' analysis read of it does too. */
  shellText(statement: ts.Node): string {
    const members = this.containers.get(statement)!;
    const text = this.sourceFile.text;
    // Members follow one another with no text between them (each starts with its leading trivia); any there is is kept.
    let between = '';
    for (let i = 1; i < members.length; i++) between += text.slice(members[i - 1].end, members[i].pos);
    return `${text.slice(statement.pos, members[0].pos)}\u0000${between}\u0000${text.slice(members[members.length - 1].end, statement.end)}`;
  }
}

/** The members of a top-level class or function worth analysing apart, if `statement` is one. */
function containedUnits(statement: ts.Statement): readonly ts.Node[] | undefined {
  const members = containerBody(statement);
  return members && members.length >= MIN_MEMBERS ? members : undefined;
}

function containerBody(statement: ts.Statement): readonly ts.Node[] | undefined {
  if (ts.isClassDeclaration(statement)) return statement.members;
  if (ts.isFunctionDeclaration(statement)) return statement.body?.statements;
  if (ts.isVariableStatement(statement)) {
    const declarations = statement.declarationList.declarations;
    return declarations.length === 1 ? bodyOf(declarations[0].initializer) : undefined;
  }
  if (ts.isExpressionStatement(statement)) {
    const expression = skipOuterExpressions(statement.expression);
    return ts.isBinaryExpression(expression) && expression.operatorToken.kind === ts.SyntaxKind.EqualsToken ? bodyOf(expression.right) : undefined;
  }
  if (ts.isExportAssignment(statement)) return bodyOf(statement.expression);
  return undefined;
}

/** The members of a class expression or the statements of a function, also one wrapped in a call (`fp(async (app) => {…})`). */
function bodyOf(expression: ts.Expression | undefined): readonly ts.Node[] | undefined {
  if (!expression) return undefined;
  const node = skipOuterExpressions(expression);
  if (ts.isClassExpression(node)) return node.members;
  if (ts.isFunctionExpression(node) || ts.isArrowFunction(node)) return ts.isBlock(node.body) ? node.body.statements : undefined;
  if (ts.isCallExpression(node)) {
    const fn = node.arguments.find((arg) => {
      const inner = skipOuterExpressions(arg);
      return ts.isFunctionExpression(inner) || ts.isArrowFunction(inner);
    });
    return fn && bodyOf(fn);
  }
  return undefined;
}

/** Finds which of a list of nodes (in source order, not overlapping) holds an offset. */
class Spans {
  private readonly starts: number[];
  private readonly ends: number[];

  constructor(private readonly nodes: readonly ts.Node[]) {
    this.starts = nodes.map((node) => node.pos);
    this.ends = nodes.map((node) => node.end);
  }

  /** The node whose text (with its leading trivia) holds `offset`. */
  at(offset: number): ts.Node | undefined {
    let low = 0;
    let high = this.starts.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (this.starts[mid] > offset) high = mid - 1;
      else if (this.ends[mid] <= offset) low = mid + 1;
      else return this.nodes[mid];
    }
    return undefined;
  }
}
