import { getMaxListeners, setMaxListeners } from 'node:events';
import { toErrorInfo } from '../../core/events.js';
import type { RunRecord, StepRecord } from '../../storage/instance.js';
import { finishRunIfDone } from '../finish-run.js';
import { holdRunLease } from '../run-lease.js';
import { runStepAttempt, type StepRunnerContext } from '../step-runner.js';

/** How often a step waiting for another run's lock on its asset tries again. */
const ASSET_BUSY_POLL_MS = 200;

export interface InProcessOptions {
  /** Steps running at once (default 4). */
  readonly concurrency?: number;
}

/**
 * Executes a run inside this process: each step starts as soon as its dependencies are done, up to
 * `concurrency` at once. Storage is told of every transition as it happens; this object only keeps
 * what is in flight. Aborting `signal` cancels the run: running steps see their signal aborted,
 * nothing new starts, and the run ends CANCELED.
 */
export class InProcessExecutor {
  private readonly concurrency: number;

  constructor(
    private readonly host: StepRunnerContext,
    options: InProcessOptions = {},
  ) {
    this.concurrency = Math.max(1, options.concurrency ?? 4);
  }

  /**
   * Executes the run until it ends. Holds the run's lease meanwhile (RunOwnedError when another
   * live process executes it), so that no daemon adopts it.
   */
  async execute(runId: string, signal: AbortSignal): Promise<RunRecord> {
    // Each running step listens on the run's signal (and this executor once): room for all of
    // them, so a concurrency above 10 does not print Node's MaxListenersExceededWarning.
    setMaxListeners(Math.max(getMaxListeners(signal), this.concurrency + 4), signal);
    const lease = await holdRunLease(this.host.instance.coordination, runId, this.host.worker);
    try {
      return await this.executeLeased(runId, signal);
    } finally {
      await lease.release();
    }
  }

  private async executeLeased(runId: string, signal: AbortSignal): Promise<RunRecord> {
    const { instance } = this.host;
    const initial = await instance.runs.getRun(runId);
    if (!initial) throw new Error(`run ${runId} does not exist`);
    if (initial.status === 'QUEUED') {
      const at = this.host.now();
      if (await instance.runs.setRunStatus(runId, 'STARTED', at)) this.host.onEvent?.({ type: 'RUN_STARTED', runId, stepKey: null, at, data: {} });
    }
    const run = (await instance.runs.getRun(runId))!;
    const steps = new Map<string, StepRecord>((await instance.runs.listSteps(runId)).map((s) => [s.key, s]));
    const queue: string[] = await instance.runs.readySteps(runId);
    const attempts = new Map<string, number>();
    const timers = new Set<NodeJS.Timeout>();
    let running = 0;
    let fatal: unknown;

    await new Promise<void>((resolve) => {
      let rereading = false;
      let endedSinceRead = 0;
      const settleIfIdle = () => {
        if (running !== 0 || timers.size !== 0 || rereading) return;
        if (signal.aborted || fatal !== undefined) return resolve();
        if (queue.length > 0) return;
        if (endedSinceRead === 0) return resolve();
        // Nothing runs or waits: a finish retried after its commit's reply was lost matched nothing
        // and returned no ready steps, so the store, not this process, says whether any are left.
        rereading = true;
        endedSinceRead = 0;
        instance.runs
          .readySteps(runId)
          .then((ready) => queue.push(...ready))
          .catch((error: unknown) => {
            fatal = error;
          })
          .finally(() => {
            rereading = false;
            if (queue.length === 0 || signal.aborted || fatal !== undefined) resolve();
            else pump();
          });
      };
      const onAbort = () => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        queue.length = 0;
        settleIfIdle();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const later = (key: string, delayMs: number, sameAttempt: boolean) => {
        if (sameAttempt) attempts.set(key, attempts.get(key)! - 1);
        const timer = setTimeout(() => {
          timers.delete(timer);
          queue.push(key);
          pump();
        }, delayMs);
        timers.add(timer);
      };
      const pump = () => {
        while (!signal.aborted && fatal === undefined && running < this.concurrency && queue.length > 0) {
          const key = queue.shift()!;
          const step = steps.get(key)!;
          const attempt = (attempts.get(key) ?? step.attempt) + 1;
          attempts.set(key, attempt);
          running++;
          runStepAttempt(this.host, run, step, attempt, signal)
            .then((result) => {
              if (result.status === 'NOT_STARTED') {
                // Another run materializes this asset now: wait for its lock, same attempt.
                if (result.start.reason === 'asset-busy') later(key, ASSET_BUSY_POLL_MS, true);
              } else if (result.status === 'RETRY') later(key, result.retryDelayMs, false);
              else {
                endedSinceRead++;
                queue.push(...result.ready);
              }
            })
            .catch((error: unknown) => {
              // Storage failed under us: stop starting steps and end the run as a failure.
              fatal = error;
            })
            .finally(() => {
              running--;
              pump();
              settleIfIdle();
            });
        }
        settleIfIdle();
      };
      pump();
      if (signal.aborted) onAbort();
    });

    return this.finish(runId, signal.aborted, fatal);
  }

  private async finish(runId: string, canceled: boolean, fatal: unknown): Promise<RunRecord> {
    const { instance } = this.host;
    await finishRunIfDone(instance.runs, runId, this.host.now(), {
      cancelRequested: canceled,
      ...(fatal === undefined ? {} : { fatal: this.host.redactor.value(toErrorInfo(fatal)) }),
      ...(this.host.onEvent ? { onEvent: this.host.onEvent } : {}),
    });
    return (await instance.runs.getRun(runId))!;
  }
}
