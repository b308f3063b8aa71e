import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { SluiceError } from '../../core/errors.js';
import { HeartbeatWriter } from '../../execution/heartbeat-writer.js';
import { InProcessExecutor } from '../../execution/in-process/in-process-executor.js';
import { launchRun } from '../../execution/launch-run.js';
import { requireRedisUrl } from '../../runtime/require-redis-url.js';
import { followRun } from '../../runtime/follow-run.js';
import { describeRun, type RunSummary } from '../../execution/run-summary.js';
import { readDaemonAddress } from '../../runtime/embedded-daemon.js';
import { LocalRunService, RemoteRunService } from '../../runtime/run-service.js';
import { openRuntime } from '../../runtime/runtime.js';
import { EXIT, parsePositiveInt, printJson, settingsFor } from '../cli-context.js';
import { ProgressPrinter } from '../output/progress.js';
import { configNameBody, configNameOption, namedLaunchConfig } from './config-name-option.js';
import { partitionOption } from './partition-option.js';
import { printRunSummary } from './runs.js';

export interface MaterializeOptions {
  select: string;
  config?: string;
  /** `NAME[@VERSION]` of a stored run config. */
  configName?: string;
  tag?: Record<string, string>;
  concurrency?: string;
  json?: boolean;
  verbose?: boolean;
  detach?: boolean;
  inProcess?: boolean;
  allowFailedChecks?: boolean;
  /** One partition key of the selection's partitioned assets. */
  partition?: string;
  /** `FROM...TO`; not with `partition`. */
  partitionRange?: string;
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

/** Ctrl-C once cancels the run (`cancel`), twice exits at once. Returns the uninstaller. */
function cancelOnInterrupt(out: NodeJS.WritableStream, cancel: () => void): () => void {
  let interrupts = 0;
  const onSignal = () => {
    interrupts++;
    if (interrupts === 1) {
      out.write('\ninterrupt: canceling the run (press Ctrl-C again to exit at once)\n');
      cancel();
    } else process.exit(EXIT.canceled);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

function finish(summary: RunSummary, json: boolean | undefined): number {
  if (json) printJson(summary);
  else printRunSummary(summary, process.stdout);
  return exitFor(summary.status);
}

/**
 * `sluice materialize`: launches a run of the selection and follows it until it ends. Where it
 * executes: on BullMQ workers when SLUICE_REDIS_URL is set (submitted to the daemon; --detach
 * returns at once), in the embedded daemon when one holds the project's store, otherwise (and with
 * --in-process) in this process.
 */
export async function materialize(cmd: Command, opts: MaterializeOptions): Promise<number> {
  const settings = settingsFor(cmd);
  const concurrency = opts.concurrency === undefined ? 4 : parsePositiveInt(opts.concurrency, '--concurrency');
  const configName = configNameOption(opts);
  const partition = partitionOption(opts);
  const config = opts.config === undefined ? undefined : readConfigFile(opts.config);
  const out = opts.json ? process.stderr : process.stdout;
  const embeddedDaemon = settings.databaseUrl ? undefined : readDaemonAddress(settings.projectDir);
  if (embeddedDaemon) return materializeThroughDaemon(new RemoteRunService(embeddedDaemon), opts, config, partition?.partition, out);

  const distributed = settings.redisUrl !== undefined && !opts.inProcess;
  const redisUrl = distributed ? requireRedisUrl(settings, 'sluice materialize (distributed)') : undefined;
  const runtime = await openRuntime(settings);
  // BullMQ and ioredis load only for a distributed run (a third of a short command's start-up otherwise).
  const distributedModule = redisUrl ? await import('../../runtime/distributed.js') : undefined;
  const redis = redisUrl ? await distributedModule!.connectRedis(redisUrl) : undefined;
  try {
    const run = await launchRun(
      { instance: runtime.instance, graph: runtime.project.graph },
      { selection: opts.select, config, ...(await namedLaunchConfig(runtime.instance, configName)), tags: opts.tag ?? {}, trigger: 'cli', now: new Date(), allowFailedChecks: opts.allowFailedChecks === true, ...(partition ? { partition: partition.partition, partitionSource: partition.source } : {}) },
    );
    const steps = await runtime.instance.runs.listSteps(run.id);
    out.write(`run ${run.id}: ${steps.length} step(s) for --select ${JSON.stringify(opts.select)}${run.partition ? ` partition ${run.partition}` : ''}\n`);
    const progress = new ProgressPrinter(out, steps.length);
    if (redis) {
      const { announceQueuedRun, bullmqLauncher } = distributedModule!;
      await announceQueuedRun(redis, settings.redisPrefix, run.id);
      if (opts.detach) {
        if (opts.json) printJson({ runId: run.id, status: run.status });
        return EXIT.ok;
      }
      const daemons = (await runtime.instance.coordination.listHeartbeats()).filter((b) => b.kind === 'daemon' && Date.now() - b.at.getTime() <= settings.workerTimeoutMs);
      if (daemons.length === 0) out.write('warning: no sluice daemon is running; the run stays QUEUED until one starts\n');
      const launcher = bullmqLauncher(settings, runtime.instance, runtime.project.graph, redis);
      const uninstall = cancelOnInterrupt(out, () => void launcher.cancel(run.id).catch(() => {}));
      try {
        return finish(await followRun(new LocalRunService(runtime.instance), run.id, (event) => progress.onEvent(event)), opts.json);
      } finally {
        uninstall();
        progress.finish();
        await launcher.close();
      }
    }
    const abort = new AbortController();
    const uninstall = cancelOnInterrupt(out, () => abort.abort());
    const heartbeat = new HeartbeatWriter(runtime.instance.coordination, 'worker', () => ({ inProcessRun: run.id, concurrency }));
    await heartbeat.start();
    try {
      const host = runtime.stepHost({ onEvent: (event) => progress.onEvent(event), ...(opts.verbose ? { logDestination: process.stderr } : {}) });
      await new InProcessExecutor(host, { concurrency }).execute(run.id, abort.signal);
    } finally {
      uninstall();
      progress.finish();
      await heartbeat.stop();
    }
    return finish(await describeRun(runtime.instance, run.id), opts.json);
  } finally {
    redis?.disconnect();
    await runtime.close();
  }
}

/** The embedded daemon holds the store: submit through its API and follow the run there. */
async function materializeThroughDaemon(service: RemoteRunService, opts: MaterializeOptions, config: unknown, partition: string | undefined, out: NodeJS.WritableStream): Promise<number> {
  const launched = await service.launch({
    selection: opts.select,
    ...(config === undefined ? {} : { config }),
    ...configNameBody(opts),
    tags: opts.tag ?? {},
    trigger: 'cli',
    ...(opts.allowFailedChecks ? { allowFailedChecks: true } : {}),
    ...(partition === undefined ? {} : { partition }),
  });
  out.write(`run ${launched.runId}: ${launched.steps} step(s) for --select ${JSON.stringify(opts.select)} (executed by the sluice daemon)\n`);
  if (opts.detach) {
    if (opts.json) printJson({ runId: launched.runId, status: launched.status });
    return EXIT.ok;
  }
  const progress = new ProgressPrinter(out, launched.steps);
  const uninstall = cancelOnInterrupt(out, () => void service.cancel(launched.runId).catch(() => {}));
  try {
    return finish(await followRun(service, launched.runId, (event) => progress.onEvent(event)), opts.json);
  } finally {
    uninstall();
    progress.finish();
  }
}
