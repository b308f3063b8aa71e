import { SluiceError } from '../errors.js';

/**
 * Every tag Sluice sets on runs, in one place (Dagster's storage/tags.py is the model). The
 * `sluice/` prefix is Sluice's: a user's tags may not use it (assertUserTags), except the few a
 * user sets on purpose (USER_SETTABLE_TAGS).
 */
export const SYSTEM_TAG_PREFIX = 'sluice/';

/** The schedule that launched a run. */
export const SCHEDULE_TAG = 'sluice/schedule';
/** The tick's scheduled instant, ISO-8601 in UTC. */
export const SCHEDULED_FOR_TAG = 'sluice/scheduled_for';
/** The sensor that launched a run, and the run key it asked for (one run per sensor and key, ever). */
export const SENSOR_TAG = 'sluice/sensor';
export const RUN_KEY_TAG = 'sluice/run_key';
/** A re-execution's parent run, and the first run of its chain. */
export const PARENT_RUN_TAG = 'sluice/parent_run_id';
export const ROOT_RUN_TAG = 'sluice/root_run_id';
/** A partitioned run's partition key, or its range. */
export const PARTITION_TAG = 'sluice/partition';
export const PARTITION_RANGE_START_TAG = 'sluice/partition_range_start';
export const PARTITION_RANGE_END_TAG = 'sluice/partition_range_end';
/** Set (to `true`) on runs declarative automation launched. */
export const AUTOMATION_TAG = 'sluice/automation';
/**
 * Set (to `true`) on the run that records a materialization reported from outside Sluice (`sluice
 * assets report`, `POST /api/assets/:key/events`): the run queue never starts it; its reporter
 * writes its one step's outcome.
 */
export const EXTERNAL_TAG = 'sluice/external';
/** The backfill that launched a run. */
export const BACKFILL_TAG = 'sluice/backfill';
/** A run launched past a failed gating check upstream (--allow-failed-checks). */
export const ALLOW_FAILED_CHECKS_TAG = 'sluice/allow_failed_checks';
/** The run queue: higher starts first (an integer; default 0). A user may set it. */
export const PRIORITY_TAG = 'sluice/priority';
/** At most one unfinished run per value (a schedule's `overlap: 'queue'`). */
export const SERIAL_TAG = 'sluice/serial';
/** At most `sluice/concurrency_limit` unfinished runs per `sluice/concurrency_key` value (a backfill's --max-concurrent-runs). */
export const CONCURRENCY_KEY_TAG = 'sluice/concurrency_key';
export const CONCURRENCY_LIMIT_TAG = 'sluice/concurrency_limit';

/** The `sluice/` tags a user sets on purpose. */
export const USER_SETTABLE_TAGS: ReadonlySet<string> = new Set([PRIORITY_TAG]);

/** Throws RESERVED_TAG naming `where` when a user's tag uses the `sluice/` prefix (other than a settable one). */
export function assertUserTags(tags: Readonly<Record<string, string>>, where: string): void {
  for (const key of Object.keys(tags)) {
    if (key.startsWith(SYSTEM_TAG_PREFIX) && !USER_SETTABLE_TAGS.has(key)) {
      throw new SluiceError(
        'RESERVED_TAG',
        `${where}: tag "${key}" uses the sluice/ prefix, which Sluice's own tags use (it sets ${key} itself); pick another key, e.g. "${key.slice(SYSTEM_TAG_PREFIX.length)}"`,
        { tag: key, where },
      );
    }
  }
}
