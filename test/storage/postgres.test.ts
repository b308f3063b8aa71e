import { randomUUID } from 'node:crypto';
import { Kysely, Migrator, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { isSluiceError } from '../../src/core/errors.js';
import { openInstance } from '../../src/storage/index.js';
import { initialSchema } from '../../src/storage/migrations/initial-schema.js';
import { openPostgresKysely } from '../../src/storage/postgres/open-postgres-kysely.js';
import { startSteps } from '../../src/storage/sql/start-steps.js';
import { locksHeartbeatsLeases } from '../../src/storage/migrations/locks-heartbeats-leases.js';
import { assetStep, at, failed, fresh, graph, newRun, succeeded } from './fixtures.js';
import { instanceContract } from './instance-contract.js';

const url = process.env.SLUICE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `sluice_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;

async function openTestInstance() {
  try {
    return await openInstance({ kind: 'postgres', connectionString: url, schema });
  } catch (error) {
    const reason = isSluiceError(error) ? error.message : String(error);
    throw new Error(`the Postgres storage tests need a server: set SLUICE_TEST_DATABASE_URL or run \`scripts/services.sh up\` (${reason})`, {
      cause: error,
    });
  }
}

async function withClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

instanceContract('postgres', openTestInstance);

// File level, so it runs whichever tests were selected. A server that is down has nothing to drop.
afterAll(async () => {
  await withClient((client) => client.query(`drop schema if exists "${schema}" cascade`)).catch(() => {});
});

describe('Postgres store', () => {

  it('keeps every table in the schema it was opened with, and reopening migrates nothing twice', async () => {
    const instance = await openTestInstance();
    expect(instance.dialect).toBe('postgres');
    await instance.close();
    const tables = await withClient(async (client) => {
      const result = await client.query<{ table_name: string }>('select table_name from information_schema.tables where table_schema = $1 order by 1', [schema]);
      return result.rows.map((row) => row.table_name);
    });
    expect(tables).toEqual([
      'alert_deliveries',
      'alert_delivery_attempts',
      'alert_feeds',
      'asset_cursors',
      'asset_locks',
      'asset_partitions',
      'automation_asset_evaluations',
      'automation_evaluations',
      'automation_state',
      'backfills',
      'check_results',
      'events',
      'freshness_results',
      'freshness_states',
      'heartbeats',
      'kysely_migration',
      'kysely_migration_lock',
      'leases',
      'materializations',
      'run_configs',
      'run_steps',
      'runs',
      'schedule_states',
      'schedule_ticks',
      'sensor_run_keys',
      'sensor_states',
      'sensor_ticks',
    ]);
  });

  it('upgrades a store that has only the first migration, keeping its runs', async () => {
    const oldSchema = `${schema}_v1`;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }) });
    try {
      const provider = { getMigrations: async () => ({ '0001_initial_schema': { up: (d: Kysely<unknown>) => initialSchema.up(d.withSchema(oldSchema)) } }) };
      const { error } = await new Migrator({ db, provider, migrationTableSchema: oldSchema }).migrateToLatest();
      expect(error).toBeUndefined();
      const runId = fresh('old');
      await db.withSchema(oldSchema).insertInto('runs').values({ id: runId, status: 'QUEUED', selection: '*', trigger: 'cli', created_at: at(0) }).execute();

      const instance = await openInstance({ kind: 'postgres', connectionString: url, schema: oldSchema });
      try {
        expect(await instance.runs.getRun(runId)).toMatchObject({ id: runId, status: 'QUEUED', queueReason: null });
        await instance.runs.setQueueReason(runId, 'waiting');
        expect((await instance.runs.getRun(runId))?.queueReason).toBe('waiting');
        expect(await instance.coordination.acquireLease(fresh('lease'), 'a', 1000, at(0))).toBe(true);
      } finally {
        await instance.close();
      }
    } finally {
      await db.schema.dropSchema(oldSchema).ifExists().cascade().execute();
      await db.destroy();
    }
  });

  it('upgrades a store with runs in flight to the run counters: waiting and unfinished match the steps\' statuses', async () => {
    const oldSchema = `${schema}_v2`;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }) });
    try {
      const provider = {
        getMigrations: async () => ({
          '0001_initial_schema': { up: (d: Kysely<unknown>) => initialSchema.up(d.withSchema(oldSchema)) },
          '0002_locks_heartbeats_leases': { up: (d: Kysely<unknown>) => locksHeartbeatsLeases.up(d.withSchema(oldSchema)) },
        }),
      };
      const { error } = await new Migrator({ db, provider, migrationTableSchema: oldSchema }).migrateToLatest();
      expect(error).toBeUndefined();
      // In flight: a SUCCEEDED, b RUNNING (after a), c PENDING (after a and b), d PENDING (after a: ready),
      // e FAILED, f SKIPPED (after e). A second run has ended.
      const inFlight = fresh('flight');
      const ended = fresh('ended');
      const old = db.withSchema(oldSchema);
      await old.insertInto('runs').values([inFlight, ended].map((id) => ({ id, status: id === ended ? 'SUCCESS' : 'STARTED', selection: '*', trigger: 'cli', created_at: at(0) }))).execute();
      const shape: [string, string[], string][] = [
        ['a', [], 'SUCCEEDED'],
        ['b', ['a'], 'RUNNING'],
        ['c', ['a', 'b'], 'PENDING'],
        ['d', ['a'], 'PENDING'],
        ['e', [], 'FAILED'],
        ['f', ['e'], 'SKIPPED'],
      ];
      const children = (key: string) => shape.filter(([, deps]) => deps.includes(key)).map(([name]) => name);
      await old
        .insertInto('run_steps')
        .values(
          shape.map(([key, deps, status], position) => ({
            run_id: inFlight, step_key: key, kind: 'asset', asset_key: `${inFlight}/${key}`, check_name: null, position, deps, children: children(key), status, attempt: status === 'PENDING' ? 0 : 1,
          })),
        )
        .execute();
      await old.insertInto('run_steps').values({ run_id: ended, step_key: 'a', kind: 'asset', asset_key: `${ended}/a`, check_name: null, position: 0, deps: [], children: [], status: 'SUCCEEDED', attempt: 1 }).execute();

      const instance = await openInstance({ kind: 'postgres', connectionString: url, schema: oldSchema });
      try {
        expect(await instance.runs.unfinishedStepCount(inFlight)).toBe(3);
        expect(await instance.runs.unfinishedStepCount(ended)).toBe(0);
        expect(await instance.runs.readySteps(inFlight)).toEqual(['d']);
        expect(await instance.runs.finishStep(inFlight, 'b', succeeded())).toEqual({ ready: ['c'], skipped: [], remaining: 2 });
        expect(await instance.runs.readySteps(inFlight)).toEqual(['c', 'd']);
      } finally {
        await instance.close();
      }
    } finally {
      await db.schema.dropSchema(oldSchema).ifExists().cascade().execute();
      await db.destroy();
    }
  });

  it('migrates a fresh schema once when several openers race for it, and refuses a store that recorded a migration this version does not know', async () => {
    const raced = `${schema}_race`;
    try {
      const instances = await Promise.all([1, 2, 3].map(() => openInstance({ kind: 'postgres', connectionString: url, schema: raced })));
      await Promise.all(instances.map((instance) => instance.close()));
      const names = await withClient(async (client) => (await client.query<{ name: string }>(`select name from "${raced}".kysely_migration order by name`)).rows.map((row) => row.name));
      expect(names).toHaveLength(new Set(names).size);
      expect(names[0]).toBe('0001_initial_schema');
      expect(names.length).toBeGreaterThanOrEqual(13);

      await withClient((client) => client.query(`insert into "${raced}".kysely_migration (name, timestamp) values ('9999_from_a_newer_sluice', $1)`, [new Date().toISOString()]));
      const error = await openInstance({ kind: 'postgres', connectionString: url, schema: raced }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isSluiceError(error) && error.code).toBe('STORAGE_MIGRATION_FAILED');
      expect((error as Error).message).toContain('9999_from_a_newer_sluice is missing');
    } finally {
      await withClient((client) => client.query(`drop schema if exists "${raced}" cascade`));
    }
  });

  it('draws event ids only under the run row lock: a writer waits for it before its first id (so ids of a run increase in commit order); startStep draws none and does not wait', async () => {
    const instance = await openTestInstance();
    try {
      const p = fresh('idlock');
      const k = (name: string) => `${p}/${name}`;
      const run = newRun(graph(p, { a: [], b: ['a'], c: [], d: [], e: ['d'], f: [] }));
      await instance.runs.createRun(run);
      await instance.runs.startStep(run.id, k('c'), 1, at(1), 'w');
      await instance.runs.startStep(run.id, k('d'), 1, at(1), 'w');
      const writers: [string, () => Promise<unknown>][] = [
        ['finishStep (SUCCEEDED, frees a child)', () => instance.runs.finishStep(run.id, k('a'), succeeded())],
        ['retryStep', () => instance.runs.retryStep(run.id, k('c'), { ...failed(1), retryDelayMs: 0 })],
        ['finishStep (FAILED, skips)', () => instance.runs.finishStep(run.id, k('d'), failed())],
        ['appendEvents', () => instance.eventLog.appendEvents([{ type: 'LOG', runId: run.id, stepKey: null, at: at(3), data: { level: 'info', msg: 'x' } }])],
        ['cancelPendingSteps', () => instance.runs.cancelPendingSteps(run.id, at(4))],
      ];
      const lastId = async (client: pg.Client) => (await client.query<{ last_value: string }>(`select last_value from "${schema}".events_id_seq`)).rows[0]!.last_value;
      await withClient(async (holder) => {
        await holder.query('begin');
        await holder.query(`select id from "${schema}".runs where id = $1 for no key update`, [run.id]);
        const before = await lastId(holder);
        expect(await instance.runs.startStep(run.id, k('a'), 1, at(2), 'w')).toEqual({ started: true });
        expect(await lastId(holder)).toEqual(before);
        await holder.query('commit');
        for (const [name, write] of writers) {
          await holder.query('begin');
          await holder.query(`select id from "${schema}".runs where id = $1 for no key update`, [run.id]);
          const before = await lastId(holder);
          const writing = write();
          await new Promise((resolve) => setTimeout(resolve, 150));
          expect({ name, lastId: await lastId(holder) }).toEqual({ name, lastId: before });
          await holder.query('commit');
          await writing;
          expect({ name, advanced: BigInt(await lastId(holder)) > BigInt(before) }).toEqual({ name, advanced: true });
        }
      });
      expect(await instance.runs.unfinishedStepCount(run.id)).toBe(0);
    } finally {
      await instance.close();
    }
  });

  it('refreshes the planner statistics of run_steps when a run of 1,000 steps or more is created', async () => {
    const instance = await openTestInstance();
    try {
      const tuples = () =>
        withClient(async (client) => Number((await client.query(`select reltuples from pg_class where oid = '"${schema}".run_steps'::regclass`)).rows[0].reltuples));
      const before = await tuples();
      const p = fresh('analyzed');
      await instance.runs.createRun(newRun(Array.from({ length: 1000 }, (_, i) => assetStep(`${p}/s${i}`))));
      expect(await tuples()).toBeGreaterThanOrEqual(Math.max(before, 0) + 1000);
    } finally {
      await instance.close();
    }
  });

  it('refreshes them after a backfill whose runs add up to 1,000 steps, though no run of it is large', async () => {
    const instance = await openTestInstance();
    try {
      const tuples = () =>
        withClient(async (client) => Number((await client.query(`select reltuples from pg_class where oid = '"${schema}".run_steps'::regclass`)).rows[0].reltuples));
      const asset = fresh('analyzed-backfill');
      const id = randomUUID();
      const keys = Array.from({ length: 1000 }, (_, i) => `p${String(i).padStart(4, '0')}`);
      const runs = keys.map((key) => newRun([assetStep(asset)], { partition: key, trigger: `backfill:${id}` }));
      const before = await tuples();
      const spec = { id, selection: asset, from: keys[0]!, to: keys.at(-1)!, policy: { kind: 'chunks', size: 1 } as const, maxConcurrentRuns: 4, partitions: keys, trigger: 'cli', tags: {}, at: at(1) };
      await instance.backfills.createBackfill(spec, runs);
      expect(await tuples()).toBeGreaterThanOrEqual(Math.max(before, 0) + 1000);
    } finally {
      await instance.close();
    }
  });

  it('treats an asset lock its own step already holds (a lost attempt restarted) as taken, with the new worker', async () => {
    const instance = await openTestInstance();
    try {
      const asset = fresh('lost');
      const run = newRun([assetStep(asset)]);
      await instance.runs.createRun(run);
      await withClient((client) =>
        client.query(`insert into "${schema}".asset_locks (asset_key, run_id, step_key, worker, acquired_at) values ($1, $2, $1, 'lost-worker', $3)`, [asset, run.id, at(0)]),
      );
      expect(await instance.runs.startStep(run.id, asset, 2, at(5), 'w2')).toEqual({ started: true });
      expect((await instance.coordination.listAssetLocks()).filter((lock) => lock.assetKey === asset)).toEqual([{ assetKey: asset, partitionKey: '', runId: run.id, stepKey: asset, worker: 'w2', acquiredAt: at(5) }]);
    } finally {
      await instance.close();
    }
  });

  it('lets batched starts and batched ends of several runs over the same assets run at once on separate connections without waiting in a cycle', async () => {
    // The starts and the ends are called as statements (not through the process's batchers, which
    // would try a failed batch again step by step): a deadlock here fails the test.
    const instance = await openTestInstance();
    const db = (await openPostgresKysely(url)).withSchema(schema);
    try {
      const names = Array.from({ length: 8 }, (_, i) => `a${i}`);
      const startsOf = (keys: string[], worker: string) => keys.map((stepKey) => ({ stepKey, attempt: 1, at: at(1), worker }));
      for (let round = 0; round < 12; round++) {
        const p = fresh('cycle');
        const keys = names.map((name) => `${p}/${name}`);
        const [holder, first, second] = [newRun(graph(p, Object.fromEntries(names.map((n) => [n, []])))), newRun(graph(p, {})), newRun(graph(p, {}))];
        for (const run of [holder, first, second]) await instance.runs.createRun({ ...run, steps: holder.steps });
        expect(await startSteps(db, schema, holder.id, startsOf(keys, 'h'))).toEqual(keys.map(() => ({ started: true })));
        // At once: the holder ends every step (one statement releasing 8 locks) while two other runs
        // each start all of them (one statement each, given in opposite orders).
        const [ended, a, b] = await Promise.all([
          instance.runs.finishSteps(holder.id, [...keys].reverse().map((stepKey) => ({ stepKey, outcome: succeeded() }))),
          startSteps(db, schema, first.id, startsOf(keys, 'a')),
          startSteps(db, schema, second.id, startsOf([...keys].reverse(), 'b')),
        ]);
        expect(ended.map((r) => r.remaining).sort()).toContain(0);
        // Each asset is held by at most one step, and every start said so truthfully.
        const startedA = keys.filter((_, i) => a[i]?.started);
        const startedB = [...keys].reverse().filter((_, i) => b[i]?.started);
        expect(startedA.filter((key) => startedB.includes(key))).toEqual([]);
        const locks = (await instance.coordination.listAssetLocks()).filter((lock) => lock.assetKey.startsWith(p));
        expect(locks.map((lock) => [lock.assetKey, lock.worker]).sort()).toEqual([...startedA.map((key) => [key, 'a']), ...startedB.map((key) => [key, 'b'])].sort());
      }
    } finally {
      await db.destroy();
      await instance.close();
    }
  });

  it('reports an unreachable server as STORAGE_UNAVAILABLE naming host:port, never the password', async () => {
    const error = await openInstance({ kind: 'postgres', connectionString: 'postgres://sluice:hunter2@127.0.0.1:1/runs' }).catch((e: unknown) => e);
    expect(isSluiceError(error) && error.code).toBe('STORAGE_UNAVAILABLE');
    const message = (error as Error).message;
    expect(message).toContain('127.0.0.1:1');
    expect(message).toContain('docker compose up -d postgres');
    expect(message).not.toContain('hunter2');
  });

  it('rejects a schema name that is not a plain identifier', async () => {
    await expect(openInstance({ kind: 'postgres', connectionString: url, schema: 'bad"name' })).rejects.toMatchObject({ code: 'INVALID_STORAGE_SCHEMA' });
  });
});
