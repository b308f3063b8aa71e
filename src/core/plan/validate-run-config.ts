import type { AssetKey } from '../asset/asset-key.js';
import { SluiceError } from '../errors.js';
import type { AssetGraph } from '../graph/asset-graph.js';
import { didYouMean, suggest } from '../suggest.js';
import { normalizeEnvRefs } from './env-ref.js';

export class InvalidRunConfigError extends SluiceError {
  constructor(message: string, data: Record<string, unknown>) {
    super('INVALID_RUN_CONFIG', message, data);
  }
}

/**
 * Checks run config (`{ "<asset key>": { ...that asset's config } }`) against the config schemas of
 * the selected assets and returns the parsed values (defaults applied) for every selected asset
 * that declares a schema. Throws InvalidRunConfigError naming the asset and the field.
 *
 * Env references (`{"env": "VAR"}`, `"env:VAR"`) are validated as strings and kept as references
 * (in the string form) in the result: the step runner resolves them (see env-ref.ts).
 */
export function validateRunConfig(
  graph: AssetGraph,
  selected: ReadonlySet<AssetKey>,
  raw: unknown,
  where = 'run config',
): Record<AssetKey, unknown> {
  if (raw === undefined || raw === null) raw = {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InvalidRunConfigError(`${where} must be a JSON object keyed by asset key, e.g. {"raw/entries": {"days": 3}}`, { where });
  }
  const entries = raw as Record<string, unknown>;
  for (const key of Object.keys(entries)) {
    const multi = graph.multiAsset(key);
    if (multi && !graph.has(key)) {
      if (!multi.assets.some((a) => selected.has(a.key))) {
        throw new InvalidRunConfigError(`${where} configures multi-asset "${key}", none of whose assets is selected; select them or remove its config`, { where, key });
      }
      if (!multi.config) throw new InvalidRunConfigError(`${where} configures multi-asset "${key}", which takes no config`, { where, key });
      continue;
    }
    if (!graph.has(key)) {
      throw new InvalidRunConfigError(`${where} names unknown asset "${key}"${didYouMean(suggest(key, graph.keys()))}`, { where, key });
    }
    if (!selected.has(key)) {
      throw new InvalidRunConfigError(`${where} configures asset "${key}", which is not selected; select it or remove its config`, {
        where,
        key,
      });
    }
    if (!graph.get(key).config) {
      const multi = graph.get(key).multiAsset;
      throw new InvalidRunConfigError(
        `${where} configures asset "${key}", which takes no config${multi?.config ? `: its multi-asset takes it, as {"${multi.name}": {...}}` : ''}`,
        { where, key },
      );
    }
  }
  const parsed: Record<AssetKey, unknown> = {};
  for (const key of graph.order) {
    if (!selected.has(key)) continue;
    const schema = graph.get(key).config;
    if (!schema) continue;
    parsed[key] = parseEntry(schema, entries[key], `asset "${key}"`, key, where);
  }
  const multis = new Set<string>();
  for (const key of graph.order) {
    const multi = selected.has(key) ? graph.get(key).multiAsset : undefined;
    if (!multi?.config || multis.has(multi.name)) continue;
    multis.add(multi.name);
    parsed[multi.name] = parseEntry(multi.config, entries[multi.name], `multi-asset "${multi.name}"`, multi.name, where);
  }
  return parsed;
}

function parseEntry(schema: NonNullable<ReturnType<AssetGraph['get']>['config']>, entry: unknown, what: string, key: string, where: string): unknown {
  const result = schema.safeParse(normalizeEnvRefs(entry ?? {}));
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.map(String).join('.') || '(root)';
  throw new InvalidRunConfigError(`invalid config for ${what} in ${where}: field "${field}": ${issue.message}`, {
    where,
    key,
    field,
    issues: result.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
  });
}
