import { sql, type Kysely, type Migration } from 'kysely';

/**
 * 0001 initial schema: the run store. Applied through a `withSchema` kysely, so every table lives in
 * the schema chosen at open.
 *
 * runs              one row per run: status, selection, trigger, tags, inline config and the named
 *                   config version it used, timing, error. (created_at desc, id desc) serves listRuns,
 *                   (status, created_at desc) the run queue's "QUEUED runs, oldest first".
 * run_steps         the planned steps of a run, PK (run_id, step_key); `position` keeps plan
 *                   (dependency) order for listSteps. `children` is the inverse of
 *                   `deps`, written once by createRun: "children of step X that are PENDING" is then a
 *                   primary-key lookup of X plus PK lookups of its children, and the downstream walk
 *                   on failure a recursive CTE over PK lookups (a GIN index on deps could not be
 *                   scoped to one run without the btree_gin extension). (run_id, status) serves
 *                   "steps by status" (readySteps, cancelPendingSteps).
 * events            the append-only run log. The bigserial id orders it; writers hold the run row's
 *                   lock while they append, so ids are increasing in commit order per run.
 *                   (run_id, id) serves listEvents and afterId paging.
 * materializations  asset history; (asset_key, id desc) serves the latest and newest-first queries.
 *                   No foreign key to runs: asset history outlives the runs that produced it.
 * check_results     asset check evaluations; newest first by asset or by run.
 * run_configs       named run configs, versioned from 1, PK (name, version).
 */
export const initialSchema: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('selection', 'text', (c) => c.notNull())
      .addColumn('trigger', 'text', (c) => c.notNull())
      .addColumn('tags', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
      .addColumn('config', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
      .addColumn('config_name', 'text')
      .addColumn('config_version', 'integer')
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('started_at', 'timestamptz')
      .addColumn('ended_at', 'timestamptz')
      .addColumn('error', 'jsonb')
      .execute();
    await db.schema.createIndex('runs_created_at_idx').on('runs').columns(['created_at desc', 'id desc']).execute();
    await db.schema.createIndex('runs_status_created_at_idx').on('runs').columns(['status', 'created_at desc']).execute();

    await db.schema
      .createTable('run_steps')
      .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
      .addColumn('step_key', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('asset_key', 'text', (c) => c.notNull())
      .addColumn('check_name', 'text')
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('deps', sql`text[]`, (c) => c.notNull())
      .addColumn('children', sql`text[]`, (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempt', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('started_at', 'timestamptz')
      .addColumn('ended_at', 'timestamptz')
      .addColumn('error', 'jsonb')
      .addColumn('worker', 'text')
      .addPrimaryKeyConstraint('run_steps_pkey', ['run_id', 'step_key'])
      .execute();
    await db.schema.createIndex('run_steps_run_id_status_idx').on('run_steps').columns(['run_id', 'status']).execute();

    await db.schema
      .createTable('events')
      .addColumn('id', 'bigserial', (c) => c.primaryKey())
      .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
      .addColumn('step_key', 'text')
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('at', 'timestamptz', (c) => c.notNull())
      .addColumn('data', 'jsonb', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('events_run_id_id_idx').on('events').columns(['run_id', 'id']).execute();

    await db.schema
      .createTable('materializations')
      .addColumn('id', 'bigserial', (c) => c.primaryKey())
      .addColumn('asset_key', 'text', (c) => c.notNull())
      .addColumn('run_id', 'text', (c) => c.notNull())
      .addColumn('step_key', 'text', (c) => c.notNull())
      .addColumn('metadata', 'jsonb', (c) => c.notNull())
      .addColumn('data_version', 'text')
      .addColumn('at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('materializations_asset_key_id_idx').on('materializations').columns(['asset_key', 'id desc']).execute();

    await db.schema
      .createTable('check_results')
      .addColumn('id', 'bigserial', (c) => c.primaryKey())
      .addColumn('run_id', 'text', (c) => c.notNull())
      .addColumn('asset_key', 'text', (c) => c.notNull())
      .addColumn('check_name', 'text', (c) => c.notNull())
      .addColumn('passed', 'boolean', (c) => c.notNull())
      .addColumn('severity', 'text', (c) => c.notNull())
      .addColumn('blocking', 'boolean', (c) => c.notNull())
      .addColumn('metadata', 'jsonb', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('check_results_asset_key_id_idx').on('check_results').columns(['asset_key', 'id desc']).execute();
    await db.schema.createIndex('check_results_run_id_id_idx').on('check_results').columns(['run_id', 'id desc']).execute();

    await db.schema
      .createTable('run_configs')
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('body', 'jsonb', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addPrimaryKeyConstraint('run_configs_pkey', ['name', 'version'])
      .execute();
  },
};
