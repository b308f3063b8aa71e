import type { NewEvent } from '../core/events.js';
import type { RunStatus } from '../core/run/run-status.js';
import { cancelableRun } from '../execution/cancel-run.js';
import { HeartbeatWriter } from '../execution/heartbeat-writer.js';
import { InProcessExecutor } from '../execution/in-process/in-process-executor.js';
import type { RunSummary } from '../execution/run-summary.js';
import type { StepRunnerContext } from '../execution/step-runner.js';
import type { AwaitedBackfill, BackfillRunEnded } from './run-service.js';
import { StoreRunService, type StoreRunServiceDeps } from './store-run-service.js';

/** Steps running at once within one run when none is asked for (as `materialize`'s default). */
export const DEFAULT_STEP_CONCURRENCY = 4;

export interface InProcessRunServiceDeps extends Omit<StoreRunServiceDeps, 'executor' | 'cancel' | 'onQueued' | 'launchNotices' | 'defaultMaxConcurrentRuns'> {
  /** The step host of this process; `onEvent` sees every committed event of the runs it executes. */
  readonly stepHost: (options: { onEvent?: (event: NewEvent) => void }) => StepRunnerContext;
  /** Steps running at once within one run. */
  readonly concurrency?: number;
}

/**
 * The run port when this process executes: launches write runs QUEUED and `awaitRun` /
 * `awaitBackfill` execute them here (the embedded default without a daemon, and `--in-process`).
 * A heartbeat says what this process executes while it does.
 */
export class InProcessRunService extends StoreRunService {
  readonly #host: InProcessRunServiceDeps['stepHost'];
  readonly #concurrency: number;
  readonly #executing = new Map<string, AbortController>();

  constructor(deps: InProcessRunServiceDeps) {
    // One backfill run at a time here unless asked: the limit is recorded, so a daemon that later starts what is left keeps it.
    super({ ...deps, executor: 'in-process', defaultMaxConcurrentRuns: 1 });
    this.#host = deps.stepHost;
    this.#concurrency = deps.concurrency ?? DEFAULT_STEP_CONCURRENCY;
  }

  override async cancelRun(runId: string): Promise<RunStatus> {
    const executing = this.#executing.get(runId);
    if (!executing) return super.cancelRun(runId);
    await cancelableRun(this.instance.runs, runId);
    executing.abort();
    return (await this.instance.runs.getRun(runId))!.status;
  }

  /** Executes the run here; `signal` cancels it. */
  override async awaitRun(runId: string, options: { onEvent?: (event: NewEvent) => void; signal?: AbortSignal } = {}): Promise<RunSummary> {
    await this.summary(runId); // UNKNOWN_RUN before anything starts
    const heartbeat = new HeartbeatWriter(this.instance.coordination, 'worker', () => ({ inProcessRun: runId, concurrency: this.#concurrency }));
    await heartbeat.start();
    try {
      await this.#execute(runId, options.signal, options.onEvent);
    } finally {
      await heartbeat.stop();
    }
    return this.summary(runId);
  }

  async #execute(runId: string, signal: AbortSignal | undefined, onEvent?: (event: NewEvent) => void): Promise<{ status: RunStatus }> {
    const abort = new AbortController();
    const onAbort = () => abort.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) abort.abort();
    this.#executing.set(runId, abort);
    try {
      return await new InProcessExecutor(this.#host(onEvent ? { onEvent } : {}), { concurrency: this.#concurrency }).execute(runId, abort.signal);
    } finally {
      this.#executing.delete(runId);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Executes the backfill's queued runs here, oldest first, as many at once as it allows, and
   * reports each as it ends. `signal` cancels the backfill (running runs stop, queued ones never start).
   */
  override async awaitBackfill(id: string, options: { onRunEnded?: (ended: BackfillRunEnded) => void; signal?: AbortSignal } = {}): Promise<AwaitedBackfill> {
    const record = await this.instance.backfills.getBackfill(id);
    if (!record) return { summary: await this.backfill(id) }; // UNKNOWN_BACKFILL
    const pending = (await this.instance.backfills.listBackfillRuns(id)).filter((r) => r.status === 'QUEUED');
    const totalRuns = pending.length;
    const atOnce = Math.min(record.maxConcurrentRuns ?? 1, Math.max(1, totalRuns));
    const heartbeat = new HeartbeatWriter(this.instance.coordination, 'worker', () => ({ inProcessBackfill: id, runsAtOnce: atOnce }));
    await heartbeat.start();
    let endedRuns = 0;
    let notSuccessful = 0;
    try {
      const executeNext = async (): Promise<void> => {
        for (let next = pending.shift(); next && !options.signal?.aborted; next = pending.shift()) {
          const run = await this.#execute(next.runId, options.signal);
          endedRuns++;
          if (run.status !== 'SUCCESS') notSuccessful++;
          const state = run.status === 'SUCCESS' ? 'done' : run.status === 'CANCELED' ? 'canceled' : 'failed';
          options.onRunEnded?.({ runId: next.runId, partitions: [next.partition ?? '-'], state, endedRuns, totalRuns, notSuccessful });
        }
      };
      await Promise.all(Array.from({ length: atOnce }, executeNext));
    } finally {
      await heartbeat.stop();
    }
    if (options.signal?.aborted) {
      await this.cancelBackfill(id);
      return { summary: await this.backfill(id), interrupted: 'canceled' };
    }
    await this.instance.backfills.finishBackfillIfDone(id, new Date());
    return { summary: await this.backfill(id) };
  }

  override async close(): Promise<void> {
    for (const abort of this.#executing.values()) abort.abort();
    await super.close();
  }
}
