/**
 * Wall-clock time in an IANA zone, as plain numbers: a wall time is encoded as the UTC epoch ms of
 * the same calendar fields (wall 2026-03-29 01:30 -> Date.UTC(2026, 2, 29, 1, 30)). Pure: the
 * answers depend on the zone database only, never on the clock or the host's zone.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timezone, f);
  }
  return f;
}

/** True when `timezone` is an IANA zone name this runtime knows (or `UTC`). */
export function isKnownTimezone(timezone: string): boolean {
  try {
    formatter(timezone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset (ms) at a whole-second instant: one Intl call, no memo. */
export function rawOffsetAt(timezone: string, wholeSecondMs: number): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timezone).formatToParts(new Date(wholeSecondMs))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall - wholeSecondMs;
}

const HOUR_MS = 3_600_000;
/** Per zone: hour bucket -> the offset throughout that hour, or null when it changes inside it. */
const hourOffsets = new Map<string, Map<number, number | null>>();

/** The zone's UTC offset at `instantMs`, in ms (+01:00 -> 3_600_000). Memoized per hour of the zone's history. */
export function offsetAt(timezone: string, instantMs: number): number {
  const whole = Math.floor(instantMs / 1000) * 1000;
  let byHour = hourOffsets.get(timezone);
  if (!byHour || byHour.size > 100_000) hourOffsets.set(timezone, (byHour = new Map()));
  const bucket = Math.floor(whole / HOUR_MS);
  let known = byHour.get(bucket);
  if (known === undefined) {
    // Offsets change at most once an hour, so equal ends mean one offset throughout.
    const start = rawOffsetAt(timezone, bucket * HOUR_MS);
    known = start === rawOffsetAt(timezone, (bucket + 1) * HOUR_MS - 1000) ? start : null;
    byHour.set(bucket, known);
  }
  return known ?? rawOffsetAt(timezone, whole);
}

/** The wall time (encoded) at `instantMs`. */
export function wallAt(timezone: string, instantMs: number): number {
  return instantMs + offsetAt(timezone, instantMs);
}

/** No zone moves its offset twice within this span, and no DST shift is larger. */
const SPAN = 15 * HOUR_MS;

/**
 * The first instant whose wall time is at or after `wallMs`. For a wall time that happens once
 * that is the instant itself; for one that happens twice (autumn fall-back) the first occurrence;
 * for one that does not exist (spring-forward gap) the instant the clocks jump, i.e. the first
 * valid time after the gap (01:30 on the day London skips 01:00-02:00 -> 02:00 BST, 01:00Z).
 * Monotonic in `wallMs`, so ascending wall ticks map to ascending (or equal) instants.
 */
export function firstInstantAtOrAfterWall(timezone: string, wallMs: number): number {
  const offsets = new Set([offsetAt(timezone, wallMs - SPAN), offsetAt(timezone, wallMs), offsetAt(timezone, wallMs + SPAN)]);
  const exact = [...offsets].map((o) => wallMs - o).filter((t) => wallAt(timezone, t) === wallMs);
  if (exact.length > 0) return Math.min(...exact);
  // In a gap: the jump happened between wallMs - before (wall still earlier) and wallMs - after.
  const sorted = [...offsets].sort((a, b) => a - b);
  let lo = wallMs - sorted[sorted.length - 1]!;
  let hi = wallMs - sorted[0]!;
  // Invariant: wall(lo) < wallMs <= wall(hi). Zone transitions fall on whole seconds.
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2000) * 1000;
    if (mid <= lo) break;
    if (wallAt(timezone, mid) < wallMs) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * The latest wall time (encoded) seen at or before `instantMs`. Usually the wall time at that
 * instant; in the repeated hour after a fall-back it is the wall time just before the clocks went
 * back, since those wall times have already happened once.
 */
export function latestWallUpTo(timezone: string, instantMs: number): number {
  const now = wallAt(timezone, instantMs);
  const before = offsetAt(timezone, instantMs - SPAN);
  const current = offsetAt(timezone, instantMs);
  if (before <= current) return now;
  // Wall times before the fall-back reach at most T + before; that exceeds `now` only while
  // instantMs < T + (before - current), i.e. when the offset `before - current` ago was still `before`.
  const delta = before - current;
  if (offsetAt(timezone, instantMs - delta) !== before) return now;
  // Whole seconds (zone transitions fall on them), so the search ends with hi = T exactly.
  let lo = Math.floor((instantMs - delta) / 1000) * 1000;
  let hi = Math.ceil(instantMs / 1000) * 1000;
  // Invariant: offset(lo) = before, offset(hi) < before; the fall-back T is in (lo, hi].
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2000) * 1000;
    if (mid <= lo) break;
    if (offsetAt(timezone, mid) === before) lo = mid;
    else hi = mid;
  }
  // Wall times up to (but excluding) hi + before have happened.
  return Math.max(now, hi + before - 1);
}

/** `2026-06-01T06:00:00+01:00`: the instant as ISO-8601 in the zone's wall time with its UTC offset (no ms unless non-zero). */
export function formatInZone(timezone: string, instantMs: number): string {
  const offset = offsetAt(timezone, instantMs);
  const wall = new Date(instantMs + offset).toISOString();
  const ms = instantMs % 1000 === 0 ? '' : wall.slice(19, 23);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset) / 60_000;
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${wall.slice(0, 19)}${ms}${sign}${hh}:${mm}`;
}
