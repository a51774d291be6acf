import ts from 'typescript';
import type { FrameworkModule } from '../../model/registry';
import { forwardThroughWrapper } from './pass-through';

/**
 * Calls of a function another project file declares that makes an outbound
 * request from its arguments (`callService(req.method, url, req.body)`, with
 * `callService` wrapping axios in a utils file). Which files call one is the
 * project index's to say, so it names no vocabulary of its own: the CLI's
 * fixed point lints a file that imports such a function (cli/project-run.ts).
 */
export const projectWrappers: FrameworkModule = {
  name: 'project-wrappers',
  kinds: [ts.SyntaxKind.CallExpression],
  vocabulary: {},
  appliesTo: (ctx) => ctx.project !== undefined,
  recognize(node, ctx) {
    if (!ts.isCallExpression(node) || node.arguments.length === 0) return false;
    const imported = ctx.importedFunction(node.expression);
    const outbound = imported?.fact.headers?.outbound;
    return !!imported && !!outbound && forwardThroughWrapper(ctx, node, { file: imported.file, name: imported.fact.name, fact: outbound });
  },
};
