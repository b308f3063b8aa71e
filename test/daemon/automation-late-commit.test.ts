import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AutomationCursor } from '../../src/core/automation/automation-snapshot.js';
import { newlyUpdated } from '../../src/core/automation/operands.js';
import { evaluatePass } from '../../src/daemon/automation-pass.js';
import { AutomationTracker } from '../../src/daemon/automation-tracker.js';
import type { Instance } from '../../src/storage/instance.js';
import { openInstance } from '../../src/storage/index.js';
import { waitFor } from '../faults/fixtures/wait-for.js';
import { graphOf, noop } from '../fixtures/graph.js';
import { assetStep, newRun, succeeded } from '../storage/fixtures.js';

const url = process.env.SLUICE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `sluice_autolate_${randomUUID().replaceAll('-', '').slice(0, 10)}`;

// Materialization ids are drawn before commit: a slow transaction can commit an id below one already visible.
describe('automation tracker on Postgres', () => {
  let instance: Instance;
  let client: pg.Client;
  beforeAll(async () => {
    instance = await openInstance({ kind: 'postgres', connectionString: url, schema });
    client = new pg.Client({ connectionString: url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.query('rollback').catch(() => {});
    await client?.end();
    await instance?.close();
  });

  it('sees a materialization committed late, below one already visible, as newly updated once', async () => {
    // Each asset requests itself when newly updated: a request is the proof it was seen as such.
    const graph = graphOf([noop('slow', [], { automation: newlyUpdated() }), noop('fast', [], { automation: newlyUpdated() })]);
    const tracker = new AutomationTracker(instance);
    let now = new Date();
    await tracker.load(graph, null, now);
    let cursor: AutomationCursor = (await evaluatePass(graph, tracker, null, now)).evaluation.cursor;
    const requests: string[] = [];
    const evaluate = async () => {
      now = new Date(now.getTime() + 1000);
      const { evaluation } = await evaluatePass(graph, tracker, cursor, now);
      cursor = evaluation.cursor;
      requests.push(...evaluation.requested.keys());
    };

    const slowRun = newRun([assetStep('slow')]);
    await instance.runs.createRun(slowRun);
    await client.query('begin');
    const { rows } = await client.query<{ id: string }>(
      `insert into ${schema}.materializations (asset_key, partition_key, run_id, step_key, metadata, at) values ('slow', null, $1, 'slow', '{}', now()) returning id`,
      [slowRun.id],
    );
    const fastRun = newRun([assetStep('fast')]);
    await instance.runs.createRun(fastRun);
    await instance.runs.startStep(fastRun.id, 'fast', 1, now, 'w');
    await instance.runs.finishStep(fastRun.id, 'fast', succeeded(1, { materialization: { metadata: {} } }));
    const [fastId] = (await instance.automation.materializationsAfter(Number(rows[0]!.id), 10)).map((m) => m.id);
    expect(fastId).toBeGreaterThan(Number(rows[0]!.id));

    // While the slow transaction runs, the fast materialization's id is not final: neither is read.
    await evaluate();
    expect(requests).toEqual([]);

    await client.query('commit');
    // Read once every transaction running at the first look has ended (other tests share the server).
    await waitFor('both materializations seen', async () => {
      await evaluate();
      return requests.length >= 2;
    }, { timeoutMs: 60_000, intervalMs: 100 });
    await evaluate();
    await evaluate();
    expect(requests.sort()).toEqual(['fast', 'slow']);
  });
});
