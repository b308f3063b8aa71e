import { formatDuration } from '../../web/static/format-duration.js';

/** Plain text tables and small formatting helpers for CLI output. */
export function table(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** A duration as the dashboard shows it too (web/static/format-duration.js); `-` when there is none. */
export function duration(ms: number | null | undefined): string {
  return formatDuration(ms, '-');
}

/** `rows=720 bad_rows=0` from a metadata object; URLs and JSON values in short form. */
export function metadataLine(metadata: Readonly<Record<string, unknown>> | undefined | null): string {
  if (!metadata) return '';
  return Object.entries(metadata)
    .map(([k, v]) => {
      if (v && typeof v === 'object') {
        if ('url' in v) return `${k}=${String((v as { url: string }).url)}`;
        return `${k}=${JSON.stringify('json' in v ? (v as { json: unknown }).json : v)}`;
      }
      return `${k}=${String(v)}`;
    })
    .join(' ');
}
