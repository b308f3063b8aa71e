import type { Command } from 'commander';
import { SluiceError } from '../../core/errors.js';
import { HeartbeatWriter } from '../../execution/heartbeat-writer.js';
import { InProcessExecutor } from '../../execution/in-process/in-process-executor.js';
import { launchBackfill, parseBackfillPolicy, type BackfillRequest } from '../../execution/launch-backfill.js';
import type { BackfillSummary } from '../../execution/backfill-summary.js';
import { cancelBackfill } from '../../execution/settle-backfills.js';
import { readDaemonAddress } from '../../runtime/embedded-daemon.js';
import { LocalRunService, RemoteRunService, type RunService } from '../../runtime/run-service.js';
import { openRuntime, type Runtime } from '../../runtime/runtime.js';
import type { Settings } from '../../runtime/settings.js';
import type { BackfillRecord } from '../../storage/instance.js';
import { EXIT, parsePositiveInt, printJson, settingsFor } from '../cli-context.js';
import { duration } from '../output/format.js';
import { countsLine, printBackfillSummary } from './backfills.js';
import { configNameBody, configNameOption, namedLaunchConfig } from './config-name-option.js';
import { cancelLocally } from './runs.js';

export interface BackfillOptions {
  select?: string;
  from?: string;
  to?: string;
  policy?: string;
  maxConcurrentRuns?: string;
  onlyFailed?: boolean;
  onlyMissing?: boolean;
  tag?: Record<string, string>;
  config?: string;
  configName?: string;
  allowFailedChecks?: boolean;
  json?: boolean;
  detach?: boolean;
}

/** Steps running at once within one run executed in this process (as `materialize`'s default). */
const STEP_CONCURRENCY = 4;
/** How often a followed backfill is read (daemon and BullMQ paths). */
const FOLLOW_POLL_MS = 500;

function required(opts: BackfillOptions, name: 'select' | 'from' | 'to'): string {
  const value = opts[name];
  if (value === undefined || value === '') {
    throw new SluiceError('INVALID_FLAG', `sluice backfill needs --${name}; e.g. sluice backfill --select "key:raw/orders" --from 2024-10-01 --to 2024-10-31`, { flag: `--${name}` });
  }
  return value;
}

/**
 * `sluice backfill --select EXPR --from KEY --to KEY`: writes a backfill (its runs QUEUED, split by
 * --policy) and sees it through. Where its runs execute: in the embedded daemon when one holds the
 * store (launched through its API), on BullMQ workers when SLUICE_REDIS_URL is set (the daemon's
 * run queue starts them), otherwise in this process, oldest first, at most --max-concurrent-runs
 * at once (default 1 here). Exit 0 when every run succeeded, 1 otherwise; --detach returns after
 * the launch.
 */
export async function backfill(cmd: Command, opts: BackfillOptions): Promise<number> {
  const settings = settingsFor(cmd);
  const selection = required(opts, 'select');
  const [from, to] = [required(opts, 'from'), required(opts, 'to')];
  const policyText = opts.policy ?? 'per-partition';
  const policy = parseBackfillPolicy(policyText);
  const maxRuns = opts.maxConcurrentRuns === undefined ? undefined : parsePositiveInt(opts.maxConcurrentRuns, '--max-concurrent-runs');
  const configName = configNameOption(opts);
  const config = opts.config === undefined ? undefined : (await import('./materialize.js')).readConfigFile(opts.config);
  const out = opts.json ? process.stderr : process.stdout;
  const base = { selection, from, to, onlyFailed: opts.onlyFailed === true, onlyMissing: opts.onlyMissing === true, tags: opts.tag ?? {}, allowFailedChecks: opts.allowFailedChecks === true };

  const daemon = settings.databaseUrl ? undefined : readDaemonAddress(settings.projectDir);
  if (daemon) {
    const service = new RemoteRunService(daemon);
    const t0 = Date.now();
    const launched = await service.launchBackfill({
      ...base,
      policy: policyText,
      maxConcurrentRuns: maxRuns ?? null,
      ...(config === undefined ? {} : { config }),
      ...configNameBody(opts),
      trigger: 'cli',
    });
    out.write(`backfill ${launched.backfillId}: ${launched.partitions} partition(s), ${launched.runs} run(s) created in ${Date.now() - t0} ms (executed by the sluice daemon)\n`);
    return opts.detach ? detached(opts, launched.backfillId, launched) : follow(service, launched.backfillId, opts, out);
  }

  const runtime = await openRuntime(settings);
  try {
    const distributed = settings.redisUrl !== undefined;
    const t0 = Date.now();
    const request: BackfillRequest = {
      ...base,
      policy,
      // In this process the limit is how many runs it executes at once; it is recorded, so a
      // daemon that later starts what is left keeps it.
      maxConcurrentRuns: maxRuns ?? (distributed ? null : 1),
      config,
      ...(await namedLaunchConfig(runtime.instance, configName)),
      trigger: 'cli',
      now: new Date(),
    };
    const record = await launchBackfill({ instance: runtime.instance, graph: runtime.project.graph }, request);
    const launchMs = Date.now() - t0;
    out.write(`backfill ${record.id}: ${record.partitions.length} partition(s), ${record.runCount} run(s) created in ${launchMs} ms (policy ${policyText})\n`);
    if (distributed) {
      await wakeDaemon(settings, runtime, record, out);
      // Awaited here: the store must stay open (finally below) until following ends.
      return opts.detach ? detached(opts, record.id, { partitions: record.partitions.length, runs: record.runCount, launchMs }) : await follow(new LocalRunService(runtime.instance), record.id, opts, out);
    }
    if (opts.detach) {
      out.write(`warning: no sluice daemon holds this store: the runs stay QUEUED until \`sluice daemon\` starts\n`);
      return detached(opts, record.id, { partitions: record.partitions.length, runs: record.runCount, launchMs });
    }
    return await executeHere(settings, runtime, record, request.maxConcurrentRuns ?? 1, opts, out);
  } finally {
    await runtime.close();
  }
}

function detached(opts: BackfillOptions, backfillId: string, launched: { partitions: number; runs: number; launchMs: number }): number {
  if (opts.json) printJson({ backfillId, status: 'RUNNING', partitions: launched.partitions, runs: launched.runs, launchMs: launched.launchMs });
  return EXIT.ok;
}

/** Announces the backfill's first run on Redis (daemons wake on any); warns when no daemon is alive. */
async function wakeDaemon(settings: Settings, runtime: Runtime, record: BackfillRecord, out: NodeJS.WritableStream): Promise<void> {
  const [{ connectRedis, requireRedisUrl }, { announceQueuedRun }] = await Promise.all([import('../../runtime/distributed.js'), import('../../execution/bullmq/run-wakeup.js')]);
  const redis = await connectRedis(requireRedisUrl(settings, 'sluice backfill (distributed)'));
  try {
    const [first] = await runtime.instance.backfills.listBackfillRuns(record.id);
    if (first) await announceQueuedRun(redis, settings.redisPrefix, first.runId);
  } finally {
    redis.disconnect();
  }
  const daemons = (await runtime.instance.coordination.listHeartbeats()).filter((b) => b.kind === 'daemon' && Date.now() - b.at.getTime() <= settings.workerTimeoutMs);
  if (daemons.length === 0) out.write('warning: no sluice daemon is running; the runs stay QUEUED until one starts\n');
}

function finished(summary: BackfillSummary, json: boolean | undefined, out: NodeJS.WritableStream): number {
  if (json) printJson(summary);
  else {
    out.write('\n');
    printBackfillSummary(summary, out);
  }
  const { counts } = summary;
  return counts.done === summary.partitionCount ? EXIT.ok : EXIT.failed;
}

/**
 * Follows a backfill that something else executes: a line per run as it ends, until none is
 * queued or running. Ctrl-C stops following; the backfill goes on.
 */
async function follow(service: RunService, id: string, opts: BackfillOptions, out: NodeJS.WritableStream): Promise<number> {
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const reported = new Set<string>();
    for (;;) {
      const summary = await service.backfill(id);
      const runs = runStates(summary);
      for (const [runId, run] of runs) {
        if (reported.has(runId) || !run.ended) continue;
        reported.add(runId);
        out.write(`${run.state === 'done' ? '✓' : '✗'} run ${runId} (${run.keys.length === 1 ? run.keys[0] : `${run.keys[0]}...${run.keys.at(-1)}`}) ${run.state}  [${countsLine(summary.counts)}]\n`);
      }
      if (summary.counts.queued + summary.counts.running === 0) return finished(summary, opts.json, out);
      if (interrupted) {
        out.write(`\nstopped following; backfill ${id} goes on (\`sluice backfill show ${id}\`, \`sluice backfill cancel ${id}\`)\n`);
        return EXIT.canceled;
      }
      await new Promise((resolve) => setTimeout(resolve, FOLLOW_POLL_MS));
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function runStates(summary: BackfillSummary): Map<string, { keys: string[]; state: string; ended: boolean }> {
  const runs = new Map<string, { keys: string[]; state: string; ended: boolean }>();
  for (const p of summary.partitions) {
    if (!p.runId) continue;
    const run = runs.get(p.runId) ?? { keys: [], state: p.state, ended: ['done', 'failed', 'canceled'].includes(p.state) };
    run.keys.push(p.key);
    runs.set(p.runId, run);
  }
  return runs;
}

/**
 * Executes the backfill's runs in this process, oldest first, `maxRuns` at once, a line per run as
 * it ends. Ctrl-C once cancels the backfill (running runs stop, queued ones never start); twice exits.
 */
async function executeHere(settings: Settings, runtime: Runtime, record: BackfillRecord, maxRuns: number, opts: BackfillOptions, out: NodeJS.WritableStream): Promise<number> {
  const { instance } = runtime;
  const pending = (await instance.backfills.listBackfillRuns(record.id)).filter((r) => r.status === 'QUEUED');
  const total = pending.length;
  const abort = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    if (++interrupts > 1) process.exit(EXIT.canceled);
    out.write('\ninterrupt: canceling the backfill (press Ctrl-C again to exit at once)\n');
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const heartbeat = new HeartbeatWriter(instance.coordination, 'worker', () => ({ inProcessBackfill: record.id, runsAtOnce: maxRuns }));
  await heartbeat.start();
  let ended = 0;
  let failed = 0;
  try {
    const host = runtime.stepHost();
    const executeNext = async (): Promise<void> => {
      for (let next = pending.shift(); next && !abort.signal.aborted; next = pending.shift()) {
        const t0 = Date.now();
        const run = await new InProcessExecutor(host, { concurrency: STEP_CONCURRENCY }).execute(next.runId, abort.signal);
        ended++;
        if (run.status !== 'SUCCESS') failed++;
        out.write(`${run.status === 'SUCCESS' ? '✓' : '✗'} run ${run.id} (${next.partition ?? '-'}) ${run.status} in ${duration(Date.now() - t0)}  [${ended}/${total} runs ended, ${failed} not successful]\n`);
      }
    };
    await Promise.all(Array.from({ length: Math.min(maxRuns, Math.max(1, total)) }, executeNext));
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await heartbeat.stop();
  }
  if (abort.signal.aborted) await cancelBackfill(instance.backfills, record.id, (runId) => cancelLocally(settings, instance, runId), () => new Date());
  else await instance.backfills.finishBackfillIfDone(record.id, new Date());
  const code = finished(await new LocalRunService(instance).backfill(record.id), opts.json, out);
  return abort.signal.aborted ? EXIT.canceled : code;
}
