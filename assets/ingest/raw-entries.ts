import { defineAsset, postgresWarehouse, qualified } from 'sluice';
import { z } from 'zod';
import { devBranch } from '../promotion/dev-branch.js';
import { generateEntries } from '../lib/generate-entries.js';
import { createRawEntriesSql, insertEntries } from '../lib/insert-entries.js';
import { SCHEMAS } from '../lib/warehouse-schemas.js';

const DAY = 86_400_000;

const isCalendarDate = (value: string) => {
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value;
};

const rawEntriesConfig = z
  .object({
    days: z.number().int().min(1).max(366).default(3),
    endDate: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD')
      .refine(isCalendarDate, 'not a calendar date')
      .default('2024-10-15'),
    badRowShare: z.number().min(0).max(1).default(0),
  })
  .prefault({});

/** CGM readings (Nightscout entries) for the configured UTC days, written to dev.raw_entries. */
export const rawEntries = defineAsset({
  key: 'raw/entries',
  group: 'ingest',
  kinds: ['postgres'],
  deps: [devBranch],
  description: 'Continuous glucose monitor readings every 5 minutes, replaced in dev.raw_entries in one transaction.',
  config: rawEntriesConfig,
  resources: { warehouse: postgresWarehouse },
  async materialize(ctx) {
    const { days, endDate, badRowShare } = ctx.config;
    const { entries, badRows } = generateEntries({ days, endDate, badRowShare });
    await ctx.resources.warehouse.transaction(async (tx) => {
      await tx.query(`drop table if exists ${qualified(SCHEMAS.dev, 'raw_entries')}`);
      await tx.query(createRawEntriesSql(SCHEMAS.dev, 'raw_entries'));
      await insertEntries(tx, SCHEMAS.dev, 'raw_entries', entries, { beforeBatch: () => ctx.signal.throwIfAborted() });
    });
    const firstDate = new Date(Date.parse(`${endDate}T00:00:00Z`) - (days - 1) * DAY).toISOString().slice(0, 10);
    ctx.log.info({ rows: entries.length, badRows }, 'raw entries written');
    return { metadata: { rows: entries.length, bad_rows: badRows, first_date: firstDate, last_date: endDate } };
  },
});
