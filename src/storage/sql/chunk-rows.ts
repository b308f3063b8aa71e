/** Postgres's limit on bind parameters in one statement (a 16-bit count in the wire protocol). */
export const MAX_BIND_PARAMETERS = 65535;

/** Splits rows into batches small enough that no INSERT exceeds MAX_BIND_PARAMETERS. */
export function chunkRows<T>(rows: readonly T[], parametersPerRow: number): T[][] {
  const size = Math.max(1, Math.floor(MAX_BIND_PARAMETERS / parametersPerRow));
  const chunks: T[][] = [];
  for (let i = 0; i < rows.length; i += size) chunks.push(rows.slice(i, i + size));
  return chunks;
}
