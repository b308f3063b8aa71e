import { firstInstantAtOrAfterWall, latestWallUpTo } from '../time/zone-clock.js';
import { cadenceOf, type CadenceRules } from './cadence.js';
import type { TimeWindowPartitionsDefinition } from './partitions-definition.js';
import { forwardGaps } from './zone-gaps.js';

/**
 * A time-window definition's windows, addressed by the wall time of their start ("wall" below,
 * encoded as in zone-clock.ts). Window `w` is [first instant at/after w, first instant at/after
 * w + step): in a zone with DST a day is 23 or 25 hours, the repeated autumn hour is one 2-hour
 * window, and a wall hour the clocks skip has an empty window and is not a partition at all.
 * UTC takes a pure-arithmetic path; other zones ask the zone database only around clock changes.
 */
export class TimeWindowCalendar {
  readonly rules: CadenceRules;
  readonly startWall: number;
  private readonly utc: boolean;

  constructor(readonly def: TimeWindowPartitionsDefinition) {
    this.rules = cadenceOf(def.cadence);
    this.startWall = this.rules.parse(def.start)!;
    this.utc = def.timezone === 'UTC';
  }

  /** [start, end) of window `wall`, as instants (ms). */
  window(wall: number): { start: number; end: number } {
    if (this.utc) return { start: wall, end: wall + this.rules.stepMs };
    return {
      start: firstInstantAtOrAfterWall(this.def.timezone, wall),
      end: firstInstantAtOrAfterWall(this.def.timezone, wall + this.rules.stepMs),
    };
  }

  /** False for a window the clocks skip entirely (its wall times never happen). */
  exists(wall: number): boolean {
    if (this.utc) return true;
    const { start, end } = this.window(wall);
    return start < end;
  }

  /** The wall of the window containing `instantMs`. */
  containing(instantMs: number): number {
    if (this.utc) return this.rules.floor(instantMs);
    // The latest wall time seen so far: inside a repeated autumn hour that is still that hour.
    return this.rules.floor(latestWallUpTo(this.def.timezone, instantMs));
  }

  /** The wall of the last partition at `nowMs`: the last fully ended window, moved by endOffset. */
  lastWall(nowMs: number): number {
    return this.shift(this.containing(nowMs), this.def.endOffset - 1);
  }

  /** Walls in [from, to] (aligned to the cadence) whose window is empty, ascending. */
  skipped(from: number, to: number): number[] {
    if (this.utc || to < from) return [];
    const step = this.rules.stepMs;
    const out: number[] = [];
    // Instants whose wall time can fall in [from, to + step]: offsets are within +-26 hours.
    const margin = 26 * 3_600_000;
    for (const gap of forwardGaps(this.def.timezone, from - margin, to + step + margin)) {
      // Window w is empty exactly when [w, w + step) lies inside the skipped wall times.
      const firstAligned = this.rules.floor(gap.from + step - 1);
      for (let w = Math.max(from, firstAligned); w + step <= gap.to && w <= to; w += step) {
        if (out.length === 0 || out[out.length - 1]! < w) out.push(w);
      }
    }
    return out;
  }

  /** The wall `windows` partitions after (negative: before) `wall`, skipping empty windows. */
  shift(wall: number, windows: number): number {
    const step = this.rules.stepMs;
    const dir = Math.sign(windows);
    let pos = wall;
    let remaining = Math.abs(windows);
    while (remaining > 0) {
      const next = pos + dir * remaining * step;
      // Moving `remaining` walls passed over some empty windows; move on by that many more.
      remaining = dir > 0 ? this.skipped(pos + step, next).length : this.skipped(next, pos - step).length;
      pos = next;
    }
    return pos;
  }

  /** Keys of the existing windows with walls in [from, to], oldest first. */
  keys(from: number, to: number): string[] {
    const step = this.rules.stepMs;
    const skipped = this.skipped(from, to);
    const keys: string[] = [];
    let s = 0;
    for (let w = from; w <= to; w += step) {
      if (s < skipped.length && skipped[s] === w) {
        s++;
        continue;
      }
      keys.push(this.rules.toKey(w));
    }
    return keys;
  }
}

const calendars = new WeakMap<TimeWindowPartitionsDefinition, TimeWindowCalendar>();

/** The (memoized) calendar of a frozen definition. */
export function calendarOf(def: TimeWindowPartitionsDefinition): TimeWindowCalendar {
  let c = calendars.get(def);
  if (!c) calendars.set(def, (c = new TimeWindowCalendar(def)));
  return c;
}
