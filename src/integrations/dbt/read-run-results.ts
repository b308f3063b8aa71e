import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromRunResult, type LoggedResult } from './dbt-json-log.js';

/**
 * The results of `<targetPath>/run_results.json` (schema v5 and v6, dbt 1.5+): per executed node its
 * status, failures, adapter_response.rows_affected, execution_time and message, keyed by unique
 * id. Empty when dbt wrote no file (it failed before running anything) or wrote one that is not
 * JSON (it was killed mid-write); the log events then are all there is.
 */
export function readRunResults(targetPath: string): Map<string, LoggedResult> {
  const file = join(targetPath, 'run_results.json');
  const out = new Map<string, LoggedResult>();
  if (!existsSync(file)) return out;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return out;
  }
  const results = (raw as { results?: unknown } | null)?.results;
  if (!Array.isArray(results)) return out;
  for (const entry of results) {
    if (typeof entry !== 'object' || entry === null) continue;
    const record = entry as Record<string, unknown>;
    if (typeof record.unique_id !== 'string') continue;
    out.set(record.unique_id, fromRunResult(record.unique_id, record));
  }
  return out;
}
