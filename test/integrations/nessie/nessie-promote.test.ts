import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NessieClient } from '../../../src/integrations/nessie/nessie-client.js';
import { nessieEnsureBranch } from '../../../src/integrations/nessie/nessie-ensure-branch.js';
import { nessiePromote } from '../../../src/integrations/nessie/nessie-promote.js';
import { FakeNessieServer } from './fake-nessie-server.js';

describe('nessieEnsureBranch and nessiePromote (write-audit-publish on Nessie)', () => {
  let server: FakeNessieServer;
  let client: NessieClient;

  beforeEach(async () => {
    server = await new FakeNessieServer().start();
    client = new NessieClient({ url: server.url });
    server.repo.commit('main', 'initial load', ['warehouse.orders', 'warehouse.customers']);
  });

  afterEach(async () => {
    await server.stop();
  });

  it('creates the branch from main when missing, and leaves an existing one alone', async () => {
    const main = await client.getReference('main');
    const first = await nessieEnsureBranch(client, 'dev');
    expect(first).toEqual({ branch: { type: 'BRANCH', name: 'dev', hash: main.hash }, created: true });
    const devHead = server.repo.commit('dev', 'work in progress', ['warehouse.orders']);
    const second = await nessieEnsureBranch(client, 'dev');
    expect(second).toEqual({ branch: { type: 'BRANCH', name: 'dev', hash: devHead }, created: false });
  });

  it('creates from another reference when asked, and refuses a tag of that name', async () => {
    const stagingHead = (await client.createBranch('staging', 'main')).hash;
    server.repo.commit('staging', 'staged', ['warehouse.orders']);
    const ensured = await nessieEnsureBranch(client, 'dev', 'staging');
    expect(ensured.created).toBe(true);
    expect(ensured.branch.hash).not.toBe(stagingHead);
    await client.createTag('v1', 'main');
    await expect(nessieEnsureBranch(client, 'v1')).rejects.toMatchObject({ code: 'NESSIE_REFERENCE_IS_TAG' });
    await expect(nessieEnsureBranch(client, 'dev', 'mian')).resolves.toMatchObject({ created: false });
    await expect(nessieEnsureBranch(client, 'dev2', 'mian')).rejects.toMatchObject({ code: 'NESSIE_REFERENCE_NOT_FOUND', data: { reference: 'mian' } });
  });

  it('merges dev into main with both hashes and returns the new hash and the merged commits', async () => {
    await nessieEnsureBranch(client, 'dev');
    const before = await client.getReference('main');
    const c1 = server.repo.commit('dev', 'ingest 2026-01-01', ['warehouse.orders']);
    const c2 = server.repo.commit('dev', 'transform marts', ['marts.daily']);
    const result = await nessiePromote(client, { from: 'dev', to: 'main' });

    expect(result.merged).toBe(true);
    expect(result.previousHash).toBe(before.hash);
    expect(result.fromHash).toBe(c2);
    expect(result.commonAncestor).toBe(before.hash);
    expect(result.hash).toBe((await client.getReference('main')).hash);
    expect(result.hash).not.toBe(before.hash);
    expect(result.commits.map((c) => c.hash)).toEqual([c2, c1]);
    expect(result.commits[0]).toMatchObject({ message: 'transform marts', author: 'sluice-test' });
    expect(result.metadata).toMatchObject({
      nessie_from: 'dev',
      nessie_to: 'main',
      nessie_merged: true,
      nessie_hash: result.hash,
      nessie_previous_hash: before.hash,
      nessie_commit_count: 2,
    });
    expect(JSON.parse(JSON.stringify(result.metadata))).toEqual(result.metadata);

    const merge = server.requests.find((r) => r.url.includes('/history/merge'));
    expect(merge?.url).toBe(`/api/v2/trees/main@${before.hash}/history/merge`);
    // The merge commit on main carries the promotion message.
    const log = await client.commitLog('main', { maxRecords: 1 });
    expect(log.logEntries[0]?.commitMeta.message).toBe('Sluice: promote dev into main');
  });

  it('lists only the commits since the last promotion on the next run', async () => {
    await nessieEnsureBranch(client, 'dev');
    server.repo.commit('dev', 'day 1', ['warehouse.orders']);
    await nessiePromote(client, { from: 'dev', to: 'main' });
    const day2 = server.repo.commit('dev', 'day 2', ['warehouse.orders']);
    const second = await nessiePromote(client, { from: 'dev', to: 'main' });
    expect(second.merged).toBe(true);
    expect(second.commits.map((c) => c.hash)).toEqual([day2]);
  });

  it('is a no-op when dev has nothing main lacks', async () => {
    await nessieEnsureBranch(client, 'dev');
    const same = await nessiePromote(client, { from: 'dev', to: 'main' });
    expect(same).toMatchObject({ merged: false, commits: [] });
    expect(same.hash).toBe(same.previousHash);

    server.repo.commit('dev', 'day 1', ['warehouse.orders']);
    const promoted = await nessiePromote(client, { from: 'dev', to: 'main' });
    // dev is now behind main's merge commit with nothing new: Nessie says "No hashes to merge".
    const again = await nessiePromote(client, { from: 'dev', to: 'main' });
    expect(again).toMatchObject({ merged: false, hash: promoted.hash, metadata: { nessie_merged: false, nessie_commit_count: 0 } });
    expect((await client.getReference('main')).hash).toBe(promoted.hash);
  });

  it('caps the listed commits at maxCommits and says so', async () => {
    await nessieEnsureBranch(client, 'dev');
    for (let i = 1; i <= 5; i++) server.repo.commit('dev', `step ${i}`, [`t.t${i}`]);
    const result = await nessiePromote(client, { from: 'dev', to: 'main', maxCommits: 3 });
    expect(result.commits.map((c) => c.message)).toEqual(['step 5', 'step 4', 'step 3']);
    expect(result.commitsTruncated).toBe(true);
    expect(result.metadata.nessie_commits_truncated).toBe(true);
  });

  it('fails with NESSIE_REFERENCE_CONFLICT and leaves main as it is when main moved on the same tables', async () => {
    await nessieEnsureBranch(client, 'dev');
    server.repo.commit('dev', 'rebuild orders', ['warehouse.orders']);
    // Someone writes main between the promotion's read and its merge: simulate with a client whose
    // first merge request is preceded by a commit to main.
    let moved = '';
    const racing = new NessieClient({
      url: server.url,
      fetch: async (input, init) => {
        if (String(input).includes('/history/merge') && !moved) moved = server.repo.commit('main', 'hotfix orders', ['warehouse.orders']);
        return fetch(input, init);
      },
    });
    const error = await nessiePromote(racing, { from: 'dev', to: 'main' }).catch((e: unknown) => e);
    expect(moved).not.toBe('');
    expect(error).toMatchObject({
      code: 'NESSIE_REFERENCE_CONFLICT',
      message: expect.stringContaining('branch "main" moved since hash'),
      data: { reference: 'main', currentHash: moved },
    });
    expect((await client.getReference('main')).hash).toBe(moved);
  });

  it('still merges when main moved only on other tables (Nessie checks the expected hash per key)', async () => {
    await nessieEnsureBranch(client, 'dev');
    server.repo.commit('dev', 'rebuild orders', ['warehouse.orders']);
    let moved = '';
    const racing = new NessieClient({
      url: server.url,
      fetch: async (input, init) => {
        if (String(input).includes('/history/merge') && !moved) moved = server.repo.commit('main', 'fix customers', ['warehouse.customers']);
        return fetch(input, init);
      },
    });
    const result = await nessiePromote(racing, { from: 'dev', to: 'main' });
    expect(result.merged).toBe(true);
    const log = await client.commitLog('main', { maxRecords: 2 });
    expect(log.logEntries.map((e) => e.commitMeta.message)).toEqual(['Sluice: promote dev into main', 'fix customers']);
    expect(log.logEntries[1]?.commitMeta.hash).toBe(moved);
  });

  it('refuses a tag as target and the same branch on both sides', async () => {
    await client.createTag('v1', 'main');
    await expect(nessiePromote(client, { from: 'main', to: 'v1' })).rejects.toMatchObject({ code: 'NESSIE_REFERENCE_IS_TAG' });
    await expect(nessiePromote(client, { from: 'main', to: 'main' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(nessiePromote(client, { from: 'dev', to: 'main' })).rejects.toMatchObject({ code: 'NESSIE_REFERENCE_NOT_FOUND', data: { reference: 'dev' } });
  });
});
