import type { AssetKey } from '../asset/asset-key.js';
import type { PartitionMapping } from '../partitions/partition-mapping.js';
import type { PartitionsDefinition } from '../partitions/partitions-definition.js';
import type { AutomationCondition } from './automation-condition.js';

/** What automation needs of one asset of the graph. */
export interface AutomationAsset {
  readonly key: AssetKey;
  readonly deps: readonly AssetKey[];
  readonly partitions: PartitionsDefinition | undefined;
  readonly partitionMappings: Readonly<Record<AssetKey, PartitionMapping>>;
  readonly codeVersion: string | undefined;
  /** The names of the asset's checks. */
  readonly checks: readonly string[];
  /** Undefined: the asset is not automated (it is still a dep others read). */
  readonly automation: AutomationCondition | undefined;
}

/** The stored state of one (asset, partition). */
export interface PartitionState {
  /** The last final outcome of a step that materialized it. */
  readonly status: 'MATERIALIZED' | 'FAILED';
  /** Whether it was ever materialized (a failure after a success keeps it true). */
  readonly materialized: boolean;
  /** The id of its latest materialization event; 0 when older than every cursor (not known). */
  readonly lastMaterializationId: number;
}

/**
 * The state one evaluation sees. Partition keys are '' for unpartitioned assets. Maps are keyed by
 * asset key, then partition key (checks: asset, check, partition key, '' for a result of no partition).
 */
export interface AutomationSnapshot {
  readonly now: Date;
  readonly partitions: ReadonlyMap<AssetKey, ReadonlyMap<string, PartitionState>>;
  readonly inProgress: ReadonlyMap<AssetKey, ReadonlySet<string>>;
  readonly checks: ReadonlyMap<AssetKey, ReadonlyMap<string, ReadonlyMap<string, boolean>>>;
  /** Every materialization with an id up to this one has been read (the tracker reads only final ids, see its watermark). */
  readonly lastEventId: number;
}

/** What one evaluation leaves for the next, per automated asset. */
export interface AssetCursor {
  /** A fingerprint of the condition it was evaluated with; another one starts over (initial_evaluation). */
  readonly condition: string;
  readonly codeVersion: string | null;
  /** The partitions it requested. */
  readonly requested: readonly string[];
  /** Stateful nodes' true partitions (since, newly_true's operand), by node id. */
  readonly nodes: Readonly<Record<string, readonly string[]>>;
}

export interface AutomationCursor {
  readonly evaluatedAt: string;
  /** Materializations with a greater id are newly updated at the next evaluation. */
  readonly lastEventId: number;
  readonly assets: Readonly<Record<AssetKey, AssetCursor>>;
}

/** One node of an asset's evaluated condition: where it was evaluated and where it was true. */
export interface EvaluationNode {
  readonly id: string;
  readonly label: string;
  readonly kind: string;
  /** The asset the node was evaluated on (a dep's, under any/all_deps_match). */
  readonly asset: AssetKey;
  /** Under any/all_checks_match, the check. */
  readonly check?: string;
  /** The partitions it was evaluated for (key-set.ts: consecutive time-window keys as `from...to`). */
  readonly candidates: readonly string[];
  readonly candidateCount: number;
  /** Those of them where it was true (written the same way). */
  readonly trueKeys: readonly string[];
  readonly trueCount: number;
  readonly children: readonly EvaluationNode[];
}
