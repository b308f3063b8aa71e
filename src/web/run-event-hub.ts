import type { EventRecord } from '../core/events.js';
import type { Instance } from '../storage/instance.js';

const ENDS = new Set(['RUN_SUCCESS', 'RUN_FAILURE', 'RUN_CANCELED']);
const PAGE = 500;
const TERMINAL = new Set(['SUCCESS', 'FAILURE', 'CANCELED']);

type Listener = (events: readonly EventRecord[], ended: boolean) => void;

interface Tail {
  cursor: number;
  ended: boolean;
  readonly listeners: Set<Listener>;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Live run events for the dashboard: one storage tail per run that someone watches, shared by all
 * its watchers, reading only that run's events after the last id seen (an index range scan), every
 * `intervalMs` while it has watchers and the run has not ended. Nothing is polled for runs nobody
 * watches. Each watcher first reads its own backlog up to the tail's cursor, then joins, so it sees
 * every event once and in order.
 */
export class RunEventHub {
  private readonly tails = new Map<string, Tail>();

  constructor(
    private readonly instance: Instance,
    private readonly intervalMs = 150,
  ) {}

  /** Calls `listener` with every event of the run after `afterId`; returns the unsubscribe function. */
  async subscribe(runId: string, afterId: number, listener: Listener): Promise<() => void> {
    let cursor = afterId;
    for (;;) {
      // Catch up to the shared tail's cursor (or to the end of the log when there is no tail yet).
      const existing = this.tails.get(runId);
      const target = existing ? existing.cursor : Number.MAX_SAFE_INTEGER;
      while (cursor < target) {
        const events = (await this.instance.eventLog.listEvents(runId, { afterId: cursor, limit: PAGE })).filter((e) => e.id <= target);
        if (events.length === 0) break;
        cursor = events.at(-1)!.id;
        const ended = events.some((e) => ENDS.has(e.type));
        listener(events, ended);
        if (ended) return () => {};
      }
      // Awaits above may have let another watcher create (or advance) the tail: catch up again.
      const tail = this.tails.get(runId);
      if (tail && cursor >= tail.cursor) return this.join(runId, tail, cursor, listener);
      if (tail) continue;
      // A run that has ended gets no tail: its end event is in the log (written with its status).
      const run = await this.instance.runs.getRun(runId);
      if (!run || TERMINAL.has(run.status)) {
        listener(await this.instance.eventLog.listEvents(runId, { afterId: cursor }), true);
        return () => {};
      }
      if (this.tails.has(runId)) continue;
      const created: Tail = { cursor, ended: false, listeners: new Set(), timer: undefined };
      this.tails.set(runId, created);
      this.schedule(runId, created);
      return this.join(runId, created, cursor, listener);
    }
  }

  private join(runId: string, tail: Tail, from: number, listener: Listener): () => void {
    let cursor = from;
    const filtered: Listener = (events, ended) => {
      const fresh = events.filter((e) => e.id > cursor);
      if (fresh.length > 0) cursor = fresh.at(-1)!.id;
      if (fresh.length > 0 || ended) listener(fresh, ended);
    };
    tail.listeners.add(filtered);
    return () => {
      tail.listeners.delete(filtered);
      if (tail.listeners.size === 0) this.drop(runId, tail);
    };
  }

  /** Tails being read now (for tests and /metrics). */
  get watchedRuns(): number {
    return this.tails.size;
  }

  close(): void {
    for (const [runId, tail] of this.tails) this.drop(runId, tail);
  }

  private drop(runId: string, tail: Tail): void {
    clearTimeout(tail.timer);
    if (this.tails.get(runId) === tail) this.tails.delete(runId);
  }

  private schedule(runId: string, tail: Tail): void {
    tail.timer = setTimeout(() => void this.poll(runId, tail), this.intervalMs);
    tail.timer.unref();
  }

  private async poll(runId: string, tail: Tail): Promise<void> {
    if (this.tails.get(runId) !== tail) return;
    try {
      for (;;) {
        const events = await this.instance.eventLog.listEvents(runId, { afterId: tail.cursor, limit: PAGE });
        if (events.length === 0) break;
        tail.cursor = events.at(-1)!.id;
        tail.ended = events.some((e) => ENDS.has(e.type));
        for (const l of [...tail.listeners]) l(events, tail.ended);
        if (tail.ended || events.length < PAGE) break;
      }
    } catch {
      // Storage briefly unreachable: the next poll catches up from the same cursor.
    }
    if (tail.ended) {
      this.drop(runId, tail);
      return;
    }
    if (this.tails.get(runId) === tail) this.schedule(runId, tail);
  }
}
