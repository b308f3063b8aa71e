import { randomUUID } from 'node:crypto';
import type { PlanStep } from '../../src/core/plan/execution-plan.js';
import type { NewRun, StepOutcome } from '../../src/storage/instance.js';

/** A fresh name, so tests sharing one store never see each other's runs or assets. */
export function fresh(prefix: string): string {
  return `${prefix}_${randomUUID().slice(0, 8)}`;
}

export const T0 = new Date('2030-01-01T00:00:00.000Z');

/** `T0` plus `seconds`. */
export function at(seconds: number): Date {
  return new Date(T0.getTime() + seconds * 1000);
}

/** An asset step; its key is its asset key. */
export function assetStep(key: string, deps: string[] = []): PlanStep {
  return { key, kind: 'asset', assetKey: key, checkName: null, deps };
}

export function checkStep(assetKey: string, checkName: string): PlanStep {
  return { key: `${assetKey}#${checkName}`, kind: 'check', assetKey, checkName, deps: [assetKey] };
}

export function newRun(steps: PlanStep[], overrides: Partial<NewRun> = {}): NewRun {
  return {
    id: randomUUID(),
    selection: '*',
    trigger: 'cli',
    tags: {},
    config: {},
    configRef: null,
    steps,
    at: T0,
    ...overrides,
  };
}

export function succeeded(attempt = 1, extra: Partial<StepOutcome> = {}): StepOutcome {
  return { status: 'SUCCEEDED', attempt, at: at(10), durationMs: 5, ...extra };
}

export function failed(attempt = 1, extra: Partial<StepOutcome> = {}): StepOutcome {
  return { status: 'FAILED', attempt, at: at(10), durationMs: 5, error: { name: 'Error', message: 'boom' }, ...extra };
}

/** Steps `prefix/a` ... with the given deps (by short name), e.g. `{ a: [], b: ['a'] }`. */
export function graph(prefix: string, shape: Record<string, string[]>): PlanStep[] {
  return Object.entries(shape).map(([name, deps]) => assetStep(`${prefix}/${name}`, deps.map((dep) => `${prefix}/${dep}`)));
}
