// The parse-and-walk floor: what any one-walk linter must pay at least. Reads
// each file, parses it with the TypeScript compiler API (no parent pointers,
// no binder) and visits every node once with forEachChild, single threaded.
// Usage: node floor.mjs <file holding a JSON array of paths> [--no-jsdoc]
// --no-jsdoc parses as authlint does, skipping JSDoc comments; run under
// authlint's V8 flags, that measures what authlint's own analysis adds.
import fs from 'node:fs';
import ts from 'typescript';

const KINDS = {
  '.ts': ts.ScriptKind.TS, '.mts': ts.ScriptKind.TS, '.cts': ts.ScriptKind.TS, '.tsx': ts.ScriptKind.TSX,
  '.js': ts.ScriptKind.JS, '.mjs': ts.ScriptKind.JS, '.cjs': ts.ScriptKind.JS, '.jsx': ts.ScriptKind.JSX,
};

const files = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const options = {
  languageVersion: ts.ScriptTarget.Latest,
  jsDocParsingMode: process.argv.includes('--no-jsdoc') ? ts.JSDocParsingMode.ParseNone : ts.JSDocParsingMode.ParseAll,
};
let nodes = 0;
const visit = (node) => {
  nodes++;
  ts.forEachChild(node, visit);
};
for (const file of files) {
  const text = fs.readFileSync(file, 'utf8');
  const kind = KINDS[/\.[^./]+$/.exec(file)?.[0].toLowerCase()] ?? ts.ScriptKind.JSX;
  visit(ts.createSourceFile(file, text, options, false, kind));
}
process.stdout.write(JSON.stringify({ files: files.length, nodes }) + '\n');
