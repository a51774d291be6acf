import type ts from 'typescript';
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

function readsBasicCredentials(node: ts.Node, ctx: ModelContext): boolean {
  if (ctx.usesModule((m) => m === 'basic-auth' || m === 'express-basic-auth')) return true;
  const scope = enclosingFunction(node) ?? ctx.sourceFile;
  // A node lies in the scope's subtree exactly when its text lies within the scope's.
  return ctx.model.basicSchemeLiterals.some((literal) => literal.pos >= scope.pos && literal.end <= scope.end);
}
