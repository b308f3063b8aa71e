import type { ErrorInfo } from '../core/events.js';
import { toErrorInfo } from '../core/events.js';

export interface LoopError {
  readonly loop: string;
  readonly at: string;
  readonly error: ErrorInfo;
}

/** The part of a logger a loop writes its errors to (pino's shape). */
export interface LoopLog {
  error(fields: Record<string, unknown>, msg: string): void;
}

/** What a loop runs its errors through before they are kept, logged or shown (core/redactor.ts). */
export interface LoopRedactor {
  value<T>(value: T): T;
}

/** What a tick may do besides throwing: record errors it survived (each counts as a failed tick). */
export interface LoopTick {
  record(error: unknown): void;
}

export interface DaemonLoopOptions {
  readonly name: string;
  /** The delay between ticks when a tick returns none. */
  readonly intervalMs: number;
  /** One iteration; may return the delay until the next one (a scheduler sleeps until its next tick). */
  readonly tick: (loop: LoopTick) => Promise<number | void>;
  readonly clock?: () => Date;
  readonly log?: LoopLog;
  readonly redactor?: LoopRedactor;
  /** How many errors are kept (the newest). Default 10. */
  readonly maxErrors?: number;
  /** After failed ticks: baseMs, doubling per failure in a row, up to maxMs. Default 1 s to 10 s. */
  readonly backoff?: { readonly baseMs: number; readonly maxMs: number };
}

/** What the owner of a loop was given (its clock, logger and redactor), as DaemonLoop options. */
export function loopServices(owner: { readonly now?: (() => Date) | undefined; readonly log?: LoopLog | undefined; readonly redactor?: LoopRedactor | undefined }): Pick<DaemonLoopOptions, 'clock' | 'log' | 'redactor'> {
  return { clock: owner.now, log: owner.log, redactor: owner.redactor };
}

/** setTimeout's longest delay; a longer one would fire at once. */
const MAX_DELAY_MS = 2_147_483_647;

/**
 * The one loop every daemon loop runs on (Dagster's daemon is the model): a tick at start, then one
 * tick at a time, after the delay the tick returned or `intervalMs`, or at once when woken. A tick
 * never kills the loop: what it throws (and what it records with `loop.record`) is redacted, logged,
 * kept in a bounded list (the daemon's heartbeat shows it) and followed by a backoff. The clock,
 * logger and redactor come in, so tests and the daemon see the same behaviour.
 */
export class DaemonLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private wakeAgain = false;
  private failures = 0;
  readonly errors: LoopError[] = [];

  constructor(private readonly options: DaemonLoopOptions) {}

  get name(): string {
    return this.options.name;
  }

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
    this.timer = undefined;
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.runOnce(), Math.max(0, Math.min(delayMs, MAX_DELAY_MS)));
  }

  private record(error: unknown): void {
    const clock = this.options.clock ?? (() => new Date());
    const info = (this.options.redactor?.value(toErrorInfo(error)) ?? toErrorInfo(error)) as ErrorInfo;
    this.errors.push({ loop: this.options.name, at: clock().toISOString(), error: info });
    if (this.errors.length > (this.options.maxErrors ?? 10)) this.errors.shift();
    this.options.log?.error({ loop: this.options.name, err: { name: info.name, message: info.message, ...(info.code ? { code: info.code } : {}) } }, 'daemon loop tick failed');
  }

  private async runOnce(): Promise<void> {
    if (this.stopped || this.running) return;
    this.timer = undefined;
    let failed = false;
    let next: number | void = undefined;
    const tick: LoopTick = {
      record: (error) => {
        failed = true;
        this.record(error);
      },
    };
    this.running = this.options.tick(tick).then(
      (delay) => {
        next = delay;
      },
      (error: unknown) => tick.record(error),
    );
    await this.running;
    this.running = undefined;
    if (this.stopped) return;
    let delay = typeof next === 'number' ? next : this.options.intervalMs;
    if (failed) {
      this.failures++;
      const { baseMs, maxMs } = this.options.backoff ?? { baseMs: 1000, maxMs: 10_000 };
      delay = Math.min(maxMs, baseMs * 2 ** Math.min(this.failures - 1, 16));
    } else this.failures = 0;
    if (this.wakeAgain) {
      this.wakeAgain = false;
      delay = 0;
    }
    this.schedule(delay);
  }
}
