import { defineAssetCheck, postgresWarehouse, qualified } from 'sluice';
import { VALID_SGV } from '../lib/glucose-ranges.js';
import { rawEntriesScope } from '../lib/raw-entries-scope.js';
import { SCHEMAS } from '../lib/warehouse-schemas.js';
import { rawEntries } from './raw-entries.js';

/** The largest share of invalid rows the pipeline tolerates before blocking promotion. */
export const MAX_INVALID_SHARE = 0.01;

interface Counts {
  total_rows: number;
  null_sgv: number;
  out_of_range: number;
  valid_timestamps: number;
}

/**
 * Blocks everything downstream of raw/entries when more than 1% of dev.raw_entries is invalid:
 * a null sgv, an sgv outside 20..600 mg/dL, or a repeated timestamp (each counted once). Audits the
 * days the run loaded (see rawEntriesScope), so a bad day blocks its own runs, not every later one.
 */
export const validReadings = defineAssetCheck({
  asset: rawEntries,
  name: 'valid_readings',
  severity: 'ERROR',
  blocking: true,
  description: "At most 1% of the raw entries of the run's days are invalid (null or out-of-range sgv, duplicate timestamps).",
  resources: { warehouse: postgresWarehouse },
  async check(ctx) {
    const table = qualified(SCHEMAS.dev, 'raw_entries');
    const valid = `sgv between ${VALID_SGV.min} and ${VALID_SGV.max}`;
    const scope = rawEntriesScope(ctx);
    const { rows } = await ctx.resources.warehouse.query<Counts>(
      `select count(*)::int as total_rows,
              count(*) filter (where sgv is null)::int as null_sgv,
              count(*) filter (where sgv is not null and not (${valid}))::int as out_of_range,
              count(distinct date) filter (where ${valid})::int as valid_timestamps
         from ${table}
        where ${scope.where}`,
      scope.params,
    );
    const counts = rows[0]!;
    const invalid = counts.total_rows - counts.valid_timestamps;
    const share = counts.total_rows === 0 ? 1 : invalid / counts.total_rows;
    const sample = await ctx.resources.warehouse.query<{ id: number; sgv: number | null; date_string: string; reason: string }>(
      `select id, sgv, date_string, reason from (
         select id, sgv, date_string,
                case when sgv is null then 'null sgv'
                     when not (${valid}) then 'sgv out of range'
                     when row_number() over (partition by date, (${valid}) order by id) > 1 then 'duplicate timestamp'
                end as reason
           from ${table}
          where ${scope.where}) t
        where reason is not null
        order by id
        limit 5`,
      scope.params,
    );
    return {
      passed: counts.total_rows > 0 && share <= MAX_INVALID_SHARE,
      description:
        counts.total_rows === 0
          ? `dev.raw_entries has no rows for ${scope.label}`
          : `${invalid} of ${counts.total_rows} rows of ${scope.label} invalid (${(share * 100).toFixed(2)}%, limit ${MAX_INVALID_SHARE * 100}%)`,
      metadata: {
        invalid_rows: invalid,
        total_rows: counts.total_rows,
        share: Math.round(share * 10_000) / 10_000,
        max_share: MAX_INVALID_SHARE,
        days: scope.label,
        null_sgv: counts.null_sgv,
        out_of_range: counts.out_of_range,
        duplicates: invalid - counts.null_sgv - counts.out_of_range,
        sample: { json: sample.rows },
      },
    };
  },
});
