import { createHash } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ArtifactChange, Fix, Location, Log, Notification, ReportingDescriptor, Result } from 'sarif';
import { RULES } from '../../core/rules';
import { ruleDocsMarkdown } from '../../core/rules/docs';
import { docsUrl, repositoryUrl, type Rule } from '../../core/rules/rule';
import type { FileReport, Message, RelatedMessage } from '../report';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/** The key of authlint's own fingerprint; the `/v1` changes if the way it is computed ever does. */
export const FINGERPRINT_KEY = 'authlintLineHash/v1';
const SRCROOT = '%SRCROOT%';
/** GitHub code scanning rejects a run with more results than this. */
export const MAX_RESULTS = 25_000;

export interface SarifOptions {
  /** The repository root: result locations are relative to it, as GitHub code scanning expects. */
  root: string;
  version: string;
}

/**
 * SARIF 2.1.0 for GitHub code scanning: every rule in `tool.driver.rules`
 * with its docs as help, one result per finding (suppressed findings kept,
 * with `suppressions`), and files that could not be linted as tool execution
 * notifications rather than results. Past GitHub's limit of results per run,
 * the most severe are kept and a notification says how many were left out.
 */
export function formatSarif(reports: readonly FileReport[], options: SarifOptions): string {
  const results: Result[] = [];
  const notifications: Notification[] = [];
  for (const report of reports) {
    const uri = artifactLocation(report.filePath, options.root);
    const fingerprints = lineFingerprints(report);
    for (const message of [...report.messages, ...report.suppressedMessages]) {
      const region = regionOf(message);
      const location = { physicalLocation: { artifactLocation: uri, region } };
      if (message.ruleId === null) {
        notifications.push({ level: 'error', message: { text: message.message }, locations: [location] });
        continue;
      }
      const result: Result = {
        ruleId: message.ruleId,
        ruleIndex: RULES.findIndex((rule) => rule.id === message.ruleId),
        level: message.severity === 2 ? 'error' : 'warning',
        message: { text: message.message },
        locations: [location],
        partialFingerprints: { [FINGERPRINT_KEY]: fingerprints.get(message)! },
      };
      if (message.related?.length) result.relatedLocations = message.related.map((related, id) => relatedLocation(related, id, options.root));
      const fix = fixOf(message, report.filePath, options.root);
      if (fix) result.fixes = [fix];
      if (message.suppressions) {
        result.suppressions = message.suppressions.map((s) => (s.justification ? { kind: 'inSource', status: 'accepted', justification: s.justification } : { kind: 'inSource', status: 'accepted' }));
      }
      results.push(result);
    }
  }
  const kept = capped(results);
  if (kept.length < results.length) {
    const left = results.length - kept.length;
    notifications.push({
      level: 'warning',
      message: { text: `${left} of ${results.length} results left out: GitHub code scanning accepts at most ${MAX_RESULTS} per run. Errors were kept before warnings, suppressed results last; fix or suppress some and run again to see the rest.` },
    });
  }
  const failed = reports.some((report) => report.notices?.some((notice) => notice.level === 'error'));
  const log: Log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'authlint',
            version: options.version,
            semanticVersion: options.version,
            ...(repositoryUrl() ? { informationUri: repositoryUrl() } : {}),
            rules: RULES.map(ruleDescriptor),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(options.root) } },
        columnKind: 'utf16CodeUnits',
        invocations: [{ executionSuccessful: !failed, toolExecutionNotifications: notifications }],
        results: kept,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function ruleDescriptor(rule: Rule): ReportingDescriptor {
  const { docs } = rule.meta;
  return {
    id: rule.id,
    name: rule.id.replace(/(^|-)([a-z])/g, (_, _dash: string, ch: string) => ch.toUpperCase()),
    shortDescription: { text: docs.summary },
    fullDescription: { text: docs.whatItDoes },
    // The full docs travel with every log, so code scanning shows them on the alert with no site to link to.
    help: { text: ruleDocsMarkdown(rule), markdown: ruleDocsMarkdown(rule) },
    ...(docsUrl(rule.id) ? { helpUri: docsUrl(rule.id) } : {}),
    defaultConfiguration: { level: 'warning' },
    properties: {
      tags: [...new Set(['security', ...rule.meta.tags])],
      // GitHub reads this as a string holding a 0.0–10.0 score.
      'security-severity': rule.meta.securitySeverity.toFixed(1),
    },
  };
}

/** At most MAX_RESULTS results, the most severe kept (errors, then warnings, then suppressed ones), in their order. */
function capped(results: Result[]): Result[] {
  if (results.length <= MAX_RESULTS) return results;
  const rank = (result: Result): number => (result.suppressions ? 2 : result.level === 'error' ? 0 : 1);
  const keep = new Set(results.map((result, index) => ({ rank: rank(result), index })).sort((a, b) => a.rank - b.rank || a.index - b.index).slice(0, MAX_RESULTS).map((e) => e.index));
  return results.filter((_, index) => keep.has(index));
}

function relatedLocation(related: RelatedMessage, id: number, root: string): Location {
  return { id, physicalLocation: { artifactLocation: artifactLocation(related.filePath, root), region: regionOf(related) }, message: { text: related.message } };
}

/** The message's fix as SARIF artifact changes: its edit to this file and its edits to others, in UTF-16 offsets as `columnKind` says. */
function fixOf(message: Message, filePath: string, root: string): Fix | undefined {
  const changes: ArtifactChange[] = [];
  if (message.fix) changes.push(artifactChange(filePath, [message.fix], root));
  for (const file of message.fixElsewhere ?? []) changes.push(artifactChange(file.filePath, file.fixes, root));
  return changes.length ? { artifactChanges: changes } : undefined;
}

function artifactChange(filePath: string, fixes: readonly { range: [number, number]; text: string }[], root: string): ArtifactChange {
  return {
    artifactLocation: artifactLocation(filePath, root),
    replacements: fixes.map(({ range: [start, end], text }) => ({ deletedRegion: { charOffset: start, charLength: end - start }, insertedContent: { text } })),
  };
}

function regionOf(message: Pick<Message, 'line' | 'column' | 'endLine' | 'endColumn'>) {
  if (message.endLine === undefined || message.endColumn === undefined) return { startLine: message.line, startColumn: message.column };
  return { startLine: message.line, startColumn: message.column, endLine: message.endLine, endColumn: message.endColumn };
}

/** Relative to the repository root under `%SRCROOT%` when inside it; an absolute file URI otherwise. */
function artifactLocation(filePath: string, root: string) {
  const relative = path.relative(root, filePath);
  if (!path.isAbsolute(filePath)) return { uri: encodePath(filePath) };
  if (relative.startsWith('..') || path.isAbsolute(relative)) return { uri: pathToFileURL(filePath).href };
  return { uri: encodePath(relative), uriBaseId: SRCROOT };
}

function encodePath(relative: string): string {
  return relative.split(path.sep).map(encodeURIComponent).join('/');
}

function directoryUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/**
 * Fingerprints that survive unrelated edits: a hash of the rule, the
 * offending line's text with whitespace collapsed, and how many identical
 * (rule, line text) pairs came before it in the file. Line numbers are left
 * out, so code moving up or down keeps its alerts.
 */
function lineFingerprints(report: FileReport): Map<Message, string> {
  const lines = (report.source ?? '').split(/\r\n|\r|\n/);
  const seen = new Map<string, number>();
  const fingerprints = new Map<Message, string>();
  const ordered = [...report.messages, ...report.suppressedMessages].sort((a, b) => a.line - b.line || a.column - b.column);
  for (const message of ordered) {
    if (message.ruleId === null) continue;
    const text = (lines[message.line - 1] ?? '').trim().replace(/\s+/g, ' ');
    const key = `${message.ruleId}\0${text}`;
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    fingerprints.set(message, createHash('sha256').update(`${key}\0${occurrence}`).digest('hex').slice(0, 32));
  }
  return fingerprints;
}
