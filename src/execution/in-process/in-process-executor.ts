import { toErrorInfo } from '../../core/events.js';
import { runOutcome } from '../../core/run/run-outcome.js';
import type { RunRecord, StepRecord } from '../../storage/instance.js';
import { runStepAttempt, type StepRunnerContext } from '../step-runner.js';

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

  async execute(runId: string, signal: AbortSignal): Promise<RunRecord> {
    const { instance } = this.host;
    const initial = await instance.getRun(runId);
    if (!initial) throw new Error(`run ${runId} does not exist`);
    if (initial.status === 'QUEUED') {
      const at = this.host.now();
      if (await instance.setRunStatus(runId, 'STARTED', at)) this.host.onEvent?.({ type: 'RUN_STARTED', runId, stepKey: null, at, data: {} });
    }
    const run = (await instance.getRun(runId))!;
    const steps = new Map<string, StepRecord>((await instance.listSteps(runId)).map((s) => [s.key, s]));
    const queue: string[] = await instance.readySteps(runId);
    const attempts = new Map<string, number>();
    const timers = new Set<NodeJS.Timeout>();
    let running = 0;
    let fatal: unknown;

    await new Promise<void>((resolve) => {
      const settleIfIdle = () => {
        if (running === 0 && timers.size === 0 && (queue.length === 0 || signal.aborted || fatal !== undefined)) resolve();
      };
      const onAbort = () => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        queue.length = 0;
        settleIfIdle();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const pump = () => {
        while (!signal.aborted && fatal === undefined && running < this.concurrency && queue.length > 0) {
          const key = queue.shift()!;
          const step = steps.get(key)!;
          const attempt = (attempts.get(key) ?? step.attempt) + 1;
          attempts.set(key, attempt);
          running++;
          runStepAttempt(this.host, run, step, attempt, signal)
            .then((result) => {
              if (result.status === 'SUCCEEDED' || result.status === 'FAILED' || result.status === 'CANCELED') queue.push(...result.ready);
              else if (result.status === 'RETRY') {
                const timer = setTimeout(() => {
                  timers.delete(timer);
                  queue.push(key);
                  pump();
                }, result.retryDelayMs);
                timers.add(timer);
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
    const at = this.host.now();
    if (canceled) {
      if (await instance.setRunStatus(runId, 'CANCELING', at)) this.host.onEvent?.({ type: 'RUN_CANCELING', runId, stepKey: null, at, data: {} });
      for (const key of await instance.cancelPendingSteps(runId, at)) {
        this.host.onEvent?.({ type: 'STEP_CANCELED', runId, stepKey: key, at, data: {} });
      }
    }
    const steps = await instance.listSteps(runId);
    let status = runOutcome(steps, canceled);
    let error = fatal === undefined ? undefined : this.host.redactor.value(toErrorInfo(fatal));
    if (status === null) {
      // Steps left PENDING with nothing running: their deps can never succeed. Cancel them and fail.
      const stuck = await instance.cancelPendingSteps(runId, at);
      status = canceled ? 'CANCELED' : 'FAILURE';
      error ??= { name: 'StuckRunError', message: `steps never became ready: ${stuck.join(', ')}` };
    }
    if (status !== 'SUCCESS' && status !== 'CANCELED' && !error) {
      const failed = steps.filter((s) => s.status === 'FAILED').map((s) => s.key);
      error = { name: 'StepsFailed', message: `${failed.length} step(s) failed: ${failed.join(', ')}` };
    }
    if (await instance.setRunStatus(runId, status, at, error)) {
      this.host.onEvent?.(
        status === 'FAILURE'
          ? { type: 'RUN_FAILURE', runId, stepKey: null, at, data: error ? { error } : {} }
          : { type: status === 'SUCCESS' ? 'RUN_SUCCESS' : 'RUN_CANCELED', runId, stepKey: null, at, data: {} },
      );
    }
    return (await instance.getRun(runId))!;
  }
}
