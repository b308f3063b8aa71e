import { SluiceError } from '../errors.js';
import type { PartitionsDefinition } from '../partitions/partitions-definition.js';
import { isKnownTimezone } from '../time/zone-clock.js';

/**
 * A lag limit (Dagster's time-window FreshnessPolicy): the asset's newest data must be at most
 * `maxLagMinutes` old (FAIL beyond), and `warnAfterMinutes` old for a WARN first. How old: since
 * the last materialization (unpartitioned; per key for static partitions), or since the end of the
 * newest materialized partition's window (time windows: the data's own time).
 */
export interface FreshnessSpec {
  maxLagMinutes: number;
  /** Below maxLagMinutes: WARN from this lag on. */
  warnAfterMinutes?: number;
}

/** What a deadline's `partition` function is given. */
export interface DeadlineTickContext {
  /** The deadline's instant (a tick of its cron). */
  readonly deadline: Date;
  readonly timezone: string;
}

/**
 * A cron deadline: by each tick of `cron` (read in `timezone`) the partition due must be
 * materialized (FAIL after it; WARN `warnBeforeMinutes` before it while it is still missing).
 * Which partition is due: `partition(tick)` when given; else for a time-window asset its newest
 * partition at the tick (the day in progress with `endOffset: 1`, else the last complete one), for
 * a static one every key, and for an unpartitioned asset a materialization after the previous tick.
 */
export interface DeadlineSpec {
  cron: string;
  timezone: string;
  partition?: (tick: DeadlineTickContext) => string;
  warnBeforeMinutes?: number;
}

export interface FreshnessPolicy {
  readonly maxLagMinutes: number;
  readonly warnAfterMinutes: number | undefined;
}

export interface DeadlinePolicy {
  readonly cron: string;
  readonly timezone: string;
  readonly partition: ((tick: DeadlineTickContext) => string) | undefined;
  readonly warnBeforeMinutes: number | undefined;
}

function invalid(key: string, message: string): SluiceError {
  return new SluiceError('INVALID_DEFINITION', `${message} on asset "${key}"`, { key });
}

function positive(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

/** Validates `freshness` of asset `key` and returns it frozen. Throws INVALID_DEFINITION saying what to write. */
export function assertFreshness(spec: unknown, key: string): FreshnessPolicy {
  const s = spec as Partial<FreshnessSpec> | null;
  if (typeof s !== 'object' || s === null) throw invalid(key, 'freshness must be { maxLagMinutes, warnAfterMinutes? }');
  const extra = Object.keys(s).filter((k) => k !== 'maxLagMinutes' && k !== 'warnAfterMinutes');
  if (extra.length > 0) throw invalid(key, `freshness has unknown field(s) ${extra.join(', ')}: use maxLagMinutes and warnAfterMinutes`);
  if (!positive(s.maxLagMinutes)) throw invalid(key, `freshness.maxLagMinutes must be a positive number of minutes (got ${JSON.stringify(s.maxLagMinutes)})`);
  if (s.warnAfterMinutes !== undefined && !(positive(s.warnAfterMinutes) && s.warnAfterMinutes < s.maxLagMinutes)) {
    throw invalid(key, `freshness.warnAfterMinutes must be a positive number of minutes below maxLagMinutes (${s.maxLagMinutes}) (got ${JSON.stringify(s.warnAfterMinutes)})`);
  }
  return Object.freeze({ maxLagMinutes: s.maxLagMinutes, warnAfterMinutes: s.warnAfterMinutes });
}

const CRON_ALIAS = /^@(yearly|annually|monthly|weekly|daily|midnight|hourly)$/;

/**
 * Validates `deadline` of asset `key` (its cron's shape and time zone; croner compiles the cron
 * when the project loads) and returns it frozen. Throws INVALID_DEFINITION saying what to write.
 */
export function assertDeadline(spec: unknown, key: string, partitions: PartitionsDefinition | undefined): DeadlinePolicy {
  const s = spec as Partial<DeadlineSpec> | null;
  if (typeof s !== 'object' || s === null) throw invalid(key, "deadline must be { cron: '30 6 * * *', timezone: 'Europe/London', partition?, warnBeforeMinutes? }");
  const extra = Object.keys(s).filter((k) => !['cron', 'timezone', 'partition', 'warnBeforeMinutes'].includes(k));
  if (extra.length > 0) throw invalid(key, `deadline has unknown field(s) ${extra.join(', ')}: use cron, timezone, partition and warnBeforeMinutes`);
  const fields = typeof s.cron === 'string' ? s.cron.trim().split(/\s+/) : [];
  if (typeof s.cron !== 'string' || !(CRON_ALIAS.test(s.cron.trim()) || fields.length === 5 || fields.length === 6)) {
    throw invalid(key, `deadline.cron must be a cron pattern of 5 fields (6 with seconds first) such as '30 6 * * *' (got ${JSON.stringify(s.cron)})`);
  }
  if (typeof s.timezone !== 'string' || !isKnownTimezone(s.timezone)) {
    throw invalid(key, `deadline.timezone must be an IANA time zone such as 'Europe/London' or 'UTC' (got ${JSON.stringify(s.timezone)})`);
  }
  if (s.partition !== undefined) {
    if (typeof s.partition !== 'function') throw invalid(key, 'deadline.partition must be a function (tick) => partition key');
    if (!partitions) throw invalid(key, 'deadline.partition is given but the asset is not partitioned; remove it');
  }
  if (s.warnBeforeMinutes !== undefined && !positive(s.warnBeforeMinutes)) {
    throw invalid(key, `deadline.warnBeforeMinutes must be a positive number of minutes (got ${JSON.stringify(s.warnBeforeMinutes)})`);
  }
  return Object.freeze({ cron: s.cron.trim(), timezone: s.timezone, partition: s.partition, warnBeforeMinutes: s.warnBeforeMinutes });
}
