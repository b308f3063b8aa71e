import type { CheckSeverity } from '../checks/check-definition.js';
import type { AnyCheckDefinition } from '../checks/check-definition.js';
import type { PartitionsDefinition } from '../partitions/partitions-definition.js';
import type { AnyAssetDefinition, AssetCursor, MaterializeResult } from './asset-definition.js';
import type { AssetSpec } from './define-asset.js';
import type { AssetKey } from './asset-key.js';
import type { StepContextBase } from './step-context-base.js';
import type { Metadata } from './metadata.js';
import type { ResolvedResources, ResourceMap } from './resource.js';
import type { RetryPolicy } from './retry-policy.js';
import type { ConfigSchema } from './schema.js';

/** One asset a multi-asset materializes: an asset's own fields (its step's are the multi-asset's). */
export type AssetOutSpec = Pick<AssetSpec<undefined, ResourceMap>, 'key' | 'deps' | 'group' | 'tags' | 'kinds' | 'owners' | 'description' | 'codeVersion' | 'partitionMappings' | 'automation' | 'freshness' | 'deadline'> & {
  /** Every partitioned spec of one multi-asset shares one partitions definition. */
  partitions?: PartitionsDefinition;
  /** What to do when a dep is not an asset of the project, by dep (shown with the load error). */
  depFixes?: Record<string, string>;
};

/** A check the multi-asset's own step evaluates and reports (`ctx.reportCheck`), e.g. a dbt test. */
export interface MultiAssetCheckSpec {
  asset: string;
  name: string;
  blocking?: boolean;
  severity?: CheckSeverity;
  description?: string;
}

/** The result of one check a multi-asset evaluated. */
export interface ReportedCheckResult {
  readonly passed: boolean;
  readonly metadata?: Metadata;
  readonly description?: string;
}

/** What a multi-asset's step sees while it runs. */
export interface MultiAssetContext<C = unknown, R extends ResourceMap = ResourceMap> extends StepContextBase {
  /** The multi-asset's name. */
  readonly name: string;
  /** The keys this attempt materializes: the selected ones, less any an earlier attempt of the run reported (when it can subset). */
  readonly selectedKeys: readonly AssetKey[];
  /** The checks of the selected keys this step evaluates, as `{ asset, name }`. */
  readonly selectedChecks: ReadonlyArray<{ readonly asset: AssetKey; readonly name: string }>;
  readonly config: C;
  readonly resources: ResolvedResources<R>;
  /**
   * Records that `key` is materialized, now: its materialization (and the cursor staged with
   * `cursor(key).set`) is written within moments, while the step goes on. Each selected key is
   * reported once per attempt, here or in the returned record.
   */
  report(key: AssetKey, result?: MaterializeResult): void;
  /** Records the result of one of the multi-asset's checks on a selected key, now. */
  reportCheck(key: AssetKey, name: string, result: ReportedCheckResult): void;
  /** The incremental state of one of the keys (see AssetCursor), stored with that key's report. */
  cursor(key: AssetKey): AssetCursor;
}

/** What a multi-asset's materialize may return: results of keys it did not report as it went. */
export type MultiAssetResult = Readonly<Record<AssetKey, MaterializeResult>>;

/**
 * One step that materializes several asset keys (dbt models, a table and its derived views): frozen
 * data. Each key is an asset of its own in the graph (`assets`), with its own deps, lineage, locks,
 * partitions, staleness and checks; the step runs them together.
 */
export interface MultiAssetDefinition<C = unknown, R extends ResourceMap = ResourceMap> {
  readonly kind: 'multi_asset';
  readonly name: string;
  /** One asset per spec, in spec order; each names this definition as its `multiAsset`. */
  readonly assets: readonly AnyAssetDefinition[];
  /** The checks the step evaluates itself; each names this definition as its `multiAsset`. */
  readonly checks: readonly AnyCheckDefinition[];
  /** Whether a run may select some of the keys (else all or none). */
  readonly canSubset: boolean;
  readonly config: ConfigSchema<C> | undefined;
  readonly resources: R;
  readonly retry: RetryPolicy | undefined;
  readonly timeoutMs: number | undefined;
  readonly pool: string | undefined;
  readonly description: string | undefined;
  readonly materialize: (ctx: MultiAssetContext<C, R>) => void | MultiAssetResult | Promise<void | MultiAssetResult>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyMultiAssetDefinition = MultiAssetDefinition<any, any>;
