import ts from 'typescript';
import { objectPropertyValue, skipOuterExpressions, stringValue } from '../ast';
import type { HeaderBag } from '../model/concepts';
import type { ModelContext } from '../model/context';
import { asSwap, emitNamed, NO_HEADERS, type FrameworkModule } from './framework';

const isTrpcServer = (m: string) => m === '@trpc/server' || m.startsWith('@trpc/server/');
/** The codes tRPC answers with 401 and 403 over HTTP (`http/getHTTPStatusCode.ts`). */
const CODES: Record<string, 401 | 403> = { UNAUTHORIZED: 401, FORBIDDEN: 403 };
const CODE_FOR: Record<401 | 403, string> = { 401: 'UNAUTHORIZED', 403: 'FORBIDDEN' };
const COVERED: HeaderBag = { names: new Set(['www-authenticate']), unknown: false };

/**
 * tRPC: `throw new TRPCError({ code: 'UNAUTHORIZED' })` answers 401 and
 * `'FORBIDDEN'` 403 over HTTP. No adapter sets a challenge; the fetch and
 * Node adapters keep headers set through the context (`resHeaders.set(…)`,
 * `ctx.res.setHeader(…)`) and add what `responseMeta` returns, so the
 * idiomatic place for the header is `responseMeta` when `errors` holds an
 * UNAUTHORIZED error. A `responseMeta` in this file that sets it covers the file.
 */
export const trpc: FrameworkModule = {
  name: 'trpc',
  kinds: [ts.SyntaxKind.NewExpression],
  appliesTo: (ctx) => ctx.usesModule(isTrpcServer),
  recognize(node, ctx) {
    if (!ts.isNewExpression(node)) return false;
    const callee = skipOuterExpressions(node.expression);
    if (!ts.isIdentifier(callee) || ctx.scopes.importOf(callee.text, callee)?.imported !== 'TRPCError') return false;
    const options = node.arguments?.[0] && skipOuterExpressions(node.arguments[0]);
    const code = options && ts.isObjectLiteralExpression(options) ? objectPropertyValue(options, 'code') : undefined;
    const literal = code && skipOuterExpressions(code);
    const value = literal && stringValue(literal);
    if (!literal || value === undefined || !(value in CODES)) return false;
    emitNamed(ctx, {
      framework: 'trpc',
      node,
      delivery: 'error',
      carried: setsChallengeInResponseMeta(ctx) ? COVERED : NO_HEADERS,
      site: {
        value: CODES[value],
        node: literal,
        form: 'literal',
        swap: (to) => asSwap([{ start: literal.getStart(ctx.sourceFile), end: literal.getEnd(), text: ctx.quote(CODE_FOR[to]) }]),
      },
      remedy: (challenge) =>
        `tRPC sends this error with no challenge: return \`headers: { 'WWW-Authenticate': '${challenge}' }\` from the adapter's \`responseMeta\` ` +
        "when `errors` holds an `UNAUTHORIZED` error, or set it on the context's response headers before throwing.",
    });
    return true;
  },
  recognizeFile(ctx) {
    // An adapter's responseMeta elsewhere in the file decides what every error here sends.
    if (setsChallengeInResponseMeta(ctx)) ctx.model.readsWholeFile = true;
  },
  statusNames: Object.keys(CODES),
};

const responseMetaSeen = new WeakMap<ModelContext, boolean>();

/** `responseMeta({ errors }) { … 'WWW-Authenticate' … }` in an adapter's options in this file. */
function setsChallengeInResponseMeta(ctx: ModelContext): boolean {
  let found = responseMetaSeen.get(ctx);
  if (found === undefined) {
    const text = ctx.sourceFile.text;
    found = /\bresponseMeta\b/.test(text) && /www-authenticate/i.test(text) && hasChallengingResponseMeta(ctx.sourceFile);
    responseMetaSeen.set(ctx, found);
  }
  return found;
}

function hasChallengingResponseMeta(sourceFile: ts.SourceFile): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    // The option itself, or the function it names (\`responseMeta,\` with \`function responseMeta(…)\` above).
    const named = ts.isPropertyAssignment(node) || ts.isMethodDeclaration(node) || ts.isFunctionDeclaration(node) || ts.isVariableDeclaration(node);
    const isMeta = named && node.name?.getText(sourceFile) === 'responseMeta';
    if (isMeta && /www-authenticate/i.test(node.getText(sourceFile))) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}
