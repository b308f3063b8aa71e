import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onAssetEvents } from '../../src/core/sensor/sensor-sources.js';
import { evaluateSensor } from '../../src/execution/sensor-evaluation.js';
import type { Instance } from '../../src/storage/instance.js';
import { openInstance } from '../../src/storage/index.js';
import { graphOf, noop } from '../fixtures/graph.js';
import { assetStep, newRun } from '../storage/fixtures.js';
import { waitFor } from '../faults/fixtures/wait-for.js';

const url = process.env.SLUICE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `sluice_feed_${randomUUID().replaceAll('-', '').slice(0, 10)}`;
const silent = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, fatal() {}, child: () => silent };

// Event ids are drawn before commit: a slow transaction can commit an id below one already visible.
describe('asset sensor feed on Postgres', () => {
  let instance: Instance;
  let client: pg.Client;
  beforeAll(async () => {
    instance = await openInstance({ kind: 'postgres', connectionString: url, schema });
    client = new pg.Client({ connectionString: url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await instance?.close();
  });

  it('never skips an event committed late below one it has seen: it is fed once the slow transaction ends, in id order', async () => {
    const key = `k_${randomUUID().slice(0, 6)}`;
    const graph = graphOf([noop(key)]);
    const fed: number[][] = [];
    const sensor = onAssetEvents({ name: 'late', assets: key, evaluate: (_ctx, events) => (fed.push(events.map((e) => e.id)), {}) });
    const host = { graph, storage: instance.sensors, resources: async () => ({}), log: () => silent };
    const [slow, fast] = [newRun([assetStep(key)]), newRun([assetStep(key)])];
    await instance.runs.createRun(slow);
    await instance.runs.createRun(fast);
    const materialization = (runId: string) => ({ type: 'MATERIALIZATION' as const, runId, stepKey: key, at: new Date(), data: { assetKey: key, metadata: {} } });

    await client.query('begin');
    const { rows } = await client.query<{ id: string }>(
      `insert into ${schema}.events (run_id, step_key, type, at, data) values ($1, $2, 'MATERIALIZATION', now(), $3) returning id`,
      [slow.id, key, JSON.stringify({ assetKey: key, metadata: {} })],
    );
    const lowId = Number(rows[0]!.id);
    await instance.eventLog.appendEvents([materialization(fast.id)]);
    const first = await evaluateSensor(host, sensor, { cursor: null, lastTick: null });
    expect(fed.flat()).toEqual([]);
    expect(first.skipReason).toBe('no new events');

    await client.query('commit');
    // Fed once every transaction running at the first look has ended (other tests share the server).
    let cursor = first.cursor;
    await waitFor('both events fed', async () => {
      cursor = (await evaluateSensor(host, sensor, { cursor, lastTick: null })).cursor;
      return fed.flat().length >= 2;
    }, { timeoutMs: 60_000, intervalMs: 100 });
    const ids = fed.flat();
    expect(ids[0]).toBe(lowId);
    expect(ids).toHaveLength(2);
    expect(ids[1]).toBeGreaterThan(lowId);
  });
});
