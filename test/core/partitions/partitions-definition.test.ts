import { describe, expect, it } from 'vitest';
import { SluiceError } from '../../../src/core/errors.js';
import {
  assertPartitionsDefinition,
  dailyPartitions,
  describePartitions,
  hourlyPartitions,
  sameDefinition,
  staticPartitions,
} from '../../../src/core/partitions/index.js';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return error instanceof SluiceError ? error.code : 'not a SluiceError';
  }
  return undefined;
};

describe('partitions definitions', () => {
  it('returns frozen definitions with defaults', () => {
    const daily = dailyPartitions({ start: '2024-10-01' });
    expect(daily).toEqual({ kind: 'time-window', cadence: 'daily', start: '2024-10-01', timezone: 'UTC', endOffset: 0 });
    expect(Object.isFrozen(daily)).toBe(true);
    const hourly = hourlyPartitions({ start: '2024-10-01-05:00', timezone: 'Europe/London', endOffset: 1 });
    expect(hourly).toMatchObject({ cadence: 'hourly', timezone: 'Europe/London', endOffset: 1 });
    const regions = staticPartitions(['eu', 'us']);
    expect(Object.isFrozen(regions) && Object.isFrozen(regions.keys)).toBe(true);
    expect(regions.keys).toEqual(['eu', 'us']);
  });

  it.each([
    ['a malformed daily start', () => dailyPartitions({ start: '2024-10-1' })],
    ['an impossible date', () => dailyPartitions({ start: '2024-02-30' })],
    ['month 13', () => dailyPartitions({ start: '2024-13-01' })],
    ['an hourly start with minutes', () => hourlyPartitions({ start: '2024-10-01-05:30' })],
    ['a daily key as hourly start', () => hourlyPartitions({ start: '2024-10-01' })],
    ['an hourly start the clocks skip', () => hourlyPartitions({ start: '2026-03-29-01:00', timezone: 'Europe/London' })],
    ['an unknown timezone', () => dailyPartitions({ start: '2024-10-01', timezone: 'Mars/Olympus' })],
    ['a fractional endOffset', () => dailyPartitions({ start: '2024-10-01', endOffset: 0.5 })],
    ['no static keys', () => staticPartitions([])],
    ['duplicate static keys', () => staticPartitions(['eu', 'eu'])],
    ['a static key with a space', () => staticPartitions(['e u'])],
    ['a static key containing the range separator', () => staticPartitions(['a...b'])],
  ])('rejects %s with INVALID_PARTITIONS', (_, make) => {
    expect(codeOf(make)).toBe('INVALID_PARTITIONS');
  });

  it('says what was expected', () => {
    expect(() => dailyPartitions({ start: '10/01/2024' })).toThrow('dailyPartitions: invalid start "10/01/2024"; expected YYYY-MM-DD (e.g. "2024-10-01")');
    expect(() => hourlyPartitions({ start: '2024-10-01', timezone: 'Europe/Lundon' })).toThrow('unknown timezone "Europe/Lundon"');
    expect(() => staticPartitions(['eu', 'eu'])).toThrow('key "eu" is listed twice');
  });

  it('accepts static keys with dots, colons, @ and dashes', () => {
    expect(staticPartitions(['eu-west.1', 'a@b:c']).keys).toEqual(['eu-west.1', 'a@b:c']);
  });

  it('canonicalizes the timezone so equal zones compare equal', () => {
    expect(dailyPartitions({ start: '2024-10-01', timezone: 'utc' }).timezone).toBe('UTC');
    expect(sameDefinition(dailyPartitions({ start: '2024-10-01', timezone: 'utc' }), dailyPartitions({ start: '2024-10-01' }))).toBe(true);
  });

  it('compares definitions by value', () => {
    const a = dailyPartitions({ start: '2024-10-01', timezone: 'Europe/London' });
    expect(sameDefinition(a, dailyPartitions({ start: '2024-10-01', timezone: 'Europe/London' }))).toBe(true);
    expect(sameDefinition(a, dailyPartitions({ start: '2024-10-02', timezone: 'Europe/London' }))).toBe(false);
    expect(sameDefinition(a, dailyPartitions({ start: '2024-10-01' }))).toBe(false);
    expect(sameDefinition(a, dailyPartitions({ start: '2024-10-01', timezone: 'Europe/London', endOffset: 1 }))).toBe(false);
    expect(sameDefinition(a, hourlyPartitions({ start: '2024-10-01-00:00', timezone: 'Europe/London' }))).toBe(false);
    expect(sameDefinition(staticPartitions(['eu', 'us']), staticPartitions(['eu', 'us']))).toBe(true);
    expect(sameDefinition(staticPartitions(['eu', 'us']), staticPartitions(['us', 'eu']))).toBe(false);
    expect(sameDefinition(staticPartitions(['eu']), a)).toBe(false);
  });

  it('describes definitions for messages', () => {
    expect(describePartitions(dailyPartitions({ start: '2024-10-01', timezone: 'Europe/London' }))).toBe('daily from 2024-10-01 (Europe/London)');
    expect(describePartitions(hourlyPartitions({ start: '2024-10-01-00:00', endOffset: 1 }))).toBe('hourly from 2024-10-01-00:00 (UTC, endOffset 1)');
    expect(describePartitions(staticPartitions(['eu', 'us']))).toBe('static: eu, us');
    const many = staticPartitions(Array.from({ length: 12 }, (_, i) => `k${i}`));
    expect(describePartitions(many)).toBe('static: k0, k1, k2, k3, k4, k5, k6, k7, k8, k9 and 2 more');
  });

  it('normalizes a hand-written definition and rejects a foreign object', () => {
    const def = assertPartitionsDefinition({ kind: 'time-window', cadence: 'daily', start: '2024-10-01' }, 'partitions of asset "a"');
    expect(def).toEqual(dailyPartitions({ start: '2024-10-01' }));
    expect(Object.isFrozen(def)).toBe(true);
    expect(() => assertPartitionsDefinition({ kind: 'weekly' }, 'partitions of asset "a"')).toThrow('partitions of asset "a": not a partitions definition');
  });
});
