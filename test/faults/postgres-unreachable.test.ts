import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRecord } from '../../src/core/events.js';
import { TEST_DATABASE_URL } from '../fixtures/services.js';
import { countByStep, countMarks, once } from './fixtures/event-tally.js';
import { FaultCluster } from './fixtures/fault-cluster.js';
import { TcpProxy } from './fixtures/tcp-proxy.js';

const STEPS = ['c1', 'c2', 'c3', 'c4', 'c5', 'long'];

/** Events that would be wrong twice: every non-LOG event, by type, step and attempt. */
function duplicates(events: readonly EventRecord[]): string[] {
  const seen = new Map<string, number>();
  for (const e of events) {
    if (e.type === 'LOG') continue;
    const key = `${e.type} ${e.stepKey ?? '(run)'} attempt=${(e.data as { attempt?: number }).attempt ?? '-'}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return [...seen].filter(([, n]) => n > 1).map(([key, n]) => `${key} x${n}`);
}

// Fault: Postgres unreachable for ~3 s mid-run. Every Sluice process reaches Postgres through a
// proxy in this test process; the outage hangs their queries, then destroys their connections
// (queries in flight included) and refuses new ones. A chain of short steps makes step transitions
// (claims, outcome writes) fall inside the outage.
describe('Postgres unreachable for a few seconds', () => {
  let proxy: TcpProxy;
  let cluster: FaultCluster;
  beforeAll(async () => {
    const target = new URL(TEST_DATABASE_URL);
    proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
    const viaProxy = new URL(TEST_DATABASE_URL);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    cluster = await FaultCluster.start({
      databaseUrl: viaProxy.toString(),
      assets: [
        { key: 'c1', sleepMs: 300 },
        { key: 'c2', deps: ['c1'], sleepMs: 300 },
        { key: 'c3', deps: ['c2'], sleepMs: 300 },
        { key: 'c4', deps: ['c3'], sleepMs: 300 },
        { key: 'c5', deps: ['c4'], sleepMs: 300 },
        // Running across the whole cut.
        { key: 'long', sleepMs: 5000 },
      ],
    });
  });
  afterAll(async () => {
    await cluster?.destroy();
    await proxy?.close();
  });

  it('keeps every process alive, completes the run, and records no event twice', async () => {
    const daemon = await cluster.daemon();
    const workers = await Promise.all([cluster.worker('worker-1', 2), cluster.worker('worker-2', 2)]);
    const { proc: follower, runId } = await cluster.materialize('*');
    await cluster.waitForMark('c2 started', (m) => m.run === runId && m.step === 'c2' && m.event === 'start');

    // ~3 s without Postgres: 1 s where queries hang (so connections die with queries in flight),
    // then 2 s where every connection is reset and new ones are refused.
    proxy.stall();
    await new Promise((r) => setTimeout(r, 1000));
    proxy.cut();
    await new Promise((r) => setTimeout(r, 2000));
    proxy.restore();
    expect(proxy.cutConnections).toBeGreaterThan(0);

    expect((await follower.waitForExit(30_000)).code, cluster.diagnostics()).toBe(0);
    expect((await cluster.instance.runs.getRun(runId))!.status).toBe('SUCCESS');
    expect([daemon, ...workers].map((p) => [p.name, p.alive]), cluster.diagnostics()).toEqual([
      ['daemon', true],
      ['worker-1', true],
      ['worker-2', true],
    ]);

    const events = await cluster.events(runId);
    expect(duplicates(events)).toEqual([]);
    expect(countByStep(events, 'STEP_SUCCEEDED')).toEqual(once(STEPS));
    expect(countByStep(events, 'MATERIALIZATION')).toEqual(once(STEPS));
    expect(events.filter((e) => e.type === 'RUN_STARTED' || e.type === 'RUN_SUCCESS').map((e) => e.type)).toEqual(['RUN_STARTED', 'RUN_SUCCESS']);
    // No step's user code ran twice: an outcome that could not be written during the outage was
    // written once Postgres was back, instead of the step being run again.
    const marks = cluster.marks(runId);
    expect(countMarks(marks, 'start'), cluster.diagnostics()).toEqual(once(STEPS));
    expect(countMarks(marks, 'end')).toEqual(once(STEPS));
    expect(await cluster.jobCounts()).toMatchObject({ active: 0, waiting: 0, delayed: 0 });
  });
});
