import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NessieClient } from '../../../src/integrations/nessie/nessie-client.js';
import { NessieError } from '../../../src/integrations/nessie/nessie-error.js';
import { NO_ANCESTOR } from './fake-nessie-repo.js';
import { FakeNessieServer } from './fake-nessie-server.js';

/** Rejects with the NessieError `promise` throws, or fails the test when it resolves. */
async function nessieError(promise: Promise<unknown>): Promise<NessieError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NessieError);
  return error as NessieError;
}

describe('NessieClient against a Nessie REST API v2 stand-in', () => {
  let server: FakeNessieServer;
  let client: NessieClient;

  beforeEach(async () => {
    server = await new FakeNessieServer().start();
    client = new NessieClient({ url: server.url });
  });

  afterEach(async () => {
    await server.stop();
  });

  it('reads the server configuration', async () => {
    const config = await client.config();
    expect(config).toMatchObject({ defaultBranch: 'main', maxSupportedApiVersion: 2 });
    expect(server.requests.at(-1)).toMatchObject({ method: 'GET', url: '/api/v2/config' });
  });

  it('creates, gets, lists and deletes branches and tags', async () => {
    const mainHead = server.repo.commit('main', 'load orders', ['db.orders']);
    const dev = await client.createBranch('dev', 'main');
    expect(dev).toEqual({ type: 'BRANCH', name: 'dev', hash: mainHead });
    const tag = await client.createTag('release_2026_01_01', dev);
    expect(tag).toEqual({ type: 'TAG', name: 'release_2026_01_01', hash: mainHead });
    expect(await client.getReference('dev')).toEqual(dev);

    const page = await client.listReferences();
    expect(page.references.map((r) => `${r.type}:${r.name}`)).toEqual(['BRANCH:dev', 'BRANCH:main', 'TAG:release_2026_01_01']);
    expect(page.hasMore).toBe(false);

    expect(await client.deleteTag('release_2026_01_01', mainHead)).toMatchObject({ type: 'TAG', name: 'release_2026_01_01' });
    expect(await client.deleteBranch('dev', mainHead)).toMatchObject({ type: 'BRANCH', name: 'dev' });
    expect((await client.allReferences()).map((r) => r.name)).toEqual(['main']);
    const deletion = server.requests.find((r) => r.method === 'DELETE' && r.url.includes('/trees/dev'));
    expect(deletion?.url).toBe(`/api/v2/trees/dev@${mainHead}?type=branch`);
  });

  it('pages through references with maxRecords and pageToken', async () => {
    for (const name of ['a1', 'a2', 'a3', 'a4']) await client.createBranch(name, 'main');
    const first = await client.listReferences({ maxRecords: 2 });
    expect(first.references.map((r) => r.name)).toEqual(['a1', 'a2']);
    expect(first.hasMore).toBe(true);
    const second = await client.listReferences({ maxRecords: 2, pageToken: first.token! });
    expect(second.references.map((r) => r.name)).toEqual(['a3', 'a4']);
    expect((await client.allReferences()).length).toBe(5);
  });

  it('addresses names with a slash as name@ so the server can route them', async () => {
    const created = await client.createBranch('team/dev', 'main');
    expect(await client.getReference('team/dev')).toEqual(created);
    expect(server.requests.at(-1)?.url).toBe('/api/v2/trees/team/dev@');
  });

  it('merges a branch into another with the expected hash and returns the new HEAD', async () => {
    server.repo.commit('main', 'init', ['db.orders']);
    const dev = await client.createBranch('dev', 'main');
    const devHead = server.repo.commit('dev', 'refresh orders', ['db.orders']);
    const main = await client.getReference('main');
    const result = await client.merge({ from: 'dev', fromHash: devHead, into: 'main', expectedHash: main.hash, message: 'promote' });
    expect(result.wasSuccessful).toBe(true);
    expect(result.commonAncestor).toBe(dev.hash);
    expect((await client.getReference('main')).hash).toBe(result.resultantTargetHash);
    expect(result.resultantTargetHash).not.toBe(main.hash);
    const merge = server.requests.find((r) => r.url.includes('/history/merge'));
    expect(merge?.url).toBe(`/api/v2/trees/main@${main.hash}/history/merge`);
  });

  it('maps a merge against a stale expected hash to NESSIE_REFERENCE_CONFLICT naming the branch and what to do', async () => {
    server.repo.commit('main', 'init', ['db.orders']);
    await client.createBranch('dev', 'main');
    const devHead = server.repo.commit('dev', 'refresh orders', ['db.orders']);
    const stale = (await client.getReference('main')).hash;
    const moved = server.repo.commit('main', 'hotfix orders', ['db.orders']);
    const error = await nessieError(client.merge({ from: 'dev', fromHash: devHead, into: 'main', expectedHash: stale }));
    expect(error.code).toBe('NESSIE_REFERENCE_CONFLICT');
    expect(error.kind).toBe('input');
    expect(error.message).toContain(`branch "main" moved since hash ${stale.slice(0, 12)}`);
    expect(error.message).toContain('re-read it and retry');
    expect(error.data).toMatchObject({ reference: 'main', expectedHash: stale, currentHash: moved, status: 409, nessieErrorCode: 'REFERENCE_CONFLICT' });
    expect((await client.getReference('main')).hash).toBe(moved);
  });

  it('maps a content conflict on an unmoved branch to NESSIE_MERGE_CONFLICT', async () => {
    server.repo.commit('main', 'init', ['db.orders']);
    await client.createBranch('dev', 'main');
    const devHead = server.repo.commit('dev', 'dev edits orders', ['db.orders']);
    server.repo.commit('main', 'main edits orders', ['db.orders']);
    const main = await client.getReference('main');
    const error = await nessieError(client.merge({ from: 'dev', fromHash: devHead, into: 'main', expectedHash: main.hash }));
    expect(error.code).toBe('NESSIE_MERGE_CONFLICT');
    expect(error.message).toContain("key 'db.orders'");
  });

  it('maps an unknown reference to NESSIE_REFERENCE_NOT_FOUND with a suggestion', async () => {
    await client.createBranch('dev', 'main');
    const error = await nessieError(client.getReference('deb'));
    expect(error.code).toBe('NESSIE_REFERENCE_NOT_FOUND');
    expect(error.message).toContain('Nessie reference "deb" not found');
    expect(error.message).toContain('(did you mean "dev"?)');
    expect(error.data).toMatchObject({ reference: 'deb', status: 404, nessieErrorCode: 'REFERENCE_NOT_FOUND', suggestions: ['dev'] });
  });

  it('names the missing source of a merge, not the target', async () => {
    const main = await client.getReference('main');
    const error = await nessieError(client.merge({ from: 'nope', fromHash: 'abcdef0123456789', into: 'main', expectedHash: main.hash }));
    expect(error.code).toBe('NESSIE_REFERENCE_NOT_FOUND');
    expect(error.data.reference).toBe('nope');
  });

  it('maps creating an existing reference to NESSIE_REFERENCE_EXISTS', async () => {
    await client.createBranch('dev', 'main');
    const error = await nessieError(client.createBranch('dev', 'main'));
    expect(error.code).toBe('NESSIE_REFERENCE_EXISTS');
    expect(error.message).toContain('"dev" already exists');
  });

  it('maps deleting a branch that moved to NESSIE_REFERENCE_CONFLICT and keeps the branch', async () => {
    const dev = await client.createBranch('dev', 'main');
    server.repo.commit('dev', 'work', ['db.t']);
    const error = await nessieError(client.deleteBranch('dev', dev.hash));
    expect(error.code).toBe('NESSIE_REFERENCE_CONFLICT');
    expect(error.message).toContain(`branch "dev" moved since hash ${dev.hash.slice(0, 12)}`);
    expect((await client.getReference('dev')).name).toBe('dev');
  });

  it('rejects invalid names and hashes before sending anything', async () => {
    const before = server.requests.length;
    await expect(client.getReference('../etc')).rejects.toMatchObject({ code: 'NESSIE_INVALID_REFERENCE_NAME' });
    await expect(client.deleteBranch('dev', 'not-a-hash')).rejects.toMatchObject({ code: 'NESSIE_INVALID_HASH' });
    await expect(client.createBranch('HEAD', 'main')).rejects.toMatchObject({ code: 'NESSIE_INVALID_REFERENCE_NAME' });
    expect(server.requests.length).toBe(before);
  });

  it('pages the commit log with maxRecords and pageToken, newest first', async () => {
    const hashes = [1, 2, 3, 4, 5].map((i) => server.repo.commit('main', `commit ${i}`));
    const first = await client.commitLog('main', { maxRecords: 2 });
    expect(first.logEntries.map((e) => e.commitMeta.message)).toEqual(['commit 5', 'commit 4']);
    expect(first.hasMore).toBe(true);
    const second = await client.commitLog('main', { maxRecords: 2, pageToken: first.token! });
    expect(second.logEntries.map((e) => e.commitMeta.hash)).toEqual([hashes[2], hashes[1]]);
    const all: string[] = [];
    for await (const entry of client.commits('main', { maxRecords: 2 })) all.push(entry.commitMeta.hash);
    expect(all).toEqual([...hashes].reverse());
    const fromThird = await client.commitLog('main', { hash: hashes[2]! });
    expect(fromThird.logEntries.map((e) => e.commitMeta.message)).toEqual(['commit 3', 'commit 2', 'commit 1']);
    expect(all).not.toContain(NO_ANCESTOR);
  });

  it('reports a server answer that is not the v2 shape as NESSIE_BAD_RESPONSE', async () => {
    server.failNext(200, '<html>login</html>');
    const error = await nessieError(client.getReference('main'));
    expect(error.code).toBe('NESSIE_BAD_RESPONSE');
    expect(error.kind).toBe('internal');
  });

  it('maps 403 and 503 answers to NESSIE_FORBIDDEN and NESSIE_UNAVAILABLE', async () => {
    server.failNext(403, { status: 403, reason: 'Forbidden', message: "'DELETE_REFERENCE' is not allowed for role 'etl' on reference 'main'", errorCode: 'FORBIDDEN' });
    const forbidden = await nessieError(client.deleteBranch('main', NO_ANCESTOR));
    expect(forbidden.code).toBe('NESSIE_FORBIDDEN');
    expect(forbidden.message).toContain('is not allowed for role');
    server.failNext(503, { status: 503, reason: 'Service Unavailable', message: 'backend down', errorCode: 'SERVICE_UNAVAILABLE' });
    expect((await nessieError(client.config())).code).toBe('NESSIE_UNAVAILABLE');
  });
});

describe('NessieClient authentication and transport errors', () => {
  const token = 'nessie-secret-token-4f7a9c';
  let server: FakeNessieServer;

  beforeAll(async () => {
    server = await new FakeNessieServer({ token }).start();
  });

  afterAll(async () => {
    await server.stop();
  });

  it('sends the bearer token in Authorization', async () => {
    const client = new NessieClient({ url: server.url, token });
    await client.getReference('main');
    expect(server.requests.at(-1)?.authorization).toBe(`Bearer ${token}`);
  });

  it('maps 401 to NESSIE_UNAUTHORIZED without the token in the message or data', async () => {
    const client = new NessieClient({ url: server.url, token: 'wrong-token-1234' });
    const error = await nessieError(client.getReference('main'));
    expect(error.code).toBe('NESSIE_UNAUTHORIZED');
    expect(error.message).toContain('SLUICE_NESSIE_TOKEN');
    expect(`${error.message} ${JSON.stringify(error.data)}`).not.toContain('wrong-token-1234');
  });

  it('keeps the token out of errors even when the server echoes it', async () => {
    const client = new NessieClient({ url: server.url, token });
    server.failNext(400, { status: 400, reason: 'Bad Request', message: `bad header Bearer ${token}`, errorCode: 'BAD_REQUEST' });
    const error = await nessieError(client.getReference('main'));
    expect(error.code).toBe('NESSIE_BAD_REQUEST');
    expect(error.message).toContain('[REDACTED]');
    expect(`${error.message} ${JSON.stringify(error.data)} ${String(error.stack)}`).not.toContain(token);
  });

  it('never shows the token when the client is logged or serialized', () => {
    const client = new NessieClient({ url: server.url, token });
    expect(JSON.stringify(client)).not.toContain(token);
    expect(inspect(client, { depth: 5, showHidden: true })).not.toContain(token);
    expect(client.authenticated).toBe(true);
  });

  it('maps an unreachable server to NESSIE_UNREACHABLE naming the URL and what to check', async () => {
    const stopped = await new FakeNessieServer().start();
    const url = stopped.url;
    await stopped.stop();
    const client = new NessieClient({ url, token });
    const error = await nessieError(client.getReference('main'));
    expect(error.code).toBe('NESSIE_UNREACHABLE');
    expect(error.message).toContain(`cannot reach Nessie at ${url}`);
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).toContain('SLUICE_NESSIE_URL');
    expect(error.message).not.toContain(token);
  });

  it('maps a server that does not answer in time to NESSIE_TIMEOUT', async () => {
    const { createServer } = await import('node:http');
    const silent = createServer(() => {
      /* never answers */
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const client = new NessieClient({ url: `http://127.0.0.1:${port}/api/v2`, timeoutMs: 200 });
      const error = await nessieError(client.config());
      expect(error.code).toBe('NESSIE_TIMEOUT');
      expect(error.message).toContain('within 200 ms');
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
