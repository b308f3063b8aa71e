import type { StepLogger } from '../core/asset/logger.js';
import type { ResourceMap } from '../core/asset/resource.js';
import { toErrorInfo, type ErrorInfo } from '../core/events.js';
import type { AssetGraph } from '../core/graph/asset-graph.js';
import type { SensorDefinition } from '../core/sensor/sensor-definition.js';
import { runSensorTick, type SensorDecision } from '../scheduler/sensor-tick.js';
import type { Instance } from '../storage/instance.js';
import { DaemonLoop, loopServices, type LoopError, type LoopLog, type LoopRedactor, type LoopTick } from './daemon-loop.js';

const DAY_MS = 86_400_000;

/** How long ticks are kept (days): skipped ones, and the others. */
export interface SensorTickRetention {
  readonly skippedDays: number;
  readonly otherDays: number;
}

export interface SensorLoopOptions {
  readonly instance: Instance;
  readonly graph: AssetGraph;
  readonly sensors: readonly SensorDefinition[];
  readonly claimedBy: string;
  readonly now: () => Date;
  readonly resources: (map: ResourceMap) => Promise<Record<string, unknown>>;
  /** The logger a sensor's ctx.log writes to; default: none. */
  readonly sensorLog?: (sensor: string) => StepLogger;
  readonly onLaunched?: (runId: string) => void;
  readonly onDecision?: (decision: SensorDecision) => void;
  /** How often the loop looks for due sensors (default 1 s). */
  readonly pollMs?: number;
  /** Default 7 and 30 days. */
  readonly retention?: SensorTickRetention;
  /** How often old ticks are purged (default hourly; the first pass purges at once). */
  readonly purgeEveryMs?: number;
  readonly feedPageSize?: number;
  readonly log?: LoopLog;
  readonly redactor?: LoopRedactor;
}

const silent: StepLogger = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, fatal() {}, child: () => silent };

/**
 * The daemon's sensors, on the one loop base. Every `pollMs` it reads all sensor states (one query)
 * and starts a tick of each RUNNING sensor whose interval has passed and that is not evaluating in
 * this process already, without waiting for it: sensors evaluate in parallel, each on its own
 * interval, each with its hard timeout. Every daemon runs one; the claim on the sensor's state row
 * makes each tick evaluated by one daemon. Evaluation runs user code in this process (the daemon).
 */
export class SensorLoop {
  private readonly loop: DaemonLoop;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly stopping = new AbortController();
  private lastPurge = Number.NEGATIVE_INFINITY;

  constructor(private options: SensorLoopOptions) {
    this.loop = new DaemonLoop({
      name: 'sensors',
      intervalMs: options.pollMs ?? 1000,
      tick: (loop) => this.pass(loop),
      ...loopServices(options),
    });
  }

  get errors(): LoopError[] {
    return this.loop.errors;
  }

  /** Evaluates these definitions from the next pass on (`sluice dev` reloaded the project). */
  setDefinitions(graph: AssetGraph, sensors: readonly SensorDefinition[]): void {
    this.options = { ...this.options, graph, sensors };
    this.loop.wake();
  }

  start(): void {
    this.loop.start();
  }

  /** Stops looking for ticks, aborts the evaluations in flight (their claims are given back) and waits for them. */
  async stop(): Promise<void> {
    await this.loop.stop();
    this.stopping.abort(new Error('the daemon is stopping'));
    await Promise.allSettled(this.inFlight.values());
  }

  private async pass(loop: LoopTick): Promise<void> {
    const options = this.options;
    const now = options.now();
    if (now.getTime() - this.lastPurge >= (options.purgeEveryMs ?? 3_600_000)) {
      const retention = options.retention ?? { skippedDays: 7, otherDays: 30 };
      await options.instance.sensors.purgeSensorTicks({
        skippedBefore: new Date(now.getTime() - retention.skippedDays * DAY_MS),
        othersBefore: new Date(now.getTime() - retention.otherDays * DAY_MS),
      });
      this.lastPurge = now.getTime();
    }
    const states = new Map((await options.instance.sensors.listSensorStates()).map((s) => [s.name, s]));
    for (const sensor of options.sensors) {
      if (this.inFlight.has(sensor.name)) continue;
      const state = states.get(sensor.name) ?? (await options.instance.sensors.ensureSensorState(sensor.name, sensor.defaultStatus, now));
      if (state.status !== 'RUNNING') continue;
      if (state.lastTickAt && now.getTime() - state.lastTickAt.getTime() < sensor.minimumIntervalSeconds * 1000) continue;
      if (state.claimedBy && state.claimExpiresAt && state.claimExpiresAt.getTime() > now.getTime()) continue;
      const running = this.tick(sensor, loop).finally(() => this.inFlight.delete(sensor.name));
      this.inFlight.set(sensor.name, running);
    }
  }

  private async tick(sensor: SensorDefinition, loop: LoopTick): Promise<void> {
    const options = this.options;
    try {
      const decision = await runSensorTick(
        {
          instance: options.instance,
          graph: options.graph,
          storage: options.instance.sensors,
          claimedBy: options.claimedBy,
          clock: options.now,
          resources: options.resources,
          log: options.sensorLog ?? (() => silent),
          ...(options.feedPageSize ? { feedPageSize: options.feedPageSize } : {}),
          ...(options.redactor ? { redact: (info: ErrorInfo) => options.redactor!.value(info) } : {}),
          ...(options.onLaunched ? { onLaunched: options.onLaunched } : {}),
        },
        sensor,
        this.stopping.signal,
      );
      if (decision) options.onDecision?.(decision);
    } catch (error) {
      // Storage failed around the tick (the claim expires and a later tick retries).
      loop.record(Object.assign(new Error(`sensor "${sensor.name}": ${toErrorInfo(error).message}`), { code: (error as { code?: unknown }).code }));
    }
  }
}
