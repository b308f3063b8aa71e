import type { AssetGraph } from '../core/graph/asset-graph.js';
import { runSchedulerPass, type ScheduleTarget, type TickDecision } from '../scheduler/scheduler-pass.js';
import type { Instance } from '../storage/instance.js';
import { DaemonLoop, loopServices, type LoopError, type LoopLog, type LoopRedactor, type LoopTick } from './daemon-loop.js';

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
  readonly log?: LoopLog;
  readonly redactor?: LoopRedactor;
}

/**
 * The daemon's scheduler, on the one loop base: a pass at start, then it sleeps until the next tick
 * of any loaded schedule (no polling interval: it wakes at the tick's instant) and runs a pass.
 * Every daemon runs one; ticks are claimed in storage, so they launch at most one run per tick
 * between them. A schedule whose tick failed counts as a failed pass (the loop backs off, 1 s
 * doubling up to 10 s), and its error is logged and kept like any loop's.
 */
export class SchedulerLoop {
  private readonly loop: DaemonLoop;
  private lastRecovery = Number.NEGATIVE_INFINITY;

  constructor(private options: SchedulerLoopOptions) {
    this.loop = new DaemonLoop({
      name: 'scheduler',
      intervalMs: options.maxSleepMs ?? 60_000,
      tick: (loop) => this.pass(loop),
      ...loopServices(options),
      ...(options.maxErrors === undefined ? {} : { maxErrors: options.maxErrors }),
    });
  }

  get errors(): LoopError[] {
    return this.loop.errors;
  }

  /**
   * Schedules ticks of these definitions from the next pass on (`sluice dev` reloaded the project)
   * and runs that pass now; a pass in progress finishes with the definitions it started with.
   */
  setDefinitions(graph: AssetGraph, schedules: readonly ScheduleTarget[]): void {
    this.options = { ...this.options, graph, schedules };
    this.loop.wake();
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
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

  /** One pass; returns how long to sleep until the next tick due after it. */
  private async pass(loop: LoopTick): Promise<number> {
    const options = this.options;
    const now = options.now();
    const recoverStale = now.getTime() - this.lastRecovery >= (options.recoverEveryMs ?? 30_000);
    const result = await runSchedulerPass(
      {
        instance: options.instance,
        graph: options.graph,
        schedules: options.schedules,
        claimedBy: options.claimedBy,
        clock: options.now,
        ...(options.onLaunched ? { onLaunched: options.onLaunched } : {}),
      },
      now,
      { recoverStale },
    );
    if (recoverStale) this.lastRecovery = now.getTime();
    for (const decision of result.decisions) options.onDecision?.(decision);
    for (const { error } of result.errors) loop.record(error);
    // The next tick after the pass's `now`: one that came due while the pass ran is taken at once.
    const next = this.nextWake(now);
    const maxSleep = options.maxSleepMs ?? 60_000;
    return next ? Math.min(maxSleep, next.getTime() - options.now().getTime()) : maxSleep;
  }
}
