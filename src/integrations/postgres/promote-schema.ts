import { SluiceError } from '../../core/errors.js';
import { copyGrants } from './copy-grants.js';
import { listTables } from './list-tables.js';
import { lockTables } from './lock-tables.js';
import { qualified, quoteIdent } from './quote-ident.js';
import { replaceTable } from './replace-table.js';
import { scratchSchema } from './scratch-schema.js';
import type { TableCopyResult } from './table-copy-result.js';
import { UnknownTableError } from './unknown-table-error.js';
import type { Warehouse, WarehouseTx } from './warehouse.js';

export interface PromoteSchemaOptions {
  /** The audited schema, the branch (`dev`). Left as it is. */
  readonly from: string;
  /** The schema readers use (`main`); created if missing. */
  readonly to: string;
  /** Tables to promote (default: every table of `from`). Tables of `to` not listed are kept. */
  readonly tables?: readonly string[];
  /**
   * How long the swap may wait for readers' locks on `to`'s tables before it steps back and tries
   * again (default 200 ms; it tries `swapAttempts` times, default 50). Readers queued behind the
   * swap wait at most about this long plus the swap itself.
   */
  readonly lockTimeoutMs?: number;
  readonly swapAttempts?: number;
}

/** lock_not_available: the swap's lock_timeout expired. */
const LOCK_NOT_AVAILABLE = '55P03';

/**
 * The publish step of write-audit-publish: every listed table of `from` replaces its namesake in
 * `to` (columns, constraints, indexes, comments, and the grants the old table had), in ONE
 * transaction, so a reader of `to` sees all old or all new tables, never a mix.
 *
 * Readers are not blocked while data is copied: the copies are built first in a scratch schema
 * (which no reader knows), then a short swap transaction locks the replaced tables of `to`, moves
 * them out and the copies in (catalog updates only), and drops the old ones. A reader waits only
 * for that swap. On server Postgres the build is one transaction holding SHARE locks on `from`
 * (a consistent copy, no writer can change it meanwhile); on PGlite, a single connection where any
 * transaction blocks every reader, each table is copied in its own transaction, with a turn of the
 * event loop before each, so readers get in between tables (a reader still waits for one table's
 * copy, and for the swap).
 *
 * Throws UnknownTableError when a listed table is not in `from`; on any error `to` is unchanged
 * (a view on a replaced table makes the swap fail with 2BP01 rather than drop the view).
 */
export async function promoteSchema(warehouse: Warehouse, options: PromoteSchemaOptions): Promise<TableCopyResult> {
  const { from, to } = options;
  if (from === to) {
    throw new SluiceError('INVALID_ARGUMENT', `promoteSchema: "from" and "to" are both "${from}": name two different schemas`, {
      from,
      to,
    });
  }
  quoteIdent(to);
  const available = await listTables(warehouse, from);
  const tables = [...new Set(options.tables ?? available)].sort();
  for (const table of tables) {
    if (!available.includes(table)) throw new UnknownTableError(table, from, warehouse.database, available);
  }
  const stage = scratchSchema('stage');
  try {
    const copied = await buildStage(warehouse, from, stage, tables);
    await swap(warehouse, { stage, to, tables, lockTimeoutMs: options.lockTimeoutMs ?? 200, attempts: options.swapAttempts ?? 50 });
    return { tables: copied };
  } finally {
    await warehouse.query(`drop schema if exists ${quoteIdent(stage)} cascade`).catch(() => {});
  }
}

/** Copies `tables` of `from` into the new schema `stage`; returns the rows of each. */
async function buildStage(warehouse: Warehouse, from: string, stage: string, tables: readonly string[]) {
  const copyOne = async (tx: WarehouseTx, table: string) => ({
    name: table,
    rows: await replaceTable(tx, { schema: from, table }, { schema: stage, table }, { keepIndexes: true }),
  });
  await warehouse.query(`create schema ${quoteIdent(stage)}`);
  if (warehouse.database.startsWith('pglite:')) {
    const copied: Array<{ name: string; rows: number }> = [];
    for (const table of tables) {
      // PGlite runs each statement synchronously and our awaits continue as microtasks: without a
      // turn of the event loop, a reader arriving through I/O or a timer would wait for all tables.
      await new Promise((resolve) => setImmediate(resolve));
      copied.push(await warehouse.transaction((tx) => copyOne(tx, table)));
    }
    return copied;
  }
  return warehouse.transaction(async (tx) => {
    await lockTables(tx, from, tables, 'share');
    const copied: Array<{ name: string; rows: number }> = [];
    for (const table of tables) copied.push(await copyOne(tx, table));
    return copied;
  });
}

/**
 * The one transaction readers can notice: lock the replaced tables of `to` (sorted, one statement,
 * bounded by lock_timeout so it never queues readers behind it for long nor deadlocks with one),
 * move them to a scratch schema, move the staged copies into `to`, drop the old tables. Retries
 * when the lock timeout expires; the staged copies survive a retry.
 */
async function swap(
  warehouse: Warehouse,
  job: { stage: string; to: string; tables: readonly string[]; lockTimeoutMs: number; attempts: number },
): Promise<void> {
  const { stage, to, tables } = job;
  for (let attempt = 1; ; attempt++) {
    try {
      await warehouse.transaction(async (tx) => {
        await tx.query(`set local lock_timeout = ${Math.max(1, Math.round(job.lockTimeoutMs))}`);
        await tx.query(`create schema if not exists ${quoteIdent(to)}`);
        const existing = new Set(await listTables(tx, to));
        const replaced = tables.filter((table) => existing.has(table));
        await lockTables(tx, to, replaced, 'access exclusive');
        const old = scratchSchema('old');
        await tx.query(`create schema ${quoteIdent(old)}`);
        for (const table of replaced) {
          await copyGrants(tx, qualified(to, table), qualified(stage, table));
          await tx.query(`alter table ${qualified(to, table)} set schema ${quoteIdent(old)}`);
        }
        for (const table of tables) await tx.query(`alter table ${qualified(stage, table)} set schema ${quoteIdent(to)}`);
        if (replaced.length > 0) await tx.query(`drop table ${replaced.map((table) => qualified(old, table)).join(', ')}`);
        await tx.query(`drop schema ${quoteIdent(old)}`);
      });
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== LOCK_NOT_AVAILABLE) throw error;
      if (attempt >= job.attempts) {
        throw new SluiceError(
          'PROMOTION_LOCK_TIMEOUT',
          `promoteSchema: readers of schema "${to}" held its tables for ${attempt} tries of ${job.lockTimeoutMs} ms; nothing was promoted. Look for long transactions on "${to}" (pg_stat_activity) and try again`,
          { to, attempts: attempt, lockTimeoutMs: job.lockTimeoutMs },
          { kind: 'internal', cause: error },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(500, 10 * 2 ** Math.min(attempt, 6))));
    }
  }
}
