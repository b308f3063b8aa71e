import { StepWorker } from '../execution/bullmq/step-worker.js';
import { HeartbeatWriter } from '../execution/heartbeat-writer.js';
import { connectRedis } from './distributed.js';
import { requireRedisUrl } from './require-redis-url.js';
import { openRuntime } from './runtime.js';
import type { Settings } from './settings.js';

export interface WorkerProcess {
  readonly id: string;
  readonly assets: number;
  /** Stops taking steps and lets running ones finish within `graceMs`. */
  close(graceMs: number): Promise<void>;
}

/** `sluice worker`: executes steps from BullMQ (heartbeat and all) until closed. */
export async function startWorkerProcess(settings: Settings, options: { concurrency: number }): Promise<WorkerProcess> {
  const url = requireRedisUrl(settings, 'sluice worker');
  const runtime = await openRuntime(settings);
  const redis = await connectRedis(url);
  const stepWorker = new StepWorker(runtime.stepHost({ logDestination: process.stderr }), {
    redis,
    prefix: settings.redisPrefix,
    pools: settings.pools,
    concurrency: options.concurrency,
    lockDurationMs: settings.lockDurationMs,
    onError: (error) => runtime.logger.warn({ err: error }, 'BullMQ worker error'),
  });
  const heartbeat = new HeartbeatWriter(runtime.instance.coordination, 'worker', () => ({ concurrency: options.concurrency, running: stepWorker.running, pools: settings.pools }));
  const close = async (graceMs: number) => {
    try {
      await stepWorker.close(graceMs);
      await heartbeat.stop();
    } finally {
      await runtime.close();
      redis.disconnect();
    }
  };
  try {
    await stepWorker.start();
    await heartbeat.start();
  } catch (error) {
    await close(0);
    throw error;
  }
  return { id: runtime.worker, assets: runtime.project.graph.size, close };
}
