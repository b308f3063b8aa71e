import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redactor, secretsFromEnv } from '../../../src/core/redactor.js';
import { nessieCatalog } from '../../../src/integrations/nessie/nessie-catalog.js';
import { nessieConfigured } from '../../../src/integrations/nessie/nessie-client-from-env.js';
import { NessieClient } from '../../../src/integrations/nessie/nessie-client.js';
import { nessieEndpoint } from '../../../src/integrations/nessie/nessie-endpoint.js';
import { requireNessie, TEST_NESSIE_URI } from '../../fixtures/services.js';
import { NessieFaultProxy } from './nessie-fault-proxy.js';

describe('nessieCatalog resource', () => {
  const token = 'catalog-token-91b3e0';
  let proxy: NessieFaultProxy;

  beforeAll(async () => {
    await requireNessie();
    proxy = await NessieFaultProxy.start(TEST_NESSIE_URI);
  });

  afterAll(() => proxy?.close());

  it('is a frozen definition named nessie whose token is a declared secret', () => {
    expect(Object.isFrozen(nessieCatalog)).toBe(true);
    expect(nessieCatalog).toMatchObject({ kind: 'resource', name: 'nessie', secretEnv: ['SLUICE_NESSIE_TOKEN'] });
    const redactor = new Redactor(secretsFromEnv({ SLUICE_NESSIE_URI: proxy.url, SLUICE_NESSIE_TOKEN: token }, nessieCatalog.secretEnv));
    expect(redactor.string(`Authorization: Bearer ${token}`)).toBe('Authorization: Bearer [REDACTED]');
  });

  it('builds a client from SLUICE_NESSIE_URI and SLUICE_NESSIE_TOKEN that talks to the server with the token', async () => {
    const client = await nessieCatalog.create({ SLUICE_NESSIE_URI: proxy.url, SLUICE_NESSIE_TOKEN: token });
    expect(client).toBeInstanceOf(NessieClient);
    expect(client.endpoint).toBe(proxy.url);
    expect(client.authenticated).toBe(true);
    expect(await client.getReference('main')).toMatchObject({ type: 'BRANCH', name: 'main' });
    expect(proxy.requests.at(-1)?.authorization).toBe(`Bearer ${token}`);
  });

  it('still reads the older SLUICE_NESSIE_URL, and prefers SLUICE_NESSIE_URI when both are set', async () => {
    const old = await nessieCatalog.create({ SLUICE_NESSIE_URL: TEST_NESSIE_URI });
    expect(old.endpoint).toBe(TEST_NESSIE_URI);
    expect((await old.config()).maxSupportedApiVersion).toBe(2);
    const both = await nessieCatalog.create({ SLUICE_NESSIE_URI: proxy.url, SLUICE_NESSIE_URL: TEST_NESSIE_URI });
    expect(both.endpoint).toBe(proxy.url);
    expect(nessieConfigured({ SLUICE_NESSIE_URL: TEST_NESSIE_URI })).toBe(true);
    expect(nessieConfigured({ SLUICE_NESSIE_URI: ' ' })).toBe(false);
  });

  it('throws NESSIE_NOT_CONFIGURED naming SLUICE_NESSIE_URI when no URI is set', async () => {
    await expect(Promise.resolve().then(() => nessieCatalog.create({ SLUICE_NESSIE_TOKEN: token }))).rejects.toMatchObject({
      code: 'NESSIE_NOT_CONFIGURED',
      kind: 'input',
      message: expect.stringContaining('set SLUICE_NESSIE_URI'),
    });
  });

  it('completes a server or /api URL to the v2 root and refuses v1, non-HTTP and credentials in the URI, without echoing them', () => {
    expect(nessieEndpoint('http://localhost:19120')).toBe('http://localhost:19120/api/v2');
    expect(nessieEndpoint('http://localhost:19120/api/')).toBe('http://localhost:19120/api/v2');
    expect(nessieEndpoint('https://nessie.example.com/api/v2/')).toBe('https://nessie.example.com/api/v2');
    expect(nessieEndpoint('https://proxy.example.com/catalog/nessie/v2')).toBe('https://proxy.example.com/catalog/nessie/v2');
    expect(() => nessieEndpoint('http://localhost:19120/api/v1')).toThrow(/v1 API.*api\/v2/);
    expect(() => nessieEndpoint('ftp://localhost/api/v2')).toThrow(/not http or https/);
    expect(() => nessieEndpoint('localhost:19120')).toThrow(/SLUICE_NESSIE_URI/);
    const thrown = (() => {
      try {
        return nessieCatalog.create({ SLUICE_NESSIE_URI: 'http://etl:s3cretpass@localhost:19120/api/v2' });
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toMatchObject({ code: 'NESSIE_INVALID_URL', message: expect.stringContaining('put the bearer token in SLUICE_NESSIE_TOKEN') });
    expect(JSON.stringify({ message: (thrown as Error).message, data: (thrown as { data: unknown }).data })).not.toContain('s3cretpass');
  });
});
