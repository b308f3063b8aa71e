import { afterAll, beforeAll, describe } from 'vitest';
import { apiClient } from '../../src/web/api-client.js';
import { FaultCluster } from '../faults/fixtures/fault-cluster.js';
import { eventDrivenTests, type EventWorld } from './fixtures/event-driven-suite.js';
import { eventProjectFiles } from './fixtures/event-project.js';

// Postgres + Redis, as deployed: TWO `sluice daemon`s (both evaluate sensors and automation; the
// sensor claims and the automation lease must keep every tick and request single) and one
// `sluice worker` running the steps. The test talks to the first daemon's dashboard API.
const TOKEN = 'e2e-events-dashboard-token';
let cluster: FaultCluster | undefined;
let world: EventWorld;

beforeAll(async () => {
  const c = await FaultCluster.start({
    assets: [],
    files: eventProjectFiles(),
    // No fault here: ordinary lock and heartbeat timings, quick sensor polls and evaluations.
    env: {
      SLUICE_LOCK_DURATION_MS: '30000',
      SLUICE_WORKER_TIMEOUT_MS: '15000',
      SLUICE_MONITOR_INTERVAL_MS: '1000',
      SLUICE_SENSOR_POLL_MS: '100',
      SLUICE_AUTOMATION_INTERVAL_MS: '300',
      SLUICE_WEB_TOKEN: TOKEN,
    },
  });
  cluster = c;
  const env = { E2E_PROJECT: c.dir };
  const first = c.spawn('daemon-1', ['daemon', '--web-host', '127.0.0.1', '--web-port', '0'], env);
  const second = c.spawn('daemon-2', ['daemon', '--no-web'], env);
  const worker = c.spawn('worker', ['worker', '--concurrency', '2', '--grace-ms', '1000'], env);
  const [, url] = await first.waitForOutput(/dashboard at (http:\/\/\S+)/, 90_000);
  await Promise.all([
    first.waitForOutput(/sluice daemon \S+ ready: executor bullmq, project \S+, 0 schedules, 4 sensors\b/, 90_000),
    second.waitForOutput(/sluice daemon \S+ ready/, 90_000),
    worker.waitForOutput(/sluice worker \S+ ready/, 90_000),
  ]);
  world = {
    dir: c.dir,
    api: apiClient(url!.replace(/\/$/, ''), TOKEN),
    cli: (args) => c.cli(args),
    diagnostics: () => c.diagnostics(),
  };
});

afterAll(async () => {
  await cluster?.destroy();
});

describe('sensors, automation and external events with two real daemons and a worker (Postgres + Redis)', () => {
  eventDrivenTests(() => world);
});
