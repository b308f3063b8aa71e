/** The schedule that launched a run. */
export const SCHEDULE_TAG = 'sluice/schedule';
/** The tick's scheduled instant, ISO-8601 in UTC. */
export const SCHEDULED_FOR_TAG = 'sluice/scheduled_for';
