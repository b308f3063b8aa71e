import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redactor, secretsFromEnv } from '../../../src/core/redactor.js';
import { nessieCatalog } from '../../../src/integrations/nessie/nessie-catalog.js';
import { NessieClient } from '../../../src/integrations/nessie/nessie-client.js';
import { nessieEndpoint } from '../../../src/integrations/nessie/nessie-endpoint.js';
import { FakeNessieServer } from './fake-nessie-server.js';

describe('nessieCatalog resource', () => {
  const token = 'catalog-token-91b3e0';
  let server: FakeNessieServer;

  beforeAll(async () => {
    server = await new FakeNessieServer({ token }).start();
  });

  afterAll(async () => {
    await server.stop();
  });

  it('is a frozen definition named nessie whose token is a declared secret', () => {
    expect(Object.isFrozen(nessieCatalog)).toBe(true);
    expect(nessieCatalog).toMatchObject({ kind: 'resource', name: 'nessie', secretEnv: ['SLUICE_NESSIE_TOKEN'] });
    const env = { SLUICE_NESSIE_URL: server.url, SLUICE_NESSIE_TOKEN: token };
    const redactor = new Redactor(secretsFromEnv(env, nessieCatalog.secretEnv));
    expect(redactor.string(`Authorization: Bearer ${token}`)).toBe('Authorization: Bearer [REDACTED]');
  });

  it('builds a client from SLUICE_NESSIE_URL and SLUICE_NESSIE_TOKEN that authenticates', async () => {
    const client = await nessieCatalog.create({ SLUICE_NESSIE_URL: server.url, SLUICE_NESSIE_TOKEN: token });
    expect(client).toBeInstanceOf(NessieClient);
    expect(client.endpoint).toBe(server.url);
    expect(await client.getReference('main')).toMatchObject({ type: 'BRANCH', name: 'main' });
    expect(server.requests.at(-1)?.authorization).toBe(`Bearer ${token}`);
  });

  it('without a token, the server refuses and the error says to set SLUICE_NESSIE_TOKEN', async () => {
    const client = await nessieCatalog.create({ SLUICE_NESSIE_URL: server.url });
    expect(client.authenticated).toBe(false);
    await expect(client.config()).rejects.toMatchObject({ code: 'NESSIE_UNAUTHORIZED', message: expect.stringContaining('SLUICE_NESSIE_TOKEN') });
  });

  it('throws NESSIE_NOT_CONFIGURED naming the variable when the URL is missing', async () => {
    await expect(Promise.resolve().then(() => nessieCatalog.create({ SLUICE_NESSIE_TOKEN: token }))).rejects.toMatchObject({
      code: 'NESSIE_NOT_CONFIGURED',
      kind: 'input',
      message: expect.stringContaining('SLUICE_NESSIE_URL'),
    });
  });

  it('completes a server or /api URL to the v2 root and refuses v1, non-HTTP and credentials in the URL', () => {
    expect(nessieEndpoint('http://localhost:19120')).toBe('http://localhost:19120/api/v2');
    expect(nessieEndpoint('http://localhost:19120/api/')).toBe('http://localhost:19120/api/v2');
    expect(nessieEndpoint('https://nessie.example.com/api/v2/')).toBe('https://nessie.example.com/api/v2');
    expect(nessieEndpoint('https://proxy.example.com/catalog/nessie/v2')).toBe('https://proxy.example.com/catalog/nessie/v2');
    expect(() => nessieEndpoint('http://localhost:19120/api/v1')).toThrow(/v1 API.*api\/v2/);
    expect(() => nessieEndpoint('ftp://localhost/api/v2')).toThrow(/not http or https/);
    expect(() => nessieEndpoint('localhost:19120')).toThrow(/SLUICE_NESSIE_URL/);
    let thrown: unknown;
    try {
      nessieEndpoint('http://user:s3cretpass@localhost:19120/api/v2');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'NESSIE_INVALID_URL', message: expect.stringContaining('SLUICE_NESSIE_TOKEN') });
    expect(String((thrown as Error).message)).not.toContain('s3cretpass');
  });
});
