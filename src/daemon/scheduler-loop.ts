import { toErrorInfo } from '../core/events.js';
import type { AssetGraph } from '../core/graph/asset-graph.js';
import { runSchedulerPass, type ScheduleTarget, type TickDecision } from '../scheduler/scheduler-pass.js';
import type { Instance } from '../storage/instance.js';
import type { LoopError } from './daemon-loop.js';

export interface SchedulerLoopOptions {
  readonly instance: Instance;
  readonly graph: AssetGraph;
  readonly schedules: readonly ScheduleTarget[];
  readonly claimedBy: string;
  readonly now: () => Date;
  readonly onLaunched?: (runId: string) => void;
  readonly onDecision?: (decision: TickDecision) => void;
  /** The longest sleep between passes, so a stopped schedule started from the CLI or a clock step is noticed (default 60 s). */
  readonly maxSleepMs?: number;
  /** How often a pass also finishes ticks a dead claimer left STARTED (default 30 s). */
  readonly recoverEveryMs?: number;
  readonly maxErrors?: number;
}

/**
 * The daemon's scheduler: a pass at start, then it sleeps until the next tick of any loaded
 * schedule (no polling interval: it wakes at the tick's instant) and runs a pass. Every daemon runs
 * one; ticks are claimed in storage, so they launch at most one run per tick between them. Errors
 * are kept in a bounded list; after a failed pass it retries with backoff (1 s, doubling, up to 10 s).
 */
export class SchedulerLoop {
  readonly errors: LoopError[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private failures = 0;
  private lastRecovery = Number.NEGATIVE_INFINITY;

  constructor(private options: SchedulerLoopOptions) {}

  /**
   * Schedules ticks of these definitions from the next pass on (`sluice dev` reloaded the project)
   * and runs that pass now; a pass in progress finishes with the definitions it started with.
   */
  setDefinitions(graph: AssetGraph, schedules: readonly ScheduleTarget[]): void {
    this.options = { ...this.options, graph, schedules };
    if (!this.stopped && !this.running) this.arm(0);
  }

  start(): void {
    this.stopped = false;
    this.arm(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** When the next tick of any loaded schedule is due after `after` (stopped ones too: their state is re-read then). */
  nextWake(after: Date): Date | undefined {
    let next: Date | undefined;
    for (const target of this.options.schedules) {
      const tick = target.ticks.nextAfter(after);
      if (tick && (!next || tick.getTime() < next.getTime())) next = tick;
    }
    return next;
  }

  private arm(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.pass(), Math.max(0, Math.min(delayMs, 2_147_483_647)));
  }

  private record(error: unknown): void {
    this.errors.push({ loop: 'scheduler', at: this.options.now().toISOString(), error: toErrorInfo(error) });
    if (this.errors.length > (this.options.maxErrors ?? 10)) this.errors.shift();
  }

  private async pass(): Promise<void> {
    if (this.stopped || this.running) return;
    this.timer = undefined;
    const now = this.options.now();
    let failed = false;
    this.running = (async () => {
      const recoverStale = now.getTime() - this.lastRecovery >= (this.options.recoverEveryMs ?? 30_000);
      const result = await runSchedulerPass(
        {
          instance: this.options.instance,
          graph: this.options.graph,
          schedules: this.options.schedules,
          claimedBy: this.options.claimedBy,
          clock: this.options.now,
          ...(this.options.onLaunched ? { onLaunched: this.options.onLaunched } : {}),
        },
        now,
        { recoverStale },
      );
      if (recoverStale) this.lastRecovery = now.getTime();
      for (const decision of result.decisions) this.options.onDecision?.(decision);
      for (const { error } of result.errors) this.record(error);
      failed = result.errors.length > 0;
    })().catch((error: unknown) => {
      this.record(error);
      failed = true;
    });
    await this.running;
    this.running = undefined;
    if (this.stopped) return;
    if (failed) {
      this.failures++;
      this.arm(Math.min(10_000, 1000 * 2 ** Math.min(this.failures - 1, 4)));
      return;
    }
    this.failures = 0;
    // The next tick after the pass's `now`: one that came due while the pass ran is taken at once.
    const clock = this.options.now();
    const next = this.nextWake(now);
    const maxSleep = this.options.maxSleepMs ?? 60_000;
    this.arm(next ? Math.min(maxSleep, next.getTime() - clock.getTime()) : maxSleep);
  }
}
