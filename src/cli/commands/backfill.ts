import type { Command } from 'commander';
import { SluiceError } from '../../core/errors.js';
import { parseBackfillPolicy } from '../../core/plan/backfill-policy.js';
import { openRunService } from '../../runtime/open-run-service.js';
import type { BackfillSummary, RunService } from '../../runtime/run-service.js';
import { EXIT, parsePositiveInt, printJson, settingsFor } from '../cli-context.js';
import { printBackfillSummary } from './backfills.js';
import { configNameOption } from './config-name-option.js';

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

function required(opts: BackfillOptions, name: 'select' | 'from' | 'to'): string {
  const value = opts[name];
  if (value === undefined || value === '') {
    throw new SluiceError('INVALID_FLAG', `sluice backfill needs --${name}; e.g. sluice backfill --select "key:raw/orders" --from 2024-10-01 --to 2024-10-31`, { flag: `--${name}` });
  }
  return value;
}

/**
 * `sluice backfill --select EXPR --from KEY --to KEY`: writes a backfill (its runs QUEUED, split by
 * --policy) and sees it through where the run service executes (the embedded daemon, BullMQ
 * workers, or this process: oldest first, at most --max-concurrent-runs at once, default 1 here).
 * Exit 0 when every run succeeded, 1 otherwise; --detach returns after the launch. Ctrl-C cancels
 * a backfill executed here, and only stops following one executed elsewhere.
 */
export async function backfill(cmd: Command, opts: BackfillOptions): Promise<number> {
  const settings = settingsFor(cmd);
  const selection = required(opts, 'select');
  const [from, to] = [required(opts, 'from'), required(opts, 'to')];
  const policy = opts.policy ?? 'per-partition';
  parseBackfillPolicy(policy); // a bad --policy fails before anything opens
  const maxRuns = opts.maxConcurrentRuns === undefined ? undefined : parsePositiveInt(opts.maxConcurrentRuns, '--max-concurrent-runs');
  const configName = configNameOption(opts);
  const config = opts.config === undefined ? undefined : (await import('./materialize.js')).readConfigFile(opts.config);
  const out = opts.json ? process.stderr : process.stdout;
  const service = await openRunService(settings, { launch: true });
  try {
    const launched = await service.launchBackfill({
      selection,
      from,
      to,
      policy,
      ...(maxRuns === undefined ? {} : { maxConcurrentRuns: maxRuns }),
      onlyFailed: opts.onlyFailed === true,
      onlyMissing: opts.onlyMissing === true,
      ...(config === undefined ? {} : { config }),
      ...(configName ? { configName } : {}),
      tags: opts.tag ?? {},
      trigger: 'cli',
      allowFailedChecks: opts.allowFailedChecks === true,
    });
    out.write(`backfill ${launched.backfillId}: ${launched.partitions} partition(s), ${launched.runs} run(s) created in ${launched.launchMs} ms (policy ${policy}${WHERE[service.executor]})\n`);
    for (const notice of launched.notices) out.write(`warning: ${notice}\n`);
    if (opts.detach) {
      if (service.executor === 'in-process') out.write('warning: no sluice daemon holds this store: the runs stay QUEUED until `sluice daemon` starts\n');
      if (opts.json) printJson({ backfillId: launched.backfillId, status: 'RUNNING', partitions: launched.partitions, runs: launched.runs, launchMs: launched.launchMs });
      return EXIT.ok;
    }
    return await follow(service, launched.backfillId, opts, out);
  } finally {
    await service.close();
  }
}

const WHERE: Record<RunService['executor'], string> = {
  daemon: ', executed by the sluice daemon',
  bullmq: ', executed by BullMQ workers',
  'in-process': '',
};

/** Sees the backfill through: a line per run as it ends, then the summary. */
async function follow(service: RunService, id: string, opts: BackfillOptions, out: NodeJS.WritableStream): Promise<number> {
  const abort = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    if (++interrupts > 1) process.exit(EXIT.canceled);
    out.write(service.executor === 'in-process' ? '\ninterrupt: canceling the backfill (press Ctrl-C again to exit at once)\n' : '\ninterrupt: stopping following\n');
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const awaited = await service.awaitBackfill(id, {
      signal: abort.signal,
      onRunEnded: (run) => {
        const what = run.partitions.length === 1 ? run.partitions[0] : `${run.partitions[0]}...${run.partitions.at(-1)}`;
        out.write(`${run.state === 'done' ? '✓' : '✗'} run ${run.runId} (${what}) ${run.state}  [${run.endedRuns}/${run.totalRuns} runs ended, ${run.notSuccessful} not successful]\n`);
      },
    });
    if (awaited.interrupted === 'detached') {
      out.write(`stopped following; backfill ${id} goes on (\`sluice backfill show ${id}\`, \`sluice backfill cancel ${id}\`)\n`);
      return EXIT.canceled;
    }
    const code = finished(awaited.summary, opts.json, out);
    return awaited.interrupted === 'canceled' ? EXIT.canceled : code;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function finished(summary: BackfillSummary, json: boolean | undefined, out: NodeJS.WritableStream): number {
  if (json) printJson(summary);
  else {
    out.write('\n');
    printBackfillSummary(summary, out);
  }
  return summary.counts.done === summary.partitionCount ? EXIT.ok : EXIT.failed;
}
