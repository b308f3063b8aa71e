import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { NESSIE_DETACHED, postgresWarehouse, type NessieIcebergTable, type Warehouse } from '../../src/index.js';
import { projectRedactor } from '../../src/runtime/project-redactor.js';
import { loadProject, type LoadedProject } from '../../src/runtime/load-project.js';
import type { Instance, RunRecord } from '../../src/storage/instance.js';
import { harness, type Harness } from '../fixtures/harness.js';
import { TEST_NESSIE_URI } from '../fixtures/services.js';
import { NessieFaultProxy } from '../integrations/nessie/nessie-fault-proxy.js';
import { nessieError, TestRefs, uniqueRef } from '../integrations/nessie/nessie-test-refs.js';
import { closedPort } from '../fixtures/closed-port.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const DAILY = '+key:promote_dev_to_main+';
const TABLES = ['glucose.daily_glucose', 'glucose.fct_readings', 'glucose.raw_entries', 'glucose.stg_entries'];
const key = (table: string) => ['glucose', table];

/**
 * The example project's daily pipeline (the daily_promotion schedule's selection) run in process on
 * the embedded default (PGlite store and warehouse) with SLUICE_NESSIE_URI set: its promotion acts
 * on the real Nessie server, on a main, dev and release prefix of this file only.
 */
describe('the example promotion on a Nessie catalog', () => {
  let refs: TestRefs;
  let project: LoadedProject;
  let dir: string;
  let h: Harness;
  let instance: Instance;
  let main: string;
  let mainAtStart: string;
  const dev = uniqueRef('dev');
  const prefix = `${uniqueRef('t')}-release-`;
  let env: Record<string, string>;
  const harnesses: Harness[] = [];

  /** A harness of the example project with `extra` env, on the shared store. */
  async function pipeline(extra: Record<string, string> = {}): Promise<Harness> {
    const e = { ...env, ...extra };
    const made = await harness(project.graph.assets(), project.graph.allChecks(), { env: e, redactor: projectRedactor(project.graph, e), ...(instance ? { instance } : {}) });
    harnesses.push(made);
    return made;
  }

  const stepsOf = async (run: RunRecord) => Object.fromEntries((await h.instance.runs.listSteps(run.id)).map((s) => [s.key, s]));

  beforeAll(async () => {
    refs = await TestRefs.open();
    // A main with history of its own (another team's table), so the promotion is a real merge.
    main = (await refs.mainLike()).name;
    mainAtStart = await refs.commitTable(main, [uniqueRef('other').replace('-', '_'), 'lookup'], 'v1');
    refs.track('BRANCH', dev);
    refs.track('TAG', `${prefix}2024-10-14`);
    refs.track('TAG', `${prefix}2024-10-15`);
    dir = await mkdtemp(join(tmpdir(), 'sluice-nessie-'));
    project = await loadProject(REPO);
    env = { SLUICE_PROJECT: dir, SLUICE_NESSIE_URI: TEST_NESSIE_URI, SLUICE_NESSIE_MAIN: main, SLUICE_NESSIE_DEV: dev, SLUICE_NESSIE_RELEASE_PREFIX: prefix };
    h = await pipeline();
    instance = h.instance;
  });

  afterAll(async () => {
    for (const made of harnesses.reverse()) await made.close();
    await refs?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs the daily pipeline clean: every table committed on dev, merged into main, the release tagged', async () => {
    const run = await h.materialize(DAILY, { partition: '2024-10-14', config: { tag_release: { date: '2024-10-14' } } });
    const steps = await stepsOf(run);
    expect(Object.values(steps).filter((s) => s.status !== 'SUCCEEDED').map((s) => [s.key, s.status, s.error?.message])).toEqual([]);
    expect(run.status).toBe('SUCCESS');

    const client = refs.client;
    const mainNow = await refs.head(main);
    expect(mainNow).not.toBe(mainAtStart);
    for (const table of TABLES) {
      const { content } = await client.getContent(main, table.split('.'));
      expect({ table, location: (content as NessieIcebergTable).metadataLocation }).toEqual({ table, location: expect.stringContaining(`/${table.replace('.', '/')}/metadata/${run.id}-`) });
      // Before the promotion, main had none of them: time travel to where it started.
      expect((await nessieError(client.getContent(main, table.split('.'), { hash: mainAtStart }))).code).toBe('NESSIE_CONTENT_NOT_FOUND');
    }
    expect(await refs.head(dev)).toBe(mainNow);
    const [merge] = (await client.commitLog(main, { maxRecords: 1 })).logEntries;
    expect(merge!.commitMeta).toMatchObject({ message: `Sluice run ${run.id}: promote ${dev} into ${main}`, parentCommitHashes: [mainAtStart, expect.any(String)] });
    expect(await client.getReference(`${prefix}2024-10-14`)).toMatchObject({ type: 'TAG', hash: mainNow });

    const metadata = async (asset: string) => (await instance.eventLog.materializations(asset, { limit: 1 }))[0]!.metadata;
    expect(await metadata('branch_status')).toMatchObject({ nessie_differs: true, nessie_changed_tables: { json: TABLES }, nessie_main_hash: mainAtStart });
    expect(await metadata('promote_dev_to_main')).toMatchObject({ nessie_merged: true, nessie_from: dev, nessie_to: main, nessie_hash: mainNow, nessie_commit_count: 4, raw_entries_rows: 288 });
    expect(await metadata('raw/entries')).toMatchObject({ nessie_branch: dev, nessie_key: 'glucose.raw_entries' });
    expect(await metadata('tag_release')).toMatchObject({ nessie_tag: `${prefix}2024-10-14`, nessie_tag_hash: mainNow, nessie_retagged: false });
    // The merged commits, read from the merge commit's second parent: the ingest's carries its run and row count.
    const merged = (await client.commitLog(NESSIE_DETACHED, { hash: merge!.commitMeta.parentCommitHashes![1]!, maxRecords: 4 })).logEntries;
    expect(merged.map((e) => e.commitMeta.message.split(':')[0])).toEqual(['model.glucose.daily_glucose', 'model.glucose.fct_readings', 'model.glucose.stg_entries', 'raw/entries']);
    const ingest = merged.find((e) => e.commitMeta.message.startsWith('raw/entries:'));
    expect(ingest?.commitMeta.allProperties).toMatchObject({ 'sluice.run_id': [run.id], 'sluice.rows': ['288'], 'sluice.table': ['dev.raw_entries'] });
  });

  it('with bad rows: the ingest is committed on dev, the blocking check stops the promotion, main unchanged and no tag', async () => {
    const mainBefore = await refs.head(main);
    const devBefore = await refs.head(dev);
    const run = await h.materialize(DAILY, { partition: '2024-10-15', config: { 'raw/entries': { badRowShare: 0.2 }, tag_release: { date: '2024-10-15' } } });
    expect(run.status).toBe('FAILURE');
    const steps = await stepsOf(run);
    expect(steps['raw/entries#valid_readings']!.status).toBe('FAILED');
    for (const skipped of ['branch_status', 'promote_dev_to_main', 'tag_release']) expect({ skipped, status: steps[skipped]!.status }).toEqual({ skipped, status: 'SKIPPED' });

    expect(await refs.head(main)).toBe(mainBefore);
    expect((await nessieError(refs.client.getReference(`${prefix}2024-10-15`))).code).toBe('NESSIE_REFERENCE_NOT_FOUND');
    const devNow = await refs.head(dev);
    expect(devNow).not.toBe(devBefore);
    const onDev = (await refs.client.getContent(dev, key('raw_entries'))).content as NessieIcebergTable;
    const onMain = (await refs.client.getContent(main, key('raw_entries'))).content as NessieIcebergTable;
    expect(onDev.metadataLocation).toContain(run.id);
    expect(onMain.metadataLocation).not.toContain(run.id);
  });

  it('fails promote_dev_to_main with a clear step error when main changed the same table in between, promoting nothing', async () => {
    const hotfix = await refs.commitTable(main, key('raw_entries'), 'hotfix');
    const devBefore = await refs.head(dev);
    const { rows: before } = await warehouseRows(h, 'main.raw_entries');
    const run = await h.materialize(DAILY, { partition: '2024-10-16', config: { tag_release: { date: '2024-10-16' } } });
    expect(run.status).toBe('FAILURE');
    const steps = await stepsOf(run);
    expect(steps['branch_status']!.status).toBe('SUCCEEDED');
    const promote = steps.promote_dev_to_main!;
    expect(promote.status).toBe('FAILED');
    expect(promote.error).toMatchObject({ code: 'NESSIE_MERGE_CONFLICT' });
    expect(promote.error!.message).toContain(`cannot merge "${dev}" into "${main}": both branches changed 'glucose.raw_entries'`);
    expect(promote.error!.message).toContain('merge again');
    expect(steps.tag_release!.status).toBe('SKIPPED');
    expect(await refs.head(main)).toBe(hotfix);
    expect(await refs.head(dev)).not.toBe(devBefore); // the day's ingest and transforms, still on dev
    expect((await warehouseRows(h, 'main.raw_entries')).rows).toBe(before);
  });

  it('re-tagging a day moves its Nessie tag to the HEAD of main', async () => {
    const head = await refs.head(main);
    const tag = await refs.client.getReference(`${prefix}2024-10-14`);
    expect(tag.hash).not.toBe(head);
    const run = await h.materialize('key:tag_release', { config: { tag_release: { date: '2024-10-14' } } });
    expect(run.status).toBe('SUCCESS');
    expect(await refs.client.getReference(`${prefix}2024-10-14`)).toMatchObject({ type: 'TAG', hash: head });
    expect((await instance.eventLog.materializations('tag_release', { limit: 1 }))[0]!.metadata).toMatchObject({ nessie_retagged: true, nessie_tag_hash: head });
  });

  it('fails dev_branch naming an unknown main branch and what to do', async () => {
    const missing = uniqueRef('mian');
    const other = await pipeline({ SLUICE_NESSIE_MAIN: missing, SLUICE_NESSIE_DEV: uniqueRef('dev') });
    const run = await other.materialize('key:dev_branch');
    const [step] = await other.instance.runs.listSteps(run.id);
    expect(step).toMatchObject({ status: 'FAILED', error: { code: 'NESSIE_REFERENCE_NOT_FOUND' } });
    expect(step!.error!.message).toContain(`Nessie reference "${missing}" not found at ${TEST_NESSIE_URI}`);
    expect(step!.error!.message).toContain('create the reference first');
  });

  it('fails with the server unreachable naming the URI and SLUICE_NESSIE_URI, and keeps the token and URI credentials out of the run', async () => {
    const token = 'nessie-run-token-7d1e2f';
    const port = await closedPort();
    const unreachable = await pipeline({ SLUICE_NESSIE_URI: `http://127.0.0.1:${port}/api/v2`, SLUICE_NESSIE_TOKEN: token });
    const down = await unreachable.materialize('key:dev_branch');
    const [downStep] = await unreachable.instance.runs.listSteps(down.id);
    expect(downStep!.error).toMatchObject({ code: 'NESSIE_UNREACHABLE' });
    expect(downStep!.error!.message).toContain(`cannot reach Nessie at http://127.0.0.1:${port}/api/v2`);
    expect(downStep!.error!.message).toContain('check SLUICE_NESSIE_URI');

    // A server (here a proxy in front of the real one) that echoes the Authorization header in its error.
    const proxy = await NessieFaultProxy.start(TEST_NESSIE_URI);
    try {
      const echoing = await pipeline({ SLUICE_NESSIE_URI: proxy.url, SLUICE_NESSIE_TOKEN: token });
      proxy.inject({ kind: 'respond', status: 500, body: (req) => ({ status: 500, reason: 'Internal Server Error', message: `failed for ${req.headers.authorization}` }) });
      const echoed = await echoing.materialize('key:dev_branch');
      const [step] = await echoing.instance.runs.listSteps(echoed.id);
      expect(step!.error).toMatchObject({ code: 'NESSIE_SERVER_ERROR' });
      expect(step!.error!.message).toContain('failed for Bearer [REDACTED]');
      expect(proxy.requests.some((r) => r.authorization === `Bearer ${token}`)).toBe(true);
      const withCredentials = await pipeline({ SLUICE_NESSIE_URI: `http://etl:pa55-word-9f3@127.0.0.1:${port}/api/v2` });
      const refused = await withCredentials.materialize('key:dev_branch');
      const [refusedStep] = await withCredentials.instance.runs.listSteps(refused.id);
      expect(refusedStep!.error!.message).toContain('must not carry credentials');
      for (const id of [down.id, echoed.id, refused.id]) {
        const stored = JSON.stringify([await instance.runs.listSteps(id), await instance.eventLog.listEvents(id)]);
        expect(stored).not.toContain(token);
        expect(stored).not.toContain('pa55-word-9f3');
      }
    } finally {
      await proxy.close();
    }
  });
});

async function warehouseRows(h: Harness, table: string): Promise<{ rows: number }> {
  const warehouse = (await h.resources.get(postgresWarehouse)) as Warehouse;
  const { rows } = await warehouse.query<{ n: number }>(`select count(*)::int as n from ${table}`);
  return { rows: rows[0]!.n };
}

