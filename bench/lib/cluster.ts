import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { isTerminalRunStatus } from '../../src/core/run/run-status.js';
import { announceQueuedRun } from '../../src/execution/bullmq/run-wakeup.js';
import { createRedis } from '../../src/execution/bullmq/redis-connection.js';
import { launchRun } from '../../src/execution/launch-run.js';
import { loadProject, type LoadedProject } from '../../src/runtime/load-project.js';
import type { Instance, RunRecord } from '../../src/storage/instance.js';
import { openInstance } from '../../src/storage/index.js';
import { DATABASE_URL, dropSchema, freshName, freshRedisPrefix, REDIS_URL } from './bench-env.js';
import { rssOf, waitForLine, type Spawned } from './processes.js';

const BIN = fileURLToPath(new URL('../../bin/sluice.js', import.meta.url));

/** A daemon and `workers` `sluice worker` processes on a fresh schema and Redis prefix. */
export interface Cluster {
  readonly instance: Instance;
  readonly project: LoadedProject;
  readonly daemonPid: number;
  readonly workerPids: readonly number[];
  /** Writes the run QUEUED and wakes the daemon, as `sluice materialize --detach` does. */
  submit(selection: string): Promise<RunRecord>;
  untilEnded(runId: string): Promise<RunRecord>;
  rss(): Promise<{ daemon: number; workers: number[] }>;
}

export async function withCluster<T>(projectDir: string, options: { workers: number; concurrency: number }, fn: (cluster: Cluster) => Promise<T>): Promise<T> {
  const schema = freshName('bench_sluice');
  const prefix = freshRedisPrefix();
  const env = {
    ...process.env,
    SLUICE_DATABASE_URL: DATABASE_URL,
    SLUICE_DATABASE_SCHEMA: schema,
    SLUICE_REDIS_URL: REDIS_URL,
    SLUICE_REDIS_PREFIX: prefix,
    SLUICE_LOG_LEVEL: 'warn',
    SLUICE_PROJECT: projectDir,
  };
  const children: Spawned[] = [];
  const start = (args: string[]) => {
    // BENCH_PROFILE=DIR: each daemon and worker writes a V8 CPU profile there when it exits.
    const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
    const child = spawn(process.execPath, [...profile, BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    return child;
  };
  let redis: Redis | undefined;
  let instance: Instance | undefined;
  try {
    const daemon = start(['daemon']);
    await waitForLine(daemon, ' ready: executor bullmq', 120_000);
    const workers: Spawned[] = [];
    for (let i = 0; i < options.workers; i++) workers.push(start(['worker', '--concurrency', String(options.concurrency)]));
    await Promise.all(workers.map((w) => waitForLine(w, ' ready: concurrency', 120_000)));
    instance = await openInstance({ kind: 'postgres', connectionString: DATABASE_URL, schema });
    const project = await loadProject(projectDir);
    redis = createRedis(REDIS_URL);
    const inst = instance;
    const r = redis;
    return await fn({
      instance: inst,
      project,
      daemonPid: daemon.pid!,
      workerPids: workers.map((w) => w.pid!),
      async submit(selection) {
        const run = await launchRun({ instance: inst, graph: project.graph }, { selection, trigger: 'bench', now: new Date() });
        await announceQueuedRun(r, prefix, run.id);
        return run;
      },
      async untilEnded(runId) {
        for (;;) {
          const run = (await inst.runs.getRun(runId))!;
          if (isTerminalRunStatus(run.status)) return run;
          await new Promise((res) => setTimeout(res, 25));
        }
      },
      async rss() {
        return { daemon: await rssOf(daemon.pid!), workers: await Promise.all(workers.map((w) => rssOf(w.pid!))) };
      },
    });
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((res) => (c.exitCode !== null ? res(null) : c.once('exit', res)))));
    if (redis) {
      const keys = await redis.keys(`${prefix}*`);
      for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
      redis.disconnect();
    }
    await instance?.close();
    await dropSchema(schema);
  }
}
