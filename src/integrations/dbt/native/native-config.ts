import type { DbtMaterialization, DbtNode, DbtTest } from '../dbt-project.js';
import { DbtNativeError, OUTSIDE_SUBSET } from './dbt-native-error.js';
import { isRecord } from './dbt-config.js';

/** How the native runner builds one model. */
export interface ModelPlan {
  readonly materialized: DbtMaterialization;
  /** Columns of `unique_key` (incremental delete+insert); empty for append. */
  readonly uniqueKey: readonly string[];
}

/**
 * Configs that would change what dbt builds or who may read it, and that the native runner does
 * not implement, with the value dbt uses when they are not set (a manifest lists every config with
 * its default, so defaults must pass). Any other config (tags, meta, docs, group, description,
 * persist_docs, access, ...) does not change the data and is accepted.
 */
const MODEL_UNSUPPORTED: Readonly<Record<string, (value: unknown) => boolean>> = {
  database: isUnset,
  'pre-hook': isUnset,
  'post-hook': isUnset,
  sql_header: isUnset,
  grants: isUnset,
  indexes: isUnset,
  full_refresh: isUnset,
  on_schema_change: (value) => isUnset(value) || value === 'ignore',
  contract: (value) => isUnset(value) || (isRecord(value) && value.enforced !== true),
};

const TEST_UNSUPPORTED: Readonly<Record<string, (value: unknown) => boolean>> = {
  where: isUnset,
  limit: isUnset,
  store_failures: (value) => isUnset(value) || value === false,
  fail_calc: (value) => isUnset(value) || value === 'count(*)',
  warn_if: (value) => isUnset(value) || value === '!= 0',
  error_if: (value) => isUnset(value) || value === '!= 0',
};

function isUnset(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isRecord(value) && Object.keys(value).length === 0;
}

/**
 * The model's effective config (its node config with the SQL's `config()` on top) checked against
 * the native subset. Throws DBT_UNSUPPORTED naming the file and the config.
 */
export function modelPlan(node: DbtNode, sqlConfig: Readonly<Record<string, unknown>>): ModelPlan {
  const config = { ...(node.config ?? {}), ...sqlConfig };
  const file = node.originalFilePath;
  const reject = (what: string): never => {
    throw new DbtNativeError('DBT_UNSUPPORTED', { file }, `config ${what} of model "${node.name}": ${OUTSIDE_SUBSET}`, { construct: what });
  };
  if (node.language === 'python') {
    throw new DbtNativeError('DBT_UNSUPPORTED', { file }, `model "${node.name}" is a Python model: the native runner compiles SQL models only; run the project with the dbt CLI runner (dbtCliRunner)`, {
      construct: 'python model',
    });
  }
  for (const [key, allowed] of Object.entries(MODEL_UNSUPPORTED)) {
    if (allowed(config[key])) continue;
    if (key === 'pre-hook' || key === 'post-hook') {
      throw new DbtNativeError('DBT_UNSUPPORTED', { file }, `model "${node.name}" has a ${key} (${JSON.stringify(config[key])}): the native runner does not run hooks; run the project with the dbt CLI runner (dbtCliRunner), or move the statement into a model or an asset`, {
        construct: key,
      });
    }
    reject(`${key}=${JSON.stringify(config[key])}`);
  }
  const materialized = (config.materialized ?? node.materialized) as DbtMaterialization;
  if (!['view', 'table', 'incremental', 'ephemeral'].includes(materialized)) {
    throw new DbtNativeError('DBT_UNSUPPORTED', { file }, `model "${node.name}" is materialized as ${JSON.stringify(materialized)}: the native runner builds view, table, incremental and ephemeral models; run the project with the dbt CLI runner (dbtCliRunner), which runs every materialization dbt knows`, {
      construct: `materialized=${String(materialized)}`,
    });
  }
  const strategy = config.incremental_strategy;
  const rawKey = config.unique_key;
  const keys = rawKey === undefined || rawKey === null ? [] : Array.isArray(rawKey) ? rawKey : [rawKey];
  if (!keys.every((key): key is string => typeof key === 'string' && key !== '')) reject(`unique_key=${JSON.stringify(rawKey)}`);
  if (materialized === 'incremental') {
    if (!isUnset(strategy) && strategy !== 'append' && strategy !== 'delete+insert') reject(`incremental_strategy=${JSON.stringify(strategy)}`);
    if (strategy === 'delete+insert' && keys.length === 0) reject('incremental_strategy="delete+insert" without a unique_key');
  }
  return { materialized, uniqueKey: materialized === 'incremental' && strategy !== 'append' ? (keys as string[]) : [] };
}

/** Checks a test's config against the native subset (severity, tags, meta, enabled). */
export function checkTestConfig(test: DbtTest, sqlConfig: Readonly<Record<string, unknown>> = {}): void {
  const config = { ...(test.config ?? {}), ...sqlConfig };
  for (const [key, allowed] of Object.entries(TEST_UNSUPPORTED)) {
    if (!allowed(config[key])) {
      throw new DbtNativeError('DBT_UNSUPPORTED', { file: test.originalFilePath }, `config ${key}=${JSON.stringify(config[key])} of test "${test.name}": ${OUTSIDE_SUBSET}`, {
        construct: key,
      });
    }
  }
}
