import type { CatchupPolicy } from '../core/schedule/schedule-definition.js';
import type { CronTicks } from './cron-ticks.js';

/** A tick this old (or older) when first evaluated counts as missed rather than on time. */
export const ON_TIME_GRACE_MS = 60_000;

export interface DueTicks {
  /** Ticks to claim and launch now, ascending. */
  readonly launch: readonly Date[];
  /** The latest tick due at `now` (the new cursor), or undefined when none is due. */
  readonly cursor: Date | undefined;
}

/**
 * Which ticks of a RUNNING schedule to launch at `now`. Pure. The candidates are the ticks after
 * the cursor (the last instant evaluated) and not before `startedAt`, up to `now`:
 * - `latest`: the most recent of them;
 * - `all`: the most recent `max` of them;
 * - `none`: only the most recent, and only when it is on time (due less than ON_TIME_GRACE_MS
 *   ago): ticks missed while no scheduler ran are dropped.
 * Within one pass a scheduler that keeps up sees a single due tick, which every policy launches.
 */
export function dueTicks(
  ticks: CronTicks,
  catchup: { readonly policy: CatchupPolicy; readonly max: number },
  state: { readonly startedAt: Date; readonly cursor: Date | null },
  now: Date,
): DueTicks {
  // Ticks strictly after the cursor, and at or after startedAt.
  const floor = state.startedAt.getTime() - 1;
  const after = new Date(state.cursor ? Math.max(state.cursor.getTime(), floor) : floor);
  const count = catchup.policy === 'all' ? catchup.max : 1;
  const latest = ticks.latest(count, after, now);
  const cursor = latest[latest.length - 1];
  if (catchup.policy === 'none') {
    const onTime = cursor && now.getTime() - cursor.getTime() < ON_TIME_GRACE_MS;
    return { launch: onTime ? [cursor] : [], cursor };
  }
  return { launch: latest, cursor };
}
