import { SluiceError } from '../errors.js';
import { assertPartitionMapping, type PartitionMapping } from '../partitions/partition-mapping.js';
import { assertPartitionsDefinition, type PartitionsDefinition } from '../partitions/partitions-definition.js';
import type { AnyAssetDefinition, AssetContext, AssetDefinition, MaterializeResult } from './asset-definition.js';
import { assertAssetKey, type AssetKey } from './asset-key.js';
import type { ResourceMap } from './resource.js';
import { assertRetryPolicy, type RetryPolicy } from './retry-policy.js';
import { assertAutomationCondition, type AutomationCondition } from '../automation/automation-condition.js';
import type { ConfigSchema, InferConfig } from './schema.js';
import { assertDeadline, assertFreshness, type DeadlineSpec, type FreshnessSpec } from '../freshness/freshness-policy.js';

export interface AssetSpec<S extends ConfigSchema | undefined, R extends ResourceMap> {
  key: string;
  deps?: ReadonlyArray<string | AnyAssetDefinition>;
  group?: string;
  tags?: Record<string, string>;
  kinds?: string[];
  owners?: string[];
  description?: string;
  codeVersion?: string;
  config?: S;
  resources?: R;
  retry?: RetryPolicy;
  timeoutMs?: number;
  pool?: string;
  /** dailyPartitions(...), hourlyPartitions(...) or staticPartitions([...]). */
  partitions?: PartitionsDefinition;
  /** By upstream key, e.g. `{ 'raw/entries': timeWindowPartitionMapping({ startOffset: -1, endOffset: -1 }) }`. */
  partitionMappings?: Record<string, PartitionMapping>;
  /** Declarative automation, e.g. `eager()`, `onCron('0 6 * * *', 'UTC')`, `onMissing()` (the daemon evaluates it once `sluice automation start`). */
  automation?: AutomationCondition;
  /** A lag limit, e.g. `{ maxLagMinutes: 26 * 60, warnAfterMinutes: 25 * 60 }`; the daemon checks it while runs go on. */
  freshness?: FreshnessSpec;
  /** A cron deadline, e.g. `{ cron: '30 6 * * *', timezone: 'Europe/London' }`: the partition due must be materialized by each tick. */
  deadline?: DeadlineSpec;
  materialize: (
    ctx: AssetContext<S extends ConfigSchema ? InferConfig<S> : undefined, R>,
  ) => void | MaterializeResult | Promise<void | MaterializeResult>;
}

const NAME = /^[A-Za-z0-9_.@-]+$/;

function assertName(value: string, what: string, key: string): void {
  if (!NAME.test(value)) {
    throw new SluiceError('INVALID_DEFINITION', `invalid ${what} "${value}" on asset "${key}": use letters, digits, "_", "-", "." or "@"`, {
      key,
      what,
      value,
    });
  }
}

/**
 * Declares a software-defined asset. Returns frozen data and does nothing else: no registration,
 * no connection. Throws on a malformed key, dep, tag, retry policy, timeout, partitions definition, freshness or
 * deadline, or a partition mapping for a key that is not a dep.
 */
export function defineAsset<S extends ConfigSchema | undefined = undefined, R extends ResourceMap = Record<never, never>>(
  spec: AssetSpec<S, R>,
): AssetDefinition<S extends ConfigSchema ? InferConfig<S> : undefined, R> {
  const key = assertAssetKey(spec.key, 'defineAsset({ key })');
  const deps = (spec.deps ?? []).map((dep, i) =>
    assertAssetKey(typeof dep === 'string' ? dep : dep?.key, `deps[${i}] of asset "${key}"`),
  );
  const group = spec.group ?? 'default';
  assertName(group, 'group', key);
  const tags = { ...(spec.tags ?? {}) };
  for (const [k, v] of Object.entries(tags)) {
    assertName(k, 'tag key', key);
    if (typeof v !== 'string') throw new SluiceError('INVALID_DEFINITION', `tag "${k}" on asset "${key}" must be a string`, { key });
  }
  for (const kind of spec.kinds ?? []) assertName(kind, 'kind', key);
  if (spec.retry) assertRetryPolicy(spec.retry, `asset "${key}"`);
  if (spec.timeoutMs !== undefined && !(Number.isFinite(spec.timeoutMs) && spec.timeoutMs > 0)) {
    throw new SluiceError('INVALID_DEFINITION', `timeoutMs on asset "${key}" must be a positive number of milliseconds`, { key });
  }
  if (typeof spec.materialize !== 'function') {
    throw new SluiceError('INVALID_DEFINITION', `asset "${key}" needs a materialize(ctx) function`, { key });
  }
  const partitions = spec.partitions === undefined ? undefined : assertPartitionsDefinition(spec.partitions, `partitions of asset "${key}"`);
  const partitionMappings = mappingsOf(spec.partitionMappings, deps, key);
  const automation = spec.automation === undefined ? undefined : assertAutomationCondition(spec.automation, `automation of asset "${key}"`);
  const freshness = spec.freshness === undefined ? undefined : assertFreshness(spec.freshness, key);
  const deadline = spec.deadline === undefined ? undefined : assertDeadline(spec.deadline, key, partitions);
  return Object.freeze({
    kind: 'asset' as const,
    key,
    deps: Object.freeze([...new Set(deps)]),
    group,
    tags: Object.freeze(tags),
    kinds: Object.freeze([...(spec.kinds ?? [])]),
    owners: Object.freeze([...(spec.owners ?? [])]),
    description: spec.description,
    codeVersion: spec.codeVersion,
    config: spec.config as never,
    resources: Object.freeze({ ...(spec.resources ?? {}) }) as R,
    retry: spec.retry ? Object.freeze({ ...spec.retry }) : undefined,
    timeoutMs: spec.timeoutMs,
    pool: spec.pool,
    partitions,
    partitionMappings,
    automation,
    freshness,
    deadline,
    materialize: spec.materialize as AssetDefinition<S extends ConfigSchema ? InferConfig<S> : undefined, R>['materialize'],
  });
}

/** Validated, frozen mappings; each must name a dep of the asset. */
const NO_MAPPINGS: Readonly<Record<AssetKey, PartitionMapping>> = Object.freeze({});

function mappingsOf(mappings: Record<string, PartitionMapping> | undefined, deps: readonly AssetKey[], key: AssetKey): Readonly<Record<AssetKey, PartitionMapping>> {
  if (mappings === undefined) return NO_MAPPINGS;
  const out: Record<AssetKey, PartitionMapping> = {};
  for (const [upstream, mapping] of Object.entries(mappings ?? {})) {
    if (!deps.includes(upstream)) {
      throw new SluiceError(
        'INVALID_DEFINITION',
        `partitionMappings of asset "${key}" names "${upstream}", which is not one of its deps${deps.length > 0 ? ` (${deps.join(', ')})` : ''}; add it to deps or remove the mapping`,
        { key, upstream, deps },
      );
    }
    out[upstream] = assertPartitionMapping(mapping, `partitionMappings["${upstream}"] of asset "${key}"`);
  }
  return Object.freeze(out);
}
