import { defineSchedule } from 'sluice';

/**
 * The whole promotion pipeline every morning at 06:00 London time (GMT in winter, BST in summer):
 * promote_dev_to_main, everything it needs (the dev branch, ingest, the dbt transform and the
 * quality checks that gate it) and everything after it (publish and what follows).
 */
export const dailyPromotion = defineSchedule({
  name: 'daily_promotion',
  cron: '0 6 * * *',
  timezone: 'Europe/London',
  select: '+key:promote_dev_to_main+',
  tags: { pipeline: 'promotion' },
  defaultStatus: 'STOPPED',
  catchup: { policy: 'latest' },
  overlap: 'skip',
  description:
    'Promotes dev to main and publishes the marts at 06:00 Europe/London. STOPPED until you run `sluice schedules start daily_promotion`, so a fresh checkout never starts writing to a warehouse on its own; a running `sluice daemon` then launches it every morning (a missed morning runs once when the daemon is back).',
});
