import type { StartStepResult } from './run-storage.js';
import { RunLanes } from './run-lanes.js';
import type { StepStart } from './sql/start-steps.js';

/** Most step starts written in one statement. */
const MAX_BATCH = 64;

interface Waiting extends StepStart {
  resolve(result: StartStepResult): void;
  reject(error: unknown): void;
}

/**
 * Batches the step starts of one run, as FinishStepBatcher does its finishes: a start of a run with
 * no start in flight goes out at once, alone (`one`); starts that come meanwhile go out together
 * (`many`, one statement), except a key already in the batch, which waits for the next one. A start
 * the batch could not settle (`many` gives undefined), and every start of a batch that failed, is
 * made alone, so that its result and its error are its own.
 */
export class StartStepBatcher {
  readonly #lanes: RunLanes<Waiting>;

  constructor(
    private readonly one: (runId: string, start: StepStart) => Promise<StartStepResult>,
    private readonly many: (runId: string, starts: readonly StepStart[]) => Promise<(StartStepResult | undefined)[]>,
  ) {
    this.#lanes = new RunLanes<Waiting>(takeDistinctKeys, (runId, batch) => this.#write(runId, batch));
  }

  start(runId: string, start: StepStart): Promise<StartStepResult> {
    return new Promise<StartStepResult>((resolve, reject) => this.#lanes.add(runId, { ...start, resolve, reject }));
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

/** Up to MAX_BATCH starts, one per step key; a second start of a key waits for the next batch. */
function takeDistinctKeys(queue: readonly Waiting[]): { batch: Waiting[]; later: Waiting[] } {
  const keys = new Set<string>();
  const batch: Waiting[] = [];
  const later: Waiting[] = [];
  for (const w of queue) {
    if (batch.length < MAX_BATCH && !keys.has(w.stepKey)) {
      keys.add(w.stepKey);
      batch.push(w);
    } else later.push(w);
  }
  return { batch, later };
}
