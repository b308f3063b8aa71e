import type { AlertDefinition } from '../core/alert/alert-definition.js';
import type { AssetGraph } from '../core/graph/asset-graph.js';
import { selectAssets } from '../core/selection/index.js';
import type { SensorDefinition } from '../core/sensor/sensor-definition.js';
import type { ScheduleDefinition } from '../core/schedule/schedule-definition.js';
import type { AlertTickSource } from '../core/alert/alert-event.js';
import { runAlertFeedPass } from '../execution/alerts/alert-feed-pass.js';
import { runAlertTickPass } from '../execution/alerts/alert-tick-pass.js';
import { deliverDueAlerts, type AlertDeliveryHost, type AlertRetryPolicy } from '../execution/alerts/deliver-alerts.js';
import type { Instance } from '../storage/instance.js';
import { DaemonLoop, loopServices, type LoopError, type LoopLog, type LoopRedactor } from './daemon-loop.js';

/** The project's schedules and sensors with the assets they launch (a selection that fails resolves to none: any policy then). */
export function alertTickSources(
  graph: AssetGraph,
  schedules: ReadonlyArray<{ readonly definition: ScheduleDefinition; readonly ticks?: { latest(count: number, after: Date, until: Date): Date[] } }>,
  sensors: readonly SensorDefinition[],
): AlertTickSource[] {
  const keys = (select: string | undefined): string[] => {
    if (select === undefined) return [];
    try {
      return [...selectAssets(select, graph)];
    } catch {
      return [];
    }
  };
  return [
    ...schedules.map((s) => ({
      kind: 'schedule' as const,
      name: s.definition.name,
      assetKeys: keys(s.definition.select),
      ...(s.ticks ? { latestTick: (after: Date, until: Date) => s.ticks!.latest(1, after, until)[0] } : {}),
    })),
    ...sensors.map((s) => ({ kind: 'sensor' as const, name: s.name, assetKeys: keys(s.select) })),
  ];
}

export interface AlertLoopOptions {
  readonly instance: Instance;
  readonly graph: AssetGraph;
  readonly alerts: readonly AlertDefinition[];
  /** The project's schedules and sensors, for tick_failure. */
  readonly tickSources?: readonly AlertTickSource[];
  /** A heartbeat older than this raises heartbeat_stale (default 15 s, the daemon's worker timeout). */
  readonly heartbeatTimeoutMs?: number;
  /** Where the channels' URLs and secrets are read, at each pass (the daemon's process.env). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly claimedBy: string;
  readonly now: () => Date;
  readonly dashboardUrl: string | undefined;
  readonly pollMs?: number;
  readonly retry?: AlertRetryPolicy;
  readonly claimTtlMs?: number;
  readonly onOutcome?: AlertDeliveryHost['onOutcome'];
  /** After each feed pass: deliveries written, and whether it started the feed (the store's first pass). */
  readonly onFeed?: (fed: { written: number; started: boolean }) => void;
  readonly log?: LoopLog;
  readonly redactor?: LoopRedactor;
}

/**
 * The daemon's alerts, on the one loop base: each pass feeds new events into the outbox
 * (execution/alerts/alert-feed-pass.ts) and then sends what is due (deliver-alerts.ts). Every
 * daemon runs one; the feed's compare-and-set cursor, the unique idempotency key and the per-row
 * claim keep them from doubling anything.
 */
export class AlertLoop {
  private readonly loop: DaemonLoop;

  constructor(private options: AlertLoopOptions) {
    this.loop = new DaemonLoop({
      name: 'alerts',
      intervalMs: options.pollMs ?? 1000,
      tick: () => this.pass(),
      ...loopServices(options),
    });
  }

  get errors(): LoopError[] {
    return this.loop.errors;
  }

  setDefinitions(graph: AssetGraph, alerts: readonly AlertDefinition[], tickSources?: readonly AlertTickSource[]): void {
    this.options = { ...this.options, graph, alerts, ...(tickSources ? { tickSources } : {}) };
    this.loop.wake();
  }

  start(): void {
    this.loop.start();
  }

  wake(): void {
    this.loop.wake();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** One pass (also what tests call): feed, then deliver until nothing due is left in this pass. */
  async pass(): Promise<void> {
    const o = this.options;
    const fed = await runAlertFeedPass({ alerts: o.instance.alerts, watermark: o.instance.sensors, graph: o.graph, definitions: o.alerts, env: o.env, now: o.now });
    const ticks = await runAlertTickPass({ instance: o.instance, graph: o.graph, definitions: o.alerts, sources: o.tickSources ?? [], heartbeatTimeoutMs: o.heartbeatTimeoutMs ?? 15_000, env: o.env, now: o.now });
    o.onFeed?.({ ...fed, written: fed.written + ticks });
    const host: AlertDeliveryHost = {
      alerts: o.instance.alerts,
      definitions: o.alerts,
      env: o.env,
      claimedBy: o.claimedBy,
      now: o.now,
      dashboardUrl: o.dashboardUrl,
      ...(o.redactor ? { redactor: { string: (text: string) => o.redactor!.value(text) } } : {}),
      ...(o.retry ? { retry: o.retry } : {}),
      ...(o.claimTtlMs ? { claimTtlMs: o.claimTtlMs } : {}),
      ...(o.onOutcome ? { onOutcome: o.onOutcome } : {}),
    };
    for (let batch = 0; batch < 10 && (await deliverDueAlerts(host)) > 0; batch++);
  }
}
