import { SluiceError } from '../errors.js';
import type { AutomationCondition, Operand } from './automation-condition.js';

function leaf<K extends Operand['kind']>(kind: K, extra: object = {}, label: string = kind): AutomationCondition {
  return Object.freeze({ kind, label, ...extra }) as AutomationCondition;
}

/** The asset partition has never been materialized. */
export const missing = (): AutomationCondition => leaf('missing');
/** A QUEUED or STARTED run (a backfill's too) targets the asset partition. */
export const inProgress = (): AutomationCondition => leaf('in_progress');
/** The latest run that tried to materialize the asset partition failed at it. */
export const executionFailed = (): AutomationCondition => leaf('execution_failed');
/** The asset partition was materialized since the previous evaluation. */
export const newlyUpdated = (): AutomationCondition => leaf('newly_updated');
/** The previous evaluation requested the asset partition. */
export const newlyRequested = (): AutomationCondition => leaf('newly_requested');
/** The asset's code version differs from the one the previous evaluation saw. */
export const codeVersionChanged = (): AutomationCondition => leaf('code_version_changed');
/** The first evaluation of this condition on this asset (or the first after the condition changed). */
export const initialEvaluation = (): AutomationCondition => leaf('initial_evaluation');
/** This evaluation requests the asset partition (meaningful on a dep: deps are evaluated first). */
export const willBeRequested = (): AutomationCondition => leaf('will_be_requested');

/** A tick of `cron` in `timezone` happened between the previous evaluation and this one. */
export function cronTickPassed(cron: string, timezone = 'UTC'): AutomationCondition {
  if (typeof cron !== 'string' || cron.trim() === '') {
    throw new SluiceError('INVALID_DEFINITION', 'cronTickPassed(cron, timezone): cron must be a cron pattern such as "0 6 * * *"', { cron });
  }
  if (typeof timezone !== 'string' || timezone === '') {
    throw new SluiceError('INVALID_DEFINITION', 'cronTickPassed(cron, timezone): timezone must be an IANA zone such as "UTC"', { timezone });
  }
  return leaf('cron_tick_passed', { cron: cron.trim(), timezone }, `cron_tick_passed(${cron.trim()}, ${timezone})`);
}

/**
 * The partition is the latest time window (or its window ends within `lookbackMs` of now). Always
 * true for unpartitioned and statically partitioned assets.
 */
export function inLatestTimeWindow(lookbackMs?: number): AutomationCondition {
  if (lookbackMs !== undefined && !(Number.isFinite(lookbackMs) && lookbackMs >= 0)) {
    throw new SluiceError('INVALID_DEFINITION', 'inLatestTimeWindow(lookbackMs): lookbackMs must be a number of milliseconds >= 0', { lookbackMs });
  }
  return leaf('in_latest_time_window', { lookbackMs: lookbackMs ?? null }, lookbackMs ? `in_latest_time_window(${lookbackMs} ms)` : 'in_latest_time_window');
}

/** The latest result of check `check` (inside any/allChecksMatch: of each check in turn) passed. */
export function checkPassed(check?: string): AutomationCondition {
  return leaf('check_passed', { check: check ?? null }, check ? `check_passed(${check})` : 'check_passed');
}

/** The latest result of check `check` (inside any/allChecksMatch: of each check in turn) failed. */
export function checkFailed(check?: string): AutomationCondition {
  return leaf('check_failed', { check: check ?? null }, check ? `check_failed(${check})` : 'check_failed');
}
