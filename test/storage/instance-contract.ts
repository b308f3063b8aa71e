import { afterAll, beforeAll, describe } from 'vitest';
import type { Instance } from '../../src/storage/instance.js';
import { describeConcurrency } from './contract/concurrency.js';
import { describeCounters } from './contract/counters.js';
import { describeCursors } from './contract/cursors.js';
import { describeEvents } from './contract/events.js';
import { describeHistory } from './contract/history.js';
import { describeLatestCheckResults } from './contract/latest-checks.js';
import { describeLeasesAndHeartbeats } from './contract/leases-heartbeats.js';
import { describeLocks } from './contract/locks.js';
import { describeMultiAssetSteps } from './contract/multi-asset-steps.js';
import { describeRuns } from './contract/runs.js';
import { describePartitions } from './contract/partitions.js';
import { describeRunStepStats } from './contract/run-step-stats.js';
import { describeSchedules } from './contract/schedules.js';
import { describeSteps } from './contract/steps.js';
import type { ContractContext } from './contract/contract-context.js';

/**
 * The storage contract every Instance implementation passes, against a real database. `open`
 * returns a store the suite may write to; it is shared by the file's tests (which use fresh run
 * ids and asset keys) and closed after them.
 */
export function instanceContract(name: string, open: () => Promise<Instance>): void {
  describe(`Instance contract (${name})`, () => {
    let instance: Instance | undefined;
    const ctx: ContractContext = {
      get instance() {
        if (!instance) throw new Error('the store was not opened: see the beforeAll error above');
        return instance;
      },
    };
    beforeAll(async () => {
      instance = await open();
    });
    afterAll(async () => {
      await instance?.close();
    });

    describeRuns(ctx);
    describeSteps(ctx);
    describeMultiAssetSteps(ctx);
    describeEvents(ctx);
    describeHistory(ctx);
    describeCursors(ctx);
    describeLatestCheckResults(ctx);
    describeLocks(ctx);
    describeLeasesAndHeartbeats(ctx);
    describeConcurrency(ctx);
    describeCounters(ctx);
    describeSchedules(ctx);
    describeRunStepStats(ctx);
    describePartitions(ctx);
  });
}
