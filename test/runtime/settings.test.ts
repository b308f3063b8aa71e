import { describe, expect, it } from 'vitest';
import { parsePools, parseTagLimits, readSettings } from '../../src/runtime/settings.js';

describe('settings', () => {
  it('reads the distributed settings with defaults', () => {
    const s = readSettings({ SLUICE_REDIS_URL: 'redis://r:6379', SLUICE_MAX_CONCURRENT_RUNS: '3', SLUICE_POOLS: 'dbt=1, api=4', SLUICE_TAG_CONCURRENCY: 'pipeline=promotion:1,team:2' }, { cwd: '/p' });
    expect(s).toMatchObject({
      projectDir: '/p',
      redisUrl: 'redis://r:6379',
      redisPrefix: '{sluice}',
      pools: { dbt: 1, api: 4 },
      limits: { maxConcurrentRuns: 3, tagLimits: [{ key: 'pipeline', value: 'promotion', limit: 1 }, { key: 'team', limit: 2 }] },
      lockDurationMs: 30_000,
    });
    expect(s.env.SLUICE_PROJECT).toBe('/p');
  });

  it.each([
    [{ SLUICE_MAX_CONCURRENT_RUNS: '0' }, /SLUICE_MAX_CONCURRENT_RUNS="0" is invalid: expected a whole number >= 1/],
    [{ SLUICE_POOLS: 'dbt' }, /"dbt" should be pool=limit/],
    [{ SLUICE_TAG_CONCURRENCY: 'pipeline=promotion' }, /should be key=value:limit or key:limit/],
    [{ SLUICE_REDIS_PREFIX: 'a:b' }, /must not contain ":"/],
    [{ SLUICE_LOG_LEVEL: 'loud' }, /SLUICE_LOG_LEVEL="loud" is not one of/],
  ])('rejects %j with a message naming the variable', (env, message) => {
    expect(() => readSettings(env, { cwd: '/' })).toThrow(message);
  });

  it('parses empty pools and limits as none', () => {
    expect(parsePools(undefined)).toEqual({});
    expect(parseTagLimits('')).toEqual([]);
  });
});
