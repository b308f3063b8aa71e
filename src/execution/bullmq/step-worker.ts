import { toErrorInfo, type ErrorInfo } from '../../core/events.js';
import { DelayedError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { parseStepKey } from '../../core/plan/execution-plan.js';
import { stepPool } from '../../core/plan/step-pool.js';
import type { RunRecord } from '../../storage/instance.js';
import { finishRunIfDone } from '../finish-run.js';
import { missingStartEvent } from '../lost-attempt.js';
import { runStepAttempt, type AttemptResult, type StepRunnerContext } from '../step-runner.js';
import { CancelBus } from './cancel-bus.js';
import type { StepJobData } from './step-job.js';
import { StepQueue } from './step-queue.js';

export interface StepWorkerOptions {
  /** A connection with `maxRetriesPerRequest: null` (see createRedis). */
  readonly redis: Redis;
  readonly prefix: string;
  readonly pools: Readonly<Record<string, number>>;
  /** Steps this process runs at once. */
  readonly concurrency: number;
  /** How long a job's lock lasts without renewal before another worker may take it over. */
  readonly lockDurationMs: number;
  /** How often BullMQ looks for jobs whose lock expired (their worker died). */
  readonly stalledIntervalMs?: number;
  /** How long a step waiting for another run's lock on its asset sleeps before trying again. */
  readonly assetBusyDelayMs?: number;
  /**
   * Told of BullMQ's own errors (a lost Redis connection, a lock renewal that failed), redacted:
   * they do not stop the worker (BullMQ reconnects), but they are not silent either.
   */
  readonly onError?: (error: ErrorInfo) => void;
}

/** The error a lost attempt is recorded with when another worker takes its step over. */
const LOST = { name: 'WorkerLost', code: 'WORKER_LOST', message: 'the worker running this attempt stopped renewing its lock (it died or hung); the step was taken over' };

/**
 * Executes step jobs from BullMQ: one Worker per queue (steps, and one per pool), `concurrency`
 * steps at once in this process. Each job runs one step attempt through the shared step runner,
 * then enqueues the steps that became ready; the run is finished by whoever ends its last step.
 */
export class StepWorker {
  private readonly workers: Worker<StepJobData>[] = [];
  private readonly queue: StepQueue;
  private readonly cancelBus: CancelBus;
  private readonly runAborts = new Map<string, Set<AbortController>>();
  private readonly runCache = new Map<string, RunRecord>();
  private inFlight = 0;
  private closing = false;

  constructor(
    private readonly host: StepRunnerContext,
    private readonly options: StepWorkerOptions,
  ) {
    this.queue = new StepQueue(options.redis, options.prefix, options.pools);
    this.cancelBus = new CancelBus(options.redis, CancelBus.channelFor(options.prefix));
  }

  get running(): number {
    return this.inFlight;
  }

  async start(): Promise<void> {
    await this.cancelBus.subscribe((runId) => this.abortRun(runId));
    for (const name of this.queue.queueNames()) {
      const worker = new Worker<StepJobData>(name, (job, token) => this.process(job, token), {
        connection: this.options.redis.duplicate(),
        prefix: this.options.prefix,
        concurrency: this.options.concurrency,
        lockDuration: this.options.lockDurationMs,
        stalledInterval: this.options.stalledIntervalMs ?? Math.max(1000, Math.floor(this.options.lockDurationMs / 2)),
        maxStalledCount: 10,
        autorun: true,
      });
      worker.on('error', (error: Error) => this.options.onError?.(this.host.redactor.value(toErrorInfo(error))));
      this.workers.push(worker);
    }
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
  }

  /**
   * Stops taking work, lets running steps finish for up to `graceMs`, then aborts their signals
   * and closes. BullMQ's close() has no timeout of its own, so it is raced against the grace.
   */
  async close(graceMs: number): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.pause(true).catch(() => {})));
    const drained = Promise.all(this.workers.map((w) => w.close().catch(() => {})));
    const graceOver = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
    if ((await Promise.race([drained.then(() => 'drained' as const), graceOver])) === 'timeout') {
      for (const runId of [...this.runAborts.keys()]) this.abortRun(runId);
      await Promise.race([Promise.all(this.workers.map((w) => w.close(true).catch(() => {}))), new Promise((r) => setTimeout(r, 2000).unref())]);
    }
    await this.cancelBus.close();
    await this.queue.close();
  }

  private abortRun(runId: string): void {
    for (const controller of this.runAborts.get(runId) ?? []) controller.abort();
    this.runCache.delete(runId);
  }

  private async run(runId: string): Promise<RunRecord | undefined> {
    const cached = this.runCache.get(runId);
    if (cached) return cached;
    const run = await this.host.instance.runs.getRun(runId);
    if (run && run.status === 'STARTED') {
      if (this.runCache.size >= 256) this.runCache.delete(this.runCache.keys().next().value!);
      this.runCache.set(runId, run);
    }
    return run;
  }

  private async process(job: Job<StepJobData>, token: string | undefined): Promise<string> {
    const { runId } = job.data;
    const run = await this.run(runId);
    if (!run) return 'unknown run';
    if (run.status !== 'STARTED') {
      if (run.status === 'CANCELING') await finishRunIfDone(this.host.instance.runs, runId, this.host.now());
      return `run is ${run.status}`;
    }
    const aborts = this.runAborts.get(runId) ?? new Set<AbortController>();
    this.runAborts.set(runId, aborts);
    this.inFlight++;
    try {
      // The job's step, then each step handed on to this job (see after): one at a time.
      let step: { key: string; attempt: number; job: boolean } | undefined = { key: job.data.stepKey, attempt: job.data.attempt, job: true };
      let status = '';
      const carrierLock = this.queue.lockKey(job.queueName, job.id!);
      let carried: { runId: string; stepKey: string; attempt: number } | undefined;
      while (step) {
        const current = step;
        const controller = new AbortController();
        aborts.add(controller);
        try {
          let recorded: Promise<void> = Promise.resolve();
          if (!current.job) {
            // The run monitor looks for a RUNNING attempt's job before it takes the attempt over
            // (say this process's heartbeats failed in a storage outage): a handed-on step is
            // recorded as carried by this job, alive as long as the job's lock is. Written beside
            // the step's start (the monitor acts only after a worker timeout without heartbeats).
            const next = { runId, stepKey: current.key, attempt: current.attempt };
            recorded = this.queue.carry(carried, next, carrierLock).catch(() => {});
            carried = next;
          }
          const ran = await this.attempt(run, current.key, current.attempt, current.job, controller.signal);
          await recorded;
          ({ status, next: step } = await this.after(current.job ? { job, token } : undefined, run, current.key, ran.attempt, ran.result));
        } catch (error) {
          if (current.job) throw error;
          // A handed-on step that failed for want of storage (say its outcome could not be
          // written) has no job BullMQ would retry: it gets one now, for the same attempt, and the
          // worker taking it records that attempt as lost if it is RUNNING. If Redis refuses too,
          // this job fails and BullMQ retries it; a step left RUNNING then waits for this process's
          // heartbeat to stop (the run monitor's lost-attempt path), and a PENDING one for the
          // monitor to find the run stalled.
          await this.queue.enqueue([{ runId, stepKey: current.key, attempt: current.attempt }]).catch(() => Promise.reject(error));
          return 'handed-on step enqueued after an error';
        } finally {
          aborts.delete(controller);
        }
      }
      if (carried) await this.queue.carry(carried, undefined, carrierLock).catch(() => {});
      return status;
    } finally {
      this.inFlight--;
      if (aborts.size === 0) this.runAborts.delete(runId);
    }
  }

  /** Runs one attempt of a step; for the job's own step, takes over an attempt whose worker lost the job. */
  private async attempt(run: RunRecord, stepKey: string, attempt: number, ofJob: boolean, signal: AbortSignal): Promise<{ result: AttemptResult; attempt: number }> {
    const step = parseStepKey(stepKey);
    let result: AttemptResult = await runStepAttempt(this.host, run, step, attempt, signal);
    if (ofJob && result.status === 'NOT_STARTED' && result.start.reason === 'not-pending') {
      // The same attempt is RUNNING in storage: its worker lost the job's lock (BullMQ handed the
      // job over, or the run monitor enqueued it again because that worker stopped beating), so
      // that attempt is recorded as lost and the next one runs here.
      const [current] = await this.host.instance.runs.listSteps(run.id, { keys: [stepKey] });
      if (current?.status === 'RUNNING' && current.attempt === attempt) {
        const now = this.host.now();
        const lost = await this.host.instance.runs.retryStep(run.id, stepKey, {
          status: 'FAILED',
          attempt,
          at: now,
          durationMs: now.getTime() - (current.startedAt?.getTime() ?? now.getTime()),
          error: LOST,
          retryDelayMs: 0,
          events: await missingStartEvent(this.host.instance.eventLog, run.id, current, now),
        });
        if (lost) {
          attempt += 1;
          result = await runStepAttempt(this.host, run, step, attempt, signal);
        }
      }
    }
    return { result, attempt };
  }

  /**
   * What follows an attempt: a retry or the steps it made ready are enqueued, or the run is ended.
   * One ready step may instead be handed on: run next in this job, without a queue round trip,
   * when this process has idle slots (so no job of the queue is waiting for one here), the step
   * has no pool (a pool's limit is its queue's) and the worker is not closing. A chain runs step
   * after step in one job that way. A handed-on step has no job of its own: if this process dies,
   * the run monitor re-enqueues it once its heartbeat is stale, as it does for any RUNNING attempt
   * whose process is gone; a handed-on step whose asset is busy is enqueued to wait.
   */
  private async after(
    held: { job: Job<StepJobData>; token: string | undefined } | undefined,
    run: RunRecord,
    stepKey: string,
    attempt: number,
    result: AttemptResult,
  ): Promise<{ status: string; next?: { key: string; attempt: number; job: false } }> {
    const graph = this.host.graph;
    const poolOf = (key: string) => stepPool(graph, key);
    switch (result.status) {
      case 'NOT_STARTED':
        if (result.start.reason === 'asset-busy') {
          // Another step holds this asset: come back later, same attempt (the job's own: same job).
          const delayMs = this.options.assetBusyDelayMs ?? 250;
          if (!held) {
            await this.queue.enqueue([{ runId: run.id, stepKey, attempt, pool: poolOf(stepKey), delayMs }]);
            return { status: 'handed-on step waits for its asset' };
          }
          await held.job.moveToDelayed(Date.now() + delayMs, held.token);
          throw new DelayedError();
        }
        return { status: 'not pending' };
      case 'RETRY':
        await this.queue.enqueue([{ runId: run.id, stepKey, attempt: attempt + 1, pool: poolOf(stepKey), delayMs: result.retryDelayMs }]);
        return { status: 'retry' };
      default: {
        if (result.ready.length === 0) {
          if (result.remaining === 0) {
            // This may have been the run's last step. If ending the run fails here, the daemon's
            // monitor ends it; the step itself is recorded either way.
            await finishRunIfDone(this.host.instance.runs, run.id, this.host.now()).catch(() => {});
          }
          return { status: result.status };
        }
        const next = this.closing || this.inFlight >= this.options.concurrency || this.cancelled(run.id) ? undefined : result.ready.find((key) => poolOf(key) === undefined);
        const rest = result.ready.filter((key) => key !== next);
        if (rest.length > 0) await this.queue.enqueue(rest.map((key) => ({ runId: run.id, stepKey: key, attempt: 1, pool: poolOf(key) })));
        return next === undefined ? { status: result.status } : { status: result.status, next: { key: next, attempt: 1, job: false } };
      }
    }
  }

  /** Whether a cancel of the run reached this process (its cached record was dropped). */
  private cancelled(runId: string): boolean {
    return !this.runCache.has(runId);
  }
}
