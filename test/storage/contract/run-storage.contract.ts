import { describe } from 'vitest';
import type { ContractContext } from './contract-context.js';
import { describeAssetLocks } from './run-storage/asset-locks.js';
import { describeCounters } from './run-storage/counters.js';
import { describeGroupCommit } from './run-storage/group-commit.js';
import { describeMultiAssetSteps } from './run-storage/multi-asset-steps.js';
import { describePartitionLocks } from './run-storage/partition-locks.js';
import { describeRunStepStats } from './run-storage/run-step-stats.js';
import { describeRuns } from './run-storage/runs.js';
import { describeScaleAndConcurrency } from './run-storage/scale-and-concurrency.js';
import { describeStartBatch } from './run-storage/start-batch.js';
import { describeSteps } from './run-storage/steps.js';

/**
 * The RunStorage contract: runs and steps, their guarded transitions, readiness, and what a step's
 * start and end write in their one transaction (asset locks taken and released, events,
 * materializations; read back through the other concerns).
 */
export function runStorageContract(ctx: ContractContext): void {
  describe('RunStorage', () => {
    describeRuns(ctx);
    describeSteps(ctx);
    describeMultiAssetSteps(ctx);
    describeCounters(ctx);
    describeGroupCommit(ctx);
    describeStartBatch(ctx);
    describeRunStepStats(ctx);
    describeAssetLocks(ctx);
    describePartitionLocks(ctx);
    describeScaleAndConcurrency(ctx);
  });
}
