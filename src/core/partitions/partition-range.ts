/** The separator of a partition range on the command line and in tags: `2024-10-01...2024-10-07`. */
export const RANGE_SEPARATOR = '...';

/** `'A...B'` -> `{ from: 'A', to: 'B' }` (not validated); text without `...` -> undefined (a single key). */
export function parsePartitionRange(text: string): { from: string; to: string } | undefined {
  const at = text.indexOf(RANGE_SEPARATOR);
  if (at < 0) return undefined;
  return { from: text.slice(0, at).trim(), to: text.slice(at + RANGE_SEPARATOR.length).trim() };
}

/** `('A', 'B')` -> `'A...B'`; the inverse of parsePartitionRange. */
export function formatPartitionRange(from: string, to: string): string {
  return `${from}${RANGE_SEPARATOR}${to}`;
}
