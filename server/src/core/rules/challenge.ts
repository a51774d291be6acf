import ts from 'typescript';
import { enclosingFunction } from '../ast';
import type { ModelContext } from '../model/context';

/**
 * The challenge a quick fix inserts: the configured one, or Basic with the
 * same realm where the code around the 401 reads Basic credentials.
 */
export function challengeFor(node: ts.Node, configured: string, ctx: ModelContext): string {
  if (/^\s*basic\b/i.test(configured) || !readsBasicCredentials(node, ctx)) return configured;
  const realm = /realm\s*=\s*"([^"]*)"/i.exec(configured)?.[1] ?? 'api';
  return `Basic realm="${realm}"`;
}

/** Per function (or file), whether it mentions Basic: a function with many 401s is searched once. */
const mentionsBasic = new WeakMap<ts.Node, boolean>();

function readsBasicCredentials(node: ts.Node, ctx: ModelContext): boolean {
  if (ctx.usesModule((m) => m === 'basic-auth' || m === 'express-basic-auth')) return true;
  const scope = enclosingFunction(node) ?? ctx.sourceFile;
  let found = mentionsBasic.get(scope);
  if (found === undefined) {
    found = containsBasicLiteral(scope);
    mentionsBasic.set(scope, found);
  }
  return found;
}

function containsBasicLiteral(scope: ts.Node): boolean {
  let found = false;
  const visit = (child: ts.Node): void => {
    if (found) return;
    if ((ts.isStringLiteral(child) || ts.isNoSubstitutionTemplateLiteral(child) || ts.isTemplateHead(child)) && /^basic\b/i.test(child.text)) {
      found = true;
      return;
    }
    ts.forEachChild(child, visit);
  };
  visit(scope);
  return found;
}
