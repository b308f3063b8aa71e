/** How long the outcome of an attempt that already ran is retried while storage is unreachable. */
export const OUTCOME_WRITE_RETRY_MS = 30_000;

/**
 * Runs `write` until it succeeds, retrying failures with a backoff (100 ms doubling to 2 s) for up
 * to `retryForMs`, then rethrows the last error. For the write of a step attempt's outcome: the
 * user code has already run, so a brief storage outage must delay the record, not discard it (a
 * discarded outcome makes the step run again). Callers' writes are guarded transitions, so a retry
 * after a commit whose reply was lost writes nothing and reports "nothing changed".
 */
export async function retryStorageWrite<T>(write: () => Promise<T>, retryForMs = OUTCOME_WRITE_RETRY_MS): Promise<T> {
  const deadline = Date.now() + retryForMs;
  for (let delayMs = 100; ; delayMs = Math.min(delayMs * 2, 2000)) {
    try {
      return await write();
    } catch (error) {
      if (Date.now() + delayMs > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
