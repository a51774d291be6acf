import type { FileReport } from '../report';

/** ESLint's `json` formatter: the array of file results, as is. */
export function formatJson(reports: readonly FileReport[]): string {
  return JSON.stringify(reports.map(({ source: _source, ...rest }) => rest));
}
