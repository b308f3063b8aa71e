import type { PlanStep } from '../../../src/core/plan/execution-plan.js';
import type { Instance } from '../../../src/storage/instance.js';
import { assetStep, checkStep, newRun } from '../fixtures.js';

/** The step over `partitions`. */
export function partitioned(step: PlanStep, partitions: string[]): PlanStep {
  return { ...step, partitions };
}

/** A run of one asset step over `partitions`; returns its id. */
export async function partitionRun(instance: Instance, asset: string, partitions: string[], withCheck = false): Promise<string> {
  const steps = [partitioned(assetStep(asset), partitions)];
  if (withCheck) steps.push(partitioned(checkStep(asset, 'valid'), partitions));
  const run = newRun(steps, { partition: partitions.length === 1 ? partitions[0]! : `${partitions[0]}...${partitions.at(-1)}` });
  await instance.runs.createRun(run);
  return run.id;
}

export async function locksOn(instance: Instance, asset: string) {
  return (await instance.coordination.listAssetLocks()).filter((lock) => lock.assetKey === asset).map((lock) => `${lock.partitionKey}:${lock.runId}`);
}
