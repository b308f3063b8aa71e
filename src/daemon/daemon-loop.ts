import type { ErrorInfo } from '../core/events.js';
import { toErrorInfo } from '../core/events.js';

export interface LoopError {
  readonly loop: string;
  readonly at: string;
  readonly error: ErrorInfo;
}

/**
 * Runs `tick` every `intervalMs` (and at once when woken), one tick at a time. A tick that throws
 * is recorded in a bounded error list and the loop carries on after a backoff: a daemon loop never
 * dies of its own errors.
 */
export class DaemonLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private wakeAgain = false;
  private failures = 0;
  readonly errors: LoopError[] = [];

  constructor(
    readonly name: string,
    private readonly intervalMs: number,
    private readonly tick: () => Promise<void>,
    private readonly maxErrors = 10,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Runs a tick as soon as the current one (if any) ends. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) this.wakeAgain = true;
    else this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.runOnce(), delayMs);
  }

  private async runOnce(): Promise<void> {
    if (this.stopped || this.running) return;
    this.timer = undefined;
    let delay = this.intervalMs;
    this.running = this.tick().then(
      () => {
        this.failures = 0;
      },
      (error: unknown) => {
        this.failures++;
        this.errors.push({ loop: this.name, at: new Date().toISOString(), error: toErrorInfo(error) });
        if (this.errors.length > this.maxErrors) this.errors.shift();
        // Back off on repeated failures (storage or Redis down), up to 10 s.
        delay = Math.min(10_000, this.intervalMs * 2 ** Math.min(this.failures, 5));
      },
    );
    await this.running;
    this.running = undefined;
    if (this.stopped) return;
    if (this.wakeAgain) {
      this.wakeAgain = false;
      delay = 0;
    }
    this.schedule(delay);
  }
}
