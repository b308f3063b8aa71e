import type { DestinationStream } from 'pino';
import type { LogLevel, NewEvent } from '../core/events.js';

const LEVELS: Record<number, LogLevel> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
const RESERVED = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'runId', 'step', 'attempt']);

/**
 * The events of a step attempt waiting to be written: its STEP_STARTED, then each log line as a LOG
 * event (it is the attempt's pino destination, and forwards each line to the process log), until
 * `drain()`: the step runner writes them in periodic batches while the step runs, and the rest with
 * the outcome.
 */
export class StepLogBuffer implements DestinationStream {
  private pending: NewEvent[] = [];
  /**
   * A batch whose write failed was put back: its commit may still have happened (the reply was
   * lost), so its STEP_STARTED must be looked for in storage before it is written again.
   */
  unconfirmed = false;

  constructor(
    private readonly runId: string,
    private readonly stepKey: string,
    private readonly forward: DestinationStream | undefined,
  ) {}

  write(line: string): void {
    this.forward?.write(line);
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      record = { level: 30, msg: line.trim() };
    }
    const fields: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(record)) if (!RESERVED.has(k)) fields[k] = v;
    this.pending.push({
      type: 'LOG',
      runId: this.runId,
      stepKey: this.stepKey,
      at: typeof record.time === 'number' ? new Date(record.time) : new Date(),
      data: {
        level: LEVELS[record.level as number] ?? 'info',
        msg: typeof record.msg === 'string' ? record.msg : '',
        ...(Object.keys(fields).length > 0 ? { fields } : {}),
      },
    });
  }

  /** Buffers an event of the attempt that is not a log line (STEP_STARTED). */
  push(event: NewEvent): void {
    this.pending.push(event);
  }

  /** Puts a drained batch that could not be written back in front of what came since. */
  restore(events: readonly NewEvent[]): void {
    this.pending = [...events, ...this.pending];
    this.unconfirmed = true;
  }

  /** Drops the buffered STEP_STARTED: storage has it already (a batch committed whose reply was lost). */
  dropStarted(): void {
    this.pending = this.pending.filter((e) => e.type !== 'STEP_STARTED');
  }

  get size(): number {
    return this.pending.length;
  }

  /** The buffered events, oldest first; the buffer is empty afterwards. */
  drain(): NewEvent[] {
    const out = this.pending;
    this.pending = [];
    return out;
  }
}
