import { dailyPartitions, defineAsset, postgresWarehouse, qualified, shiftPartitionKey, type Metadata } from 'sluice';
import { z } from 'zod';
import { devBranch } from '../promotion/dev-branch.js';
import { dayReadings, type RawReading } from '../lib/day-readings.js';
import { commitTableVersion } from '../lib/commit-table-version.js';
import { ensureRawEntriesTable } from '../lib/ensure-raw-entries.js';
import { insertEntries } from '../lib/insert-entries.js';
import { nessieLakehouse } from '../lib/nessie-lakehouse.js';
import { SCHEMAS } from '../lib/warehouse-schemas.js';

/** The readings' UTC days, from the first day the source has. */
export const rawEntriesDays = dailyPartitions({ start: '2024-10-01' });

/**
 * What a successful single-day load covered: every reading the source had received up to
 * `receivedThrough` (ISO), with the source's settings then. The example's source is simulated, so
 * changing `badRowShare` or `lateShare` changes its past too: a cursor taken with other settings
 * no longer describes what is loaded, and the day is reloaded whole.
 */
export interface RawEntriesCursor {
  readonly receivedThrough: string;
  readonly source: { readonly badRowShare: number; readonly lateShare: number };
}

const rawEntriesConfig = z
  .object({
    /** Share (0..1) of each day's rows made bad, for the quality checks to catch. */
    badRowShare: z.number().min(0).max(1).default(0),
    /** Share (0..1) of each day's readings the source receives a day late. */
    lateShare: z.number().min(0).max(1).default(0.05),
    /** The source as seen at this instant (readings received by then); default: now. */
    asOf: z.iso.datetime({ offset: true, message: 'use an ISO-8601 instant such as 2024-10-16T06:00:00Z' }).optional(),
    /** Reload the whole day, ignoring the cursor. */
    fullRefresh: z.boolean().default(false),
  })
  .prefault({});

const TABLE = 'raw_entries';

/**
 * CGM readings (Nightscout entries) of one UTC day per partition, in the persistent dev.raw_entries
 * (every day ingested so far). The source receives some readings late (the phone uploads them a
 * day later), so a day's first load may be incomplete: a single-day run keeps a cursor (what the
 * source had received when the day was last loaded) and a later run of the same day loads only the
 * readings received since, without touching the rest. With no cursor (the first load, a ranged run,
 * `fullRefresh`, or other source settings) the day's rows are deleted and reloaded. Each run is one transaction, and the
 * cursor moves only when it commits. With a Nessie catalog configured, the table's new version is
 * then committed on the Nessie dev branch (commitTableVersion).
 */
export const rawEntries = defineAsset({
  key: 'raw/entries',
  group: 'ingest',
  kinds: ['postgres'],
  deps: [devBranch],
  partitions: rawEntriesDays,
  description:
    'Continuous glucose monitor readings every 5 minutes, one UTC day per partition, in dev.raw_entries; a re-run of a day loads only the readings that arrived since its last load (late uploads).',
  config: rawEntriesConfig,
  resources: { warehouse: postgresWarehouse, nessie: nessieLakehouse },
  async materialize(ctx) {
    const { badRowShare, lateShare, fullRefresh } = ctx.config;
    const asOf = ctx.config.asOf === undefined ? Date.now() : Date.parse(ctx.config.asOf);
    const days = daysOf(ctx.partitionKey, ctx.partitionKeyRange);
    const window = ctx.partitionTimeWindow!;
    // The cursor is per day only in a single-day run; a ranged run reloads its days whole.
    const single = ctx.partitionKey !== undefined;
    const stored = single && !fullRefresh ? await ctx.cursor.get<Partial<RawEntriesCursor>>() : undefined;
    const cursor = stored?.source?.badRowShare === badRowShare && stored.source.lateShare === lateShare ? stored : undefined;
    if (stored !== undefined && cursor === undefined) ctx.log.info({ cursor: stored }, 'source settings changed since the last load: reloading the day');
    const after = cursor?.receivedThrough === undefined ? undefined : Date.parse(cursor.receivedThrough);
    const through = after === undefined ? asOf : Math.max(asOf, after);

    const source = days.flatMap((day) => dayReadings(day, { badRowShare, lateShare }));
    const received = source.filter((r) => r.receivedAt <= through);
    const batch = after === undefined ? received : received.filter((r) => r.receivedAt > after);
    const { loaded, rows } = await ctx.resources.warehouse.transaction(async (tx) => {
      if ((await ensureRawEntriesTable(tx, SCHEMAS.dev, TABLE)) === 'replaced') {
        ctx.log.warn({ table: `${SCHEMAS.dev}.${TABLE}` }, 'replaced a raw entries table of the shape before per-day ingest');
      }
      const inWindow = `date >= $1 and date < $2`;
      const bounds = [window.start.getTime(), window.end.getTime()];
      if (after === undefined) await tx.query(`delete from ${qualified(SCHEMAS.dev, TABLE)} where ${inWindow}`, bounds);
      const loaded = await insertEntries(tx, SCHEMAS.dev, TABLE, batch, { beforeBatch: () => ctx.signal.throwIfAborted() });
      const { rows } = await tx.query<{ n: number }>(`select count(*)::int as n from ${qualified(SCHEMAS.dev, TABLE)} where ${inWindow}`, bounds);
      return { loaded, rows: rows[0]!.n };
    });
    const nessie = !ctx.resources.nessie ? {} : await commitTableVersion(ctx.resources.nessie, ctx.resources.warehouse, { runId: ctx.run.id, assetKey: ctx.assetKey }, TABLE);
    if (single) ctx.cursor.set({ receivedThrough: new Date(through).toISOString(), source: { badRowShare, lateShare } } satisfies RawEntriesCursor);

    const lateRows = count(batch, (r) => r.late);
    ctx.log.info({ days: days.length, rowsLoaded: loaded, lateRows, mode: after === undefined ? 'full' : 'incremental' }, 'raw entries loaded');
    const metadata: Metadata = {
      ...(single ? { day: days[0]! } : { first_day: days[0]!, last_day: days.at(-1)!, days: days.length }),
      mode: after === undefined ? 'full' : 'incremental',
      rows,
      bad_rows: count(received, (r) => r.bad),
      rows_loaded: loaded,
      late_rows: lateRows,
      pending_rows: source.length - received.length,
      received_after: after === undefined ? null : new Date(after).toISOString(),
      received_through: new Date(through).toISOString(),
      ...nessie,
    };
    return { metadata };
  },
});

/** The day keys of a run: its one day, or every day of its range in order. */
function daysOf(key: string | undefined, range: { from: string; to: string } | undefined): string[] {
  if (key !== undefined) return [key];
  if (range === undefined) throw new Error('raw/entries is partitioned by day: run it with a partition (a day, or a range of days)');
  const days = [range.from];
  while (days.at(-1)! < range.to) days.push(shiftPartitionKey(rawEntriesDays, days.at(-1)!, 1)!);
  return days;
}

function count(readings: readonly RawReading[], test: (r: RawReading) => boolean): number {
  let n = 0;
  for (const r of readings) if (test(r)) n++;
  return n;
}
