import { SluiceError } from '../errors.js';

/**
 * A declarative automation condition (Dagster's AutomationCondition is the model): a tree of
 * operands (facts about one asset partition) and operators, as frozen data. Every node has a
 * label, shown in `sluice automation why`; the built conditions (eager, onCron, onMissing) label
 * their parts the way Dagster names them (since_last_handled, any_deps_updated, ...).
 */
export type AutomationCondition = Operand | Operator;

export type Operand =
  | Leaf<'missing'>
  | Leaf<'in_progress'>
  | Leaf<'execution_failed'>
  | Leaf<'newly_updated'>
  | Leaf<'newly_requested'>
  | Leaf<'code_version_changed'>
  | Leaf<'initial_evaluation'>
  | Leaf<'will_be_requested'>
  | (Leaf<'cron_tick_passed'> & { readonly cron: string; readonly timezone: string })
  | (Leaf<'in_latest_time_window'> & { readonly lookbackMs: number | null })
  | (Leaf<'check_passed'> & { readonly check: string | null })
  | (Leaf<'check_failed'> & { readonly check: string | null });

export type Operator =
  | (Leaf<'and'> & { readonly operands: readonly AutomationCondition[] })
  | (Leaf<'or'> & { readonly operands: readonly AutomationCondition[] })
  | (Leaf<'not'> & { readonly operand: AutomationCondition })
  | (Leaf<'newly_true'> & { readonly operand: AutomationCondition })
  | (Leaf<'since'> & { readonly trigger: AutomationCondition; readonly reset: AutomationCondition })
  | (Leaf<'any_deps_match'> & { readonly operand: AutomationCondition })
  | (Leaf<'all_deps_match'> & { readonly operand: AutomationCondition })
  | (Leaf<'any_checks_match'> & { readonly operand: AutomationCondition })
  | (Leaf<'all_checks_match'> & { readonly operand: AutomationCondition });

interface Leaf<K extends string> {
  readonly kind: K;
  readonly label: string;
}

export type ConditionKind = AutomationCondition['kind'];

const KINDS: ReadonlySet<string> = new Set<ConditionKind>([
  'missing', 'in_progress', 'execution_failed', 'newly_updated', 'newly_requested', 'code_version_changed', 'initial_evaluation',
  'will_be_requested', 'cron_tick_passed', 'in_latest_time_window', 'check_passed', 'check_failed', 'and', 'or', 'not', 'newly_true',
  'since', 'any_deps_match', 'all_deps_match', 'any_checks_match', 'all_checks_match',
]);

/** The condition's children, in evaluation order. */
export function childrenOf(condition: AutomationCondition): readonly AutomationCondition[] {
  switch (condition.kind) {
    case 'and':
    case 'or':
      return condition.operands;
    case 'since':
      return [condition.trigger, condition.reset];
    case 'not':
    case 'newly_true':
    case 'any_deps_match':
    case 'all_deps_match':
    case 'any_checks_match':
    case 'all_checks_match':
      return [condition.operand];
    default:
      return [];
  }
}

/** The same condition shown under another label (e.g. a team's name for its policy). */
export function labeled<C extends AutomationCondition>(condition: C, label: string): C {
  return Object.freeze({ ...condition, label }) as unknown as C;
}

/**
 * Checks a value given as `automation` on an asset: a condition built by this module's functions
 * (frozen data with a known kind at every node). Throws INVALID_DEFINITION naming `where`.
 */
export function assertAutomationCondition(value: unknown, where: string): AutomationCondition {
  const visit = (node: unknown, path: string): void => {
    const kind = (node as { kind?: unknown } | null)?.kind;
    if (typeof node !== 'object' || node === null || typeof kind !== 'string' || !KINDS.has(kind)) {
      throw new SluiceError(
        'INVALID_DEFINITION',
        `${where}${path}: not an automation condition; build one with eager(), onCron(cron, tz), onMissing() or the operands and operators exported from 'sluice'`,
        { where },
      );
    }
    childrenOf(node as AutomationCondition).forEach((child, i) => visit(child, `${path}[${i}]`));
  };
  visit(value, '');
  return value as AutomationCondition;
}
