import { assertAutomationCondition, type AutomationCondition } from './automation-condition.js';

function node(kind: AutomationCondition['kind'], fields: object, label: string = kind): AutomationCondition {
  return Object.freeze({ kind, label, ...fields }) as AutomationCondition;
}

function operands(name: string, given: readonly AutomationCondition[]): readonly AutomationCondition[] {
  given.forEach((c, i) => assertAutomationCondition(c, `${name}(...)[${i}]`));
  return Object.freeze([...given]);
}

/** True where every operand is (each evaluated only where the ones before it are true). */
export const and = (...conditions: AutomationCondition[]): AutomationCondition => node('and', { operands: operands('and', conditions) });
/** True where any operand is. */
export const or = (...conditions: AutomationCondition[]): AutomationCondition => node('or', { operands: operands('or', conditions) });
/** True where the operand is false. */
export const not = (condition: AutomationCondition): AutomationCondition => node('not', { operand: assertAutomationCondition(condition, 'not(...)') });

/** True where the operand is true now and was false at the previous evaluation. */
export const newlyTrue = (condition: AutomationCondition): AutomationCondition =>
  node('newly_true', { operand: assertAutomationCondition(condition, 'newlyTrue(...)') });

/**
 * True from an evaluation where `trigger` is true until one where `reset` is true (when both are
 * true in the same evaluation, reset wins and it is false).
 */
export const since = (trigger: AutomationCondition, reset: AutomationCondition): AutomationCondition =>
  node('since', { trigger: assertAutomationCondition(trigger, 'since(trigger)'), reset: assertAutomationCondition(reset, 'since(.., reset)') });

/**
 * True where the condition holds for at least one dep's partition that the asset partition
 * depends on (through the dep's partition mapping); false with no deps.
 */
export const anyDepsMatch = (condition: AutomationCondition): AutomationCondition =>
  node('any_deps_match', { operand: assertAutomationCondition(condition, 'anyDepsMatch(...)') });

/** True where, for every dep, the condition holds for a partition of it that the asset partition depends on; true with no deps. */
export const allDepsMatch = (condition: AutomationCondition): AutomationCondition =>
  node('all_deps_match', { operand: assertAutomationCondition(condition, 'allDepsMatch(...)') });

/** True where the condition (checkPassed(), checkFailed()) holds for at least one of the asset's checks. */
export const anyChecksMatch = (condition: AutomationCondition): AutomationCondition =>
  node('any_checks_match', { operand: assertAutomationCondition(condition, 'anyChecksMatch(...)') });

/** True where the condition holds for every one of the asset's checks (true when it has none). */
export const allChecksMatch = (condition: AutomationCondition): AutomationCondition =>
  node('all_checks_match', { operand: assertAutomationCondition(condition, 'allChecksMatch(...)') });
