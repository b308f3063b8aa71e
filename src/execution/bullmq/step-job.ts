/** What a step job carries: enough to find the step in storage, and which attempt it is for. */
export interface StepJobData {
  readonly runId: string;
  readonly stepKey: string;
  readonly attempt: number;
}

/** Queue of steps without a pool, and the queue of each pool. */
export const STEPS_QUEUE = 'steps';
export function poolQueueName(pool: string): string {
  return `steps-pool-${pool}`;
}

/**
 * The deterministic BullMQ job id of a step attempt: a second enqueue of the same attempt is a
 * no-op. BullMQ forbids `:` in ids; run ids are UUIDs and step keys hold only `[A-Za-z0-9_/#-]`.
 */
export function stepJobId(runId: string, stepKey: string, attempt: number): string {
  return `${runId}__${stepKey}__${attempt}`;
}
