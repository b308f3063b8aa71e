import type { AutomationCondition } from '../../../src/core/automation/automation-condition.js';
import type { AutomationAsset, AutomationCursor, PartitionState } from '../../../src/core/automation/automation-snapshot.js';
import { evaluateAutomation, type AutomationEvaluation } from '../../../src/core/automation/evaluate-automation.js';
import { dailyPartitions, type PartitionsDefinition } from '../../../src/core/partitions/partitions-definition.js';
import { CronTicks } from '../../../src/scheduler/cron-ticks.js';

export function asset(key: string, deps: string[] = [], automation?: AutomationCondition, extra: Partial<AutomationAsset> = {}): AutomationAsset {
  return { key, deps, partitions: undefined, partitionMappings: {}, codeVersion: undefined, checks: [], automation, ...extra };
}

export interface World {
  partitions?: Record<string, Record<string, Partial<PartitionState> & { id?: number }>>;
  inProgress?: Record<string, string[]>;
  checks?: Record<string, Record<string, Record<string, boolean>>>;
}

/** A world: materialized partitions with their event ids (`{ a: { '': { id: 3 } } }`), failures, runs in progress, check results. */
export function snapshot(now: Date, world: World = {}) {
  let lastEventId = 0;
  const partitions = new Map(
    Object.entries(world.partitions ?? {}).map(([key, parts]) => [
      key,
      new Map(
        Object.entries(parts).map(([p, s]) => {
          lastEventId = Math.max(lastEventId, s.id ?? 0);
          const state: PartitionState = { status: s.status ?? 'MATERIALIZED', materialized: s.materialized ?? (s.status ?? 'MATERIALIZED') === 'MATERIALIZED', lastMaterializationId: s.id ?? 0 };
          return [p, state];
        }),
      ),
    ]),
  );
  const inProgress = new Map(Object.entries(world.inProgress ?? {}).map(([k, v]) => [k, new Set(v)]));
  const checks = new Map(Object.entries(world.checks ?? {}).map(([k, v]) => [k, new Map(Object.entries(v).map(([c, r]) => [c, new Map(Object.entries(r))]))]));
  return { now, partitions, inProgress, checks, lastEventId };
}

const cronCache = new Map<string, CronTicks>();
export function cronTickBetween(cron: string, timezone: string, after: Date, until: Date): boolean {
  const key = `${cron} ${timezone}`;
  let ticks = cronCache.get(key);
  if (!ticks) cronCache.set(key, (ticks = new CronTicks(cron, timezone)));
  return ticks.between(after, until, 1).length > 0;
}

/** Evaluates `assets` at `now` in `world` after `previous`. */
export function evaluate(assets: AutomationAsset[], now: Date, world: World = {}, previous?: AutomationCursor): AutomationEvaluation {
  return evaluateAutomation({ assets, snapshot: snapshot(now, world), previous, cronTickBetween });
}

/** What was requested, as `key` or `key@partition`, sorted. */
export function requested(result: AutomationEvaluation): string[] {
  return [...result.requested].flatMap(([k, ps]) => ps.map((p) => (p === '' ? k : `${k}@${p}`))).sort();
}

export function daily(start: string): PartitionsDefinition {
  return dailyPartitions({ start });
}
