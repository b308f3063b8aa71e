import { SluiceError } from '../../core/errors.js';
import { listTables } from './list-tables.js';
import { lockTables } from './lock-tables.js';
import { qualified, quoteIdent } from './quote-ident.js';
import { replaceTable } from './replace-table.js';
import type { TableCopyResult } from './table-copy-result.js';
import { tableColumns, type TableColumn } from './table-columns.js';
import { UnknownTableError } from './unknown-table-error.js';
import type { Warehouse, WarehouseTx } from './warehouse.js';

/** Postgres accepts at most 65535 bind parameters per statement. */
const MAX_PARAMS = 65_535;
const CURSOR = 'sluice_copy_tables';

export interface CopyTablesOptions {
  readonly fromSchema: string;
  /** Created on the target if missing. */
  readonly toSchema: string;
  readonly tables: readonly string[];
  /** Rows per INSERT when the warehouses are different databases (default 1000). */
  readonly batchSize?: number;
  /** Checked between batches; an abort rolls the target back. */
  readonly signal?: AbortSignal;
}

/**
 * Publishes `tables` from `source.fromSchema` to `target.toSchema` as plain tables (columns, types
 * and NOT NULLs; no indexes or defaults), replacing them, in ONE transaction on the target: its
 * readers see all old or all new tables. Same database: an in-SQL copy. Different databases: rows
 * are read through a cursor in a read-only REPEATABLE READ snapshot of the source and inserted in
 * batches, every value travelling as text and cast back to its column type (lossless). Column
 * types must exist on the target (built-in types always do). Throws UnknownTableError when a table
 * is not in the source schema.
 */
export async function copyTables(source: Warehouse, target: Warehouse, options: CopyTablesOptions): Promise<TableCopyResult> {
  const { fromSchema, toSchema } = options;
  const tables = [...new Set(options.tables)].sort();
  const sameDatabase = source.database === target.database;
  if (sameDatabase && fromSchema === toSchema) {
    throw new SluiceError(
      'INVALID_ARGUMENT',
      `copyTables: source and target are both schema "${fromSchema}" of ${source.database}: name a different toSchema`,
      { fromSchema, toSchema, database: source.database },
    );
  }
  const batchSize = options.batchSize ?? 1000;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new SluiceError('INVALID_ARGUMENT', `copyTables: batchSize must be a positive integer, got ${batchSize}`, { batchSize });
  }

  return target.transaction(async (ttx) => {
    await ttx.query(`create schema if not exists ${quoteIdent(toSchema)}`);
    const existing = new Set(await listTables(ttx, toSchema));
    if (sameDatabase) {
      await assertTablesExist(ttx, source.database, fromSchema, tables);
      await lockTables(ttx, fromSchema, tables, 'share');
      await lockTables(ttx, toSchema, tables.filter((table) => existing.has(table)), 'access exclusive');
      const copied: Array<{ name: string; rows: number }> = [];
      for (const table of tables) {
        const rows = await replaceTable(ttx, { schema: fromSchema, table }, { schema: toSchema, table }, { keepIndexes: false });
        copied.push({ name: table, rows });
      }
      return { tables: copied };
    }
    await lockTables(ttx, toSchema, tables.filter((table) => existing.has(table)), 'access exclusive');
    return source.transaction(async (stx) => {
      await stx.query('set transaction isolation level repeatable read, read only');
      await assertTablesExist(stx, source.database, fromSchema, tables);
      const copied: Array<{ name: string; rows: number }> = [];
      for (const table of tables) {
        const rows = await streamTable(stx, ttx, { fromSchema, toSchema, table, batchSize, signal: options.signal });
        copied.push({ name: table, rows });
      }
      return { tables: copied };
    });
  });
}

async function assertTablesExist(tx: WarehouseTx, database: string, schema: string, tables: readonly string[]): Promise<void> {
  const available = await listTables(tx, schema);
  for (const table of tables) {
    if (!available.includes(table)) throw new UnknownTableError(table, schema, database, available);
  }
}

/** Recreates the table on the target and copies its rows batch by batch. Returns the rows copied. */
async function streamTable(
  stx: WarehouseTx,
  ttx: WarehouseTx,
  job: { fromSchema: string; toSchema: string; table: string; batchSize: number; signal: AbortSignal | undefined },
): Promise<number> {
  const columns = await tableColumns(stx, job.fromSchema, job.table);
  if (columns.length === 0) {
    throw new SluiceError('UNSUPPORTED_TABLE', `copyTables: table "${job.fromSchema}"."${job.table}" has no columns`, {
      schema: job.fromSchema,
      table: job.table,
    });
  }
  const target = qualified(job.toSchema, job.table);
  const definition = columns.map((c) => `${quoteIdent(c.name)} ${c.type}${c.notNull ? ' not null' : ''}`).join(', ');
  await ttx.query(`drop table if exists ${target}`);
  await ttx.query(`create table ${target} (${definition})`);

  const perBatch = Math.min(job.batchSize, Math.floor(MAX_PARAMS / columns.length));
  const select = columns.map((c, i) => `${quoteIdent(c.name)}::text as c${i}`).join(', ');
  await stx.query(`declare ${CURSOR} no scroll cursor for select ${select} from ${qualified(job.fromSchema, job.table)}`);
  let copied = 0;
  for (;;) {
    job.signal?.throwIfAborted();
    const { rows } = await stx.query<Record<string, string | null>>(`fetch forward ${perBatch} from ${CURSOR}`);
    if (rows.length === 0) break;
    await insertBatch(ttx, target, columns, rows);
    copied += rows.length;
    if (rows.length < perBatch) break;
  }
  await stx.query(`close ${CURSOR}`);
  return copied;
}

async function insertBatch(
  ttx: WarehouseTx,
  target: string,
  columns: readonly TableColumn[],
  rows: ReadonlyArray<Record<string, string | null>>,
): Promise<void> {
  const names = columns.map((c) => quoteIdent(c.name)).join(', ');
  const params: Array<string | null> = [];
  const tuples = rows.map((row) => {
    const cells = columns.map((column, i) => {
      params.push(row[`c${i}`] ?? null);
      // `::text` first: the parameter is always text (drivers infer bytea etc. otherwise), then an
      // I/O conversion to the column type, which is lossless.
      return `$${params.length}::text::${column.type}`;
    });
    return `(${cells.join(', ')})`;
  });
  await ttx.query(`insert into ${target} (${names}) values ${tuples.join(', ')}`, params);
}
