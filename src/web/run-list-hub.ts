import { runHeader } from '../execution/run-summary.js';
import type { Instance } from '../storage/instance.js';
import type { RunHeader } from './api-contract.js';

type Listener = (runs: readonly RunHeader[]) => void;

/**
 * Run status changes for the runs list and the lineage: while anyone listens, one reader looks at
 * the newest `window` runs every `intervalMs` and hands the runs whose status (or end, or queue
 * reason) changed to every listener. One query per interval, whatever the number of browsers.
 */
export class RunListHub {
  private readonly listeners = new Set<Listener>();
  private readonly seen = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  /** Whether `seen` holds a first reading (changes are reported from the second on). */
  private primed = false;

  constructor(
    private readonly instance: Instance,
    private readonly intervalMs = 1000,
    private readonly window = 100,
  ) {}

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    if (!this.timer) this.schedule();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) {
        clearTimeout(this.timer);
        this.timer = undefined;
        this.seen.clear();
        this.primed = false;
      }
    };
  }

  close(): void {
    this.listeners.clear();
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    this.timer = setTimeout(() => void this.poll(), this.primed ? this.intervalMs : 0);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    try {
      const runs = (await this.instance.runs.listRuns({ limit: this.window })).map(runHeader);
      const changed = runs.filter((run) => {
        const sig = `${run.status}|${run.endedAt}|${run.queueReason}`;
        const before = this.seen.get(run.runId);
        this.seen.set(run.runId, sig);
        return before !== sig;
      });
      if (this.primed && changed.length > 0) for (const l of [...this.listeners]) l(changed);
      this.primed = true;
    } catch {
      // Storage briefly unreachable: try again next interval.
    }
    if (this.listeners.size > 0) this.schedule();
  }
}
