import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NessieClient } from '../../../src/integrations/nessie/nessie-client.js';
import { TEST_NESSIE_URI } from '../../fixtures/services.js';
import { NessieFaultProxy } from './nessie-fault-proxy.js';
import { nessieError, TestRefs, uniqueRef } from './nessie-test-refs.js';
import { closedPort } from '../../fixtures/closed-port.js';


// How the real server's refusals, and the failures a proxy in front of it injects, reach callers.
describe('NessieClient errors', () => {
  const token = 'nessie-secret-token-4f7a9c';
  let refs: TestRefs;
  let client: NessieClient;
  let proxy: NessieFaultProxy;
  const ns = uniqueRef('e').replace('-', '_');

  beforeAll(async () => {
    refs = await TestRefs.open();
    client = refs.client;
    proxy = await NessieFaultProxy.start(TEST_NESSIE_URI);
  });

  afterAll(async () => {
    await refs?.cleanup();
    await proxy?.close();
  });

  it('names an unknown reference and suggests close names', async () => {
    const dev = await refs.branch('dev', await refs.mainLike());
    const typo = `${dev.name.slice(0, -1)}x`;
    const error = await nessieError(client.getReference(typo));
    expect(error.code).toBe('NESSIE_REFERENCE_NOT_FOUND');
    expect(error.message).toContain(`Nessie reference "${typo}" not found at ${TEST_NESSIE_URI}`);
    expect(error.message).toContain(`"${dev.name}"`);
    expect(error.message).toContain('check the name, or create the reference first');
    expect(error.data).toMatchObject({ reference: typo, status: 404, nessieErrorCode: 'REFERENCE_NOT_FOUND' });
    expect(error.data.suggestions).toContain(dev.name);
  });

  it('names the missing source of a merge, and a commit that is not on the source', async () => {
    const main = await refs.mainLike();
    const nope = uniqueRef('nope');
    const missing = await nessieError(client.merge({ from: nope, fromHash: 'abcdef0123456789', into: main.name, expectedHash: main.hash }));
    expect(missing).toMatchObject({ code: 'NESSIE_REFERENCE_NOT_FOUND', data: { reference: nope } });
    const dev = await refs.branch('dev', main);
    const commit = await nessieError(client.merge({ from: dev.name, fromHash: 'abcdef0123456789', into: main.name, expectedHash: main.hash }));
    expect(commit.code).toBe('NESSIE_COMMIT_NOT_FOUND');
    expect(commit.message).toContain(`commit abcdef012345 is not on Nessie reference "${dev.name}"`);
    expect(commit.data).toMatchObject({ reference: dev.name, hash: 'abcdef0123456789' });
  });

  it('refuses to create a reference whose name is taken', async () => {
    const main = await refs.mainLike();
    const error = await nessieError(client.createBranch(main.name, main));
    expect(error.code).toBe('NESSIE_REFERENCE_EXISTS');
    expect(error.message).toContain(`"${main.name}" already exists`);
  });

  it('explains a refused commit: a missing namespace, a key created in between, an update without the content id', async () => {
    const main = await refs.mainLike();
    const table = { type: 'ICEBERG_TABLE' as const, metadataLocation: 's3://w/t/metadata/1.json', snapshotId: 1, schemaId: 0, specId: 0, sortOrderId: 0 };
    const put = (hash: string) => client.commit(main.name, hash, { message: 'put t', operations: [{ type: 'PUT', key: [ns, 't'], content: table }] });
    const noNamespace = await nessieError(put(main.hash));
    expect(noNamespace.code).toBe('NESSIE_COMMIT_CONFLICT');
    expect(noNamespace.message).toContain('create the namespace first');
    expect(noNamespace.data.conflicts).toEqual([expect.objectContaining({ type: 'NAMESPACE_ABSENT', key: ns })]);

    const head = await refs.commitTable(main.name, [ns, 't'], 'v1');
    // Written as if the key were still new (at the hash before it existed): someone created it in between.
    const created = await nessieError(put(main.hash));
    expect(created.code).toBe('NESSIE_COMMIT_CONFLICT');
    expect(created.message).toContain(`Nessie refused commit "${ns}.t" to branch "${main.name}" on '${ns}.t'`);
    expect(created.message).toContain('read it and put the new content with its content id');
    expect(created.data.conflicts).toEqual([expect.objectContaining({ type: 'KEY_EXISTS', key: `${ns}.t` })]);
    const noId = await nessieError(put(head));
    expect(noId.code).toBe('NESSIE_BAD_REQUEST');
    expect(noId.message).toContain(`has no content ID`);
    expect(await refs.head(main.name)).toBe(head);
  });

  it('rejects invalid names, hashes and keys before sending anything', async () => {
    const through = new NessieClient({ url: proxy.url });
    const before = proxy.requests.length;
    await expect(through.getReference('../etc')).rejects.toMatchObject({ code: 'NESSIE_INVALID_REFERENCE_NAME' });
    await expect(through.deleteBranch('dev', 'not-a-hash')).rejects.toMatchObject({ code: 'NESSIE_INVALID_HASH' });
    await expect(through.createBranch('HEAD', 'main')).rejects.toMatchObject({ code: 'NESSIE_INVALID_REFERENCE_NAME' });
    await expect(through.getContent('main', [])).rejects.toMatchObject({ code: 'NESSIE_INVALID_CONTENT_KEY' });
    expect(proxy.requests.length).toBe(before);
  });

  it('reports an answer that is not the v2 shape, and 403, 503 and 500 answers, with codes and advice', async () => {
    const through = new NessieClient({ url: proxy.url });
    proxy.inject({ kind: 'respond', status: 200, body: '<html>login</html>' });
    expect(await nessieError(through.getReference('main'))).toMatchObject({ code: 'NESSIE_BAD_RESPONSE', kind: 'internal' });
    proxy.inject({ kind: 'respond', status: 403, body: { status: 403, reason: 'Forbidden', message: "'DELETE_REFERENCE' is not allowed for role 'etl'", errorCode: 'FORBIDDEN' } });
    const forbidden = await nessieError(through.getReference('main'));
    expect(forbidden.code).toBe('NESSIE_FORBIDDEN');
    expect(forbidden.message).toContain('is not allowed for role');
    proxy.inject({ kind: 'respond', status: 503, body: { status: 503, reason: 'Service Unavailable', message: 'backend down', errorCode: 'SERVICE_UNAVAILABLE' } });
    expect(await nessieError(through.config())).toMatchObject({ code: 'NESSIE_UNAVAILABLE', message: expect.stringContaining('retry later') });
    proxy.inject({ kind: 'respond', status: 500, body: { status: 500, reason: 'Internal Server Error', message: 'boom' } });
    expect(await nessieError(through.config())).toMatchObject({ code: 'NESSIE_SERVER_ERROR', kind: 'internal', data: { status: 500 } });
    // The proxy forwards again once the injected faults are used up.
    expect((await through.config()).maxSupportedApiVersion).toBe(2);
  });

  it('maps a server that does not answer in time to NESSIE_TIMEOUT, and a reset connection to NESSIE_UNREACHABLE', async () => {
    const through = new NessieClient({ url: proxy.url, timeoutMs: 300 });
    proxy.inject({ kind: 'hang' });
    const timeout = await nessieError(through.config());
    expect(timeout.code).toBe('NESSIE_TIMEOUT');
    expect(timeout.message).toContain(`Nessie at ${proxy.url} did not answer read the server configuration within 300 ms`);
    proxy.inject({ kind: 'reset' });
    const reset = await nessieError(through.getReference('main'));
    expect(reset.code).toBe('NESSIE_UNREACHABLE');
    expect(reset.message).toContain(`cannot reach Nessie at ${proxy.url} (get reference "main")`);
  });

  it('maps an unreachable server to NESSIE_UNREACHABLE naming the URL and SLUICE_NESSIE_URI', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/api/v2`;
    const error = await nessieError(new NessieClient({ url, token }).getReference('main'));
    expect(error.code).toBe('NESSIE_UNREACHABLE');
    expect(error.message).toContain(`cannot reach Nessie at ${url}`);
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).toContain('check SLUICE_NESSIE_URI and that the Nessie server is running');
    expect(error.message).not.toContain(token);
  });

  it('sends the token as a bearer token and keeps it out of errors, JSON and inspection', async () => {
    const through = new NessieClient({ url: proxy.url, token });
    expect((await through.getReference('main')).name).toBe('main');
    expect(proxy.requests.at(-1)?.authorization).toBe(`Bearer ${token}`);

    proxy.inject({ kind: 'respond', status: 401, body: '' });
    const unauthorized = await nessieError(through.config());
    expect(unauthorized.code).toBe('NESSIE_UNAUTHORIZED');
    expect(unauthorized.message).toContain('set SLUICE_NESSIE_TOKEN to a valid bearer token');

    proxy.inject({ kind: 'respond', status: 400, body: (req) => ({ status: 400, reason: 'Bad Request', message: `bad header ${req.headers.authorization}`, errorCode: 'BAD_REQUEST' }) });
    const echoed = await nessieError(through.config());
    expect(echoed.code).toBe('NESSIE_BAD_REQUEST');
    expect(echoed.message).toContain('bad header Bearer [REDACTED]');
    for (const text of [echoed.message, JSON.stringify(echoed.data), String(echoed.stack), JSON.stringify(through), inspect(through, { depth: 5, showHidden: true })]) {
      expect(text).not.toContain(token);
    }
    expect(through.authenticated).toBe(true);
  });
});
