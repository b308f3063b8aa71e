import { labeled, type AutomationCondition } from './automation-condition.js';
import { cronTickPassed, inLatestTimeWindow, inProgress, initialEvaluation, missing, newlyRequested, newlyUpdated, willBeRequested } from './operands.js';
import { allDepsMatch, and, anyDepsMatch, newlyTrue, not, or, since } from './operators.js';

/** `condition` since the asset partition was last requested, materialized, or first evaluated. */
export function sinceLastHandled(condition: AutomationCondition): AutomationCondition {
  return labeled(since(condition, labeled(or(newlyRequested(), newlyUpdated(), initialEvaluation()), 'handled')), 'since_last_handled');
}

/** A dep partition was materialized since the previous evaluation, or this evaluation requests it. */
export const anyDepsUpdated = (): AutomationCondition => labeled(anyDepsMatch(or(newlyUpdated(), willBeRequested())), 'any_deps_updated');
/** A dep partition is missing and this evaluation does not request it. */
export const anyDepsMissing = (): AutomationCondition => labeled(anyDepsMatch(and(missing(), not(willBeRequested()))), 'any_deps_missing');
/** A run in progress targets a dep partition. */
export const anyDepsInProgress = (): AutomationCondition => labeled(anyDepsMatch(inProgress()), 'any_deps_in_progress');

/** Every dep was materialized since the latest tick of the cron (or this evaluation requests it). */
export function allDepsUpdatedSinceCron(cron: string, timezone = 'UTC'): AutomationCondition {
  return labeled(allDepsMatch(or(since(newlyUpdated(), cronTickPassed(cron, timezone)), willBeRequested())), 'all_deps_updated_since_cron');
}

/**
 * Dagster's eager(): request the asset partition when it becomes missing or a dep is updated,
 * once per such change, unless a dep is missing or in progress or the partition is in progress.
 * (Dagster also ignores a dep updated by a run that targeted this asset, executed_with_root_target;
 * Sluice does not.)
 */
export function eager(): AutomationCondition {
  return labeled(
    and(
      inLatestTimeWindow(),
      sinceLastHandled(labeled(or(labeled(newlyTrue(missing()), 'newly_missing'), anyDepsUpdated()), 'newly_missing_or_any_deps_updated')),
      not(anyDepsMissing()),
      not(anyDepsInProgress()),
      not(inProgress()),
    ),
    'eager',
  );
}

/** Dagster's on_cron(): once per tick of `cron`, after every dep was updated since that tick. */
export function onCron(cron: string, timezone = 'UTC'): AutomationCondition {
  return labeled(and(inLatestTimeWindow(), sinceLastHandled(cronTickPassed(cron, timezone)), allDepsUpdatedSinceCron(cron, timezone)), 'on_cron');
}

/** Dagster's on_missing(): request a partition once when it becomes missing, when no dep is missing. */
export function onMissing(): AutomationCondition {
  return labeled(and(inLatestTimeWindow(), sinceLastHandled(newlyTrue(missing())), not(anyDepsMissing())), 'on_missing');
}
