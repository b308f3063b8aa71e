import type { StartStepResult } from './run-storage.js';
import type { StepStart } from './sql/start-steps.js';

/** Most step starts written in one statement. */
const MAX_BATCH = 64;

interface Waiting extends StepStart {
  resolve(result: StartStepResult): void;
  reject(error: unknown): void;
}

interface RunLane {
  busy: boolean;
  queue: Waiting[];
}

/**
 * Batches the step starts of one run, as FinishStepBatcher does its finishes: a start of a run with
 * no start in flight goes out at once, alone (`one`); starts that come meanwhile go out together
 * (`many`, one statement), except a key already in the batch, which waits for the next one. A start
 * the batch could not settle (`many` gives undefined), and every start of a batch that failed, is
 * made alone, so that its result and its error are its own.
 */
export class StartStepBatcher {
  readonly #lanes = new Map<string, RunLane>();

  constructor(
    private readonly one: (runId: string, start: StepStart) => Promise<StartStepResult>,
    private readonly many: (runId: string, starts: readonly StepStart[]) => Promise<(StartStepResult | undefined)[]>,
  ) {}

  start(runId: string, start: StepStart): Promise<StartStepResult> {
    return new Promise<StartStepResult>((resolve, reject) => {
      let lane = this.#lanes.get(runId);
      if (!lane) this.#lanes.set(runId, (lane = { busy: false, queue: [] }));
      lane.queue.push({ ...start, resolve, reject });
      if (!lane.busy) void this.#drain(runId, lane);
    });
  }

  async #drain(runId: string, lane: RunLane): Promise<void> {
    lane.busy = true;
    try {
      while (lane.queue.length > 0) {
        const keys = new Set<string>();
        const batch: Waiting[] = [];
        const later: Waiting[] = [];
        for (const w of lane.queue) {
          if (batch.length < MAX_BATCH && !keys.has(w.stepKey)) {
            keys.add(w.stepKey);
            batch.push(w);
          } else later.push(w);
        }
        lane.queue = later;
        await this.#write(runId, batch);
      }
    } finally {
      lane.busy = false;
      if (lane.queue.length === 0) this.#lanes.delete(runId);
      else void this.#drain(runId, lane);
    }
  }

  async #write(runId: string, batch: readonly Waiting[]): Promise<void> {
    let results: (StartStepResult | undefined)[] = [];
    if (batch.length > 1) {
      try {
        results = await this.many(runId, batch);
      } catch {
        results = [];
      }
    }
    for (const [i, w] of batch.entries()) {
      const settled = results[i];
      if (settled) {
        w.resolve(settled);
        continue;
      }
      try {
        w.resolve(await this.one(runId, w));
      } catch (error) {
        w.reject(error);
      }
    }
  }
}
