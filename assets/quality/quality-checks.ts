import { expression, notNull, rowCount, sqlCheck, unique } from 'sluice';
import { rawRowsCheck } from '../lib/raw-rows-check.js';
import { SCHEMAS } from '../lib/warehouse-schemas.js';
import { branchStatusAsset } from './branch-status.js';

const dailyGlucose = { schema: SCHEMAS.dev, name: 'daily_glucose' };

/** Nightscout's trend arrows, plus what a reading without a trend carries. */
const DIRECTIONS = ['DoubleUp', 'SingleUp', 'FortyFiveUp', 'Flat', 'FortyFiveDown', 'SingleDown', 'DoubleDown', 'NOT COMPUTABLE'];

/** Blocking: the marts about to be promoted have one row per day, no gaps in their key columns, and sane shares. */
export const dailyGlucoseHasDays = sqlCheck({
  asset: branchStatusAsset,
  name: 'daily_glucose_has_days',
  table: dailyGlucose,
  test: rowCount({ min: 1 }),
  blocking: true,
});

export const dailyGlucoseDayUnique = sqlCheck({
  asset: branchStatusAsset,
  name: 'daily_glucose_day_unique',
  table: dailyGlucose,
  test: unique(['day']),
  blocking: true,
});

export const dailyGlucoseComplete = sqlCheck({
  asset: branchStatusAsset,
  name: 'daily_glucose_not_null',
  table: dailyGlucose,
  test: notNull(['day', 'readings', 'mean_sgv', 'time_in_range']),
  blocking: true,
});

export const timeInRangeIsAShare = sqlCheck({
  asset: branchStatusAsset,
  name: 'time_in_range_is_a_share',
  table: dailyGlucose,
  test: expression('time_in_range between 0 and 1'),
  blocking: true,
});

/**
 * Warnings only: bad raw rows are expected up to 1% (valid_readings, on raw/entries, enforces that).
 * They audit the days of their run (all days in a run that loaded none), so a bad old day does not
 * warn in every later run.
 */
export const rawDirectionKnown = rawRowsCheck({
  asset: branchStatusAsset,
  name: 'raw_direction_known',
  severity: 'WARN',
  description: `dev.raw_entries: direction is null or one of ${DIRECTIONS.join(', ')}`,
  failing: `direction is not null and direction not in (${DIRECTIONS.map((d) => `'${d}'`).join(', ')})`,
});

export const rawSgvPresent = rawRowsCheck({
  asset: branchStatusAsset,
  name: 'raw_sgv_present',
  severity: 'WARN',
  description: 'dev.raw_entries: sgv is never null',
  failing: 'sgv is null',
});
