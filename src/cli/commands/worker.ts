import type { Command } from 'commander';
import { startWorkerProcess } from '../../runtime/worker-process.js';
import { EXIT, parsePositiveInt, settingsFor } from '../cli-context.js';
import { untilSignal } from '../until-signal.js';

/** `sluice worker`: executes steps from BullMQ until SIGTERM/SIGINT, then drains within the grace period. */
export async function worker(cmd: Command, opts: { concurrency: string; graceMs: string }): Promise<number> {
  const settings = settingsFor(cmd);
  const concurrency = parsePositiveInt(opts.concurrency, '--concurrency');
  const graceMs = parsePositiveInt(opts.graceMs, '--grace-ms');
  const worker = await startWorkerProcess(settings, { concurrency });
  let signal: NodeJS.Signals | undefined;
  try {
    process.stderr.write(`sluice worker ${worker.id} ready: concurrency ${concurrency}, ${worker.assets} assets\n`);
    signal = await untilSignal();
    process.stderr.write(`sluice worker: ${signal}, finishing running steps (grace ${graceMs} ms)\n`);
  } finally {
    await worker.close(graceMs);
  }
  return EXIT.ok;
}
