import type { Command } from 'commander';
import { HeartbeatWriter } from '../../execution/heartbeat-writer.js';
import { StepWorker } from '../../execution/bullmq/step-worker.js';
import { connectRedis, requireRedisUrl } from '../../runtime/distributed.js';
import { openRuntime } from '../../runtime/runtime.js';
import { EXIT, parsePositiveInt, settingsFor } from '../cli-context.js';
import { untilSignal } from '../until-signal.js';

/** `sluice worker`: executes steps from BullMQ until SIGTERM/SIGINT, then drains within the grace period. */
export async function worker(cmd: Command, opts: { concurrency: string; graceMs: string }): Promise<number> {
  const settings = settingsFor(cmd);
  const url = requireRedisUrl(settings, 'sluice worker');
  const concurrency = parsePositiveInt(opts.concurrency, '--concurrency');
  const graceMs = parsePositiveInt(opts.graceMs, '--grace-ms');
  const runtime = await openRuntime(settings);
  const redis = await connectRedis(url);
  const stepWorker = new StepWorker(runtime.stepHost({ logDestination: process.stderr }), {
    redis,
    prefix: settings.redisPrefix,
    pools: settings.pools,
    concurrency,
    lockDurationMs: settings.lockDurationMs,
    onError: (error) => runtime.logger.warn({ err: error }, 'BullMQ worker error'),
  });
  const heartbeat = new HeartbeatWriter(runtime.instance.coordination, 'worker', () => ({ concurrency, running: stepWorker.running, pools: settings.pools }));
  try {
    await stepWorker.start();
    await heartbeat.start();
    process.stderr.write(`sluice worker ${runtime.worker} ready: concurrency ${concurrency}, ${runtime.project.graph.size} assets\n`);
    const signal = await untilSignal();
    process.stderr.write(`sluice worker: ${signal}, finishing running steps (grace ${graceMs} ms)\n`);
  } finally {
    await stepWorker.close(graceMs);
    await heartbeat.stop();
    await runtime.close();
    redis.disconnect();
  }
  return EXIT.ok;
}
