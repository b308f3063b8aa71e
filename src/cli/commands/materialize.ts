import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { SluiceError } from '../../core/errors.js';
import { InProcessExecutor } from '../../execution/in-process/in-process-executor.js';
import { launchRun } from '../../execution/launch-run.js';
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

/** `sluice materialize`: launches a run of the selection and executes it in this process. */
export async function materialize(cmd: Command, opts: MaterializeOptions): Promise<number> {
  const settings = settingsFor(cmd);
  const concurrency = opts.concurrency === undefined ? 4 : parsePositiveInt(opts.concurrency, '--concurrency');
  const config = opts.config === undefined ? undefined : readConfigFile(opts.config);
  const runtime = await openRuntime(settings);
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
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
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
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      progress.finish();
    }
    const summary = await describeRun(runtime.instance, run.id);
    if (opts.json) printJson(summary);
    else printRunSummary(summary, process.stdout);
    return summary.status === 'SUCCESS' ? EXIT.ok : summary.status === 'CANCELED' ? EXIT.canceled : EXIT.failed;
  } finally {
    await runtime.close();
  }
}
