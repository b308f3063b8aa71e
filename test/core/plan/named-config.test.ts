import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SluiceError } from '../../../src/core/errors.js';
import { assertNoPlainSecrets } from '../../../src/core/plan/config-secrets.js';
import { envRefName, resolveEnvRefs } from '../../../src/core/plan/env-ref.js';
import { parseConfigRef, validateNamedConfig } from '../../../src/core/plan/named-config.js';
import { validateRunConfig } from '../../../src/core/plan/validate-run-config.js';
import { graphOf, noop } from '../../fixtures/graph.js';

const graph = graphOf([
  noop('warehouse', [], { config: z.object({ user: z.string(), password: z.string(), rows: z.number().default(10) }) }),
  noop('report', ['warehouse'], { config: z.object({ title: z.string().default('daily') }) }),
  noop('plain', []),
]);

function thrown(run: () => unknown): SluiceError {
  try {
    run();
  } catch (error) {
    if (error instanceof SluiceError) return error;
    throw error;
  }
  throw new Error('expected an error');
}

describe('env references', () => {
  it('recognizes {"env": VAR} and "env:VAR", and nothing else', () => {
    expect(envRefName({ env: 'DB_PW' })).toBe('DB_PW');
    expect(envRefName('env:DB_PW')).toBe('DB_PW');
    expect(envRefName({ env: 'DB_PW', other: 1 })).toBeUndefined();
    expect(envRefName({ env: 'not a name' })).toBeUndefined();
    expect(envRefName('env:')).toBeUndefined();
    expect(envRefName('prod env:X')).toBeUndefined();
    expect(envRefName(['env:X'])).toBeUndefined();
  });

  it('resolves references at any depth from the given env, leaving other values alone', () => {
    const config = { user: 'bob', password: { env: 'DB_PW' }, hosts: ['env:HOST_A', 'b'], rows: 3, nested: { token: 'env:TOKEN' } };
    const env = { DB_PW: 'hunter22', HOST_A: 'a.example', TOKEN: 't0k3n' };
    expect(resolveEnvRefs(config, env, { assetKey: 'warehouse' })).toEqual({
      user: 'bob',
      password: 'hunter22',
      hosts: ['a.example', 'b'],
      rows: 3,
      nested: { token: 't0k3n' },
    });
    expect(config.password).toEqual({ env: 'DB_PW' });
    expect(resolveEnvRefs(undefined, env, { assetKey: 'plain' })).toBeUndefined();
  });

  it('names the variable, the field, the asset and the named config when a variable is missing', () => {
    const error = thrown(() => resolveEnvRefs({ db: { password: 'env:DB_PW' } }, {}, { assetKey: 'warehouse', configRef: { name: 'prod', version: 3 } }));
    expect(error.code).toBe('MISSING_ENV_VAR');
    expect(error.message).toBe(
      'run config "prod@3" of asset "warehouse" refers to environment variable DB_PW (at db.password), which is not set in the process running the step; set it there (every worker that may run the step needs it)',
    );
  });

  it('validates a reference as a string and keeps it (as "env:VAR") in the parsed run config', () => {
    const parsed = validateRunConfig(graph, new Set(['warehouse']), { warehouse: { user: 'bob', password: { env: 'DB_PW' } } });
    expect(parsed).toEqual({ warehouse: { user: 'bob', password: 'env:DB_PW', rows: 10 } });
  });
});

describe('assertNoPlainSecrets', () => {
  it.each([
    [{ warehouse: { password: 'hunter22' } }, 'warehouse.password'],
    [{ a: { db_passwd: 'x' } }, 'a.db_passwd'],
    [{ a: { API_KEY: 'x' } }, 'a.API_KEY'],
    [{ a: { 'api-key': 'x' } }, 'a.api-key'],
    [{ a: { githubToken: 'x' } }, 'a.githubToken'],
    [{ a: { credentials: 'x' } }, 'a.credentials'],
    [{ a: { private_key: 'x' } }, 'a.private_key'],
    [{ a: { clientSecret: 'x' } }, 'a.clientSecret'],
    [{ a: { tokens: ['env:T1', 'plain'] } }, 'a.tokens[1]'],
  ])('rejects the plain string in %j at %s', (body, path) => {
    const error = thrown(() => assertNoPlainSecrets(body, 'run config "prod" (prod.json)'));
    expect(error.code).toBe('PLAIN_SECRET_IN_CONFIG');
    expect(error.message).toContain(`run config "prod" (prod.json): field "${path}" looks like a secret and holds a plain value`);
    expect(error.message).toContain('{"env": "VAR_NAME"} or "env:VAR_NAME"');
  });

  it('accepts env references under secret keys, and any value under other keys', () => {
    expect(() =>
      assertNoPlainSecrets({ a: { password: { env: 'PW' }, api_key: 'env:KEY', user: 'bob', token_ttl_s: 30, tokens: ['env:T'] } }, 'x'),
    ).not.toThrow();
  });
});

describe('validateNamedConfig', () => {
  const where = 'run config "prod" (prod.json)';

  it('accepts a config whose secrets are references, taking every asset it names as selected', () => {
    const body = { warehouse: { user: 'bob', password: { env: 'DB_PW' } }, report: {} };
    expect(validateNamedConfig(graph, 'prod', body, where)).toBe(body);
  });

  it('rejects a bad name, a non-object, plain secrets, unknown assets, assets without config and bad fields', () => {
    expect(thrown(() => validateNamedConfig(graph, 'bad name', {}, where)).code).toBe('INVALID_CONFIG_NAME');
    expect(thrown(() => validateNamedConfig(graph, 'prod', [1], where)).message).toBe(`${where} must be a JSON object keyed by asset key, e.g. {"raw/entries": {"days": 3}}`);
    expect(thrown(() => validateNamedConfig(graph, 'prod', { warehouse: { user: 'bob', password: 'pw12' } }, where)).code).toBe('PLAIN_SECRET_IN_CONFIG');
    expect(thrown(() => validateNamedConfig(graph, 'prod', { warehous: {} }, where)).message).toBe(`${where} names unknown asset "warehous" (did you mean "warehouse"?)`);
    expect(thrown(() => validateNamedConfig(graph, 'prod', { plain: {} }, where)).message).toBe(`${where} configures asset "plain", which takes no config`);
    expect(thrown(() => validateNamedConfig(graph, 'prod', { warehouse: { user: 'bob', password: 'env:PW', rows: 'many' } }, where)).message).toMatch(
      /^invalid config for asset "warehouse" in run config "prod" \(prod\.json\): field "rows": /,
    );
  });
});

describe('parseConfigRef', () => {
  it('reads NAME and NAME@VERSION', () => {
    expect(parseConfigRef('prod')).toEqual({ name: 'prod', version: undefined });
    expect(parseConfigRef('prod.eu-1@12')).toEqual({ name: 'prod.eu-1', version: 12 });
  });

  it.each(['', 'a b', 'prod@', 'prod@0', 'prod@x', 'prod@1.5', '@2'])('rejects %j', (text) => {
    expect(thrown(() => parseConfigRef(text)).code).toBe('INVALID_CONFIG_NAME');
  });
});
