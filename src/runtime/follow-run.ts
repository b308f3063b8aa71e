import { isSluiceError } from '../core/errors.js';
import type { EventRecord } from '../core/events.js';
import type { RunSummary } from '../execution/run-summary.js';
import type { RunService } from './run-service.js';

const ENDS = new Set(['RUN_SUCCESS', 'RUN_FAILURE', 'RUN_CANCELED']);

/**
 * Tails a run's event log until the run ends, handing each event to `onEvent` in order, then
 * returns its summary. Works for runs executed anywhere (BullMQ workers, a daemon), since storage
 * holds the truth; a store that is briefly unreachable only delays it. `signal` cancels the run
 * through the service (following goes on until it ends).
 */
export async function followRun(
  service: Pick<RunService, 'events' | 'summary' | 'cancelRun'>,
  runId: string,
  onEvent: (event: EventRecord) => void,
  options: { intervalMs?: number; signal?: AbortSignal | undefined } = {},
): Promise<RunSummary> {
  const onAbort = () => void service.cancelRun(runId).catch(() => {});
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await tail(service, runId, onEvent, options.intervalMs ?? 150);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}

async function tail(service: Pick<RunService, 'events' | 'summary'>, runId: string, onEvent: (event: EventRecord) => void, intervalMs: number): Promise<RunSummary> {
  let afterId = 0;
  for (;;) {
    let events: EventRecord[];
    try {
      events = await service.events(runId, afterId);
    } catch {
      await new Promise((r) => setTimeout(r, 1000));
      continue;
    }
    let ended = false;
    for (const event of events) {
      onEvent(event);
      afterId = event.id;
      if (ENDS.has(event.type)) ended = true;
    }
    if (ended) return summaryWhenReachable(service, runId);
    if (events.length === 0) await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * The ended run's summary. A store that just came back may fail the first reads (a pooled
 * connection that died in the outage), so it is read again for up to 30 s, as the events were.
 * (Found by the Postgres-outage fault test: the follower exited 1 after the run had succeeded.)
 */
async function summaryWhenReachable(service: Pick<RunService, 'summary'>, runId: string): Promise<RunSummary> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await service.summary(runId);
    } catch (error) {
      // A refusal (no such run) is an answer, not an outage.
      const answered = isSluiceError(error) && error.code !== 'STORAGE_UNAVAILABLE';
      if (answered || Date.now() + 1000 > deadline) throw error;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}
