import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NESSIE_DETACHED, NessieClient } from '../../../src/integrations/nessie/nessie-client.js';
import { TEST_NESSIE_URI } from '../../fixtures/services.js';
import { metadataLocation, nessieError, TestRefs, uniqueRef } from './nessie-test-refs.js';
import { NessieFaultProxy } from './nessie-fault-proxy.js';

// Every test runs against the real Nessie server (scripts/services.sh), on branches of its own.
describe('NessieClient against a real Nessie server', () => {
  let refs: TestRefs;
  let client: NessieClient;
  let proxy: NessieFaultProxy;
  /** The client through the recording proxy, for the exact requests sent. */
  let proxied: NessieClient;
  /** A namespace of this file only, so no content of other tests shares a key. */
  const ns = uniqueRef('t').replace('-', '_');
  const orders = [ns, 'orders'];
  const customers = [ns, 'customers'];

  beforeAll(async () => {
    refs = await TestRefs.open();
    client = refs.client;
    proxy = await NessieFaultProxy.start(TEST_NESSIE_URI);
    proxied = new NessieClient({ url: proxy.url });
  });

  afterAll(async () => {
    await refs?.cleanup();
    await proxy?.close();
  });

  it('reads the server configuration', async () => {
    const config = await client.config();
    expect(config.maxSupportedApiVersion).toBe(2);
    expect((await client.getReference(config.defaultBranch)).type).toBe('BRANCH');
  });

  it('creates, reads and deletes a branch and a tag, deletes checked against the expected hash', async () => {
    const main = await refs.mainLike();
    const dev = await refs.branch('dev', main);
    expect(dev).toEqual({ type: 'BRANCH', name: dev.name, hash: main.hash });
    const tag = await client.createTag(uniqueRef('v'), dev);
    expect(tag).toEqual({ type: 'TAG', name: tag.name, hash: main.hash });
    expect(await client.getReference(tag.name)).toEqual(tag);

    const moved = await refs.commitTable(dev.name, orders, 'v1');
    const stale = await nessieError(proxied.deleteBranch(dev.name, dev.hash));
    expect(stale.code).toBe('NESSIE_REFERENCE_CONFLICT');
    expect(stale.message).toContain(`branch "${dev.name}" moved since hash ${dev.hash.slice(0, 12)}`);
    expect(stale.data).toMatchObject({ reference: dev.name, expectedHash: dev.hash, status: 409 });
    expect(proxy.requests.at(-1)).toMatchObject({ method: 'DELETE', url: `/api/v2/trees/${dev.name}@${dev.hash}?type=branch` });

    expect(await client.deleteTag(tag.name, tag.hash)).toMatchObject({ type: 'TAG', name: tag.name });
    expect(await client.deleteBranch(dev.name, moved)).toMatchObject({ type: 'BRANCH', name: dev.name, hash: moved });
    expect((await nessieError(client.getReference(dev.name))).code).toBe('NESSIE_REFERENCE_NOT_FOUND');
  });

  it('lists references page by page with max-records and page-token', async () => {
    const main = await refs.mainLike();
    const mine = [await refs.branch('page', main), await refs.branch('page', main), await refs.branch('page', main)];
    const first = await proxied.listReferences({ maxRecords: 2 });
    expect(first.references).toHaveLength(2);
    expect(first.hasMore).toBe(true);
    expect(proxy.requests.at(-1)?.url).toBe('/api/v2/trees?max-records=2');
    const second = await client.listReferences({ maxRecords: 2, pageToken: first.token! });
    expect(second.references.map((r) => r.name)).not.toContain(first.references[0]!.name);
    const paged = (await client.allReferences({ maxRecords: 2 })).map((r) => r.name);
    expect(new Set(paged).size).toBe(paged.length);
    for (const ref of mine) expect(paged).toContain(ref.name);
  });

  it('addresses a name with a slash as name@ so the server can route it', async () => {
    const main = await refs.mainLike();
    const created = await refs.branch('team/dev', main);
    expect(await proxied.getReference(created.name)).toEqual(created);
    expect(proxy.requests.at(-1)?.url).toBe(`/api/v2/trees/${created.name}@`);
  });

  it('commits Iceberg table content on dev, and reads the same key on dev, on main and at an older hash', async () => {
    const main = await refs.mainLike();
    const mainHead = await refs.commitTable(main.name, orders, 'v1');
    const dev = await refs.branch('dev', main.name);
    expect(dev.hash).toBe(mainHead);
    const devHead = await refs.commitTable(dev.name, orders, 'v2');
    await refs.commitTable(dev.name, customers, 'v1');

    const onDev = await client.getContent(dev.name, orders);
    expect(onDev.content).toMatchObject({ type: 'ICEBERG_TABLE', metadataLocation: metadataLocation(orders, 'v2') });
    const onMain = await client.getContent(main.name, orders);
    expect(onMain).toMatchObject({ content: { metadataLocation: metadataLocation(orders, 'v1') }, effectiveReference: { name: main.name, hash: mainHead } });
    expect(onMain.content.id).toBe(onDev.content.id);
    const atOld = await client.getContent(dev.name, orders, { hash: dev.hash });
    expect(atOld.content).toMatchObject({ metadataLocation: metadataLocation(orders, 'v1') });
    expect((await client.getContent(dev.name, orders, { hash: devHead })).content).toMatchObject({ metadataLocation: metadataLocation(orders, 'v2') });

    const missing = await nessieError(client.getContent(main.name, customers));
    expect(missing.code).toBe('NESSIE_CONTENT_NOT_FOUND');
    expect(missing.message).toContain(`no content at key "${ns}.customers" on Nessie reference "${main.name}"`);
    expect(missing.data).toMatchObject({ key: `${ns}.customers`, reference: main.name, status: 404 });

    const both = await client.getContents(dev.name, [orders, customers, [ns, 'nope']]);
    expect(both.map((c) => c.key.join('.')).sort()).toEqual([`${ns}.customers`, `${ns}.orders`]);
    const entries = await client.allEntries(dev.name, { maxRecords: 1 });
    expect(entries.filter((e) => e.key[0] === ns).map((e) => `${e.type}:${e.key.join('.')}`).sort()).toEqual([
      `ICEBERG_TABLE:${ns}.customers`,
      `ICEBERG_TABLE:${ns}.orders`,
      `NAMESPACE:${ns}`,
    ]);
  });

  it('reads a branch as it was at a timestamp (time travel by commit time)', async () => {
    const main = await refs.mainLike();
    const v1 = await refs.commitTable(main.name, orders, 'v1');
    await new Promise((resolve) => setTimeout(resolve, 5)); // two distinct commit times, to the millisecond
    const v2 = await refs.commitTable(main.name, orders, 'v2');
    const log = (await client.commitLog(main.name, { maxRecords: 2 })).logEntries;
    expect(log.map((e) => e.commitMeta.hash)).toEqual([v2, v1]);
    const [t2, t1] = log.map((e) => Date.parse(e.commitMeta.commitTime!));
    expect(await client.hashAt(main.name, new Date(t2!))).toBe(v2);
    const between = await client.hashAt(main.name, new Date(t1! + (t2! - t1!) / 2));
    expect(between).toBe(v1);
    expect((await client.getContent(main.name, orders, { hash: between })).content).toMatchObject({ metadataLocation: metadataLocation(orders, 'v1') });
    const before = await client.hashAt(main.name, new Date(t1! - 1));
    expect(before).toBe(main.hash);
    expect((await nessieError(client.getContent(main.name, orders, { hash: before }))).code).toBe('NESSIE_CONTENT_NOT_FOUND');
  });

  it('merges dev into main: main then reads what dev wrote, and the merge commit names both parents', async () => {
    const main = await refs.mainLike();
    await refs.commitTable(main.name, orders, 'v1');
    const dev = await refs.branch('dev', main.name);
    const devHead = await refs.commitTable(dev.name, orders, 'v2');
    const before = await client.getReference(main.name);
    const result = await proxied.merge({ from: dev.name, fromHash: devHead, into: main.name, expectedHash: before.hash, message: 'promote' });
    expect(proxy.requests.at(-1)).toMatchObject({ method: 'POST', url: `/api/v2/trees/${main.name}@${before.hash}/history/merge` });
    expect(result).toMatchObject({ wasSuccessful: true, commonAncestor: dev.hash });
    expect(result.resultantTargetHash).not.toBe(before.hash);
    expect((await client.getReference(main.name)).hash).toBe(result.resultantTargetHash);
    expect((await client.getContent(main.name, orders)).content).toMatchObject({ metadataLocation: metadataLocation(orders, 'v2') });
    const [mergeCommit] = (await client.commitLog(main.name, { maxRecords: 1 })).logEntries;
    expect(mergeCommit!.commitMeta).toMatchObject({ message: 'promote', parentCommitHashes: [before.hash, devHead] });
    // main@devHead is refused (devHead is not on main's own history); a detached read finds it.
    expect((await nessieError(client.commitLog(main.name, { hash: devHead }))).code).toBe('NESSIE_COMMIT_NOT_FOUND');
    expect((await client.commitLog(NESSIE_DETACHED, { hash: devHead, maxRecords: 1 })).logEntries[0]!.commitMeta.hash).toBe(devHead);
  });

  it('refuses a merge when main changed the same table in between: a clear error, both branches as they were', async () => {
    const main = await refs.mainLike();
    await refs.commitTable(main.name, orders, 'v1');
    const dev = await refs.branch('dev', main.name);
    const devHead = await refs.commitTable(dev.name, orders, 'dev-v2');
    const read = await refs.head(main.name);
    const hotfix = await refs.commitTable(main.name, orders, 'hotfix');

    const error = await nessieError(client.merge({ from: dev.name, fromHash: devHead, into: main.name, expectedHash: read }));
    expect(error.code).toBe('NESSIE_MERGE_CONFLICT');
    expect(error.kind).toBe('input');
    expect(error.message).toContain(`branch "${main.name}" moved since hash ${read.slice(0, 12)} (now at ${hotfix.slice(0, 12)})`);
    expect(error.message).toContain(`both branches changed '${ns}.orders' since they diverged`);
    expect(error.message).toContain(`reconcile those tables on "${dev.name}"`);
    expect(error.data).toMatchObject({ reference: main.name, expectedHash: read, currentHash: hotfix, status: 409, conflicts: [{ key: `${ns}.orders` }] });
    expect(await refs.head(main.name)).toBe(hotfix);
    expect(await refs.head(dev.name)).toBe(devHead);
    // With the current hash it is still a conflict of content, not of a stale read.
    const again = await nessieError(client.merge({ from: dev.name, fromHash: devHead, into: main.name, expectedHash: hotfix }));
    expect(again.code).toBe('NESSIE_MERGE_CONFLICT');
    expect(again.data.currentHash).toBeUndefined();
  });

  it('tags a release from main and moves the tag to a later main', async () => {
    const main = await refs.mainLike();
    const v1 = await refs.commitTable(main.name, orders, 'v1');
    const release = await refs.tag(`${uniqueRef('r')}/release-2024-10-15`, main.name);
    expect(release).toMatchObject({ type: 'TAG', hash: v1 });
    const v2 = await refs.commitTable(main.name, orders, 'v2');
    const moved = await client.assignReference('TAG', release.name, v1, await client.getReference(main.name));
    expect(moved).toMatchObject({ type: 'TAG', name: release.name, hash: v2 });
    const stale = await nessieError(client.assignReference('TAG', release.name, v1, await client.getReference(main.name)));
    expect(stale.code).toBe('NESSIE_REFERENCE_CONFLICT');
    expect((await client.getContent(release.name, orders)).content).toMatchObject({ metadataLocation: metadataLocation(orders, 'v2') });
  });

  it('pages the commit log with max-records and page-token, newest first, and from an older hash', async () => {
    const main = await refs.mainLike();
    const hashes: string[] = [];
    for (const v of ['c1', 'c2', 'c3', 'c4', 'c5']) hashes.push(await refs.commitTable(main.name, orders, v));
    const first = await proxied.commitLog(main.name, { maxRecords: 2 });
    expect(proxy.requests.at(-1)?.url).toBe(`/api/v2/trees/${main.name}/history?max-records=2`);
    expect(first.logEntries.map((e) => e.commitMeta.hash)).toEqual([hashes[4], hashes[3]]);
    expect(first.hasMore).toBe(true);
    const second = await client.commitLog(main.name, { maxRecords: 2, pageToken: first.token! });
    expect(second.logEntries.map((e) => e.commitMeta.hash)).toEqual([hashes[2], hashes[1]]);
    const walked: string[] = [];
    for await (const entry of client.commits(main.name, { maxRecords: 2 })) {
      walked.push(entry.commitMeta.hash);
      if (walked.length === 5) break;
    }
    expect(walked).toEqual([...hashes].reverse());
    const fromThird = await client.commitLog(main.name, { hash: hashes[2]!, maxRecords: 3 });
    expect(fromThird.logEntries.map((e) => e.commitMeta.message)).toEqual([`write ${ns}.orders c3`, `write ${ns}.orders c2`, `write ${ns}.orders c1`]);
    expect(fromThird.logEntries[0]!.commitMeta.authors).toEqual(['sluice-test']);
  });

  it('diffs two references key by key, paged', async () => {
    const main = await refs.mainLike();
    await refs.commitTable(main.name, orders, 'v1');
    const dev = await refs.branch('dev', main.name);
    await refs.commitTable(dev.name, orders, 'v2');
    await refs.commitTable(dev.name, customers, 'v1');
    const diffs = await client.allDiffs(main.name, dev.name, { maxRecords: 1 });
    const mine = diffs.filter((d) => d.key[0] === ns).sort((a, b) => a.key.join().localeCompare(b.key.join()));
    expect(mine.map((d) => [d.key.join('.'), (d.from as { metadataLocation?: string } | null)?.metadataLocation ?? null, (d.to as { metadataLocation: string }).metadataLocation])).toEqual([
      [`${ns}.customers`, null, metadataLocation(customers, 'v1')],
      [`${ns}.orders`, metadataLocation(orders, 'v1'), metadataLocation(orders, 'v2')],
    ]);
    const page = await client.listDiff(main.name, dev.name, { maxRecords: 1 });
    expect(page.diffs).toHaveLength(1);
    expect(page.hasMore).toBe(true);
    expect(await client.allDiffs(main.name, dev.name, { toHash: dev.hash })).toEqual([]);
  });
});
