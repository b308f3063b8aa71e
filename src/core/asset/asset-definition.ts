import type { AssetKey } from './asset-key.js';
import type { AnyMultiAssetDefinition } from './multi-asset-definition.js';
import type { StepContextBase } from './step-context-base.js';
import type { Metadata } from './metadata.js';
import type { PartitionMapping } from '../partitions/partition-mapping.js';
import type { PartitionsDefinition } from '../partitions/partitions-definition.js';
import type { ResolvedResources, ResourceMap } from './resource.js';
import type { RetryPolicy } from './retry-policy.js';
import type { ConfigSchema } from './schema.js';
import type { AutomationCondition } from '../automation/automation-condition.js';
import type { DeadlinePolicy, FreshnessPolicy } from '../freshness/freshness-policy.js';

/** What an asset's step sees while it runs. */
export interface AssetContext<C = unknown, R extends ResourceMap = ResourceMap> extends StepContextBase {
  readonly assetKey: AssetKey;
  readonly config: C;
  readonly resources: ResolvedResources<R>;
  /** The asset's incremental state, kept across runs (see AssetCursor). */
  readonly cursor: AssetCursor;
}

/**
 * An asset's incremental state: a high-water mark, a manifest of what it has processed. `get` gives
 * what the asset's last successful materialization stored (or what `set` gave earlier in this
 * attempt); `set` stages a JSON value that is stored in the same transaction as this attempt's
 * success, and never when it fails or is retried, so a load's high-water mark moves only when the
 * load succeeded.
 */
export interface AssetCursor {
  get<T = unknown>(): Promise<T | undefined>;
  set(value: unknown): void;
}

export interface MaterializeResult {
  readonly metadata?: Metadata;
  readonly dataVersion?: string;
}

/** A software-defined asset: frozen data; `materialize` runs only when a step executes it. */
export interface AssetDefinition<C = unknown, R extends ResourceMap = ResourceMap> {
  readonly kind: 'asset';
  readonly key: AssetKey;
  readonly deps: readonly AssetKey[];
  readonly group: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly kinds: readonly string[];
  readonly owners: readonly string[];
  readonly description: string | undefined;
  readonly codeVersion: string | undefined;
  readonly config: ConfigSchema<C> | undefined;
  readonly resources: R;
  readonly retry: RetryPolicy | undefined;
  readonly timeoutMs: number | undefined;
  readonly pool: string | undefined;
  /** How the asset is partitioned; undefined when it is not. */
  readonly partitions: PartitionsDefinition | undefined;
  /** Explicit mappings by upstream key; deps without one use defaultPartitionMapping. */
  readonly partitionMappings: Readonly<Record<AssetKey, PartitionMapping>>;
  /** Declarative automation; undefined when the asset is not automated. */
  readonly automation: AutomationCondition | undefined;
  /** A lag limit the daemon checks (WARN/FAIL); undefined when none. */
  readonly freshness?: FreshnessPolicy | undefined;
  /** A cron deadline the daemon checks per partition (WARN/FAIL); undefined when none. */
  readonly deadline?: DeadlinePolicy | undefined;
  readonly materialize: (ctx: AssetContext<C, R>) => void | MaterializeResult | Promise<void | MaterializeResult>;
  /** What to do when a dep is not an asset of the project, by dep (e.g. how to map a dbt source); the general advice otherwise. */
  readonly depFixes?: Readonly<Record<AssetKey, string>>;
  /** The multi-asset whose step materializes this key; undefined for an asset with its own step. */
  readonly multiAsset?: AnyMultiAssetDefinition;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyAssetDefinition = AssetDefinition<any, any>;
