import type { Redis } from 'ioredis';
import { stepPool } from '../../core/plan/step-pool.js';
import type { AssetGraph } from '../../core/graph/asset-graph.js';
import type { RunStorage } from '../../storage/instance.js';
import { finishRunIfDone } from '../finish-run.js';
import type { RunLauncher } from '../run-launcher.js';
import { CancelBus } from './cancel-bus.js';
import { StepQueue } from './step-queue.js';

/**
 * Hands runs to BullMQ workers: `start` enqueues the run's ready steps (the workers enqueue the
 * rest as steps finish), `cancel` marks the run CANCELING, cancels its pending steps, drops their
 * jobs and broadcasts the cancel so running steps abort on every worker.
 */
export class BullmqLauncher implements RunLauncher {
  readonly kind = 'bullmq' as const;
  readonly queue: StepQueue;
  private readonly cancelBus: CancelBus;

  constructor(
    private readonly runs: RunStorage,
    private readonly graph: AssetGraph | undefined,
    redis: Redis,
    prefix: string,
    pools: Readonly<Record<string, number>>,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.queue = new StepQueue(redis, prefix, pools);
    this.cancelBus = new CancelBus(redis, CancelBus.channelFor(prefix));
  }

  /** The pool of a step's asset, when the project is known here (the daemon may run without it). */
  poolOf(stepKey: string): string | undefined {
    return stepPool(this.graph, stepKey);
  }

  async start(runId: string): Promise<void> {
    await this.enqueueReady(runId);
  }

  /** Enqueues every ready step of the run (idempotent: job ids are deterministic). */
  async enqueueReady(runId: string): Promise<string[]> {
    const ready = await this.runs.readySteps(runId);
    const steps = await this.runs.listSteps(runId, { keys: ready });
    const attemptOf = new Map(steps.map((s) => [s.key, s.attempt]));
    await this.queue.enqueue(ready.map((key) => ({ runId, stepKey: key, attempt: (attemptOf.get(key) ?? 0) + 1, pool: this.poolOf(key) })));
    return ready;
  }

  async cancel(runId: string): Promise<void> {
    const at = this.now();
    const run = await this.runs.getRun(runId);
    if (!run) return;
    if (run.status === 'QUEUED') {
      await this.runs.setRunStatus(runId, 'CANCELED', at);
      return;
    }
    if (run.status === 'STARTED') await this.runs.setRunStatus(runId, 'CANCELING', at);
    const pending = (await this.runs.listSteps(runId)).filter((s) => s.status === 'PENDING');
    await this.runs.cancelPendingSteps(runId, at);
    await Promise.all(pending.map((s) => this.queue.remove(runId, s.key, s.attempt + 1, this.poolOf(s.key))));
    await this.cancelBus.publish(runId);
    await finishRunIfDone(this.runs, runId, at);
  }

  active(): string[] {
    return [];
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
