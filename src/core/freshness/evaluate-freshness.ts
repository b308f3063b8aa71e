import type { AnyAssetDefinition } from '../asset/asset-definition.js';
import { SluiceError } from '../errors.js';
import { hasPartitionKey, lastPartitionKey, partitionTimeWindow } from '../partitions/partition-keys.js';

export type FreshnessLevel = 'PASS' | 'WARN' | 'FAIL';
export type FreshnessKind = 'freshness' | 'deadline';

/** One (asset, partition) as storage knows it: when it was last materialized ('' = unpartitioned). */
export interface MaterializedPartition {
  readonly partitionKey: string;
  readonly materializedAt: Date | null;
}

/** The deadline's ticks around `now` (from its cron, computed by the daemon). */
export interface DeadlineTicks {
  /** The latest tick at or before now, and the one before it. */
  readonly last: Date | undefined;
  readonly previous: Date | undefined;
  /** The first tick after now. */
  readonly next: Date | undefined;
}

/** A stored open result the evaluation must look at again (a violation stays open until it recovers). */
export interface OpenDeadline {
  readonly partitionKey: string;
  readonly deadline: Date;
}

/**
 * The verdict on one (asset, kind, partition) at `now`. `violationKey` names the violation
 * (asset, partition, the instant it is about, the level): the same violation always has the same
 * key, whoever evaluates it, so it is raised once; null when PASS.
 */
export interface FreshnessResult {
  readonly assetKey: string;
  readonly kind: FreshnessKind;
  /** '' for an unpartitioned asset, and for a time-window asset's lag (asset-level). */
  readonly partitionKey: string;
  readonly level: FreshnessLevel;
  readonly violationKey: string | null;
  /** The instant the violation began (the deadline; for a lag, when it crossed the limit); null when PASS. */
  readonly about: Date | null;
  /** The deadline this is about (deadline kind). */
  readonly deadline: Date | null;
  /** Minutes since the data's time (freshness kind). */
  readonly lagMinutes: number | null;
  /** One line for pages and messages. */
  readonly summary: string;
}

const MINUTE = 60_000;
const LEVELS: Record<FreshnessLevel, number> = { PASS: 0, WARN: 1, FAIL: 2 };

/** The worse of two levels. */
export function worseLevel(a: FreshnessLevel, b: FreshnessLevel): FreshnessLevel {
  return LEVELS[a] >= LEVELS[b] ? a : b;
}

function violation(asset: string, kind: FreshnessKind, partition: string, about: Date, level: FreshnessLevel): string | null {
  return level === 'PASS' ? null : `${kind}:${asset}:${partition}:${about.toISOString()}:${level}`;
}

/**
 * The lag verdicts of an asset with a `freshness` policy. Lag: since the last materialization
 * (unpartitioned; each key of a static asset), or since the end of the newest materialized
 * partition's window (time windows: the data's own time, as Dagster's policies read it). Never
 * materialized: no verdict (nothing to measure; a deadline is the tool for "must exist by").
 */
export function evaluateFreshness(asset: AnyAssetDefinition, partitions: readonly MaterializedPartition[], now: Date): FreshnessResult[] {
  const policy = asset.freshness;
  if (!policy) return [];
  const bases: Array<{ partitionKey: string; since: Date }> = [];
  const done = partitions.filter((p) => p.materializedAt !== null);
  if (asset.partitions?.kind === 'time-window') {
    const newest = done.map((p) => p.partitionKey).sort().at(-1);
    if (newest !== undefined) bases.push({ partitionKey: '', since: partitionTimeWindow(asset.partitions, newest).end });
  } else {
    for (const p of done) bases.push({ partitionKey: p.partitionKey, since: p.materializedAt! });
  }
  return bases.map(({ partitionKey, since }) => {
    const lag = Math.max(0, (now.getTime() - since.getTime()) / MINUTE);
    const level: FreshnessLevel = lag >= policy.maxLagMinutes ? 'FAIL' : policy.warnAfterMinutes !== undefined && lag >= policy.warnAfterMinutes ? 'WARN' : 'PASS';
    const limit = level === 'FAIL' ? policy.maxLagMinutes : policy.warnAfterMinutes;
    return {
      assetKey: asset.key,
      kind: 'freshness' as const,
      partitionKey,
      level,
      violationKey: violation(asset.key, 'freshness', partitionKey, since, level),
      about: level === 'PASS' ? null : new Date(since.getTime() + limit! * MINUTE),
      deadline: null,
      lagMinutes: Math.round(lag * 10) / 10,
      summary: `${Math.round(lag)} min since ${since.toISOString()}${level === 'PASS' ? '' : ` (limit ${limit} min)`}`,
    };
  });
}

/**
 * The partitions a deadline at `tick` requires ('' = unpartitioned: a materialization after the
 * previous tick). Throws what `deadline.partition` throws, and INVALID_PARTITION when it gives a
 * key that is not a partition of the asset at the tick.
 */
export function duePartitions(asset: AnyAssetDefinition, tick: Date): string[] {
  const deadline = asset.deadline!;
  if (!asset.partitions) return [''];
  if (deadline.partition) {
    const key = deadline.partition({ deadline: tick, timezone: deadline.timezone });
    if (typeof key !== 'string' || !hasPartitionKey(asset.partitions, key, tick)) {
      throw new SluiceError('INVALID_PARTITION', `deadline.partition of asset "${asset.key}" gave ${JSON.stringify(key)} for the deadline ${tick.toISOString()}, which is not one of its partitions then; return a key of its partitions`, { key: asset.key, partition: key });
    }
    return [key];
  }
  if (asset.partitions.kind === 'static') return [...asset.partitions.keys];
  const newest = lastPartitionKey(asset.partitions, tick);
  return newest === undefined ? [] : [newest];
}

/**
 * The deadline verdicts of an asset with a `deadline`: for the latest tick passed, each partition
 * due then is PASS once materialized (an unpartitioned asset: after the previous tick), else FAIL;
 * within `warnBeforeMinutes` of the next tick, each partition due then and still missing is WARN;
 * every violation still open (`open`) is looked at again against its own deadline until it
 * recovers. One verdict per partition: the worst.
 */
export function evaluateDeadline(asset: AnyAssetDefinition, partitions: readonly MaterializedPartition[], ticks: DeadlineTicks, open: readonly OpenDeadline[], now: Date): FreshnessResult[] {
  const deadline = asset.deadline;
  if (!deadline) return [];
  const materialized = new Map(partitions.filter((p) => p.materializedAt !== null).map((p) => [p.partitionKey, p.materializedAt!]));
  const out = new Map<string, FreshnessResult>();
  const judge = (partitionKey: string, tick: Date, previous: Date | undefined, missingLevel: FreshnessLevel) => {
    const at = materialized.get(partitionKey);
    const met = at !== undefined && (partitionKey !== '' || previous === undefined || at.getTime() > previous.getTime());
    const level: FreshnessLevel = met ? 'PASS' : missingLevel;
    const what = partitionKey === '' ? 'a materialization' : `partition ${partitionKey}`;
    const result: FreshnessResult = {
      assetKey: asset.key,
      kind: 'deadline',
      partitionKey,
      level,
      violationKey: violation(asset.key, 'deadline', partitionKey, tick, level),
      about: level === 'PASS' ? null : level === 'WARN' ? new Date(tick.getTime() - deadline.warnBeforeMinutes! * MINUTE) : tick,
      deadline: tick,
      lagMinutes: null,
      summary: met ? `${what} by ${tick.toISOString()}: ${at!.getTime() <= tick.getTime() ? 'met' : `landed ${Math.round((at!.getTime() - tick.getTime()) / MINUTE)} min late`}` : `${what} due by ${tick.toISOString()} ${level === 'FAIL' ? 'is missing' : `is not there yet (${Math.max(0, Math.round((tick.getTime() - now.getTime()) / MINUTE))} min left)`}`,
    };
    const before = out.get(partitionKey);
    if (!before || LEVELS[result.level] > LEVELS[before.level] || (result.level === before.level && tick.getTime() > before.deadline!.getTime())) out.set(partitionKey, result);
  };
  for (const o of open) if (o.deadline.getTime() <= now.getTime()) judge(o.partitionKey, o.deadline, previousOf(o, ticks), 'FAIL');
  if (ticks.last) for (const p of duePartitions(asset, ticks.last)) judge(p, ticks.last, ticks.previous, 'FAIL');
  if (ticks.next && deadline.warnBeforeMinutes !== undefined && ticks.next.getTime() - now.getTime() <= deadline.warnBeforeMinutes * MINUTE) {
    for (const p of duePartitions(asset, ticks.next)) judge(p, ticks.next, ticks.last, 'WARN');
  }
  return [...out.values()];
}

/** An open unpartitioned violation of the latest tick is measured from the tick before it; older ones were superseded by the latest tick. */
function previousOf(open: OpenDeadline, ticks: DeadlineTicks): Date | undefined {
  return ticks.last && open.deadline.getTime() === ticks.last.getTime() ? ticks.previous : undefined;
}
