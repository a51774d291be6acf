#!/usr/bin/env node
// Turns authlint's `--format json` report (ESLint's JSON) into the Code
// Climate JSON that GitLab's code quality widget reads.
//
//   node gitlab-codequality.mjs authlint.json gl-code-quality-report.json
//
// Without arguments it reads standard input and writes standard output.
// Paths are made relative to CI_PROJECT_DIR (GitLab's checkout), else the
// current folder.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const [input, output] = process.argv.slice(2);
const report = JSON.parse(readFileSync(input ?? 0, 'utf8'));
const root = process.env.CI_PROJECT_DIR ?? process.cwd();

/** GitLab's severities: an error blocks, a warning is minor; a file that does not parse is critical. */
function severityOf(message) {
  if (message.fatal) return 'critical';
  return message.severity === 2 ? 'major' : 'minor';
}

const issues = [];
// A fingerprint must not change when lines move above the finding: it hashes the file, rule and message, and counts repeats.
const seen = new Map();
for (const result of report) {
  const file = path.relative(root, result.filePath).split(path.sep).join('/');
  for (const message of result.messages) {
    const checkName = message.ruleId ? `authlint/${message.ruleId}` : 'authlint/parse-error';
    const key = [file, checkName, message.message].join('\0');
    const repeat = seen.get(key) ?? 0;
    seen.set(key, repeat + 1);
    issues.push({
      type: 'issue',
      check_name: checkName,
      description: message.message,
      categories: ['Security'],
      severity: severityOf(message),
      fingerprint: createHash('sha256').update(`${key}\0${repeat}`).digest('hex'),
      location: {
        path: file,
        positions: {
          begin: { line: message.line, column: message.column },
          end: { line: message.endLine ?? message.line, column: message.endColumn ?? message.column },
        },
      },
    });
  }
}

const text = `${JSON.stringify(issues, null, 2)}\n`;
if (output) writeFileSync(output, text);
else process.stdout.write(text);
