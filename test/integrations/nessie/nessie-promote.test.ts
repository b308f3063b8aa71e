import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NessieClient } from '../../../src/integrations/nessie/nessie-client.js';
import { nessieEnsureBranch } from '../../../src/integrations/nessie/nessie-ensure-branch.js';
import { nessiePromote } from '../../../src/integrations/nessie/nessie-promote.js';
import { TEST_NESSIE_URI } from '../../fixtures/services.js';
import { metadataLocation, nessieError, TestRefs, uniqueRef } from './nessie-test-refs.js';

// Write-audit-publish on the real Nessie server, each test on a main-like branch of its own.
describe('nessieEnsureBranch and nessiePromote', () => {
  let refs: TestRefs;
  let client: NessieClient;
  const ns = uniqueRef('p').replace('-', '_');
  const orders = [ns, 'orders'];
  const customers = [ns, 'customers'];

  beforeAll(async () => {
    refs = await TestRefs.open();
    client = refs.client;
  });

  afterAll(() => refs?.cleanup());

  /** A main-like branch with one table, and the name its dev branch will have. */
  async function setup(): Promise<{ main: string; dev: string }> {
    const main = await refs.mainLike();
    await refs.commitTable(main.name, orders, 'initial');
    const dev = uniqueRef('dev');
    refs.track('BRANCH', dev);
    return { main: main.name, dev };
  }

  it('creates the branch from main when missing, and leaves an existing one alone', async () => {
    const { main, dev } = await setup();
    const mainHead = await refs.head(main);
    expect(await nessieEnsureBranch(client, dev, main)).toEqual({ branch: { type: 'BRANCH', name: dev, hash: mainHead }, created: true });
    const devHead = await refs.commitTable(dev, orders, 'wip');
    expect(await nessieEnsureBranch(client, dev, main)).toEqual({ branch: { type: 'BRANCH', name: dev, hash: devHead }, created: false });
  });

  it('refuses a tag of the branch name, and names a missing source', async () => {
    const { main } = await setup();
    const tag = await refs.tag(uniqueRef('v'), main);
    await expect(nessieEnsureBranch(client, tag.name, main)).rejects.toMatchObject({ code: 'NESSIE_REFERENCE_IS_TAG' });
    const typo = uniqueRef('mian');
    await expect(nessieEnsureBranch(client, uniqueRef('dev'), typo)).rejects.toMatchObject({ code: 'NESSIE_REFERENCE_NOT_FOUND', data: { reference: typo } });
  });

  it('merges dev into main with both hashes, lists the merged commits, and points dev at the new main', async () => {
    const { main, dev } = await setup();
    await nessieEnsureBranch(client, dev, main);
    const before = await client.getReference(main);
    const c1 = await refs.commitTable(dev, orders, 'day1', 'ingest 2024-10-14');
    const c2 = await refs.commitTable(dev, customers, 'day1', 'transform customers');
    const result = await nessiePromote(client, { from: dev, to: main });

    expect(result).toMatchObject({ merged: true, previousHash: before.hash, fromHash: c2, commonAncestor: before.hash, sourceReset: true });
    expect(result.hash).toBe(await refs.head(main));
    expect(result.hash).not.toBe(before.hash);
    expect(result.commits.map((c) => c.hash)).toEqual([c2, c1]);
    expect(result.commits[0]).toMatchObject({ message: 'transform customers', author: 'sluice-test' });
    expect(result.metadata).toMatchObject({ nessie_from: dev, nessie_to: main, nessie_merged: true, nessie_hash: result.hash, nessie_previous_hash: before.hash, nessie_commit_count: 2 });
    expect(JSON.parse(JSON.stringify(result.metadata))).toEqual(result.metadata);
    expect((await client.getContent(main, orders)).content).toMatchObject({ metadataLocation: metadataLocation(orders, 'day1') });
    expect(await refs.head(dev)).toBe(result.hash);
    expect((await client.commitLog(main, { maxRecords: 1 })).logEntries[0]!.commitMeta.message).toBe(`Sluice: promote ${dev} into ${main}`);
  });

  it('promotes the same tables again the next day, listing only the new commits', async () => {
    const { main, dev } = await setup();
    await nessieEnsureBranch(client, dev, main);
    await refs.commitTable(dev, orders, 'day1');
    await nessiePromote(client, { from: dev, to: main });
    const day2 = await refs.commitTable(dev, orders, 'day2');
    const second = await nessiePromote(client, { from: dev, to: main });
    expect(second).toMatchObject({ merged: true, sourceReset: true });
    expect(second.commits.map((c) => c.hash)).toEqual([day2]);
    expect((await client.getContent(main, orders)).content).toMatchObject({ metadataLocation: metadataLocation(orders, 'day2') });
  });

  it('is a no-op when dev has nothing main lacks, also after main moved on', async () => {
    const { main, dev } = await setup();
    await nessieEnsureBranch(client, dev, main);
    const same = await nessiePromote(client, { from: dev, to: main });
    expect(same).toMatchObject({ merged: false, commits: [], sourceReset: false });
    expect(same.hash).toBe(same.previousHash);
    const moved = await refs.commitTable(main, customers, 'main-only');
    const behind = await nessiePromote(client, { from: dev, to: main });
    expect(behind).toMatchObject({ merged: false, hash: moved, metadata: { nessie_merged: false, nessie_commit_count: 0 } });
    expect(await refs.head(main)).toBe(moved);
  });

  it('finishes a promotion whose merge happened but whose dev reset did not', async () => {
    const { main, dev } = await setup();
    await nessieEnsureBranch(client, dev, main);
    const devHead = await refs.commitTable(dev, orders, 'day1');
    // The merge alone, as a promotion that died before resetting dev leaves it.
    const merged = await client.merge({ from: dev, fromHash: devHead, into: main, expectedHash: await refs.head(main) });
    const retried = await nessiePromote(client, { from: dev, to: main });
    expect(retried).toMatchObject({ merged: false, hash: merged.resultantTargetHash, sourceReset: true });
    expect(await refs.head(dev)).toBe(merged.resultantTargetHash);
  });

  it('promotes into a branch without commits by pointing it at dev (Nessie 0.60 cannot merge there)', async () => {
    const main = (await refs.emptyBranch('main')).name;
    const dev = uniqueRef('dev');
    refs.track('BRANCH', dev);
    await nessieEnsureBranch(client, dev, main);
    const c1 = await refs.commitTable(dev, orders, 'day1');
    const result = await nessiePromote(client, { from: dev, to: main });
    expect(result).toMatchObject({ merged: true, hash: c1, sourceReset: true });
    expect(result.commits.map((c) => c.hash)).toEqual([c1]);
    expect(await refs.head(main)).toBe(c1);
    // And the next day is an ordinary merge.
    const c2 = await refs.commitTable(dev, orders, 'day2');
    expect((await nessiePromote(client, { from: dev, to: main })).commits.map((c) => c.hash)).toEqual([c2]);
  });

  it('names the fix when dev was created from main while main was empty and main has commits since', async () => {
    const main = (await refs.emptyBranch('main')).name;
    const dev = uniqueRef('dev');
    refs.track('BRANCH', dev);
    await nessieEnsureBranch(client, dev, main);
    const devHead = await refs.commitTable(dev, orders, 'day1');
    const mainHead = await refs.commitTable(main, customers, 'other');
    const error = await nessieError(nessiePromote(client, { from: dev, to: main }));
    expect(error.code).toBe('NESSIE_NO_COMMON_ANCESTOR');
    expect(error.message).toContain(`re-create "${dev}" from "${main}"`);
    expect(error.data.suggestions).toBeUndefined();
    expect(await refs.head(main)).toBe(mainHead);
    expect(await refs.head(dev)).toBe(devHead);
  });

  it('caps the listed commits at maxCommits and says so', async () => {
    const { main, dev } = await setup();
    await nessieEnsureBranch(client, dev, main);
    for (let i = 1; i <= 4; i++) await refs.commitTable(dev, [ns, `t${i}`], 'v1', `step ${i}`);
    const result = await nessiePromote(client, { from: dev, to: main, maxCommits: 3 });
    expect(result.commits.map((c) => c.message)).toEqual(['step 4', 'step 3', 'step 2']);
    expect(result.commitsTruncated).toBe(true);
    expect(result.metadata.nessie_commits_truncated).toBe(true);
  });

  it('fails with NESSIE_MERGE_CONFLICT and leaves both branches when main changed the same table', async () => {
    const { main, dev } = await setup();
    await nessieEnsureBranch(client, dev, main);
    const devHead = await refs.commitTable(dev, orders, 'rebuild');
    const hotfix = await refs.commitTable(main, orders, 'hotfix');
    const error = await nessieError(nessiePromote(client, { from: dev, to: main }));
    expect(error.code).toBe('NESSIE_MERGE_CONFLICT');
    expect(error.message).toContain(`cannot merge "${dev}" into "${main}": both branches changed '${ns}.orders'`);
    expect(await refs.head(main)).toBe(hotfix);
    expect(await refs.head(dev)).toBe(devHead);
  });

  it('fails the same way when main changes the table between the read and the merge', async () => {
    const { main, dev } = await setup();
    await nessieEnsureBranch(client, dev, main);
    const devHead = await refs.commitTable(dev, orders, 'rebuild');
    let hotfix = '';
    // A real commit to main lands just before the promotion's merge request reaches the server.
    const racing = new NessieClient({
      url: TEST_NESSIE_URI,
      fetch: async (input, init) => {
        if (String(input).includes('/history/merge') && !hotfix) hotfix = await refs.commitTable(main, orders, 'hotfix');
        return fetch(input, init);
      },
    });
    const error = await nessieError(nessiePromote(racing, { from: dev, to: main }));
    expect(hotfix).not.toBe('');
    expect(error.code).toBe('NESSIE_MERGE_CONFLICT');
    expect(error.message).toContain(`branch "${main}" moved since hash`);
    expect(error.data).toMatchObject({ reference: main, currentHash: hotfix });
    expect(await refs.head(main)).toBe(hotfix);
    expect(await refs.head(dev)).toBe(devHead);
  });

  it('still merges when main moved only on other tables in between', async () => {
    const { main, dev } = await setup();
    await nessieEnsureBranch(client, dev, main);
    await refs.commitTable(dev, orders, 'rebuild');
    let moved = '';
    const racing = new NessieClient({
      url: TEST_NESSIE_URI,
      fetch: async (input, init) => {
        if (String(input).includes('/history/merge') && !moved) moved = await refs.commitTable(main, customers, 'fix');
        return fetch(input, init);
      },
    });
    const result = await nessiePromote(racing, { from: dev, to: main });
    expect(result.merged).toBe(true);
    const log = (await client.commitLog(main, { maxRecords: 2 })).logEntries;
    expect(log.map((e) => e.commitMeta.hash)).toEqual([result.hash, moved]);
    expect((await client.getContent(main, customers)).content).toMatchObject({ metadataLocation: metadataLocation(customers, 'fix') });
  });

  it('refuses a tag as target, the same branch on both sides, and a missing source', async () => {
    const { main, dev } = await setup();
    const tag = await refs.tag(uniqueRef('v'), main);
    await expect(nessiePromote(client, { from: main, to: tag.name })).rejects.toMatchObject({ code: 'NESSIE_REFERENCE_IS_TAG' });
    await expect(nessiePromote(client, { from: main, to: main })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(nessiePromote(client, { from: dev, to: main })).rejects.toMatchObject({ code: 'NESSIE_REFERENCE_NOT_FOUND', data: { reference: dev } });
  });
});
