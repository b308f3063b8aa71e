import type { FinishStepResult, StepOutcome } from './run-storage.js';
import { RunLanes } from './run-lanes.js';
import type { StepFinish } from './sql/finish-steps.js';

/** Most step finishes written in one transaction. */
const MAX_BATCH = 64;

interface Waiting extends StepFinish {
  resolve(result: FinishStepResult): void;
  reject(error: unknown): void;
}

/**
 * Group commit of step finishes, per run: a finish of a run with no write of its own in flight goes
 * out at once (one statement, no added wait); finishes that come while one is in flight wait for it
 * and then go out together, in one transaction (finishSteps). A run's finishes take its row's lock
 * to commit, so they cannot commit in parallel anyway: under load, one commit serves many steps,
 * and a lone step (a chain) waits for nothing. When a batch fails, each of its finishes is tried on
 * its own, so one finish's error is its own (and a batch lost in an outage is retried by callers,
 * whose writes are guarded: a finish whose commit landed writes nothing the second time).
 */
export class FinishStepBatcher {
  readonly #lanes: RunLanes<Waiting>;

  constructor(private readonly write: (runId: string, finishes: readonly StepFinish[]) => Promise<FinishStepResult[]>) {
    this.#lanes = new RunLanes<Waiting>(
      (queue) => ({ batch: queue.slice(0, MAX_BATCH), later: queue.slice(MAX_BATCH) }),
      (runId, batch) => this.#writeBatch(runId, batch),
    );
  }

  finish(runId: string, stepKey: string, outcome: StepOutcome): Promise<FinishStepResult> {
    return new Promise<FinishStepResult>((resolve, reject) => this.#lanes.add(runId, { stepKey, outcome, resolve, reject }));
  }

  async #writeBatch(runId: string, batch: readonly Waiting[]): Promise<void> {
    try {
      const results = await this.write(runId, batch);
      batch.forEach((w, i) => w.resolve(results[i]!));
      return;
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
    }
    for (const w of batch) {
      try {
        w.resolve((await this.write(runId, [w]))[0]!);
      } catch (error) {
        w.reject(error);
      }
    }
  }
}
