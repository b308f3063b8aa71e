import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAsset } from '../../../src/core/asset/define-asset.js';
import { retryDelayMs } from '../../../src/core/asset/retry-policy.js';
import { SluiceError } from '../../../src/core/errors.js';
import { dailyPartitions, timeWindowPartitionMapping } from '../../../src/core/partitions/index.js';

describe('defineAsset', () => {
  it('returns frozen data with defaults and dep keys from definitions', () => {
    const raw = defineAsset({ key: 'raw/entries', materialize: () => {} });
    const stg = defineAsset({ key: 'stg_entries', deps: [raw, 'raw/entries'], tags: { pii: 'no' }, materialize: () => {} });
    expect(Object.isFrozen(stg)).toBe(true);
    expect(Object.isFrozen(stg.deps)).toBe(true);
    expect(stg).toMatchObject({ kind: 'asset', key: 'stg_entries', group: 'default', deps: ['raw/entries'], tags: { pii: 'no' }, kinds: [] });
  });

  it.each([['raw//entries'], ['raw/entr ies'], [''], ['/raw'], ['raw/'], ['a.b']])('rejects the malformed key %j', (key) => {
    expect(() => defineAsset({ key, materialize: () => {} })).toThrow(/invalid asset key/);
  });

  it('rejects a malformed dep naming its position', () => {
    expect(() => defineAsset({ key: 'a', deps: ['ok', 'bad key'], materialize: () => {} })).toThrow('invalid asset key "bad key" in deps[1] of asset "a"');
  });

  it('rejects a bad retry policy and timeout', () => {
    expect(() => defineAsset({ key: 'a', retry: { attempts: 0 }, materialize: () => {} })).toThrow(SluiceError);
    expect(() => defineAsset({ key: 'a', timeoutMs: -1, materialize: () => {} })).toThrow('timeoutMs on asset "a" must be a positive number');
  });

  it('types ctx.config from the zod schema', () => {
    const asset = defineAsset({
      key: 'a',
      config: z.object({ days: z.number().default(3) }),
      materialize: (ctx) => {
        const days: number = ctx.config.days;
        return { metadata: { days } };
      },
    });
    expect(asset.config?.safeParse({})).toEqual({ success: true, data: { days: 3 } });
  });
});

describe('retryDelayMs', () => {
  it('is fixed or doubles per attempt, with jitter within bounds', () => {
    expect(retryDelayMs({ attempts: 3, backoff: { type: 'fixed', delayMs: 100 } }, 3, 0.5)).toBe(100);
    expect(retryDelayMs({ attempts: 4, backoff: { type: 'exponential', delayMs: 100 } }, 2, 0.5)).toBe(100);
    expect(retryDelayMs({ attempts: 4, backoff: { type: 'exponential', delayMs: 100 } }, 4, 0.5)).toBe(400);
    expect(retryDelayMs({ attempts: 2, backoff: { type: 'fixed', delayMs: 100 }, jitter: 0.5 }, 2, 0)).toBe(50);
    expect(retryDelayMs({ attempts: 2, backoff: { type: 'fixed', delayMs: 100 }, jitter: 0.5 }, 2, 0.999)).toBe(150);
    expect(retryDelayMs({ attempts: 2 }, 2, 0.3)).toBe(0);
  });
});

describe('defineAsset partitions', () => {
  it('is unpartitioned with no mappings by default', () => {
    const asset = defineAsset({ key: 'a', materialize: () => {} });
    expect(asset.partitions).toBeUndefined();
    expect(asset.partitionMappings).toEqual({});
    expect(Object.isFrozen(asset.partitionMappings)).toBe(true);
  });

  it('keeps partitions and mappings by upstream key as frozen data', () => {
    const partitions = dailyPartitions({ start: '2024-10-01' });
    const asset = defineAsset({
      key: 'stg/entries',
      deps: ['raw/entries'],
      partitions,
      partitionMappings: { 'raw/entries': timeWindowPartitionMapping({ startOffset: -1, endOffset: -1 }) },
      materialize: () => {},
    });
    expect(asset.partitions).toEqual(partitions);
    expect(asset.partitionMappings).toEqual({ 'raw/entries': { kind: 'time-window', startOffset: -1, endOffset: -1 } });
    expect(Object.isFrozen(asset.partitionMappings)).toBe(true);
  });

  it('rejects a mapping for a key that is not a dep, naming both', () => {
    const define = () =>
      defineAsset({ key: 'stg/entries', deps: ['raw/entries'], partitionMappings: { 'raw/entrys': timeWindowPartitionMapping() }, materialize: () => {} });
    expect(define).toThrow(SluiceError);
    expect(define).toThrow('partitionMappings of asset "stg/entries" names "raw/entrys", which is not one of its deps (raw/entries)');
  });

  it('rejects a malformed partitions definition or mapping', () => {
    expect(() => defineAsset({ key: 'a', partitions: { kind: 'weekly' } as never, materialize: () => {} })).toThrow('partitions of asset "a": not a partitions definition');
    expect(() => defineAsset({ key: 'a', deps: ['b'], partitionMappings: { b: { kind: 'latest' } as never }, materialize: () => {} })).toThrow(
      'partitionMappings["b"] of asset "a": not a partition mapping',
    );
  });
});
