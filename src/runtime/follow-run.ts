import type { EventRecord } from '../core/events.js';
import { isTerminalRunStatus } from '../core/run/run-status.js';
import type { Instance, RunRecord } from '../storage/instance.js';

/**
 * Tails a run's event log from storage until the run ends, handing each event to `onEvent` in
 * order. Works for runs executed anywhere (BullMQ workers, a daemon), since storage holds the truth.
 */
export async function followRun(
  instance: Instance,
  runId: string,
  onEvent: (event: EventRecord) => void,
  options: { intervalMs?: number; afterId?: number } = {},
): Promise<RunRecord> {
  let afterId = options.afterId ?? 0;
  for (;;) {
    let events: EventRecord[];
    try {
      events = await instance.listEvents(runId, { afterId, limit: 1000 });
    } catch {
      // Storage briefly unreachable: keep following.
      await new Promise((r) => setTimeout(r, 1000));
      continue;
    }
    for (const event of events) {
      onEvent(event);
      afterId = event.id;
    }
    if (events.length === 0) {
      const run = await instance.getRun(runId).catch(() => undefined);
      if (run && isTerminalRunStatus(run.status)) {
        // Drain what was written between the read of events and the read of the run.
        const rest = await instance.listEvents(runId, { afterId });
        for (const event of rest) onEvent(event);
        return run;
      }
      await new Promise((r) => setTimeout(r, options.intervalMs ?? 150));
    }
  }
}
