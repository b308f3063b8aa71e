import { rawOffsetAt } from '../time/zone-clock.js';

/**
 * Where a zone's clocks jump forward (spring, or a skipped day like Samoa's 2011-12-30), found
 * cheaply enough to list years of hourly partitions: one Intl call per sample every few days, then a
 * binary search only where the offset changed. Pure: depends on the zone database only.
 *
 * Assumes a zone never moves its offset and back again within SAMPLE_MS (true of every zone in
 * use: the shortest such spell, Morocco's Ramadan suspension of DST, lasts weeks).
 */
export interface ForwardGap {
  /** The instant the clocks jump. */
  readonly at: number;
  /** Wall times in [from, to) do not happen (encoded as in zone-clock.ts). */
  readonly from: number;
  readonly to: number;
}

const SAMPLE_MS = 4 * 86_400_000;
/** Per zone: sample index -> offset at that sample. Memoized; bounded. */
const samples = new Map<string, Map<number, number>>();

/** The zone's offset (ms) at a whole-second instant: one Intl call. */
const offset = rawOffsetAt;

function sampleOffset(timezone: string, index: number): number {
  let byIndex = samples.get(timezone);
  if (!byIndex || byIndex.size > 50_000) samples.set(timezone, (byIndex = new Map()));
  let o = byIndex.get(index);
  if (o === undefined) {
    o = offset(timezone, index * SAMPLE_MS);
    byIndex.set(index, o);
  }
  return o;
}

/** Forward jumps of `timezone` at instants in [fromMs, toMs], oldest first. */
export function forwardGaps(timezone: string, fromMs: number, toMs: number): ForwardGap[] {
  const gaps: ForwardGap[] = [];
  const first = Math.floor(fromMs / SAMPLE_MS);
  const last = Math.ceil(toMs / SAMPLE_MS);
  let before = sampleOffset(timezone, first);
  for (let i = first + 1; i <= last; i++) {
    const after = sampleOffset(timezone, i);
    if (after > before) {
      // The jump is in ((i-1)*SAMPLE, i*SAMPLE]; zone transitions fall on whole seconds.
      let lo = (i - 1) * SAMPLE_MS;
      let hi = i * SAMPLE_MS;
      while (hi - lo > 1000) {
        const mid = Math.floor((lo + hi) / 2000) * 1000;
        if (mid <= lo) break;
        if (offset(timezone, mid) === before) lo = mid;
        else hi = mid;
      }
      gaps.push({ at: hi, from: hi + before, to: hi + after });
    }
    before = after;
  }
  return gaps;
}
