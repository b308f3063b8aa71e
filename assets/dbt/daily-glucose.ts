import { defineAsset, postgresWarehouse, qualified } from 'sluice';
import { rawEntries } from '../ingest/raw-entries.js';
import { validEntriesSql } from '../lib/valid-entries-sql.js';
import { TARGET_RANGE } from '../lib/glucose-ranges.js';
import { SCHEMAS } from '../lib/warehouse-schemas.js';

/**
 * Per UTC day: readings, mean sgv, share of time in 70..180 mg/dL, min and max, over valid
 * readings only (sgv within 20..600, each timestamp once).
 */
export const dailyGlucoseSql = `
  with valid as (${validEntriesSql(SCHEMAS.dev, 'raw_entries')})
  select (to_timestamp(date / 1000.0) at time zone 'UTC')::date as day,
         count(*)::int as readings,
         round(avg(sgv), 1)::float8 as mean_sgv,
         round(avg(case when sgv between ${TARGET_RANGE.low} and ${TARGET_RANGE.high} then 1 else 0 end), 4)::float8 as time_in_range,
         min(sgv)::int as min_sgv,
         max(sgv)::int as max_sgv
    from valid
   group by 1
   order by 1`;

export const dailyGlucose = defineAsset({
  key: 'dbt/daily_glucose',
  group: 'dbt',
  kinds: ['sql', 'postgres'],
  deps: [rawEntries],
  description: 'Daily glucose summary (readings, mean, time in range 70-180, min, max) in dev.daily_glucose.',
  resources: { warehouse: postgresWarehouse },
  async materialize(ctx) {
    const table = qualified(SCHEMAS.dev, 'daily_glucose');
    const rows = await ctx.resources.warehouse.transaction(async (tx) => {
      await tx.query(`drop table if exists ${table}`);
      await tx.query(`create table ${table} as ${dailyGlucoseSql}`);
      await tx.query(`alter table ${table} add primary key (day)`);
      return (await tx.query<{ n: number }>(`select count(*)::int as n from ${table}`)).rows[0]!.n;
    });
    ctx.log.info({ rows }, 'daily glucose built');
    return { metadata: { rows } };
  },
});
