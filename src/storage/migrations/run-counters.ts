import { sql, type Kysely, type Migration } from 'kysely';

/**
 * 0003 run counters: readiness and "is the run done" without reading the run's other steps or
 * taking its row lock. Applied through a `withSchema` kysely like 0001; adds columns and fills them
 * from the rows already there, so stores with runs in flight keep working.
 *
 * run_steps.waiting   how many of the step's deps have not SUCCEEDED (for every row, whatever its
 *                     status). createRun writes the number of deps; finishStep(SUCCEEDED) decrements
 *                     it on the step's children, under their row locks, so of two parents finishing
 *                     at once exactly one sees a child reach 0. A step is ready when it is PENDING
 *                     with waiting = 0; run_steps_ready_idx (partial, on those rows only) serves
 *                     readySteps.
 * runs.unfinished     how many of the run's steps are PENDING or RUNNING. createRun writes the step
 *                     count; every move into a terminal status (finishStep, its skips,
 *                     cancelPendingSteps) subtracts the steps it ended, in the statement that takes
 *                     the run row's lock to append its events.
 *
 * With these, no writer needs the run row's lock before its last statement: each takes it last,
 * only to draw its events' ids (so they increase in commit order per run), and holds it for the
 * tail of that statement and the commit. 0001 and 0002 still describe the earlier, whole-transaction
 * run lock; see sql/finish-step.ts for the lock order every writer now follows.
 */
export const runCounters: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('run_steps').addColumn('waiting', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('runs').addColumn('unfinished', 'integer', (c) => c.notNull().defaultTo(0)).execute();

    await db
      .updateTable('run_steps as s')
      .set((eb) => ({
        waiting: eb
          .selectFrom('run_steps as d')
          .select(sql<number>`count(*)::integer`.as('n'))
          .whereRef('d.run_id', '=', 's.run_id')
          .where('d.step_key', '=', eb.fn.any('s.deps'))
          .where('d.status', '<>', 'SUCCEEDED'),
      }))
      .where((eb) => eb(eb.fn('cardinality', ['s.deps']), '>', 0))
      .execute();
    await db
      .updateTable('runs as r')
      .set((eb) => ({
        unfinished: eb
          .selectFrom('run_steps as s')
          .select(sql<number>`count(*)::integer`.as('n'))
          .whereRef('s.run_id', '=', 'r.id')
          .where('s.status', 'in', ['PENDING', 'RUNNING']),
      }))
      .execute();

    await db.schema
      .createIndex('run_steps_ready_idx')
      .on('run_steps')
      .columns(['run_id', 'step_key'])
      .where(sql.ref('status'), '=', 'PENDING')
      .where(sql.ref('waiting'), '=', 0)
      .execute();
  },
};
