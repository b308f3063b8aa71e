import type { AssetKey } from '../asset/asset-key.js';
import { lastPartitionKey, partitionKeys } from '../partitions/partition-keys.js';
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
 * deps are word-for-word bitset operations) and each asset's facts read from the snapshot. Given
 * the scope of the evaluation the cursor comes from and the assets changed since its snapshot,
 * it takes over that scope's universes whose keys are the same at `now` and the facts of the
 * unchanged assets (nothing of theirs is newly updated: no materialization was read since).
 */
export class EvaluationScope {
  private readonly byDefinition = new Map<string, PartitionUniverse>();
  private readonly byObject = new Map<PartitionsDefinition, PartitionUniverse>();
  private readonly facts = new Map<AssetKey, AssetFacts>();

  constructor(
    private readonly snapshot: AutomationSnapshot,
    /** Undefined before the first evaluation: nothing is newly updated. */
    private readonly afterEventId: number | undefined,
    private prior?: { readonly scope: EvaluationScope; readonly changed: ReadonlySet<AssetKey> },
  ) {}

  /**
   * Once the evaluation is done: takes over the prior facts of unchanged assets it did not read
   * (for the next evaluation), then lets go of the prior scope (so scopes do not chain in memory).
   */
  detach(): void {
    if (this.prior) {
      const universes = new Set([UNPARTITIONED, ...this.byDefinition.values()]);
      for (const [key, facts] of this.prior.scope.facts) {
        if (!this.facts.has(key) && !this.prior.changed.has(key) && universes.has(facts.materialized.universe)) {
          this.facts.set(key, { ...facts, newlyUpdated: facts.materialized.universe.empty });
        }
      }
    }
    this.prior = undefined;
  }

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
    if (!universe) {
      // Time-window keys run from the start to the last key: the same last key, the same keys.
      const before = this.prior?.scope.byDefinition.get(id);
      const same = before && (def.kind === 'static' || (before.keys.at(-1) ?? null) === (lastPartitionKey(def, this.snapshot.now) ?? null));
      universe = same ? before : new PartitionUniverse(partitionKeys(def, this.snapshot.now), def.kind === 'time-window');
      this.byDefinition.set(id, universe);
    }
    this.byObject.set(def, universe);
    return universe;
  }

  factsOf(asset: AutomationAsset): AssetFacts {
    let facts = this.facts.get(asset.key);
    if (facts) return facts;
    const universe = this.universeOf(asset);
    const before = this.prior && !this.prior.changed.has(asset.key) ? this.prior.scope.facts.get(asset.key) : undefined;
    if (before && before.materialized.universe === universe) {
      facts = { ...before, newlyUpdated: universe.empty };
      this.facts.set(asset.key, facts);
      return facts;
    }
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
