import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { backfillProgress } from '../execution/backfill-progress.js';
import type { Instance } from '../storage/instance.js';
import type { ScheduleInfo } from './api-routes.js';

export interface MetricsDeps {
  readonly instance: Instance;
  readonly schedules?: readonly ScheduleInfo[];
  /** Jobs waiting, delayed or active per BullMQ step queue (distributed mode only). */
  readonly stepQueueDepth?: () => Promise<Record<string, number>>;
  /** How stale a heartbeat may be before its process counts as gone. */
  readonly heartbeatTimeoutMs: number;
  /** Scrapes within this long of the last reading share it (default 2000 ms). */
  readonly cacheMs?: number;
}

const ACTIVE = ['QUEUED', 'STARTED', 'CANCELING'] as const;
/** Newest runs looked at per scrape to find the ones that ended since the last. */
const ENDED_WINDOW = 200;

/**
 * Prometheus metrics of the run store, read when scraped (at most every 2 s, whatever the number
 * of scrapers):
 * - gauges of what is true now: runs and steps in flight by status, queue depth (QUEUED runs and,
 *   with BullMQ, step jobs per queue), heartbeat ages, the lateness of each schedule's latest tick,
 *   unfinished backfills and their partitions by state, alert deliveries by alert, channel and status;
 * - counters and a histogram since this process started: runs and steps finished by status and
 *   step durations, fed from the runs that ended between scrapes (the newest 200 are looked at, so
 *   a burst of more than 200 runs ending between two scrapes is undercounted).
 */
export class SluiceMetrics {
  readonly registry = new Registry();
  private readonly runs: Gauge;
  private readonly steps: Gauge;
  private readonly queueDepth: Gauge;
  private readonly heartbeatAge: Gauge;
  private readonly processes: Gauge;
  private readonly tickLateness: Gauge;
  private readonly backfills: Gauge;
  private readonly backfillPartitions: Gauge;
  private readonly alertDeliveries: Gauge;
  private readonly runsFinished: Counter;
  private readonly stepsFinished: Counter;
  private readonly stepDuration: Histogram;
  private readonly counted = new Map<string, number>();
  private readonly since: number;
  private refreshing: { at: number; done: Promise<void> } | undefined;

  constructor(private deps: MetricsDeps, now = Date.now()) {
    this.since = now;
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'sluice_web_' });
    this.runs = new Gauge({ name: 'sluice_runs', help: 'Runs in flight by status (QUEUED, STARTED, CANCELING)', labelNames: ['status'], registers });
    this.steps = new Gauge({ name: 'sluice_steps', help: 'Steps of runs in flight by status', labelNames: ['status', 'kind'], registers });
    this.queueDepth = new Gauge({ name: 'sluice_queue_depth', help: 'Work waiting: queue="runs" counts QUEUED runs; other queues count BullMQ step jobs waiting, delayed or active', labelNames: ['queue'], registers });
    this.heartbeatAge = new Gauge({ name: 'sluice_heartbeat_age_seconds', help: 'Seconds since each daemon or worker last reported', labelNames: ['kind', 'id'], registers });
    this.processes = new Gauge({ name: 'sluice_processes', help: 'Daemons and workers by liveness (alive = heartbeat fresher than the worker timeout)', labelNames: ['kind', 'state'], registers });
    this.tickLateness = new Gauge({ name: 'sluice_schedule_tick_lateness_seconds', help: "How late each schedule's latest tick was claimed after its scheduled instant", labelNames: ['schedule'], registers });
    this.backfills = new Gauge({ name: 'sluice_backfills', help: 'Unfinished backfills by status (RUNNING, CANCELING)', labelNames: ['status'], registers });
    this.backfillPartitions = new Gauge({
      name: 'sluice_backfill_partitions',
      help: 'Partitions of unfinished backfills by state (done, failed, running, queued, canceled)',
      labelNames: ['backfill', 'state'],
      registers,
    });
    this.alertDeliveries = new Gauge({
      name: 'sluice_alert_deliveries',
      help: 'Alert deliveries in the outbox (all time) by alert, channel (type:ENV_NAME) and status (PENDING, SENT, FAILED); a rising FAILED is a channel that keeps failing',
      labelNames: ['alert', 'channel', 'status'],
      registers,
    });
    this.runsFinished = new Counter({ name: 'sluice_runs_finished_total', help: 'Runs that ended since this process started, by status', labelNames: ['status'], registers });
    this.stepsFinished = new Counter({ name: 'sluice_steps_finished_total', help: 'Steps of runs that ended since this process started, by status', labelNames: ['status', 'kind'], registers });
    this.stepDuration = new Histogram({
      name: 'sluice_step_duration_seconds',
      help: 'Durations of steps (last attempt) of runs that ended since this process started',
      labelNames: ['kind', 'status'],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
      registers,
    });
  }

  /** The schedules to report from the next scrape on (`sluice dev` reloaded the project). */
  useSchedules(schedules: readonly ScheduleInfo[]): void {
    this.deps = { ...this.deps, schedules };
  }

  /** The exposition text (content type in `contentType`). */
  async text(): Promise<string> {
    await this.refresh();
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private refresh(): Promise<void> {
    const now = Date.now();
    if (this.refreshing && now - this.refreshing.at < (this.deps.cacheMs ?? 2000)) return this.refreshing.done;
    const done = this.read(now);
    this.refreshing = { at: now, done };
    done.catch(() => {
      if (this.refreshing?.done === done) this.refreshing = undefined;
    });
    return done;
  }

  private async read(now: number): Promise<void> {
    const { instance } = this.deps;
    const [active, recent, beats, depth, ticks, backfills] = await Promise.all([
      Promise.all(ACTIVE.map((status) => instance.runs.listRuns({ statuses: [status], limit: 10_000 }))),
      instance.runs.listRuns({ limit: ENDED_WINDOW }),
      instance.coordination.listHeartbeats(),
      this.deps.stepQueueDepth?.() ?? Promise.resolve({} as Record<string, number>),
      Promise.all((this.deps.schedules ?? []).map(async (s) => [s.definition.name, (await instance.schedules.listTicks(s.definition.name, { limit: 1 }))[0]] as const)),
      instance.backfills.listBackfills({ statuses: ['RUNNING', 'CANCELING'] }),
    ]);
    this.alertDeliveries.reset();
    for (const c of await instance.alerts.countDeliveries()) this.alertDeliveries.set({ alert: c.alert, channel: c.channel, status: c.status }, c.count);
    this.backfills.reset();
    for (const status of ['RUNNING', 'CANCELING']) this.backfills.set({ status }, backfills.filter((b) => b.status === status).length);
    this.backfillPartitions.reset();
    for (const backfill of backfills) {
      const { counts } = backfillProgress(backfill, await instance.backfills.listBackfillRuns(backfill.id));
      for (const [state, n] of Object.entries(counts)) this.backfillPartitions.set({ backfill: backfill.id, state }, n);
    }
    this.runs.reset();
    ACTIVE.forEach((status, i) => this.runs.set({ status }, active[i]!.length));
    this.queueDepth.reset();
    this.queueDepth.set({ queue: 'runs' }, active[0]!.length);
    for (const [queue, n] of Object.entries(depth)) this.queueDepth.set({ queue }, n);
    this.steps.reset();
    const started = active[1]!.concat(active[2]!);
    for (const steps of await Promise.all(started.map((r) => instance.runs.listSteps(r.id)))) {
      for (const s of steps) if (s.status === 'PENDING' || s.status === 'RUNNING') this.steps.inc({ status: s.status, kind: s.kind });
    }
    this.heartbeatAge.reset();
    this.processes.reset();
    for (const kind of ['daemon', 'worker']) for (const state of ['alive', 'stale']) this.processes.set({ kind, state }, 0);
    for (const b of beats) {
      const age = (now - b.at.getTime()) / 1000;
      this.heartbeatAge.set({ kind: b.kind, id: b.id }, age);
      this.processes.inc({ kind: b.kind, state: age * 1000 <= this.deps.heartbeatTimeoutMs ? 'alive' : 'stale' });
    }
    this.tickLateness.reset();
    for (const [name, tick] of ticks) if (tick) this.tickLateness.set({ schedule: name }, Math.max(0, (tick.claimedAt.getTime() - tick.scheduledFor.getTime()) / 1000));
    const ended = recent.filter((r) => r.endedAt && r.endedAt.getTime() >= this.since && !this.counted.has(r.id) && ['SUCCESS', 'FAILURE', 'CANCELED'].includes(r.status));
    for (const run of ended) {
      this.counted.set(run.id, run.endedAt!.getTime());
      this.runsFinished.inc({ status: run.status });
      for (const s of await instance.runs.listSteps(run.id)) {
        this.stepsFinished.inc({ status: s.status, kind: s.kind });
        if (s.startedAt && s.endedAt) this.stepDuration.observe({ kind: s.kind, status: s.status }, (s.endedAt.getTime() - s.startedAt.getTime()) / 1000);
      }
    }
    // Forget runs that fell out of the window: they cannot be seen (or counted) again.
    const inWindow = new Set(recent.map((r) => r.id));
    for (const id of this.counted.keys()) if (!inWindow.has(id)) this.counted.delete(id);
  }
}
