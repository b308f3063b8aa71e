import { dailyPartitions, defineSchedule, partitionKeyForInstant, shiftPartitionKey, type ScheduleTickContext } from 'sluice';

const TIMEZONE = 'Europe/London';

/**
 * The partitions of raw/entries (its UTC days). Restated here because schedules import only the
 * public API; test/assets/daily-promotion.test.ts keeps the two equal, and a launch refuses a key
 * that is not one of the asset's.
 */
export const readingDays = dailyPartitions({ start: '2024-10-01' });

/** The days of the schedule's time zone, to read which day a tick falls on there. */
const localDays = dailyPartitions({ start: readingDays.start, timezone: TIMEZONE });

/**
 * Yesterday, relative to the tick's date in London (the schedule's time zone), as a key of the readings'
 * UTC days: the tick at 06:00 London on 2026-11-23 (06:00Z) and the one on 2026-03-29 (05:00Z,
 * BST) both load the day before. Throws before the first day of the readings.
 */
export function yesterdayOf(tick: ScheduleTickContext): string {
  const today = partitionKeyForInstant(localDays, tick.scheduledFor);
  const yesterday = today === undefined ? undefined : shiftPartitionKey(readingDays, today, -1);
  if (yesterday === undefined) throw new Error(`daily_promotion: the tick ${tick.scheduledFor.toISOString()} has no previous day of readings (they start on ${readingDays.start})`);
  return yesterday;
}

/**
 * The whole promotion pipeline every morning at 06:00 London time (GMT in winter, BST in summer)
 * for yesterday's readings: raw/entries loads yesterday's UTC day (its partition), then
 * promote_dev_to_main, everything it needs (the dev branch, the dbt transform and the quality
 * checks that gate it) and everything after it (publish and what follows) run once, whole.
 * Readings of yesterday uploaded after the run arrive with a later run of that day
 * (`--partition DAY`), which loads only them (the asset's cursor).
 */
export const dailyPromotion = defineSchedule({
  name: 'daily_promotion',
  cron: '0 6 * * *',
  timezone: TIMEZONE,
  select: '+key:promote_dev_to_main+',
  partition: yesterdayOf,
  tags: { pipeline: 'promotion' },
  defaultStatus: 'STOPPED',
  catchup: { policy: 'latest' },
  overlap: 'skip',
  description:
    "Loads yesterday's readings (the raw/entries partition of the day before, UTC days), promotes dev to main and publishes the marts at 06:00 Europe/London. STOPPED until you run `sluice schedules start daily_promotion`, so a fresh checkout never starts writing to a warehouse on its own; a running `sluice daemon` then launches it every morning (a missed morning runs once when the daemon is back).",
});
