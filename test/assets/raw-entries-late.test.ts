import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayReadings } from '../../assets/lib/day-readings.js';
import { postgresWarehouse, type Warehouse } from '../../src/index.js';
import { loadProject } from '../../src/runtime/load-project.js';
import { harness, type Harness } from '../fixtures/harness.js';
import { TEST_DATABASE_URL } from '../integrations/postgres/backends.js';


const REPO = fileURLToPath(new URL('../..', import.meta.url));
/** raw/entries, the dev branch it writes into, and its checks. */
const INGEST = '+key:raw/entries';

/** The rows of one UTC day in dev.raw_entries: count, distinct ids, and the ids in order. */
async function dayRows(warehouse: Warehouse, day: string): Promise<{ rows: number; ids: number; idList: number[] }> {
  const start = Date.parse(`${day}T00:00:00Z`);
  const { rows } = await warehouse.query<{ id: number }>('select id from dev.raw_entries where date >= $1 and date < $2 order by id', [start, start + 86_400_000]);
  return { rows: rows.length, ids: new Set(rows.map((r) => r.id)).size, idList: rows.map((r) => r.id) };
}

async function openExample(env: Record<string, string>): Promise<{ h: Harness; warehouse: Warehouse }> {
  const { graph } = await loadProject(REPO);
  return { h: await harness(graph.assets(), graph.allChecks(), { env }), warehouse: await postgresWarehouse.create(env) };
}

/**
 * raw/entries' late-arriving readings through its per-day cursor, run by Sluice on the example
 * project: a day loaded early is completed by a later run of the same day with only the readings
 * that arrived since; a failed load leaves the cursor where it was.
 */
describe('raw/entries with late-arriving readings (PGlite)', () => {
  let dir: string;
  let h: Harness;
  let warehouse: Warehouse;
  const latest = async (day: string) => (await h.instance.eventLog.materializations('raw/entries', { limit: 1, partitionKey: day }))[0]!;
  const cursorOf = async (day: string) => (await h.instance.eventLog.getCursor('raw/entries', day))?.value;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-late-'));
    ({ h, warehouse } = await openExample({ SLUICE_PROJECT: dir }));
  });

  afterAll(async () => {
    await warehouse?.close();
    await h?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a re-run of a day with a later asOf loads only the late readings, completing the day without duplicates', async () => {
    const day = '2024-10-14';
    const source = dayReadings(day, { lateShare: 0.05 });
    const early = '2024-10-15T06:00:00.000Z';
    const later = '2024-10-16T12:00:00.000Z';
    const byEarly = source.filter((r) => r.receivedAt <= Date.parse(early));
    const lateSince = source.length - byEarly.length;
    // Some of the day's 14 late readings had not arrived by 06:00 the next day; all of them had a day later.
    expect(lateSince).toBeGreaterThan(0);
    expect(source.filter((r) => r.late)).toHaveLength(14);

    const first = await h.materialize(INGEST, { partition: day, config: { 'raw/entries': { asOf: early } } });
    expect(first.status).toBe('SUCCESS');
    expect((await latest(day)).metadata).toMatchObject({ day, mode: 'full', rows: byEarly.length, rows_loaded: byEarly.length, pending_rows: lateSince });
    expect(await cursorOf(day)).toEqual({ receivedThrough: early, source: { badRowShare: 0, lateShare: 0.05 } });

    const second = await h.materialize(INGEST, { partition: day, config: { 'raw/entries': { asOf: later } } });
    expect(second.status).toBe('SUCCESS');
    expect((await latest(day)).metadata).toMatchObject({
      day,
      mode: 'incremental',
      received_after: early,
      received_through: later,
      rows_loaded: lateSince,
      late_rows: lateSince,
      rows: 288,
      pending_rows: 0,
    });
    expect(await cursorOf(day)).toMatchObject({ receivedThrough: later });
    const rows = await dayRows(warehouse, day);
    expect(rows).toMatchObject({ rows: 288, ids: 288 });
    expect(rows.idList).toEqual(source.map((r) => r.id));

    // Nothing new arrived: nothing loaded. fullRefresh ignores the cursor and reloads the day.
    await h.materialize(INGEST, { partition: day, config: { 'raw/entries': { asOf: later } } });
    expect((await latest(day)).metadata).toMatchObject({ mode: 'incremental', rows_loaded: 0, rows: 288 });
    await h.materialize(INGEST, { partition: day, config: { 'raw/entries': { asOf: later, fullRefresh: true } } });
    expect((await latest(day)).metadata).toMatchObject({ mode: 'full', rows_loaded: 288, rows: 288, received_after: null });
    expect(await dayRows(warehouse, day)).toMatchObject({ rows: 288, ids: 288 });

    // Other source settings change the (simulated) source's past: the cursor no longer applies, the day is reloaded.
    await h.materialize(INGEST, { partition: day, config: { 'raw/entries': { asOf: later, badRowShare: 0.2 } } });
    expect((await latest(day)).metadata).toMatchObject({ mode: 'full', rows_loaded: 288, bad_rows: 58 });
    await h.materialize(INGEST, { partition: day, config: { 'raw/entries': { asOf: later } } });
    expect((await latest(day)).metadata).toMatchObject({ mode: 'full', rows_loaded: 288, bad_rows: 0 });
    await h.materialize(INGEST, { partition: day, config: { 'raw/entries': { asOf: later } } });
    expect((await latest(day)).metadata).toMatchObject({ mode: 'incremental', rows_loaded: 0 });
  });

  it('leaves the cursor and the day as they were when the load fails, and a later run loads the late readings', async () => {
    const day = '2024-10-12';
    const early = '2024-10-13T06:00:00.000Z';
    const later = '2024-10-14T12:00:00.000Z';
    const byEarly = dayReadings(day, { lateShare: 0.05 }).filter((r) => r.receivedAt <= Date.parse(early)).length;
    expect((await h.materialize(INGEST, { partition: day, config: { 'raw/entries': { asOf: early } } })).status).toBe('SUCCESS');

    // The warehouse refuses the late rows (a constraint added behind the pipeline's back), so the insert fails for real.
    await warehouse.query(`alter table dev.raw_entries add constraint refuse_late_uploads check (received_at <= ${Date.parse(early)}) not valid`);
    try {
      const failed = await h.materialize(INGEST, { partition: day, config: { 'raw/entries': { asOf: later } } });
      expect(failed.status).toBe('FAILURE');
      const step = (await h.instance.runs.listSteps(failed.id)).find((s) => s.key === 'raw/entries')!;
      expect(step.status).toBe('FAILED');
      expect(step.error?.message).toContain('refuse_late_uploads');
      expect(await cursorOf(day)).toEqual({ receivedThrough: early, source: { badRowShare: 0, lateShare: 0.05 } });
      expect((await dayRows(warehouse, day)).rows).toBe(byEarly);
    } finally {
      await warehouse.query('alter table dev.raw_entries drop constraint refuse_late_uploads');
    }

    expect((await h.materialize(INGEST, { partition: day, config: { 'raw/entries': { asOf: later } } })).status).toBe('SUCCESS');
    expect((await latest(day)).metadata).toMatchObject({ mode: 'incremental', received_after: early, rows_loaded: 288 - byEarly, rows: 288 });
    expect(await cursorOf(day)).toMatchObject({ receivedThrough: later });
    expect(await dayRows(warehouse, day)).toMatchObject({ rows: 288, ids: 288 });
  });
});

/** On server Postgres (a fresh database), where two runs' loads really overlap. */
describe('raw/entries, two days in parallel (server Postgres)', () => {
  const database = `sluice_late_${randomUUID().slice(0, 8)}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  let dir: string;
  let h: Harness;
  let warehouse: Warehouse;

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`create database ${database}`);
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/${database}`;
    dir = await mkdtemp(join(tmpdir(), 'sluice-late-pg-'));
    ({ h, warehouse } = await openExample({ SLUICE_PROJECT: dir, SLUICE_WAREHOUSE_URL: url.toString() }));
  });

  afterAll(async () => {
    await warehouse?.close();
    await h?.close();
    await admin.query(`drop database if exists ${database} with (force)`);
    await admin.end();
    await rm(dir, { recursive: true, force: true });
  });

  it('lands both days when runs of two partitions load at the same time into a table neither has created yet', async () => {
    const runs = await Promise.all(['2024-10-05', '2024-10-06'].map((day) => h.materialize(INGEST, { partition: day })));
    expect(runs.map((r) => r.status)).toEqual(['SUCCESS', 'SUCCESS']);
    for (const day of ['2024-10-05', '2024-10-06']) {
      expect(await dayRows(warehouse, day)).toMatchObject({ rows: 288, ids: 288 });
      expect(await h.instance.eventLog.getCursor('raw/entries', day)).toMatchObject({ value: { receivedThrough: expect.any(String) } });
    }
    const { rows } = await warehouse.query<{ n: number }>('select count(distinct id)::int as n from dev.raw_entries');
    expect(rows[0]!.n).toBe(576);
  });
});
