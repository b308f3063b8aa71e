import { partitionTimeWindow, type CheckContext } from 'sluice';
import { rawEntriesDays } from '../ingest/raw-entries.js';

/** Which rows of dev.raw_entries a check audits: a SQL condition on `date` with its parameters ($1, $2). */
export interface RawEntriesScope {
  /** `2024-10-15`, `2024-10-13...2024-10-15`, or `all days`. */
  readonly label: string;
  readonly where: string;
  readonly params: readonly number[];
}

const ALL: RawEntriesScope = Object.freeze({ label: 'all days', where: 'true', params: Object.freeze([]) });

/**
 * The days a check of the raw entries audits: the day (or days) its run loaded, so that a bad day
 * fails the checks of its own runs and not those of every later day; the whole table in a run
 * that loaded no day. A check of raw/entries gets them from its context; a check of an
 * unpartitioned asset downstream (branch_status) from its run's partition tags.
 */
export function rawEntriesScope(ctx: Pick<CheckContext, 'partitionKey' | 'partitionKeyRange' | 'partitionTimeWindow' | 'run'>): RawEntriesScope {
  const tags = ctx.run.tags;
  const single = ctx.partitionKey ?? tags['sluice/partition'];
  const from = ctx.partitionKeyRange?.from ?? tags['sluice/partition_range_start'];
  const to = ctx.partitionKeyRange?.to ?? tags['sluice/partition_range_end'];
  const [first, last, label] =
    single !== undefined ? [single, single, single] : from !== undefined && to !== undefined ? [from, to, `${from}...${to}`] : [];
  if (first === undefined || last === undefined || label === undefined) return ALL;
  const window = ctx.partitionTimeWindow ?? { start: partitionTimeWindow(rawEntriesDays, first).start, end: partitionTimeWindow(rawEntriesDays, last).end };
  return Object.freeze({ label, where: 'date >= $1 and date < $2', params: Object.freeze([window.start.getTime(), window.end.getTime()]) });
}
