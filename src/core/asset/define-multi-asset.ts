import { defineAssetCheck, type AnyCheckDefinition } from '../checks/check-definition.js';
import { SluiceError } from '../errors.js';
import { describePartitions, sameDefinition } from '../partitions/describe-partitions.js';
import type { PartitionsDefinition } from '../partitions/partitions-definition.js';
import type { AnyAssetDefinition } from './asset-definition.js';
import { defineAsset } from './define-asset.js';
import type { AnyMultiAssetDefinition, AssetOutSpec, MultiAssetCheckSpec, MultiAssetContext, MultiAssetDefinition, MultiAssetResult } from './multi-asset-definition.js';
import type { ResourceMap } from './resource.js';
import { assertRetryPolicy, type RetryPolicy } from './retry-policy.js';
import type { ConfigSchema, InferConfig } from './schema.js';

export interface MultiAssetSpec<S extends ConfigSchema | undefined, R extends ResourceMap> {
  /** Names the step (`@<name>` in a run) and its config entry; letters, digits, "_" and "-". */
  name: string;
  specs: readonly AssetOutSpec[];
  checks?: readonly MultiAssetCheckSpec[];
  /** Whether a run may select some of the keys. Default false: all or none. */
  canSubset?: boolean;
  description?: string;
  /** Run config `{ "<name>": {...} }`, parsed with this schema into ctx.config. */
  config?: S;
  resources?: R;
  retry?: RetryPolicy;
  timeoutMs?: number;
  pool?: string;
  materialize: (
    ctx: MultiAssetContext<S extends ConfigSchema ? InferConfig<S> : undefined, R>,
  ) => void | MultiAssetResult | Promise<void | MultiAssetResult>;
}

const NAME = /^[A-Za-z0-9_-]+$/;

function invalid(name: string, problem: string, data: Record<string, unknown> = {}): SluiceError {
  return new SluiceError('INVALID_DEFINITION', `multi-asset "${name}": ${problem}`, { multiAsset: name, ...data });
}

/**
 * Declares one step that materializes several assets. Returns frozen data and does nothing else.
 * Each spec becomes an asset of its own (validated as defineAsset validates one); the checks are
 * evaluated and reported by the step itself. Throws on a malformed name, an empty or duplicate
 * spec list, specs with different partitions, or a check on a key the multi-asset does not make.
 */
export function defineMultiAsset<S extends ConfigSchema | undefined = undefined, R extends ResourceMap = Record<never, never>>(
  spec: MultiAssetSpec<S, R>,
): MultiAssetDefinition<S extends ConfigSchema ? InferConfig<S> : undefined, R> {
  const name = spec.name;
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new SluiceError('INVALID_DEFINITION', `invalid multi-asset name "${String(name)}": use letters, digits, "_" and "-"`, { name });
  }
  if (!Array.isArray(spec.specs) || spec.specs.length === 0) throw invalid(name, 'needs at least one asset in specs');
  if (typeof spec.materialize !== 'function') throw invalid(name, 'needs a materialize(ctx) function');
  if (spec.retry) assertRetryPolicy(spec.retry, `multi-asset "${name}"`);
  if (spec.timeoutMs !== undefined && !(Number.isFinite(spec.timeoutMs) && spec.timeoutMs > 0)) {
    throw invalid(name, 'timeoutMs must be a positive number of milliseconds');
  }
  const resources = Object.freeze({ ...(spec.resources ?? {}) }) as R;
  const multi = {
    kind: 'multi_asset' as const,
    name,
    assets: [] as AnyAssetDefinition[],
    checks: [] as AnyCheckDefinition[],
    canSubset: spec.canSubset ?? false,
    config: spec.config as never,
    resources,
    retry: spec.retry ? Object.freeze({ ...spec.retry }) : undefined,
    timeoutMs: spec.timeoutMs,
    pool: spec.pool,
    description: spec.description,
    materialize: spec.materialize as MultiAssetDefinition<S extends ConfigSchema ? InferConfig<S> : undefined, R>['materialize'],
  };
  const notAlone = () => {
    throw invalid(name, 'its assets are materialized by the multi-asset\'s step, never one by one');
  };
  let partitions: { definition: PartitionsDefinition; key: string } | undefined;
  const keys = new Set<string>();
  for (const out of spec.specs) {
    const { depFixes, ...assetSpec } = out;
    const asset = defineAsset({ ...assetSpec, materialize: notAlone });
    if (keys.has(asset.key)) throw invalid(name, `asset "${asset.key}" appears twice in specs`, { key: asset.key });
    keys.add(asset.key);
    if (asset.partitions && partitions && !sameDefinition(asset.partitions, partitions.definition)) {
      throw invalid(name, `"${partitions.key}" is ${describePartitions(partitions.definition)} but "${asset.key}" is ${describePartitions(asset.partitions)}: one step materializes one partition space`);
    }
    if (asset.partitions && !partitions) partitions = { definition: asset.partitions, key: asset.key };
    multi.assets.push(
      Object.freeze({
        ...asset,
        resources,
        retry: multi.retry,
        timeoutMs: multi.timeoutMs,
        pool: multi.pool,
        ...(depFixes ? { depFixes: Object.freeze({ ...depFixes }) } : {}),
        multiAsset: multi as AnyMultiAssetDefinition,
      }),
    );
  }
  const unpartitioned = multi.assets.find((a) => a.partitions === undefined);
  if (partitions && unpartitioned) {
    throw invalid(name, `"${partitions.key}" is partitioned but "${unpartitioned.key}" is not: give every spec the same partitions, or none`);
  }
  const checkIds = new Set<string>();
  for (const check of spec.checks ?? []) {
    if (!keys.has(check.asset)) {
      throw invalid(name, `check "${check.name}" is on "${check.asset}", which is not one of its specs (${[...keys].join(', ')})`, { check: check.name });
    }
    const defined = defineAssetCheck({ ...check, resources, check: notAlone });
    const id = `${defined.asset}#${defined.name}`;
    if (checkIds.has(id)) throw invalid(name, `check "${defined.name}" on "${defined.asset}" appears twice`, { check: defined.name });
    checkIds.add(id);
    multi.checks.push(Object.freeze({ ...defined, multiAsset: multi as AnyMultiAssetDefinition }));
  }
  Object.freeze(multi.assets);
  Object.freeze(multi.checks);
  return Object.freeze(multi) as MultiAssetDefinition<S extends ConfigSchema ? InferConfig<S> : undefined, R>;
}
