/**
 * dbt configs (materialized, schema, tags, unique_key, severity, ...) as plain data, and how dbt
 * combines them: a more specific level wins, except `tags` (accumulated) and `meta` (merged).
 * Keys are stored without dbt_project.yml's `+` prefix, and `pre_hook`/`post_hook` as dbt spells
 * them in SQL are stored as `pre-hook`/`post-hook`.
 */
export type DbtConfig = Readonly<Record<string, unknown>>;

/** Config names that are configs even without a `+` in dbt_project.yml (others with a map value are folders). */
export const KNOWN_CONFIGS: ReadonlySet<string> = new Set([
  'materialized', 'schema', 'database', 'alias', 'tags', 'enabled', 'unique_key', 'incremental_strategy',
  'on_schema_change', 'docs', 'persist_docs', 'pre-hook', 'post-hook', 'grants', 'meta', 'group', 'contract',
  'full_refresh', 'indexes', 'sql_header', 'quoting', 'column_types', 'delimiter', 'access', 'severity',
  'store_failures', 'store_failures_as', 'where', 'limit', 'warn_if', 'error_if', 'fail_calc', 'packages',
  'description', 'event_time', 'batch_size', 'lookback', 'begin', 'concurrent_batches', 'unlogged', 'quote_columns',
]);

/** `+materialized` -> `materialized`, `post_hook` -> `post-hook`. */
export function configKey(key: string): string {
  const bare = key.startsWith('+') ? key.slice(1) : key;
  return bare === 'pre_hook' ? 'pre-hook' : bare === 'post_hook' ? 'post-hook' : bare;
}

/** `base` with `override` on top: scalars replaced, `tags` accumulated, `meta` merged. */
export function mergeConfig(base: DbtConfig, override: DbtConfig): DbtConfig {
  const merged: Record<string, unknown> = { ...base };
  for (const [rawKey, value] of Object.entries(override)) {
    const key = configKey(rawKey);
    if (key === 'tags') merged.tags = [...new Set([...tagList(base.tags), ...tagList(value)])];
    else if (key === 'meta' && isRecord(value) && isRecord(base.meta)) merged.meta = { ...base.meta, ...value };
    else merged[key] = value;
  }
  return merged;
}

/** dbt accepts `tags: a` and `tags: [a, b]`. */
export function tagList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
