import { defineAssetCheck, postgresWarehouse, qualified } from 'sluice';
import { SCHEMAS } from '../lib/warehouse-schemas.js';

/** Of 288 possible readings a day, fewer than this means the sensor was off for hours. */
export const MIN_READINGS_PER_DAY = 200;

/** Warns (never blocks) when a day of dev.daily_glucose has too few valid readings. */
export const dailyReadingsComplete = defineAssetCheck({
  asset: 'dbt/daily_glucose',
  name: 'daily_readings_complete',
  severity: 'WARN',
  description: `Every day has at least ${MIN_READINGS_PER_DAY} valid readings (of 288).`,
  resources: { warehouse: postgresWarehouse },
  async check(ctx) {
    const { rows } = await ctx.resources.warehouse.query<{ day: string; readings: number }>(
      `select day, readings from ${qualified(SCHEMAS.dev, 'daily_glucose')} order by day`,
    );
    const short = rows.filter((row) => row.readings < MIN_READINGS_PER_DAY);
    return {
      passed: rows.length > 0 && short.length === 0,
      description: rows.length === 0 ? 'no days' : `${short.length} of ${rows.length} days below ${MIN_READINGS_PER_DAY} readings`,
      metadata: {
        days: rows.length,
        min_readings: rows.length === 0 ? null : Math.min(...rows.map((row) => row.readings)),
        short_days: { json: short },
      },
    };
  },
});
