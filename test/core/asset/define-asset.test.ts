import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAsset } from '../../../src/core/asset/define-asset.js';
import { retryDelayMs } from '../../../src/core/asset/retry-policy.js';
import { SluiceError } from '../../../src/core/errors.js';

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
