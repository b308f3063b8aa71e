import { assertUserTags } from '../run/system-tags.js';
import { SluiceError } from '../errors.js';

export type ScheduleStatus = 'RUNNING' | 'STOPPED';
export type CatchupPolicy = 'latest' | 'all' | 'none';
export type OverlapPolicy = 'skip' | 'queue' | 'allow';

/** What `defineSchedule` takes. */
export interface ScheduleSpec {
  /** Unique in the project: letters, digits, `_`, `-`, `.`. */
  name: string;
  /** A croner pattern: 5 fields (minute precision) or 6 (a leading seconds field), or `@daily` and friends. */
  cron: string;
  /** IANA time zone the cron fields are read in, e.g. `Europe/London`, `UTC`. */
  timezone: string;
  /** Asset selection of each run (same syntax as `--select`). */
  select: string;
  /** Tags of each run (Sluice adds `sluice/schedule` and `sluice/scheduled_for`). */
  tags?: Record<string, string>;
  /** Run config of each run, keyed by asset key. */
  config?: Record<string, unknown>;
  /** Status until someone runs `sluice schedules start|stop` (default STOPPED). */
  defaultStatus?: ScheduleStatus;
  /** Which ticks missed while no daemon ran are launched (default `latest`; `all` up to `max`, default 5). */
  catchup?: { policy: CatchupPolicy; max?: number };
  /**
   * A tick while the previous run is unfinished (QUEUED included): `skip` (default) records a
   * SKIPPED tick, `queue` launches a run that starts after it, `allow` runs both. Pair catch-up
   * `all` with `queue` or `allow`, or its later ticks are skipped.
   */
  overlap?: OverlapPolicy;
  /**
   * The partition each tick's run materializes (a key, or `from...to`), for a selection with
   * partitioned assets, e.g. yesterday's day: `(tick) => shiftPartitionKey(days,
   * partitionKeyForInstant(days, tick.scheduledFor)!, -1)!`. Called when the tick is launched; a
   * throw or an invalid key makes the tick a FAILURE naming the error.
   */
  partition?: (tick: ScheduleTickContext) => string;
  description?: string;
}

/** What a schedule's `partition` function is given. */
export interface ScheduleTickContext {
  /** The tick's scheduled instant. */
  readonly scheduledFor: Date;
  /** The schedule's time zone. */
  readonly timezone: string;
}

/** A schedule: frozen data. Its cron and time zone are checked when the project is loaded. */
export interface ScheduleDefinition {
  readonly kind: 'schedule';
  readonly name: string;
  readonly cron: string;
  readonly timezone: string;
  readonly select: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly config: Readonly<Record<string, unknown>> | undefined;
  readonly defaultStatus: ScheduleStatus;
  readonly catchup: { readonly policy: CatchupPolicy; readonly max: number };
  readonly overlap: OverlapPolicy;
  readonly partition: ((tick: ScheduleTickContext) => string) | undefined;
  readonly description: string | undefined;
}

const NAME = /^[A-Za-z0-9_.-]+$/;
const TAG_KEY = /^[A-Za-z0-9_.\/-]+$/;
const DEFAULT_CATCHUP_MAX = 5;

function invalid(name: string, message: string): SluiceError {
  return new SluiceError('INVALID_DEFINITION', `schedule "${name}": ${message}`, { schedule: name });
}

function oneOf<T extends string>(name: string, field: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) throw invalid(name, `${field} must be one of ${allowed.map((a) => `"${a}"`).join(', ')} (got ${JSON.stringify(value)})`);
  return value as T;
}

/**
 * Declares a schedule. Returns frozen data and does nothing else: no timer, no registration.
 * Throws on a malformed name, selection, tag, status or policy; the cron pattern and time zone are
 * validated when the project loads (a load error naming the schedule and its file).
 */
export function defineSchedule(spec: ScheduleSpec): ScheduleDefinition {
  const name = spec?.name;
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new SluiceError('INVALID_DEFINITION', `invalid schedule name ${JSON.stringify(name)}: use letters, digits, "_", "-" or "."`, { schedule: name });
  }
  if (typeof spec.cron !== 'string' || spec.cron.trim() === '') throw invalid(name, 'cron must be a cron pattern such as "0 6 * * *"');
  if (typeof spec.timezone !== 'string' || spec.timezone.trim() === '') throw invalid(name, 'timezone must be an IANA time zone such as "Europe/London" or "UTC"');
  if (typeof spec.select !== 'string' || spec.select.trim() === '') throw invalid(name, 'select must be an asset selection such as "*" or "+key:publish"');
  const tags = { ...(spec.tags ?? {}) };
  for (const [k, v] of Object.entries(tags)) {
    if (!TAG_KEY.test(k) || typeof v !== 'string') throw invalid(name, `tag "${k}" must have a key of letters, digits, "_", "-", ".", "/" and a string value`);
  }
  assertUserTags(tags, `schedule "${name}"`);
  if (spec.config !== undefined && (typeof spec.config !== 'object' || spec.config === null || Array.isArray(spec.config))) {
    throw invalid(name, 'config must be an object keyed by asset key');
  }
  if (spec.partition !== undefined && typeof spec.partition !== 'function') throw invalid(name, 'partition must be a function (tick) => partition key');
  const defaultStatus = oneOf(name, 'defaultStatus', spec.defaultStatus, ['RUNNING', 'STOPPED'] as const, 'STOPPED');
  const overlap = oneOf(name, 'overlap', spec.overlap, ['skip', 'queue', 'allow'] as const, 'skip');
  const policy = oneOf(name, 'catchup.policy', spec.catchup?.policy, ['latest', 'all', 'none'] as const, 'latest');
  const max = spec.catchup?.max ?? DEFAULT_CATCHUP_MAX;
  if (!Number.isInteger(max) || max < 1) throw invalid(name, `catchup.max must be a whole number >= 1 (got ${JSON.stringify(spec.catchup?.max)})`);
  return Object.freeze({
    kind: 'schedule' as const,
    name,
    cron: spec.cron.trim(),
    timezone: spec.timezone.trim(),
    select: spec.select,
    tags: Object.freeze(tags),
    config: spec.config === undefined ? undefined : Object.freeze({ ...spec.config }),
    defaultStatus,
    catchup: Object.freeze({ policy, max }),
    overlap,
    partition: spec.partition,
    description: spec.description,
  });
}
