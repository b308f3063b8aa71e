import { describe } from 'vitest';
import type { ContractContext } from './contract-context.js';
import { describeCursors } from './event-log/cursors.js';
import { describeEventPaging } from './event-log/event-paging.js';
import { describeEvents } from './event-log/events.js';
import { describeHistory } from './event-log/history.js';
import { describeLatestCheckResults } from './event-log/latest-checks.js';
import { describeObservations } from './event-log/observations.js';
import { describePartitions } from './event-log/partitions.js';

/**
 * The EventLogStorage contract: the event log (order, paging, filters, ids in commit order) and what
 * step outcomes recorded, read back: materializations, check results, asset partitions, cursors,
 * and observations reported from outside.
 */
export function eventLogStorageContract(ctx: ContractContext): void {
  describe('EventLogStorage', () => {
    describeEvents(ctx);
    describeEventPaging(ctx);
    describeHistory(ctx);
    describeLatestCheckResults(ctx);
    describeCursors(ctx);
    describePartitions(ctx);
    describeObservations(ctx);
  });
}
