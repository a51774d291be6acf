import ts from 'typescript';
import { skipOuterExpressions } from '../../ast';
import { localFunction } from '../../model/forwarding';
import type { FrameworkModule } from '../../model/registry';
import { outboundFact, topLevelFunctions } from '../../project/forwarding-facts';
import { forwardThroughWrapper } from './pass-through';

/**
 * Calls of a function that makes an outbound request from its arguments
 * (`callService(req.method, url, req.body)`, with `callService` wrapping axios).
 * Declared in another project file, which files call one is the project
 * index's to say, so it names no vocabulary of its own: the CLI's fixed point
 * lints a file that imports such a function (cli/project-run.ts). Declared
 * in the same file, its calls are read once the walk has seen its request.
 */
export const projectWrappers: FrameworkModule = {
  name: 'project-wrappers',
  kinds: [ts.SyntaxKind.CallExpression],
  vocabulary: {},
  recognize(node, ctx) {
    if (!ctx.project || !ts.isCallExpression(node) || node.arguments.length === 0) return false;
    const imported = ctx.importedFunction(node.expression);
    const outbound = imported?.fact.headers?.outbound;
    return !!imported && !!outbound && forwardThroughWrapper(ctx, node, { file: imported.file, name: imported.fact.name, fact: outbound });
  },
  recognizeFile(ctx) {
    if (!ctx.model.outbound?.length) return;
    for (const statement of ctx.sourceFile.statements) {
      for (const [name, fn] of topLevelFunctions(statement)) {
        const calls = ctx.model.callsByName.get(name);
        const fact = calls && outboundFact(fn, ctx);
        if (!fact) continue;
        for (const call of calls) {
          const callee = skipOuterExpressions(call.expression);
          if (call.arguments.length > 0 && ts.isIdentifier(callee) && localFunction(callee, ctx) === fn) {
            forwardThroughWrapper(ctx, call, { file: ctx.sourceFile.fileName, name, fact });
          }
        }
      }
    }
  },
};
