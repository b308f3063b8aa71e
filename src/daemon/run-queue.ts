import { pickRunsToStart, type RunQueueLimits } from '../core/run/run-queue-policy.js';
import type { RunLauncher } from '../execution/run-launcher.js';
import type { Instance } from '../storage/instance.js';

/** The lease that elects the one daemon running the queue (others stand by). */
export const RUN_QUEUE_LEASE = 'run-queue';

/**
 * One pass of the run queue: while this daemon holds the run-queue lease, starts the QUEUED runs
 * the limits allow (QUEUED -> STARTED is a guarded transition, so a run starts once even if two
 * daemons overlap) and records why the others wait.
 */
export async function runQueueTick(deps: {
  instance: Instance;
  launcher: RunLauncher;
  limits: RunQueueLimits;
  daemonId: string;
  leaseTtlMs: number;
  now: () => Date;
}): Promise<{ started: string[]; held: number; leader: boolean }> {
  const { instance } = deps;
  if (!(await instance.coordination.acquireLease(RUN_QUEUE_LEASE, deps.daemonId, deps.leaseTtlMs, deps.now()))) {
    return { started: [], held: 0, leader: false };
  }
  const queued = await instance.runs.listRuns({ statuses: ['QUEUED'], limit: 1000 });
  if (queued.length === 0) return { started: [], held: 0, leader: true };
  const active = await instance.runs.listRuns({ statuses: ['STARTED', 'CANCELING'] });
  const { start, held } = pickRunsToStart(queued, active, deps.limits);
  const started: string[] = [];
  for (const runId of start) {
    if (!(await instance.runs.setRunStatus(runId, 'STARTED', deps.now()))) continue;
    started.push(runId);
    await deps.launcher.start(runId);
  }
  const previous = new Map(queued.map((r) => [r.id, r.queueReason]));
  for (const [runId, reason] of held) if (previous.get(runId) !== reason) await instance.runs.setQueueReason(runId, reason);
  return { started, held: held.size, leader: true };
}
