import type { AutomationCursor, AutomationSnapshot, PartitionState } from '../core/automation/automation-snapshot.js';
import type { AssetGraph } from '../core/graph/asset-graph.js';
import { advanceFeedCursor, type FeedCursor } from '../execution/sensor-feed.js';
import type { Instance } from '../storage/instance.js';

const PAGE = 10_000;

/** The states a load reads (no materialization id known), one object each: a store holds hundreds of thousands of them. */
const LOADED: Record<string, PartitionState> = Object.fromEntries(
  (['MATERIALIZED', 'FAILED'] as const).flatMap((status) => [true, false].map((materialized) => [`${status}:${materialized}`, Object.freeze({ status, materialized, lastMaterializationId: 0 })])),
);

function loadedState(status: PartitionState['status'], materialized: boolean): PartitionState {
  return LOADED[`${status}:${materialized}`]!;
}

/**
 * The state automation evaluates, kept in memory between evaluations and brought up to date
 * incrementally: each refresh reads only the materializations and check results after the ids it
 * last read, the asset partitions whose state changed since its last read (a step that failed),
 * and the asset steps of runs in progress; it notes which assets changed, so the evaluation can
 * carry over the others. `load` rebuilds it from storage (at daemon start, or when another daemon
 * saved an evaluation this one did not make).
 */
export class AutomationTracker {
  private readonly partitions = new Map<string, Map<string, PartitionState>>();
  private readonly checks = new Map<string, Map<string, Map<string, boolean>>>();
  /** How far the materializations and check results were read (id), and up to which id they are final (safe). */
  private materializationFeed: FeedCursor = { id: 0, safe: 0, seen: [] };
  private checkFeed: FeedCursor = { id: 0, safe: 0, seen: [] };
  private statesReadAt: Date | undefined;
  private inProgress = new Map<string, Set<string>>();
  private readonly partitionKeys = new Map<string, string>();
  /** Assets whose state changed since the last clearChanges(); undefined: not known (since a load). */
  private changedAssets: Set<string> | undefined;
  /** The evaluatedAt of the cursor the state was loaded or last advanced from. */
  loadedFor: string | null = null;

  constructor(private readonly instance: Instance) {}

  /** Rebuilds from storage: every stored partition state, the latest check results, and the cursor's last event id. */
  async load(graph: AssetGraph, cursor: AutomationCursor | null, now: Date): Promise<void> {
    this.partitions.clear();
    this.checks.clear();
    this.inProgress = new Map();
    this.changedAssets = undefined;
    for (const row of await this.instance.eventLog.assetPartitions()) {
      this.put(row.assetKey, row.partitionKey, loadedState(row.status, row.materializedAt !== null));
    }
    const marks = await this.instance.automation.feedWatermarks();
    // Materializations after the cursor are read (with their ids) by the next refresh: they are newly
    // updated. The cursor's id was read under the watermark, so it is final. With no cursor the feed
    // starts at the newest id, as the alert feed does (the first evaluation updates nothing anyway).
    const start = cursor ? Math.min(cursor.lastEventId, marks.materialization.maxEventId) : marks.materialization.maxEventId;
    this.materializationFeed = { id: start, safe: start, seen: [] };
    for (const result of await this.instance.eventLog.latestCheckResults(graph.keys())) this.putCheck(result.assetKey, result.checkName, result.partitionKey ?? '', result.passed);
    this.checkFeed = { id: marks.checkResult.maxEventId, safe: marks.checkResult.maxEventId, seen: [] };
    this.statesReadAt = now;
    this.loadedFor = cursor?.evaluatedAt ?? null;
  }

  /** Reads what changed since the last refresh (or load) and returns the snapshot to evaluate at `now`. */
  async refresh(graph: AssetGraph, now: Date): Promise<AutomationSnapshot> {
    // Only ids no transaction in flight can still commit below (the sensor feeds' guard): a
    // materialization committed late, below one already visible, is read at a later refresh, and
    // is newly updated then, once.
    const marks = await this.instance.automation.feedWatermarks();
    this.materializationFeed = advanceFeedCursor(this.materializationFeed, marks.materialization, now.getTime());
    this.checkFeed = advanceFeedCursor(this.checkFeed, marks.checkResult, now.getTime());
    for (let feed = this.materializationFeed; feed.id < feed.safe; ) {
      const page = await this.instance.automation.materializationsAfter(feed.id, PAGE, feed.safe);
      for (const m of page) {
        this.put(m.assetKey, m.partitionKey, { status: 'MATERIALIZED', materialized: true, lastMaterializationId: m.id });
        this.changedAssets?.add(m.assetKey);
      }
      feed = this.materializationFeed = { ...feed, id: page.length < PAGE ? feed.safe : page.at(-1)!.id };
    }
    for (let feed = this.checkFeed; feed.id < feed.safe; ) {
      const page = await this.instance.automation.checkResultsAfter(feed.id, PAGE, feed.safe);
      for (const c of page) {
        this.putCheck(c.assetKey, c.checkName, c.partitionKey, c.passed);
        this.changedAssets?.add(c.assetKey);
      }
      feed = this.checkFeed = { ...feed, id: page.length < PAGE ? feed.safe : page.at(-1)!.id };
    }
    // Failures leave no materialization: read the partition states written since the last read
    // (a minute of overlap for writers whose clocks lag), keeping what the materializations said.
    const since = new Date((this.statesReadAt ?? new Date(0)).getTime() - 60_000);
    for (const row of await this.instance.automation.partitionStatesSince(since)) {
      const known = this.partitions.get(row.assetKey)?.get(row.partitionKey);
      const materialized = row.materialized || (known?.materialized ?? false);
      if (known?.status === row.status && known.materialized === materialized) continue;
      this.put(row.assetKey, row.partitionKey, { status: row.status, materialized, lastMaterializationId: known?.lastMaterializationId ?? 0 });
      this.changedAssets?.add(row.assetKey);
    }
    this.statesReadAt = now;
    const inProgress = new Map<string, Set<string>>();
    for (const step of await this.instance.automation.inProgressSteps()) {
      for (const key of step.assetKeys) {
        let set = inProgress.get(key);
        if (!set) inProgress.set(key, (set = new Set()));
        const partitioned = graph.has(key) && graph.get(key).partitions !== undefined;
        for (const p of partitioned ? (step.partitions ?? []) : ['']) set.add(p);
      }
    }
    for (const key of new Set([...inProgress.keys(), ...this.inProgress.keys()])) {
      const [was, is] = [this.inProgress.get(key), inProgress.get(key)];
      if (was?.size !== is?.size || [...(is ?? [])].some((p) => !was!.has(p))) this.changedAssets?.add(key);
    }
    this.inProgress = inProgress;
    return { now, partitions: this.partitions, inProgress, checks: this.checks, lastEventId: this.materializationFeed.id };
  }

  /**
   * The assets whose partitions, check results or runs in progress changed since the last
   * clearChanges() (as refreshes read them); undefined when not known (the state was loaded since).
   */
  get changed(): ReadonlySet<string> | undefined {
    return this.changedAssets;
  }

  /** Starts counting changes afresh: called once an evaluation of the last refresh's snapshot is saved. */
  clearChanges(): void {
    this.changedAssets = new Set();
  }

  private put(asset: string, partition: string, state: PartitionState): void {
    let map = this.partitions.get(asset);
    if (!map) this.partitions.set(asset, (map = new Map()));
    // One string per partition key, not one per row read (a two-year daily asset has 731 keys, read for every asset).
    let key = this.partitionKeys.get(partition);
    if (key === undefined) this.partitionKeys.set(partition, (key = partition));
    map.set(key, state);
  }

  private putCheck(asset: string, check: string, partition: string, passed: boolean): void {
    let byCheck = this.checks.get(asset);
    if (!byCheck) this.checks.set(asset, (byCheck = new Map()));
    let byPartition = byCheck.get(check);
    if (!byPartition) byCheck.set(check, (byPartition = new Map()));
    byPartition.set(partition, passed);
  }
}
