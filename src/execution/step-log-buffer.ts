import type { DestinationStream } from 'pino';
import type { LogLevel, NewEvent } from '../core/events.js';

const LEVELS: Record<number, LogLevel> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
const RESERVED = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'runId', 'step', 'attempt']);

/**
 * A pino destination that turns each log line of a step attempt into a LOG event, buffered until
 * `drain()` (the step runner writes them with the outcome, or in periodic batches while the step
 * runs), and forwards the line to the process log.
 */
export class StepLogBuffer implements DestinationStream {
  private pending: NewEvent[] = [];

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
