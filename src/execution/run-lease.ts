import { SluiceError } from '../core/errors.js';
import type { CoordinationStorage } from '../storage/instance.js';

/** How long an in-process executor's claim on a run lasts without renewal. */
export const RUN_LEASE_TTL_MS = 15_000;

/** The lease an in-process executor holds on a run while it executes it. */
export function runLeaseName(runId: string): string {
  return `run:${runId}`;
}

export class RunOwnedError extends SluiceError {
  constructor(runId: string, holder: string) {
    super('RUN_OWNED', `run ${runId} is being executed by another process (${holder}); follow it with \`sluice runs show ${runId}\``, { runId, holder });
  }
}

/**
 * Claims a run for in-process execution and keeps the claim fresh until released, so that no
 * daemon's monitor adopts a run that a live process executes. Throws RunOwnedError when a live
 * process holds it already. A renewal that fails (storage down) is retried at the next interval.
 */
export async function holdRunLease(coordination: CoordinationStorage, runId: string, holder: string, ttlMs = RUN_LEASE_TTL_MS): Promise<{ release(): Promise<void> }> {
  const name = runLeaseName(runId);
  if (!(await coordination.acquireLease(name, holder, ttlMs, new Date()))) {
    throw new RunOwnedError(runId, (await coordination.getLease(name))?.holder ?? 'unknown');
  }
  const timer = setInterval(() => void coordination.acquireLease(name, holder, ttlMs, new Date()).catch(() => {}), Math.floor(ttlMs / 3));
  timer.unref();
  return {
    async release() {
      clearInterval(timer);
      await coordination.releaseLease(name, holder).catch(() => {});
    },
  };
}
