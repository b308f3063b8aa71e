// @ts-check
// The run page's steps, kept current from the run's events instead of refetching the run: each
// STEP_* event moves one step, a CHECK_EVALUATION fills a check step's result. Applying is
// idempotent and only ever moves a step forward (by attempt, then started < ended), so an event
// that the loaded summary already reflects changes nothing when the stream replays it.

/** @typedef {import('../../api-contract.js').ApiEvent} ApiEvent */
/** @typedef {import('../../../execution/run-summary.js').RunSummary} RunSummary */
/** @typedef {import('../../../execution/run-summary.js').StepSummary} StepSummary */
/** @typedef {{ -readonly [K in keyof StepSummary]: StepSummary[K] }} Step */

const ENDED = new Set(['SUCCEEDED', 'FAILED', 'SKIPPED', 'CANCELED']);

/**
 * How far a step has got: [attempt, 0 before its start | 1 started | 2 that attempt ended | 3 final
 * without an attempt (skipped, canceled)].
 * @param {Step} step @returns {[number, number]}
 */
function progress(step) {
  if (step.status === 'SKIPPED' || step.status === 'CANCELED') return [Number.MAX_SAFE_INTEGER, 3];
  if (step.status === 'RUNNING') return [step.attempts, 1];
  if (ENDED.has(step.status)) return [step.attempts, 2];
  // PENDING after a failed attempt that will be retried: that attempt ended.
  return [step.attempts, step.attempts > 0 ? 2 : 0];
}

/** @param {[number, number]} a @param {[number, number]} b */
const after = (a, b) => a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);

export class StepModel {
  /** @param {readonly StepSummary[]} steps */
  constructor(steps) {
    /** @type {Step[]} */
    this.steps = [];
    /** @type {Map<string, number>} */
    this.index = new Map();
    this.reset(steps);
  }

  /** Takes a fresh summary's steps (same keys and order: a run's plan does not change). @param {readonly StepSummary[]} steps */
  reset(steps) {
    this.steps = steps.map((s) => ({ ...s }));
    this.index = new Map(this.steps.map((s, i) => [s.key, i]));
  }

  /** @param {number} i @returns {Step} */
  at(i) {
    return /** @type {Step} */ (this.steps[i]);
  }

  /**
   * Applies one event; returns the index of the step it changed, or -1.
   * @param {ApiEvent} e @returns {number}
   */
  apply(e) {
    const i = e.stepKey === null ? undefined : this.index.get(e.stepKey);
    if (i === undefined) return -1;
    const step = this.at(i);
    const now = progress(step);
    switch (e.type) {
      case 'STEP_STARTED':
        if (!after([e.data.attempt, 1], now)) return -1;
        Object.assign(step, { status: 'RUNNING', attempts: e.data.attempt, worker: e.data.worker ?? step.worker, startedAt: e.at, endedAt: null, durationMs: null, error: null });
        return i;
      case 'STEP_SUCCEEDED':
        if (!after([e.data.attempt, 2], now)) return -1;
        Object.assign(step, { status: 'SUCCEEDED', attempts: e.data.attempt, endedAt: e.at, durationMs: e.data.durationMs, error: null });
        step.startedAt ??= new Date(Date.parse(e.at) - e.data.durationMs).toISOString();
        return i;
      case 'STEP_FAILED': {
        if (!after([e.data.attempt, 2], now)) return -1;
        const { name, message, code } = e.data.error;
        Object.assign(step, { status: e.data.willRetry ? 'PENDING' : 'FAILED', attempts: e.data.attempt, endedAt: e.at, durationMs: e.data.durationMs, error: code ? { name, message, code } : { name, message } });
        step.startedAt ??= new Date(Date.parse(e.at) - e.data.durationMs).toISOString();
        return i;
      }
      case 'STEP_SKIPPED':
      case 'STEP_CANCELED':
        if (step.status === 'SUCCEEDED' || step.status === 'FAILED' || now[1] === 3) return -1;
        step.status = e.type === 'STEP_SKIPPED' ? 'SKIPPED' : 'CANCELED';
        if (step.startedAt && !step.endedAt) step.endedAt = e.at;
        return i;
      case 'CHECK_EVALUATION': {
        if (step.kind !== 'check') return -1;
        const d = e.data;
        step.check = { passed: d.passed, severity: d.severity, blocking: d.blocking, metadata: d.metadata, description: d.description ?? null };
        return i;
      }
      default:
        return -1;
    }
  }
}
