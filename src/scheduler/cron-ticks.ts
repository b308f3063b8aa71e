import { Cron } from 'croner';
import { SluiceError } from '../core/errors.js';
import { firstInstantAtOrAfterWall, isKnownTimezone, latestWallUpTo } from '../core/time/zone-clock.js';

/** A cron pattern or time zone that croner or the zone database rejects. */
export class InvalidCronError extends SluiceError {
  constructor(field: 'cron' | 'timezone', value: string, reason: string) {
    super('INVALID_SCHEDULE', `invalid ${field} "${value}": ${reason}`, { field, value });
  }
}

/**
 * The tick instants of one cron pattern in one time zone, computed by croner. Pure: every query
 * takes its reference instant as an argument.
 *
 * Croner matches the pattern on wall-clock fields (it runs on an encoded wall timeline, in UTC, so
 * its own DST handling never applies); each matching wall time becomes one instant:
 * - a wall time that happens once: that instant;
 * - a wall time that happens twice (the repeated hour when clocks go back): its first occurrence
 *   only, so a daily 01:30 Europe/London runs once, at 01:30 BST; an every-minute pattern does not
 *   run again through the repeated hour;
 * - a wall time that does not exist (the hour skipped when clocks go forward): the first valid
 *   time after the gap (01:30 Europe/London on the spring-forward day -> 02:00 BST = 01:00Z, as
 *   Vixie cron does); several skipped wall times collapse into that one tick.
 * Fixed offsets, including half-hour zones such as Asia/Kolkata (+05:30), are exact.
 */
export class CronTicks {
  readonly #cron: Cron;

  /** Throws InvalidCronError naming what croner or the zone database said. */
  constructor(
    readonly pattern: string,
    readonly timezone: string,
  ) {
    if (!isKnownTimezone(timezone)) throw new InvalidCronError('timezone', timezone, 'not an IANA time zone (e.g. "Europe/London", "UTC")');
    try {
      this.#cron = new Cron(pattern, { utcOffset: 0, mode: '5-or-6-parts', paused: true });
    } catch (error) {
      throw new InvalidCronError('cron', pattern, error instanceof Error ? error.message : String(error));
    }
    if (this.#cron.nextRun(new Date(0)) === null) throw new InvalidCronError('cron', pattern, 'it never matches');
  }

  /** The first tick strictly after `after`, or undefined when the pattern matches no later time. */
  nextAfter(after: Date): Date | undefined {
    // Wall times up to latestWallUpTo have happened; the next tick is the next wall match after
    // them (firstInstantAtOrAfterWall is monotonic, so its instant is after `after`).
    let wall = latestWallUpTo(this.timezone, after.getTime());
    for (;;) {
      const next = this.#cron.nextRun(new Date(wall));
      if (next === null) return undefined;
      const instant = firstInstantAtOrAfterWall(this.timezone, next.getTime());
      if (instant > after.getTime()) return new Date(instant);
      // Only a gap collapsing onto an instant not after `after` lands here; move past it.
      wall = next.getTime();
    }
  }

  /** Up to `count` ticks strictly after `after`, ascending. */
  next(count: number, after: Date): Date[] {
    const out: Date[] = [];
    let cursor = after;
    while (out.length < count) {
      const tick = this.nextAfter(cursor);
      if (!tick) break;
      out.push(tick);
      cursor = tick;
    }
    return out;
  }

  /** Ticks in (after, until], ascending, at most `limit` (the earliest ones). */
  between(after: Date, until: Date, limit = Number.POSITIVE_INFINITY): Date[] {
    const out: Date[] = [];
    let cursor = after;
    while (out.length < limit) {
      const tick = this.nextAfter(cursor);
      if (!tick || tick.getTime() > until.getTime()) break;
      out.push(tick);
      cursor = tick;
    }
    return out;
  }

  /** The last `count` ticks in (after, until], ascending: searched backwards in growing windows, so a long gap costs no full walk. */
  latest(count: number, after: Date, until: Date): Date[] {
    if (count < 1 || until.getTime() <= after.getTime()) return [];
    for (let window = 3_600_000; ; window *= 4) {
      const start = Math.max(after.getTime(), until.getTime() - window);
      const found = this.between(new Date(start), until);
      if (found.length >= count || start === after.getTime()) return found.slice(-count);
    }
  }
}
