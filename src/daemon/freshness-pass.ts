import type { AnyAssetDefinition } from '../core/asset/asset-definition.js';
import type { AlertDefinition } from '../core/alert/alert-definition.js';
import { freshnessEvent } from '../core/alert/alert-event.js';
import { evaluateDeadline, evaluateFreshness, type DeadlineTicks, type FreshnessResult, type MaterializedPartition } from '../core/freshness/evaluate-freshness.js';
import type { AssetGraph } from '../core/graph/asset-graph.js';
import { deliveriesFor } from '../execution/alerts/plan-alert-deliveries.js';
import { CronTicks } from '../scheduler/cron-ticks.js';
import type { FreshnessStateRecord, Instance } from '../storage/instance.js';

export interface FreshnessPassHost {
  readonly instance: Pick<Instance, 'eventLog' | 'freshness'>;
  readonly graph: AssetGraph;
  /** The alert policies: a change raises freshness_violation for those listening (none: results only). */
  readonly alerts: readonly AlertDefinition[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: Date;
}

export interface FreshnessPassResult {
  /** Verdicts that changed (written by this pass). */
  readonly changes: ReadonlyArray<FreshnessResult & { readonly before: string | null }>;
  readonly deliveries: number;
  /** Assets whose evaluation threw (a deadline's `partition` function), the others were evaluated. */
  readonly errors: ReadonlyArray<{ readonly assetKey: string; readonly error: unknown }>;
}

const cronCache = new Map<string, CronTicks>();

/** The deadline's ticks around `now`: the latest passed and the one before, and the next. */
export function deadlineTicks(cron: string, timezone: string, now: Date): DeadlineTicks {
  const key = `${timezone} ${cron}`;
  let ticks = cronCache.get(key);
  if (!ticks) cronCache.set(key, (ticks = new CronTicks(cron, timezone)));
  const latest = ticks.latest(2, new Date(0), now);
  return { last: latest.at(-1), previous: latest.length === 2 ? latest[0] : undefined, next: ticks.nextAfter(now) };
}

/** The assets of the graph with a freshness policy or a deadline. */
export function policedAssets(graph: AssetGraph): AnyAssetDefinition[] {
  return graph.keys().map((k) => graph.get(k)).filter((a) => a.freshness !== undefined || a.deadline !== undefined);
}

const id = (s: { assetKey: string; kind: string; partitionKey: string }) => `${s.assetKey}\u0000${s.kind}\u0000${s.partitionKey}`;

/**
 * One check of every freshness policy and deadline at `now`, while runs go on (it reads only the
 * committed partition states): each verdict (core/freshness) is compared with the stored one, and
 * a change is written with its history row and its freshness_violation deliveries in one
 * transaction, by compare-and-set on the stored verdict (FreshnessStorage.recordFreshnessChange).
 * A violation's key names it (asset, partition, the instant it is about, the level), so its alert
 * is written once whoever checks; a recovery is keyed by the violation it ends. A violation that
 * began before the store first checked the policy (a deadline missed before the daemon ever ran)
 * is recorded without an alert.
 */
export async function runFreshnessPass(host: FreshnessPassHost): Promise<FreshnessPassResult> {
  const assets = policedAssets(host.graph);
  if (assets.length === 0) return { changes: [], deliveries: 0, errors: [] };
  const keys = assets.map((a) => a.key);
  const byAsset = new Map<string, MaterializedPartition[]>();
  for (const row of await host.instance.eventLog.assetPartitions(keys)) {
    const list = byAsset.get(row.assetKey) ?? [];
    list.push({ partitionKey: row.partitionKey, materializedAt: row.materializedAt });
    byAsset.set(row.assetKey, list);
  }
  const storedStates = await host.instance.freshness.listFreshnessStates(keys);
  const stored = new Map<string, FreshnessStateRecord>(storedStates.map((s) => [id(s), s]));
  // Each asset's open deadline violations, judged again against their own deadline.
  const openDeadlines = new Map<string, Array<{ partitionKey: string; deadline: Date }>>();
  for (const s of storedStates) {
    if (s.kind !== 'deadline' || s.level === 'PASS' || s.deadline === null) continue;
    const list = openDeadlines.get(s.assetKey) ?? [];
    list.push({ partitionKey: s.partitionKey, deadline: s.deadline });
    openDeadlines.set(s.assetKey, list);
  }
  const firstChecks = await host.instance.freshness.firstChecks(keys);
  const changes: Array<FreshnessResult & { before: string | null }> = [];
  const errors: Array<{ assetKey: string; error: unknown }> = [];
  let deliveries = 0;
  for (const asset of assets) {
    let results: FreshnessResult[];
    try {
      const partitions = byAsset.get(asset.key) ?? [];
      const open = openDeadlines.get(asset.key) ?? [];
      results = [
        ...evaluateFreshness(asset, partitions, host.now),
        ...(asset.deadline ? evaluateDeadline(asset, partitions, deadlineTicks(asset.deadline.cron, asset.deadline.timezone, host.now), open, host.now) : []),
      ];
    } catch (error) {
      errors.push({ assetKey: asset.key, error });
      continue;
    }
    for (const result of results) {
      const before = stored.get(id(result));
      const same = before && before.level === result.level && before.violationKey === result.violationKey && (before.deadline?.getTime() ?? null) === (result.deadline?.getTime() ?? null);
      if (same) continue;
      // History raises nothing (as for the alert feed): a violation that began before this store
      // first checked the policy is recorded, not alerted, and neither is its recovery.
      const first = firstChecks.get(`${result.assetKey} ${result.kind}`) ?? host.now;
      const alertable = (about: Date | null) => about !== null && about.getTime() >= first.getTime();
      const raise = result.level !== 'PASS' ? alertable(result.about) : before !== undefined && before.level !== 'PASS' && alertable(before.about);
      const event = raise ? freshnessEvent(result, before?.violationKey ?? null, host.now) : undefined;
      const commit = await host.instance.freshness.recordFreshnessChange(
        {
          state: result,
          before: before ? { level: before.level, violationKey: before.violationKey } : null,
          deliveries: event ? deliveriesFor([event], host.alerts, host.graph, host.env) : [],
        },
        host.now,
      );
      if (!commit.committed) continue; // another checker wrote this change first
      deliveries += commit.inserted;
      changes.push({ ...result, before: before?.level ?? null });
    }
  }
  return { changes, deliveries, errors };
}
