import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { SluiceError } from '../../core/errors.js';
import { announceQueuedRun } from '../../execution/bullmq/run-wakeup.js';
import { HeartbeatWriter } from '../../execution/heartbeat-writer.js';
import { InProcessExecutor } from '../../execution/in-process/in-process-executor.js';
import { launchRun } from '../../execution/launch-run.js';
import { bullmqLauncher, connectRedis, requireRedisUrl } from '../../runtime/distributed.js';
import { followRun } from '../../runtime/follow-run.js';
import { describeRun } from '../../runtime/run-summary.js';
import { openRuntime } from '../../runtime/runtime.js';
import { EXIT, parsePositiveInt, printJson, settingsFor } from '../cli-context.js';
import { ProgressPrinter } from '../output/progress.js';
import { printRunSummary } from './runs.js';

export interface MaterializeOptions {
  select: string;
  config?: string;
  tag?: Record<string, string>;
  concurrency?: string;
  json?: boolean;
  verbose?: boolean;
  detach?: boolean;
  inProcess?: boolean;
}

/** Reads a JSON config file; errors name the file and what is wrong with it. */
export function readConfigFile(path: string): unknown {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SluiceError('CONFIG_FILE', `cannot read --config file ${file}: ${(error as Error).message}`, { file });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SluiceError('CONFIG_FILE', `--config file ${file} is not valid JSON: ${(error as Error).message}`, { file });
  }
}

/** Exit code of a finished run. */
function exitFor(status: string): number {
  return status === 'SUCCESS' ? EXIT.ok : status === 'CANCELED' ? EXIT.canceled : EXIT.failed;
}

/**
 * `sluice materialize`: launches a run of the selection. With SLUICE_REDIS_URL (and not
 * --in-process) the run is submitted to the daemon and BullMQ workers and followed until it ends
 * (or not, with --detach); otherwise it executes in this process.
 */
export async function materialize(cmd: Command, opts: MaterializeOptions): Promise<number> {
  const settings = settingsFor(cmd);
  const concurrency = opts.concurrency === undefined ? 4 : parsePositiveInt(opts.concurrency, '--concurrency');
  const config = opts.config === undefined ? undefined : readConfigFile(opts.config);
  const distributed = settings.redisUrl !== undefined && !opts.inProcess;
  const redisUrl = distributed ? requireRedisUrl(settings, 'sluice materialize (distributed)') : undefined;
  const runtime = await openRuntime(settings);
  const redis = redisUrl ? await connectRedis(redisUrl) : undefined;
  try {
    const run = await launchRun(
      { instance: runtime.instance, graph: runtime.project.graph },
      { selection: opts.select, config, tags: opts.tag ?? {}, trigger: 'cli', now: new Date() },
    );
    const out = opts.json ? process.stderr : process.stdout;
    const steps = await runtime.instance.listSteps(run.id);
    out.write(`run ${run.id}: ${steps.length} step(s) for --select ${JSON.stringify(opts.select)}\n`);
    const progress = new ProgressPrinter(out, steps.length);
    const abort = new AbortController();
    let interrupts = 0;
    const onSignal = () => {
      interrupts++;
      if (interrupts === 1) {
        out.write('\ninterrupt: canceling the run (press Ctrl-C again to exit at once)\n');
        abort.abort();
      } else process.exit(EXIT.canceled);
    };
    if (redis) {
      await announceQueuedRun(redis, settings.redisPrefix, run.id);
      if (opts.detach) {
        if (opts.json) printJson({ runId: run.id, status: run.status });
        return EXIT.ok;
      }
      const daemons = (await runtime.instance.listHeartbeats()).filter((b) => b.kind === 'daemon' && Date.now() - b.at.getTime() <= settings.workerTimeoutMs);
      if (daemons.length === 0) out.write('warning: no sluice daemon is running; the run stays QUEUED until one starts\n');
    }
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      if (redis) {
        const launcher = bullmqLauncher(settings, runtime.instance, runtime.project.graph, redis);
        abort.signal.addEventListener('abort', () => void launcher.cancel(run.id).catch(() => {}), { once: true });
        try {
          await followRun(runtime.instance, run.id, (event) => progress.onEvent(event));
        } finally {
          await launcher.close();
        }
      } else {
        const heartbeat = new HeartbeatWriter(runtime.instance, 'worker', () => ({ inProcessRun: run.id, concurrency }));
        await heartbeat.start();
        try {
          const executor = new InProcessExecutor(
            runtime.stepHost({
              onEvent: (event) => progress.onEvent(event),
              ...(opts.verbose ? { logDestination: process.stderr } : {}),
            }),
            { concurrency },
          );
          await executor.execute(run.id, abort.signal);
        } finally {
          await heartbeat.stop();
        }
      }
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      progress.finish();
    }
    const summary = await describeRun(runtime.instance, run.id);
    if (opts.json) printJson(summary);
    else printRunSummary(summary, process.stdout);
    return exitFor(summary.status);
  } finally {
    redis?.disconnect();
    await runtime.close();
  }
}
