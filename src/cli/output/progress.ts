import type { NewEvent } from '../../core/events.js';
import { duration, metadataLine } from './format.js';

interface Writable {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

const MARK: Record<string, string> = { STEP_SUCCEEDED: '✓', STEP_FAILED: '✗', STEP_SKIPPED: '-', STEP_CANCELED: '-', STEP_STARTED: '›' };

/**
 * Live progress of one run: a line per step transition, and on a TTY a progress bar kept on the
 * last line. Plain lines when the stream is not a TTY.
 */
export class ProgressPrinter {
  private done = 0;
  private running = 0;
  private barShown = false;
  private readonly pendingMetadata = new Map<string, string>();

  constructor(
    private readonly out: Writable,
    private readonly totalSteps: number,
  ) {}

  onEvent(event: NewEvent): void {
    switch (event.type) {
      case 'STEP_STARTED':
        this.running++;
        this.line(`${MARK.STEP_STARTED} ${event.stepKey} started${event.data.attempt > 1 ? ` (attempt ${event.data.attempt})` : ''}`);
        break;
      case 'MATERIALIZATION':
        this.pendingMetadata.set(event.stepKey!, metadataLine(event.data.metadata));
        break;
      case 'CHECK_EVALUATION':
        this.pendingMetadata.set(
          event.stepKey!,
          `${event.data.passed ? 'passed' : `FAILED (${event.data.severity}${event.data.blocking ? ', blocking' : ''})`} ${metadataLine(event.data.metadata)}`.trim(),
        );
        break;
      case 'STEP_SUCCEEDED':
        this.running--;
        this.done++;
        this.line(`${MARK.STEP_SUCCEEDED} ${event.stepKey} succeeded in ${duration(event.data.durationMs)} ${this.takeMetadata(event.stepKey)}`.trimEnd());
        break;
      case 'STEP_FAILED':
        this.running--;
        if (event.data.willRetry) {
          this.line(`↻ ${event.stepKey} failed (attempt ${event.data.attempt}), retrying in ${duration(event.data.retryDelayMs ?? 0)}: ${event.data.error.message}`);
        } else {
          this.done++;
          this.line(`${MARK.STEP_FAILED} ${event.stepKey} failed after ${duration(event.data.durationMs)}: ${event.data.error.message} ${this.takeMetadata(event.stepKey)}`.trimEnd());
        }
        break;
      case 'STEP_SKIPPED':
        this.done++;
        this.line(`${MARK.STEP_SKIPPED} ${event.stepKey} skipped: ${event.data.reason}`);
        break;
      case 'STEP_CANCELED':
        this.done++;
        this.line(`${MARK.STEP_CANCELED} ${event.stepKey} canceled`);
        break;
      case 'RUN_CANCELING':
        this.line('canceling: waiting for running steps to stop');
        break;
      default:
        return;
    }
  }

  /** Clears the bar before the final summary. */
  finish(): void {
    if (this.barShown) this.out.write('\r\x1b[2K');
    this.barShown = false;
  }

  private takeMetadata(stepKey: string | null): string {
    const text = (stepKey && this.pendingMetadata.get(stepKey)) || '';
    if (stepKey) this.pendingMetadata.delete(stepKey);
    return text;
  }

  private line(text: string): void {
    if (!this.out.isTTY) {
      this.out.write(`${text}\n`);
      return;
    }
    if (this.barShown) this.out.write('\r\x1b[2K');
    // One screen line per transition: long metadata is cut to the terminal's width.
    const width = this.out.columns ?? 120;
    this.out.write(`${text.length > width ? `${text.slice(0, width - 1)}…` : text}\n`);
    this.out.write(this.bar());
    this.barShown = true;
  }

  private bar(): string {
    const width = Math.max(10, Math.min(40, (this.out.columns ?? 80) - 40));
    const filled = this.totalSteps === 0 ? width : Math.round((this.done / this.totalSteps) * width);
    return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${this.done}/${this.totalSteps} steps, ${this.running} running`;
  }
}
