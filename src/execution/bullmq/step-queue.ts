import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { poolQueueName, STEPS_QUEUE, stepJobId, type StepJobData } from './step-job.js';

/** Jobs per addBulk call. */
const ENQUEUE_BATCH = 1000;

export interface EnqueueStep {
  readonly runId: string;
  readonly stepKey: string;
  readonly attempt: number;
  /** The asset's pool, if any: its steps go to the pool's queue, whose global concurrency is the limit. */
  readonly pool?: string | undefined;
  readonly delayMs?: number;
}

/**
 * The producer side: one BullMQ queue for steps, one per configured pool. Jobs are removed when
 * done (storage holds the history); job ids are deterministic, so enqueueing twice is harmless.
 */
export class StepQueue {
  private readonly queues = new Map<string, Queue<StepJobData>>();

  constructor(
    private readonly connection: Redis,
    private readonly prefix: string,
    private readonly pools: Readonly<Record<string, number>>,
  ) {}

  /** Sets each pool queue's global concurrency to its configured limit. */
  async applyPoolLimits(): Promise<void> {
    for (const [pool, limit] of Object.entries(this.pools)) await this.queue(poolQueueName(pool)).setGlobalConcurrency(limit);
  }

  queueNames(): string[] {
    return [STEPS_QUEUE, ...Object.keys(this.pools).map(poolQueueName)];
  }

  queueFor(pool: string | undefined): string {
    return pool !== undefined && pool in this.pools ? poolQueueName(pool) : STEPS_QUEUE;
  }

  async enqueue(steps: readonly EnqueueStep[]): Promise<void> {
    const byQueue = new Map<string, EnqueueStep[]>();
    for (const step of steps) {
      const name = this.queueFor(step.pool);
      const list = byQueue.get(name);
      if (list) list.push(step);
      else byQueue.set(name, [step]);
    }
    for (const [name, list] of byQueue) {
      // A pool's limit is metadata of its queue in Redis, which a Redis restart or flush loses (the
      // daemon sets it only at start). Setting it with every enqueue (one HSET) means no job of a
      // pool is ever added to a queue without its limit.
      const pool = list[0]!.pool;
      if (name !== STEPS_QUEUE && pool !== undefined) await this.queue(name).setGlobalConcurrency(this.pools[pool]!);
      // In batches, so a 10,000-step run does not build one 10,000-job request in memory.
      for (let i = 0; i < list.length; i += ENQUEUE_BATCH) await this.addBatch(name, list.slice(i, i + ENQUEUE_BATCH));
    }
  }

  private async addBatch(name: string, list: readonly EnqueueStep[]): Promise<void> {
    await this.queue(name).addBulk(
        list.map((s) => ({
          name: 'step',
          data: { runId: s.runId, stepKey: s.stepKey, attempt: s.attempt },
          opts: {
            jobId: stepJobId(s.runId, s.stepKey, s.attempt),
            removeOnComplete: true,
            removeOnFail: 1000,
            // Infrastructure failures (storage unreachable) are retried by BullMQ; user-code failures
            // never reach it (the step runner records them).
            attempts: 20,
            backoff: { type: 'exponential', delay: 500 },
            ...(s.delayMs ? { delay: s.delayMs } : {}),
          },
        })),
    );
  }

  /**
   * Whether the job of this step attempt exists in any queue (waiting, delayed or active), or the
   * attempt was handed on to a job that is still locked by a live worker (see carry).
   */
  async has(runId: string, stepKey: string, attempt: number, pool: string | undefined): Promise<boolean> {
    const id = stepJobId(runId, stepKey, attempt);
    if ((await this.queue(this.queueFor(pool)).getJob(id)) !== undefined) return true;
    const carrierLock = await this.connection.get(this.carriedKey(id));
    return carrierLock !== null && (await this.connection.exists(carrierLock)) === 1;
  }

  /**
   * Records in one round trip that the step attempt `next` now runs in the job whose lock key is
   * `carrierLock` (a handed-on step has no job of its own), and that `previous` no longer does.
   */
  async carry(previous: { runId: string; stepKey: string; attempt: number } | undefined, next: { runId: string; stepKey: string; attempt: number } | undefined, carrierLock: string): Promise<void> {
    const pipeline = this.connection.pipeline();
    if (previous) pipeline.del(this.carriedKey(stepJobId(previous.runId, previous.stepKey, previous.attempt)));
    // Expires on its own a day on: the lock it names is what says the carrier is alive.
    if (next) pipeline.set(this.carriedKey(stepJobId(next.runId, next.stepKey, next.attempt)), carrierLock, 'PX', 86_400_000);
    await pipeline.exec();
  }

  /** The key of a job's lock, held while a live worker processes it (BullMQ's `<prefix>:<queue>:<id>:lock`). */
  lockKey(queueName: string, jobId: string): string {
    return `${this.prefix}:${queueName}:${jobId}:lock`;
  }

  private carriedKey(jobId: string): string {
    return `${this.prefix}:carried:${jobId}`;
  }

  /** Removes the waiting or delayed job of a step attempt (an active one stays; its lock protects it). */
  async remove(runId: string, stepKey: string, attempt: number, pool: string | undefined): Promise<void> {
    try {
      await this.queue(this.queueFor(pool)).remove(stepJobId(runId, stepKey, attempt));
    } catch {
      // Locked (active) jobs cannot be removed; the worker sees the cancel through its signal.
    }
  }

  /** Waiting + delayed + active jobs over all step queues. */
  async depth(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const name of this.queueNames()) {
      const counts = await this.queue(name).getJobCounts('waiting', 'delayed', 'active', 'prioritized');
      out[name] = Object.values(counts).reduce((a, b) => a + b, 0);
    }
    return out;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }

  private queue(name: string): Queue<StepJobData> {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue<StepJobData>(name, { connection: this.connection, prefix: this.prefix });
      // Errors surface on the calls that fail; without a listener an 'error' event would crash the process.
      queue.on('error', () => {});
      this.queues.set(name, queue);
    }
    return queue;
  }
}
