import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { CoordinationStorage, Heartbeat } from '../storage/instance.js';

/** How often a live process writes its heartbeat. */
export const HEARTBEAT_INTERVAL_MS = 2000;

/**
 * Keeps a process's heartbeat fresh in storage while it runs, so monitors can tell a slow step from
 * a dead process. Failures to write are tolerated (storage may be briefly down); the next beat
 * tries again.
 */
export class HeartbeatWriter {
  readonly id: string;
  private timer: NodeJS.Timeout | undefined;
  private readonly startedAt = new Date();

  constructor(
    private readonly coordination: CoordinationStorage,
    readonly kind: 'daemon' | 'worker',
    private readonly info: () => Record<string, unknown> = () => ({}),
    readonly intervalMs = HEARTBEAT_INTERVAL_MS,
  ) {
    this.id = `${kind}:${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  }

  beat(): Promise<void> {
    const beat: Heartbeat = { id: this.id, kind: this.kind, host: hostname(), pid: process.pid, startedAt: this.startedAt, at: new Date(), info: this.info() };
    return this.coordination.heartbeat(beat).catch(() => {});
  }

  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.beat(), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.coordination.removeHeartbeat(this.id).catch(() => {});
  }
}
