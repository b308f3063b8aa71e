import { sql, type Kysely, type Migration } from 'kysely';

/**
 * 0009 sensors. Adds only.
 *
 * sensor_states    one row per sensor started, stopped or seen by a daemon, PK name. `status`
 *                  RUNNING | STOPPED; `cursor` the text the last committed tick left; `last_tick_at`
 *                  when that tick started (the interval counts from it); `claimed_by` and
 *                  `claim_expires_at`: the daemon evaluating the sensor now. A daemon claims a tick
 *                  by one conditional update of this row (RUNNING, interval elapsed, no live claim),
 *                  so of any number of daemons one evaluates each tick; the commit is guarded by the
 *                  claim, so a claimer that lost it (expired) writes nothing.
 * sensor_ticks     one row per evaluated tick: SUCCESS (run_ids), SKIPPED (skip_reason, and the run
 *                  keys already used) or FAILURE (error); cursor before and after. (sensor, id desc)
 *                  serves the history, (status, ended_at) the purge.
 * sensor_run_keys  PK (sensor, run_key): a run key launches at most one run per sensor, ever.
 * events           a partial index on the ids of the events sensors page through
 *                  (materializations, check evaluations, run status changes).
 */
export const sensors: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('sensor_states')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('cursor', 'text')
      .addColumn('last_tick_at', 'timestamptz')
      .addColumn('claimed_by', 'text')
      .addColumn('claim_expires_at', 'timestamptz')
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('sensor_ticks')
      .addColumn('id', 'bigserial', (c) => c.primaryKey())
      .addColumn('sensor', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('run_ids', 'jsonb', (c) => c.notNull())
      .addColumn('skipped_run_keys', 'jsonb', (c) => c.notNull())
      .addColumn('skip_reason', 'text')
      .addColumn('error', 'jsonb')
      .addColumn('cursor_before', 'text')
      .addColumn('cursor_after', 'text')
      .addColumn('claimed_by', 'text', (c) => c.notNull())
      .addColumn('started_at', 'timestamptz', (c) => c.notNull())
      .addColumn('ended_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sensor_ticks_sensor_id_idx').on('sensor_ticks').columns(['sensor', 'id desc']).execute();
    await db.schema.createIndex('sensor_ticks_status_ended_at_idx').on('sensor_ticks').columns(['status', 'ended_at']).execute();
    await db.schema
      .createTable('sensor_run_keys')
      .addColumn('sensor', 'text', (c) => c.notNull())
      .addColumn('run_key', 'text', (c) => c.notNull())
      .addColumn('run_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addPrimaryKeyConstraint('sensor_run_keys_pkey', ['sensor', 'run_key'])
      .execute();
    await db.schema
      .createIndex('events_sensor_feed_idx')
      .on('events')
      .column('id')
      .where(sql.ref('type'), 'in', ['MATERIALIZATION', 'CHECK_EVALUATION', 'RUN_STARTED', 'RUN_SUCCESS', 'RUN_FAILURE', 'RUN_CANCELED'])
      .execute();
  },
};
