import type { AlertDefinition } from '../core/alert/alert-definition.js';
import type { AssetGraph } from '../core/graph/asset-graph.js';
import { runAlertFeedPass } from '../execution/alerts/alert-feed-pass.js';
import { deliverDueAlerts, type AlertDeliveryHost, type AlertRetryPolicy } from '../execution/alerts/deliver-alerts.js';
import type { Instance } from '../storage/instance.js';
import { DaemonLoop, type LoopError, type LoopLog, type LoopRedactor } from './daemon-loop.js';

export interface AlertLoopOptions {
  readonly instance: Instance;
  readonly graph: AssetGraph;
  readonly alerts: readonly AlertDefinition[];
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
      clock: options.now,
      ...(options.log ? { log: options.log } : {}),
      ...(options.redactor ? { redactor: options.redactor } : {}),
    });
  }

  get errors(): LoopError[] {
    return this.loop.errors;
  }

  setDefinitions(graph: AssetGraph, alerts: readonly AlertDefinition[]): void {
    this.options = { ...this.options, graph, alerts };
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
    o.onFeed?.(fed);
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
