import type { AssetKey } from '../asset/asset-key.js';
import { partitionKeys } from '../partitions/partition-keys.js';
import type { PartitionsDefinition } from '../partitions/partitions-definition.js';
import type { AutomationAsset, AutomationSnapshot } from './automation-snapshot.js';
import { PartitionSet, PartitionSetBuilder, PartitionUniverse } from './partition-set.js';

/** What the snapshot says of one asset's partitions, as sets over its universe. */
export interface AssetFacts {
  readonly materialized: PartitionSet;
  readonly failed: PartitionSet;
  /** Materialized after `afterEventId` (the previous evaluation's last event id). */
  readonly newlyUpdated: PartitionSet;
  readonly inProgress: PartitionSet;
}

const UNPARTITIONED = new PartitionUniverse([''], false);

/**
 * What one evaluation computes once and shares between assets: each asset's universe (its
 * partition keys at `now`; assets with the same partitions share one object, so identity-mapped
 * deps are word-for-word bitset operations) and each asset's facts read from the snapshot.
 */
export class EvaluationScope {
  private readonly byDefinition = new Map<string, PartitionUniverse>();
  private readonly byObject = new Map<PartitionsDefinition, PartitionUniverse>();
  private readonly facts = new Map<AssetKey, AssetFacts>();

  constructor(
    private readonly snapshot: AutomationSnapshot,
    /** Undefined before the first evaluation: nothing is newly updated. */
    private readonly afterEventId: number | undefined,
  ) {}

  get now(): Date {
    return this.snapshot.now;
  }

  /** The asset's partition keys at `now` ([''] when unpartitioned). */
  universeOf(asset: AutomationAsset): PartitionUniverse {
    const def = asset.partitions;
    if (!def) return UNPARTITIONED;
    let universe = this.byObject.get(def);
    if (universe) return universe;
    const id = def.kind === 'static' ? `static\n${def.keys.join('\n')}` : `${def.cadence}\n${def.start}\n${def.timezone}\n${def.endOffset}`;
    universe = this.byDefinition.get(id);
    if (!universe) this.byDefinition.set(id, (universe = new PartitionUniverse(partitionKeys(def, this.snapshot.now), def.kind === 'time-window')));
    this.byObject.set(def, universe);
    return universe;
  }

  factsOf(asset: AutomationAsset): AssetFacts {
    let facts = this.facts.get(asset.key);
    if (facts) return facts;
    const universe = this.universeOf(asset);
    const materialized = new PartitionSetBuilder(universe);
    const failed = new PartitionSetBuilder(universe);
    const newlyUpdated = new PartitionSetBuilder(universe);
    const after = this.afterEventId ?? Number.POSITIVE_INFINITY;
    this.snapshot.partitions.get(asset.key)?.forEach((state, key) => {
      if (state.materialized) materialized.add(key);
      if (state.status === 'FAILED') failed.add(key);
      if (state.lastMaterializationId > after) newlyUpdated.add(key);
    });
    const running = this.snapshot.inProgress.get(asset.key);
    facts = {
      materialized: materialized.build(),
      failed: failed.build(),
      newlyUpdated: newlyUpdated.build(),
      inProgress: running && running.size > 0 ? PartitionSet.of(universe, running) : universe.empty,
    };
    this.facts.set(asset.key, facts);
    return facts;
  }
}
