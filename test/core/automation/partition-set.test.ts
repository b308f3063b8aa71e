import { describe, expect, it } from 'vitest';
import { PartitionSet, PartitionUniverse } from '../../../src/core/automation/partition-set.js';

// 40 days: more than one 32-bit word.
const days = Array.from({ length: 40 }, (_, i) => new Date(Date.UTC(2030, 0, 1 + i)).toISOString().slice(0, 10));
const universe = new PartitionUniverse(days, true);
const of = (...keys: string[]) => PartitionSet.of(universe, keys);

describe('partition sets', () => {
  it('computes and / or / minus across word boundaries, keeping keys outside the universe beside', () => {
    const a = of(days[0]!, days[31]!, days[32]!, '2031-01-01');
    const b = of(days[31]!, days[39]!, '2031-01-01', '2031-02-01');
    expect(a.and(b).keys()).toEqual([days[31], '2031-01-01']);
    expect(a.or(b).keys()).toEqual([days[0], days[31], days[32], days[39], '2031-01-01', '2031-02-01']);
    expect(a.minus(b).keys()).toEqual([days[0], days[32]]);
    expect(universe.full.minus(a).size).toBe(37);
    expect(universe.full.size).toBe(40);
    expect(a.has('2031-01-01')).toBe(true);
    expect(a.has(days[1]!)).toBe(false);
  });

  it('writes runs of consecutive keys as ranges and reads them back, also after the keys moved on', () => {
    const set = of(...days.slice(2, 35), days[37]!, 'old');
    const stored = set.compact();
    expect(stored).toEqual([`${days[2]}...${days[34]}`, days[37], 'old']);
    expect(PartitionSet.parse(universe, stored).keys()).toEqual(set.keys());
    // A later universe (the first days dropped): a range whose start is gone still covers what is left of it.
    const later = new PartitionUniverse(days.slice(5), true);
    expect(PartitionSet.parse(later, stored).universeKeys()).toEqual([...days.slice(5, 35), days[37]]);
    expect(PartitionSet.parse(universe, universe.full.compact()).keys()).toEqual(days);
  });
});
