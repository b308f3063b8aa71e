/**
 * How the daemon (or a CLI submit) hands a STARTED run to an executor, and cancels it. The
 * in-process launcher runs steps in this process; the BullMQ launcher enqueues them for workers.
 */
export interface RunLauncher {
  readonly kind: 'in-process' | 'bullmq';
  /** Begins executing a run this process has just moved to STARTED. Returns once handed over. */
  start(runId: string): Promise<void>;
  /**
   * Cancels a STARTED or CANCELING run: running steps see their signal aborted (on every worker),
   * queued work is dropped, and the run ends CANCELED once nothing runs.
   */
  cancel(runId: string): Promise<void>;
  /** Runs whose execution this process drives right now (in-process only; empty for BullMQ). */
  active(): string[];
  close(): Promise<void>;
}
