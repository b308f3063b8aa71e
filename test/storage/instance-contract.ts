import { afterAll, beforeAll, describe } from 'vitest';
import type { Instance } from '../../src/storage/instance.js';
import { automationStorageContract } from './contract/automation-storage.contract.js';
import { alertStorageContract } from './contract/alert-storage.contract.js';
import { backfillStorageContract } from './contract/backfill-storage.contract.js';
import type { ContractContext } from './contract/contract-context.js';
import { coordinationStorageContract } from './contract/coordination-storage.contract.js';
import { eventLogStorageContract } from './contract/event-log-storage.contract.js';
import { freshnessStorageContract } from './contract/freshness-storage.contract.js';
import { runConfigStorageContract } from './contract/run-config-storage.contract.js';
import { runStorageContract } from './contract/run-storage.contract.js';
import { scheduleStorageContract } from './contract/schedule-storage.contract.js';
import { sensorStorageContract } from './contract/sensor-storage.contract.js';

/**
 * The storage contract every Instance implementation passes, against a real database: one suite
 * per concern (RunStorage, EventLogStorage, ScheduleStorage, CoordinationStorage,
 * RunConfigStorage, BackfillStorage, SensorStorage, AutomationStorage, AlertStorage, FreshnessStorage).
 * `open` returns a store the suites may write to; it is
 * shared by the file's tests (which use fresh run ids and asset keys) and closed after them.
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

    runStorageContract(ctx);
    eventLogStorageContract(ctx);
    scheduleStorageContract(ctx);
    coordinationStorageContract(ctx);
    runConfigStorageContract(ctx);
    backfillStorageContract(ctx);
    sensorStorageContract(ctx);
    automationStorageContract(ctx);
    alertStorageContract(ctx);
    freshnessStorageContract(ctx);
  });
}
