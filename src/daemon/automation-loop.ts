import type { AutomationEvaluation } from '../core/automation/evaluate-automation.js';
import type { AssetGraph } from '../core/graph/asset-graph.js';
import type { Instance } from '../storage/instance.js';
import { launchAutomation, evaluatePass } from './automation-pass.js';
import { AutomationTracker } from './automation-tracker.js';
import { DaemonLoop, loopServices, type LoopError, type LoopLog, type LoopRedactor, type LoopTick } from './daemon-loop.js';

/** Evaluation records are kept this long. */
export const AUTOMATION_RETENTION_MS = 30 * 86_400_000;
const PURGE_EVERY_MS = 3_600_000;

export interface AutomationLoopOptions {
  readonly instance: Instance;
  readonly graph: AssetGraph;
  /** This daemon's id: the holder of the `automation` lease while it evaluates. */
  readonly holder: string;
  readonly now: () => Date;
  /** Default 30 s. */
  readonly intervalMs?: number;
  /** Called after an evaluation launched runs or backfills (wake the run queue, tell other daemons). */
  readonly onLaunched?: (runIds: readonly string[]) => void;
  /** Called after each saved evaluation with what it cost. */
  readonly onEvaluated?: (stats: AutomationTickStats) => void;
  readonly log?: LoopLog;
  readonly redactor?: LoopRedactor;
}

/** One saved evaluation of the loop: how many assets were evaluated or carried over, and the time it took. */
export interface AutomationTickStats {
  readonly evaluatedAt: string;
  /** The state was rebuilt from storage first (every asset evaluated). */
  readonly loaded: boolean;
  readonly evaluated: number;
  readonly carried: number;
  /** Assets whose tree was written (the others' did not change). */
  readonly stored: number;
  /** Reading what changed and evaluating (launching and saving not included). */
  readonly evaluateMs: number;
  /** The whole tick, the load (if any), launches and the save included. */
  readonly tickMs: number;
}

/**
 * Declarative automation in the daemon, on its own loop (so the heartbeat never waits for it).
 * Each tick: when automation is RUNNING and this daemon holds the `automation` lease (one
 * evaluator among several daemons), refresh the in-memory state incrementally, evaluate the
 * automated assets (carrying over, from the evaluation it saved last, those that settled there and
 * none of whose inputs changed since), launch what is requested, then save the evaluation (trees
 * of the assets whose tree changed) with the new cursor. Launching before saving means a crash in between launches
 * again at the next evaluation rather than losing a request. The state is rebuilt from storage
 * when the stored cursor is not the one this loop last saved (first tick, another daemon evaluated).
 */
export class AutomationLoop {
  private readonly loop: DaemonLoop;
  private readonly tracker: AutomationTracker;
  private readonly storedTrees = new Map<string, string>();
  /** The last evaluation this loop saved (its settled assets can be carried over by the next). */
  private lastEvaluation: AutomationEvaluation | undefined;
  private lastPurge = Number.NEGATIVE_INFINITY;

  constructor(private options: AutomationLoopOptions) {
    this.tracker = new AutomationTracker(options.instance);
    const intervalMs = options.intervalMs ?? 30_000;
    this.loop = new DaemonLoop({
      name: 'automation',
      intervalMs,
      tick: (loop) => this.tick(intervalMs, loop),
      ...loopServices(options),
    });
  }

  get errors(): LoopError[] {
    return this.loop.errors;
  }

  /** Evaluates these definitions from the next tick on (`sluice dev` reloaded the project). */
  setGraph(graph: AssetGraph): void {
    this.options = { ...this.options, graph };
    // Deps, partitions or mappings may differ: evaluate every asset again.
    this.lastEvaluation = undefined;
  }

  start(): void {
    this.loop.start();
  }

  /** Evaluates as soon as the current tick (if any) ends. */
  wake(): void {
    this.loop.wake();
  }

  /** Ends the loop and lets another daemon take the `automation` lease at once. */
  async stop(): Promise<void> {
    await this.loop.stop();
    await this.options.instance.coordination.releaseLease('automation', this.options.holder).catch(() => {});
  }

  private async tick(intervalMs: number, loop: LoopTick): Promise<void> {
    const { instance, graph, holder } = this.options;
    const started = performance.now();
    const now = this.options.now();
    const state = await instance.automation.getState();
    if (state.status !== 'RUNNING') return;
    if (!(await instance.coordination.acquireLease('automation', holder, Math.max(60_000, intervalMs * 3), now))) return;
    const loaded = this.tracker.loadedFor !== (state.cursor?.evaluatedAt ?? null) || this.tracker.loadedFor === null;
    if (loaded) {
      await this.tracker.load(graph, state.cursor, now);
      this.storedTrees.clear();
      this.lastEvaluation = undefined;
    }
    const evaluating = performance.now();
    const { evaluation, launches } = await evaluatePass(graph, this.tracker, state.cursor, now, this.lastEvaluation);
    const evaluateMs = performance.now() - evaluating;
    const launched = await launchAutomation({ instance, graph }, launches, now);
    const assets = evaluation.assets.filter((a) => {
      // Carried over: the same result as the previous evaluation's, already compared (or stored) then.
      if (a.carried && this.storedTrees.has(a.asset)) return false;
      const json = JSON.stringify([a.requested, a.tree, a.error]);
      if (this.storedTrees.get(a.asset) === json) return false;
      this.storedTrees.set(a.asset, json);
      return true;
    });
    await instance.automation.recordEvaluation(
      {
        evaluatedAt: now,
        runIds: launched.runIds,
        backfillIds: launched.backfillIds,
        errors: launched.errors,
        assets: assets.map((a) => ({ assetKey: a.asset, requested: a.requested, tree: a.tree, error: a.error })),
      },
      evaluation.cursor,
    );
    this.tracker.loadedFor = evaluation.cursor.evaluatedAt;
    this.tracker.clearChanges();
    this.lastEvaluation = evaluation;
    // A refused launch counts as a failed tick (logged, on the heartbeat); the evaluation keeps it too.
    for (const error of launched.errors) loop.record(Object.assign(new Error(error.message), error));
    if (launched.runIds.length > 0 || launched.backfillIds.length > 0) this.options.onLaunched?.(launched.runIds);
    if (now.getTime() - this.lastPurge >= PURGE_EVERY_MS) {
      await instance.automation.purgeEvaluations(new Date(now.getTime() - AUTOMATION_RETENTION_MS));
      this.lastPurge = now.getTime();
    }
    const carried = evaluation.assets.filter((a) => a.carried).length;
    this.options.onEvaluated?.({
      evaluatedAt: evaluation.evaluatedAt,
      loaded,
      evaluated: evaluation.assets.length - carried,
      carried,
      stored: assets.length,
      evaluateMs,
      tickMs: performance.now() - started,
    });
  }
}
