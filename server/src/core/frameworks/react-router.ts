import ts from 'typescript';
import { objectPropertyValue, skipOuterExpressions } from '../ast';
import type { HeaderBag } from '../model/concepts';
import type { ModelContext } from '../model/context';
import type { TextEdit } from '../types';
import { emitStatus, NO_HEADERS, type FrameworkModule } from './framework';
import { assignedVariable, isResponseConstruction } from './web';

/** Where `data()` (v7) and `json()` (Remix, React Router 6) come from; `./+types/…` is v7's generated route types. */
const isRouterModule = (m: string) =>
  m === 'react-router' || m === 'react-router-dom' || m.startsWith('@remix-run/') || m.startsWith('@react-router/') || m === '@vercel/remix' || /(^|\/)\+types\//.test(m);
/** Files that are route modules by where they sit: `app/routes/…` and `app/root.tsx`. */
const ROUTE_PATH = /(^|[\\/])app[\\/](routes[\\/]|root\.[cm]?[jt]sx?$)/;
const HELPERS = new Set(['data', 'json']);
/** Exports that run in the browser: what they build is no server response. */
const CLIENT_EXPORTS = new Set(['clientLoader', 'clientAction']);

/** What a route module's exports say about how its responses reach the client. */
interface RouteShape {
  /** It exports a `loader` or an `action`. */
  isRoute: boolean;
  /** It renders (a default export or an `ErrorBoundary`): requests for it are document requests, not resource requests. */
  isDocument: boolean;
  hasErrorBoundary: boolean;
  /** The header arguments its `headers` export reads (`errorHeaders`, `loaderHeaders`, `actionHeaders`); undefined without one, 'unknown' for a re-export. */
  headersReads: Set<string> | 'unknown' | undefined;
}

/**
 * React Router 7 and Remix: `data(body, { status, headers })`, `json(body,
 * init)`, and Fetch `Response`s in route modules. A resource route (no
 * default export, no `ErrorBoundary`) sends what its loader or action returns
 * or throws as is. On a document request the response is the rendered page:
 * a loader's headers reach it only through the route's `headers` export
 * (`loaderHeaders`, `actionHeaders`, and `errorHeaders` for a thrown one), so
 * there a header in the init counts only when that export passes it on.
 */
export const reactRouter: FrameworkModule = {
  name: 'react-router',
  kinds: [ts.SyntaxKind.CallExpression, ts.SyntaxKind.NewExpression],
  appliesTo: (ctx) => ctx.usesModule(isRouterModule) || ROUTE_PATH.test(ctx.sourceFile.fileName),
  recognize(node, ctx) {
    if (ts.isBinaryExpression(node)) return false;
    const helper = ts.isCallExpression(node) ? routerHelper(node, ctx) : undefined;
    if (!helper && !isResponseConstruction(node)) return false;
    const init = node.arguments?.[1];
    if (!init) return false;
    const literal = skipOuterExpressions(init);
    const status = ts.isObjectLiteralExpression(literal) ? objectPropertyValue(literal, 'status') : helper ? init : undefined;
    if (!status) return false;
    const shape = routeShape(ctx);
    const exportName = enclosingExport(node);
    if (exportName && CLIENT_EXPORTS.has(exportName)) return true;
    // A Response outside a rendering route module is the web module's.
    if (!helper && !shape.isDocument) return false;
    const carried = ts.isObjectLiteralExpression(literal) ? ctx.headerBag(objectPropertyValue(literal, 'headers')) : NO_HEADERS;
    const addHeader = (name: string, value: string): TextEdit[] | undefined =>
      ts.isObjectLiteralExpression(literal)
        ? ctx.addHeaderToInit(literal, name, value)
        : // Wrapped around the status, not replacing it: a swap of the same status edits it in place.
          [
            { start: init.getStart(ctx.sourceFile), end: init.getStart(ctx.sourceFile), text: '{ status: ' },
            { start: init.getEnd(), end: init.getEnd(), text: `, headers: ${ctx.headerObject(name, value)} }` },
          ];
    const missing = shape.isDocument ? missingPassThrough(shape, isThrown(node), exportName) : undefined;
    if (!missing) {
      emitStatus(ctx, { framework: 'react-router', node, delivery: 'response', status, responseVariable: assignedVariable(node, ctx), carried, addHeader });
      return true;
    }
    emitStatus(ctx, {
      framework: 'react-router',
      node,
      delivery: 'response',
      status,
      carried: NO_HEADERS,
      remedy: (challenge) => documentRemedy(challenge, missing, carried),
    });
    return true;
  },
  recognizeFile(ctx) {
    // What a route's responses send depends on its other exports.
    if (routeShape(ctx).isRoute) ctx.model.readsWholeFile = true;
  },
};

function routerHelper(call: ts.CallExpression, ctx: ModelContext): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isIdentifier(callee)) return false;
  const imported = ctx.scopes.importOf(callee.text, callee);
  return !!imported && HELPERS.has(imported.imported) && isRouterModule(imported.module);
}

/**
 * The header argument the route's `headers` export would have to return for
 * this response's headers to reach a document request, when it does not;
 * undefined when it does (or cannot be read).
 */
function missingPassThrough(shape: RouteShape, thrown: boolean, exportName: string | undefined): string | undefined {
  const reads = shape.headersReads;
  if (reads === 'unknown') return undefined;
  const own = exportName === 'action' ? 'actionHeaders' : 'loaderHeaders';
  // A thrown response's headers are also the throwing route's own, seen there when it is the error boundary.
  const passes = thrown ? !!reads && (reads.has('errorHeaders') || (shape.hasErrorBoundary && reads.has(own))) : !!reads && reads.has(own);
  return passes ? undefined : thrown ? 'errorHeaders' : own;
}

function documentRemedy(challenge: string, argument: string, carried: HeaderBag): string {
  const set = carried.names.has('www-authenticate') ? '' : `set \`WWW-Authenticate: ${challenge}\` on this response and `;
  return (
    "This route renders a page, and on a document request React Router sends a loader's or action's headers only through the route's " +
    `\`headers\` export: ${set}export \`headers\` returning \`${argument}\`.`
  );
}

const shapes = new WeakMap<ModelContext, RouteShape>();

function routeShape(ctx: ModelContext): RouteShape {
  let shape = shapes.get(ctx);
  if (!shape) shapes.set(ctx, (shape = readShape(ctx.sourceFile)));
  return shape;
}

function readShape(sourceFile: ts.SourceFile): RouteShape {
  const exported = new Map<string, ts.Node | 'reexport'>();
  for (const statement of sourceFile.statements) {
    if (ts.isExportAssignment(statement)) exported.set('default', statement.expression);
    else if (ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const element of statement.exportClause.elements) exported.set(element.name.text, 'reexport');
    } else if (isExported(statement)) {
      if (ts.getModifiers(statement as ts.HasModifiers)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) exported.set('default', statement);
      for (const [name, node] of declaredExports(statement)) exported.set(name, node);
    }
  }
  const headers = exported.get('headers');
  const hasErrorBoundary = exported.has('ErrorBoundary');
  return {
    isRoute: exported.has('loader') || exported.has('action'),
    isDocument: exported.has('default') || hasErrorBoundary,
    hasErrorBoundary,
    headersReads: headers === undefined ? undefined : headers === 'reexport' ? 'unknown' : namesRead(headers),
  };
}

function isExported(statement: ts.Statement): boolean {
  return (ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) ?? false;
}

function declaredExports(statement: ts.Statement): [string, ts.Node][] {
  if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) return [[statement.name.text, statement]];
  if (!ts.isVariableStatement(statement)) return [];
  return statement.declarationList.declarations.flatMap((d): [string, ts.Node][] => (ts.isIdentifier(d.name) ? [[d.name.text, d.initializer ?? d]] : []));
}

const HEADER_ARGUMENTS = new Set(['errorHeaders', 'loaderHeaders', 'actionHeaders']);

/** The header arguments a `headers` export mentions (`({ loaderHeaders }) => loaderHeaders`, `args.errorHeaders`). */
function namesRead(node: ts.Node): Set<string> | 'unknown' {
  // `export const headers = sharedHeaders`: a function defined elsewhere.
  if (ts.isIdentifier(node) || ts.isCallExpression(node)) return 'unknown';
  const found = new Set<string>();
  const visit = (child: ts.Node): void => {
    if (ts.isIdentifier(child) && HEADER_ARGUMENTS.has(child.text)) found.add(child.text);
    ts.forEachChild(child, visit);
  };
  visit(node);
  return found;
}

function isThrown(node: ts.Node): boolean {
  let current = node;
  while (ts.isParenthesizedExpression(current.parent) || ts.isAsExpression(current.parent) || ts.isAwaitExpression(current.parent)) current = current.parent;
  return ts.isThrowStatement(current.parent);
}

/** The name of the top-level function or `const` a node sits in (`loader`, `action`). */
function enclosingExport(node: ts.Node): string | undefined {
  let statement = node;
  while (statement.parent && !ts.isSourceFile(statement.parent)) statement = statement.parent;
  if (ts.isFunctionDeclaration(statement)) return statement.name?.text;
  if (ts.isVariableStatement(statement)) {
    const [declaration] = statement.declarationList.declarations;
    return declaration && ts.isIdentifier(declaration.name) ? declaration.name.text : undefined;
  }
  return undefined;
}
