import { CONCURRENCY_KEY_TAG, CONCURRENCY_LIMIT_TAG, EXTERNAL_TAG, PRIORITY_TAG, SERIAL_TAG } from './system-tags.js';

/** Limits on which QUEUED runs may start. */
export interface RunQueueLimits {
  /** Runs STARTED or CANCELING at once; undefined = no limit. */
  readonly maxConcurrentRuns?: number;
  /** e.g. `{ key: 'pipeline', value: 'promotion', limit: 1 }`; without value, per distinct value of the key. */
  readonly tagLimits: ReadonlyArray<{ readonly key: string; readonly value?: string; readonly limit: number }>;
}

export interface QueuedRunView {
  readonly id: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly createdAt: Date;
}


function concurrencyLimitOf(run: { readonly tags: Readonly<Record<string, string>> }): number {
  const value = Number(run.tags[CONCURRENCY_LIMIT_TAG]);
  return Number.isInteger(value) && value > 0 ? value : 1;
}

function priorityOf(run: QueuedRunView): number {
  const value = Number(run.tags[PRIORITY_TAG]);
  return Number.isFinite(value) ? value : 0;
}

/**
 * Which queued runs start now, in order, and why each of the others waits. Higher priority first,
 * then oldest first; a run held back by a tag limit does not block runs behind it that the limit
 * does not concern.
 */
export function pickRunsToStart(
  queued: readonly QueuedRunView[],
  active: ReadonlyArray<{ readonly tags: Readonly<Record<string, string>> }>,
  limits: RunQueueLimits,
): { start: string[]; held: Map<string, string> } {
  const order = [...queued].sort((a, b) => priorityOf(b) - priorityOf(a) || a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
  const running = [...active];
  const start: string[] = [];
  const held = new Map<string, string>();
  for (const run of order) {
    // A reported (external) run is never started here: its reporter records its outcome.
    if (run.tags[EXTERNAL_TAG] !== undefined) continue;
    if (limits.maxConcurrentRuns !== undefined && running.length >= limits.maxConcurrentRuns) {
      held.set(run.id, `waiting for a run slot: ${running.length} of SLUICE_MAX_CONCURRENT_RUNS=${limits.maxConcurrentRuns} in use`);
      continue;
    }
    const blocking = limits.tagLimits.find((limit) => {
      const value = run.tags[limit.key];
      if (value === undefined || (limit.value !== undefined && value !== limit.value)) return false;
      return running.filter((r) => r.tags[limit.key] === value).length >= limit.limit;
    });
    if (blocking) {
      held.set(run.id, `waiting for tag limit ${blocking.key}=${blocking.value ?? run.tags[blocking.key]} (at most ${blocking.limit} at once)`);
      continue;
    }
    const serial = run.tags[SERIAL_TAG];
    if (serial !== undefined && running.some((r) => r.tags[SERIAL_TAG] === serial)) {
      held.set(run.id, `waiting for the previous run with ${SERIAL_TAG}=${serial} to finish (one at a time)`);
      continue;
    }
    const key = run.tags[CONCURRENCY_KEY_TAG];
    if (key !== undefined) {
      const limit = concurrencyLimitOf(run);
      const inUse = running.filter((r) => r.tags[CONCURRENCY_KEY_TAG] === key).length;
      if (inUse >= limit) {
        held.set(run.id, `waiting for ${CONCURRENCY_KEY_TAG}=${key}: ${inUse} of ${limit} run(s) at once in use`);
        continue;
      }
    }
    start.push(run.id);
    running.push(run);
  }
  return { start, held };
}
