import type { BullmqLauncher } from '../execution/bullmq/bullmq-launcher.js';
import { finishRunIfDone } from '../execution/finish-run.js';
import type { RunLauncher } from '../execution/run-launcher.js';
import { runLeaseName } from '../execution/run-lease.js';
import { missingStartEvent } from '../execution/lost-attempt.js';
import type { Heartbeat, Instance } from '../storage/instance.js';

/** The error a RUNNING attempt is closed with when its process is gone. */
const LOST = { name: 'WorkerLost', code: 'WORKER_LOST', message: 'the process running this attempt stopped (no heartbeat); the step is run again' };

function isAlive(worker: string | null, beats: ReadonlyMap<string, Heartbeat>, now: Date, timeoutMs: number): boolean {
  if (!worker) return false;
  const beat = beats.get(worker);
  return beat !== undefined && now.getTime() - beat.at.getTime() <= timeoutMs;
}

/**
 * One pass of the run monitor: reconciles storage (the truth) with the work in flight. For each
 * STARTED or CANCELING run it re-enqueues ready steps whose jobs are missing (BullMQ), re-runs
 * attempts whose process is gone, and ends runs that have nothing left. Safe to run in any number
 * of daemons at once: every write it makes is a guarded transition or an idempotent enqueue.
 */
export async function runMonitorTick(deps: {
  instance: Instance;
  launcher: RunLauncher;
  /** How stale a worker's heartbeat may be before its RUNNING attempts count as lost. */
  workerTimeoutMs: number;
  now: () => Date;
  /**
   * Each run's unfinished step count at the previous tick (kept by the caller between ticks). A run
   * that made progress since, while every worker's heartbeat is fresh, needs no reconciliation:
   * reading all its steps and re-adding its ready jobs would only load a busy run.
   */
  progress?: Map<string, number>;
}): Promise<{ checked: number; requeued: number; recovered: number; finished: number }> {
  const { instance, launcher } = deps;
  const runs = await instance.runs.listRuns({ statuses: ['STARTED', 'CANCELING'] });
  const heartbeats = await instance.coordination.listHeartbeats();
  const beats = new Map(heartbeats.map((b) => [b.host && b.pid ? `${b.host}:${b.pid}` : b.id, b]));
  const nowMs = deps.now().getTime();
  const staleWorker = heartbeats.some((b) => b.kind === 'worker' && nowMs - b.at.getTime() > deps.workerTimeoutMs);
  const seen = new Set<string>();
  const localRuns = new Set(launcher.active());
  let requeued = 0;
  let recovered = 0;
  let finished = 0;
  for (const run of runs) {
    const now = deps.now();
    if (run.status === 'CANCELING' || localRuns.has(run.id)) {
      if (!localRuns.has(run.id) && (await finishRunIfDone(instance.runs, run.id, now))) finished++;
      continue;
    }
    // A run that a live process executes in-process (it renews the run's lease) is that process's.
    const lease = await instance.coordination.getLease(runLeaseName(run.id));
    if (lease && lease.expiresAt.getTime() > now.getTime()) continue;
    if (deps.progress) {
      seen.add(run.id);
      const unfinished = await instance.runs.unfinishedStepCount(run.id);
      const before = deps.progress.get(run.id);
      deps.progress.set(run.id, unfinished);
      if (unfinished > 0 && !staleWorker) {
        if (before !== undefined && unfinished < before) continue;
        // First seen, and started within a worker timeout: its launcher has just enqueued its ready
        // steps. Re-adding them now would race the workers (a job that completed in between and was
        // removed would be added again and run a second time for nothing); the next tick reconciles
        // it if it has not progressed by then.
        if (before === undefined && run.startedAt && now.getTime() - run.startedAt.getTime() < deps.workerTimeoutMs) continue;
      }
    }
    const steps = await instance.runs.listSteps(run.id);
    for (const step of steps) {
      if (step.status !== 'RUNNING' || isAlive(step.worker, beats, now, deps.workerTimeoutMs)) continue;
      if (launcher.kind === 'bullmq') {
        // Enqueue the same attempt: the worker that takes it sees it RUNNING and takes it over.
        const bull = launcher as BullmqLauncher;
        const pool = bull.poolOf(step.key);
        if (!(await bull.queue.has(run.id, step.key, step.attempt, pool))) {
          await bull.queue.enqueue([{ runId: run.id, stepKey: step.key, attempt: step.attempt, pool }]);
          recovered++;
        }
      } else if (
        await instance.runs.retryStep(run.id, step.key, {
          status: 'FAILED',
          attempt: step.attempt,
          at: now,
          durationMs: 0,
          error: LOST,
          retryDelayMs: 0,
          events: await missingStartEvent(instance.eventLog, run.id, step, now),
        })
      ) {
        recovered++;
      }
    }
    if (launcher.kind === 'bullmq') requeued += (await (launcher as BullmqLauncher).enqueueReady(run.id)).length;
    else if (steps.some((s) => s.status === 'PENDING' || s.status === 'RUNNING')) {
      // An embedded run left behind by a process that is gone: execute it here again.
      await launcher.start(run.id);
      requeued++;
    }
    if (await finishRunIfDone(instance.runs, run.id, deps.now())) finished++;
  }
  if (deps.progress) for (const runId of [...deps.progress.keys()]) if (!seen.has(runId)) deps.progress.delete(runId);
  return { checked: runs.length, requeued, recovered, finished };
}
