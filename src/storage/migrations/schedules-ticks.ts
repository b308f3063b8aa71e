import type { Kysely, Migration } from 'kysely';

/**
 * 0004 schedules and ticks. Applied through a `withSchema` kysely like 0001; adds only.
 *
 * schedule_states  one row per schedule that has been started, stopped or seen by a daemon, PK
 *                  name. `status` RUNNING | STOPPED; `started_at` when it last went to RUNNING (no
 *                  tick before it is ever launched); `cursor` the last scheduled instant a scheduler
 *                  evaluated (ticks after it are still to be decided; it only moves forward, and it is
 *                  an instant, not a cron string, so editing the cron never re-runs past ticks).
 * schedule_ticks   one row per tick decided, UNIQUE (schedule, scheduled_for): a scheduler claims a
 *                  tick by inserting its row (STARTED) before launching its run, so of any number of
 *                  daemons exactly one claims it. Then SUCCESS with `run_id`, SKIPPED with `reason`
 *                  or FAILURE with `error`. (schedule, scheduled_for desc) serves the tick history.
 */
export const schedulesTicks: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('schedule_states')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('started_at', 'timestamptz')
      .addColumn('cursor', 'timestamptz')
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('schedule_ticks')
      .addColumn('id', 'bigserial', (c) => c.primaryKey())
      .addColumn('schedule', 'text', (c) => c.notNull())
      .addColumn('scheduled_for', 'timestamptz', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('run_id', 'text')
      .addColumn('reason', 'text')
      .addColumn('error', 'jsonb')
      .addColumn('claimed_by', 'text', (c) => c.notNull())
      .addColumn('claimed_at', 'timestamptz', (c) => c.notNull())
      .addColumn('ended_at', 'timestamptz')
      .addUniqueConstraint('schedule_ticks_schedule_scheduled_for_key', ['schedule', 'scheduled_for'])
      .execute();
  },
};
