import type { FileReport } from '../report';

/** ESLint's `json` formatter: the array of file results, without the CLI's own bookkeeping. */
export function formatJson(reports: readonly FileReport[]): string {
  return JSON.stringify(reports.map(({ source: _source, notices: _notices, ...rest }) => rest));
}
