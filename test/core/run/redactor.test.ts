import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor, secretsFromEnv } from '../../../src/core/redactor.js';
import { runOutcome } from '../../../src/core/run/run-outcome.js';

describe('secretsFromEnv', () => {
  it('finds secret-named vars, listed vars and URL passwords', () => {
    const env = {
      PGPASSWORD: 'hunter22',
      API_TOKEN: 'tok-123456',
      SLUICE_WAREHOUSE_URL: 'postgres://app:s3cr%21t@db:5432/wh',
      HOME: '/root',
      MY_DSN: 'plainvalue',
    };
    const secrets = secretsFromEnv(env, ['MY_DSN']);
    expect(secrets).toEqual(expect.arrayContaining(['hunter22', 'tok-123456', 's3cr%21t', 's3cr!t', 'plainvalue']));
    expect(secrets).not.toContain('/root');
  });
});

describe('Redactor', () => {
  const redactor = new Redactor(['hunter22', 'abc', 'postgres://u:hunter22@h/db']);
  it('replaces every occurrence, longest secret first, and ignores very short values', () => {
    expect(redactor.string('url=postgres://u:hunter22@h/db pw=hunter22 abc')).toBe(`url=${REDACTED} pw=${REDACTED} abc`);
  });
  it('redacts nested values without mutating them', () => {
    const input = { msg: 'pw hunter22', list: ['hunter22', 1], nested: { ok: true } };
    expect(redactor.value(input)).toEqual({ msg: `pw ${REDACTED}`, list: [REDACTED, 1], nested: { ok: true } });
    expect(input.msg).toBe('pw hunter22');
  });
});

describe('runOutcome', () => {
  it('is null while steps are pending or running, then FAILURE, CANCELED or SUCCESS', () => {
    expect(runOutcome([{ status: 'SUCCEEDED' }, { status: 'RUNNING' }], false)).toBeNull();
    expect(runOutcome([{ status: 'SUCCEEDED' }, { status: 'FAILED' }, { status: 'SKIPPED' }], false)).toBe('FAILURE');
    expect(runOutcome([{ status: 'SUCCEEDED' }, { status: 'CANCELED' }], false)).toBe('CANCELED');
    expect(runOutcome([{ status: 'FAILED' }], true)).toBe('CANCELED');
    expect(runOutcome([{ status: 'SUCCEEDED' }, { status: 'SUCCEEDED' }], false)).toBe('SUCCESS');
  });
});
