import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeNessieServer } from './fake-nessie-server.js';

/**
 * The stand-in must reject what the real Nessie v2 API rejects; otherwise the client tests could
 * pass against a contract Nessie does not have. These requests bypass the client on purpose.
 */
describe('FakeNessieServer strictness', () => {
  let server: FakeNessieServer;
  let main = '';

  beforeAll(async () => {
    server = await new FakeNessieServer().start();
    main = server.repo.commit('main', 'init', ['db.t']);
    server.repo.create('dev', 'BRANCH', 'main', undefined);
    server.repo.commit('dev', 'work', ['db.u']);
  });

  afterAll(async () => {
    await server.stop();
  });

  const call = async (method: string, path: string, body?: unknown, contentType = 'application/json') => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': contentType },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('refuses a delete or merge without the expected hash (400 BAD_REQUEST)', async () => {
    const del = await call('DELETE', '/trees/dev?type=branch');
    expect(del).toMatchObject({ status: 400, body: { status: 400, reason: 'Bad Request', errorCode: 'BAD_REQUEST', message: 'Must provide expected hash value for operation.' } });
    const merge = await call('POST', '/trees/main/history/merge', { fromRefName: 'dev', fromHash: main });
    expect(merge.status).toBe(400);
  });

  it('refuses a merge without fromHash, and a body that is not JSON', async () => {
    expect((await call('POST', `/trees/main@${main}/history/merge`, { fromRefName: 'dev' })).status).toBe(400);
    expect((await call('POST', `/trees/main@${main}/history/merge`, 'fromRefName=dev', 'text/plain')).body).toMatchObject({ status: 415, errorCode: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('refuses creating without a type or a source reference, and invalid names', async () => {
    expect((await call('POST', '/trees?name=x', { type: 'BRANCH', name: 'main' })).status).toBe(400);
    expect((await call('POST', '/trees?name=x&type=branch', {})).status).toBe(400);
    expect((await call('POST', '/trees?name=..bad&type=branch', { type: 'BRANCH', name: 'main' })).status).toBe(400);
  });

  it('answers unknown references with a Nessie 404 body and bad paging with 400', async () => {
    expect(await call('GET', '/trees/nope')).toMatchObject({ status: 404, body: { errorCode: 'REFERENCE_NOT_FOUND', reason: 'Not Found', message: "Named reference 'nope' not found" } });
    expect((await call('GET', '/trees?maxRecords=0')).status).toBe(400);
    expect((await call('GET', '/trees/main/history?pageToken=zz')).status).toBe(400);
  });
});
