import type { AlertDefinition } from '../core/alert/alert-definition.js';
import type { AssetGraph } from '../core/graph/asset-graph.js';
import type { Instance } from '../storage/instance.js';
import { DaemonLoop, loopServices, type LoopError, type LoopLog, type LoopRedactor, type LoopTick } from './daemon-loop.js';
import { policedAssets, runFreshnessPass, type FreshnessPassResult } from './freshness-pass.js';

/** The lease the checking daemon holds. */
export const FRESHNESS_LEASE = 'freshness';

export interface FreshnessLoopOptions {
  readonly instance: Instance;
  readonly graph: AssetGraph;
  readonly alerts: readonly AlertDefinition[];
  /** Where channel variables are read (a channel whose variable is unset gets no delivery). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** This daemon's id: the holder of the `freshness` lease while it checks. */
  readonly holder: string;
  readonly now: () => Date;
  /** Default 5 s. */
  readonly intervalMs?: number;
  /** After each pass that changed verdicts (to log them). */
  readonly onChanges?: (result: FreshnessPassResult) => void;
  readonly log?: LoopLog;
  readonly redactor?: LoopRedactor;
}

/**
 * The daemon's freshness and deadline checks, on the one loop base: every interval, when some
 * asset has a policy and this daemon holds the `freshness` lease (one checker among several
 * daemons; the compare-and-set on each verdict keeps a second one harmless anyway), one pass
 * (daemon/freshness-pass.ts). It runs beside the run queue, so a deadline passing while a run is
 * still going is seen then, not when the run ends.
 */
export class FreshnessLoop {
  private readonly loop: DaemonLoop;

  constructor(private options: FreshnessLoopOptions) {
    const intervalMs = options.intervalMs ?? 5000;
    this.loop = new DaemonLoop({
      name: 'freshness',
      intervalMs,
      tick: (loop) => this.tick(intervalMs, loop),
      ...loopServices(options),
    });
  }

  get errors(): LoopError[] {
    return this.loop.errors;
  }

  /** Checks these definitions from the next pass on (`sluice dev` reloaded the project). */
  setDefinitions(graph: AssetGraph, alerts?: readonly AlertDefinition[]): void {
    this.options = { ...this.options, graph, ...(alerts ? { alerts } : {}) };
    this.loop.wake();
  }

  start(): void {
    this.loop.start();
  }

  /** Ends the loop and lets another daemon take the lease at once. */
  async stop(): Promise<void> {
    await this.loop.stop();
    await this.options.instance.coordination.releaseLease(FRESHNESS_LEASE, this.options.holder).catch(() => {});
  }

  private async tick(intervalMs: number, loop: LoopTick): Promise<void> {
    const o = this.options;
    if (policedAssets(o.graph).length === 0) return;
    const now = o.now();
    if (!(await o.instance.coordination.acquireLease(FRESHNESS_LEASE, o.holder, Math.max(30_000, intervalMs * 3), now))) return;
    const result = await runFreshnessPass({ instance: o.instance, graph: o.graph, alerts: o.alerts, env: o.env, now });
    for (const { assetKey, error } of result.errors) loop.record(Object.assign(new Error(`freshness of asset "${assetKey}": ${error instanceof Error ? error.message : String(error)}`), { assetKey }));
    if (result.changes.length > 0) o.onChanges?.(result);
  }
}
