import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { SluiceError } from '../../core/errors.js';
import { openRunService } from '../../runtime/open-run-service.js';
import type { RunService, RunSummary } from '../../runtime/run-service.js';
import { EXIT, parsePositiveInt, printJson, settingsFor } from '../cli-context.js';
import { ProgressPrinter } from '../output/progress.js';
import { configNameOption } from './config-name-option.js';
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

const WHERE: Record<RunService['executor'], string> = {
  daemon: ' (executed by the sluice daemon)',
  bullmq: ' (executed by BullMQ workers)',
  'in-process': '',
};

/**
 * `sluice materialize`: launches a run of the selection and follows it until it ends. Where it
 * executes is the run service's choice (runtime/open-run-service.ts): the embedded daemon that
 * holds the store, BullMQ workers with SLUICE_REDIS_URL (not with --in-process), or this process.
 * --detach returns once the run is launched.
 */
export async function materialize(cmd: Command, opts: MaterializeOptions): Promise<number> {
  const settings = settingsFor(cmd);
  const concurrency = opts.concurrency === undefined ? undefined : parsePositiveInt(opts.concurrency, '--concurrency');
  const configName = configNameOption(opts);
  const partition = partitionOption(opts);
  const config = opts.config === undefined ? undefined : readConfigFile(opts.config);
  const out = opts.json ? process.stderr : process.stdout;
  const service = await openRunService(settings, {
    launch: true,
    inProcess: opts.inProcess === true,
    ...(concurrency ? { concurrency } : {}),
    ...(opts.verbose ? { logDestination: process.stderr } : {}),
  });
  try {
    const launched = await service.launchRun({
      selection: opts.select,
      ...(config === undefined ? {} : { config }),
      ...(configName ? { configName } : {}),
      tags: opts.tag ?? {},
      trigger: 'cli',
      allowFailedChecks: opts.allowFailedChecks === true,
      ...(partition ? { partition: partition.partition } : {}),
      sources: { selection: '--select', tags: '--tag', ...(partition ? { partition: partition.source } : {}) },
    });
    out.write(`run ${launched.runId}: ${launched.steps} step(s) for --select ${JSON.stringify(opts.select)}${partition ? ` partition ${partition.partition}` : ''}${WHERE[service.executor]}\n`);
    for (const notice of launched.notices) out.write(`warning: ${notice}\n`);
    if (opts.detach) {
      if (service.executor === 'in-process') out.write('warning: no sluice daemon holds this store: the run stays QUEUED until `sluice daemon` starts\n');
      if (opts.json) printJson({ runId: launched.runId, status: launched.status });
      return EXIT.ok;
    }
    const progress = new ProgressPrinter(out, launched.steps);
    const abort = new AbortController();
    const uninstall = cancelOnInterrupt(out, () => abort.abort());
    try {
      return finish(await service.awaitRun(launched.runId, { onEvent: (event) => progress.onEvent(event), signal: abort.signal }), opts.json);
    } finally {
      uninstall();
      progress.finish();
    }
  } finally {
    await service.close();
  }
}
