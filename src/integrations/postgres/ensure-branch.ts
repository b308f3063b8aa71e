import { SluiceError } from '../../core/errors.js';
import { listTables } from './list-tables.js';
import { lockTables } from './lock-tables.js';
import { quoteIdent } from './quote-ident.js';
import { replaceTable } from './replace-table.js';
import type { Warehouse } from './warehouse.js';

export interface EnsureBranchOptions {
  /** The branch schema (`dev`). */
  readonly branch: string;
  /** The schema it starts from when created (`main`); missing means the branch starts empty. */
  readonly from: string;
}

export interface EnsureBranchResult {
  readonly branch: string;
  /** False when the branch already existed (then nothing was touched). */
  readonly created: boolean;
  /** Tables copied from `from` into the new branch, with their rows. */
  readonly tables: ReadonlyArray<{ readonly name: string; readonly rows: number }>;
}

/** duplicate_schema, and unique_violation on pg_namespace when two sessions race. */
const ALREADY_EXISTS = new Set(['42P06', '23505']);

/**
 * Creates the branch schema when it is missing, as a copy of every table of `from` (columns,
 * constraints, indexes), in one transaction: a branch appears whole or not at all. An existing
 * branch is left exactly as it is (its work in progress is the point of a branch). Safe to call
 * concurrently: one caller creates it, the others see `created: false`.
 */
export async function ensureBranch(warehouse: Warehouse, options: EnsureBranchOptions): Promise<EnsureBranchResult> {
  const { branch, from } = options;
  if (branch === from) {
    throw new SluiceError('INVALID_ARGUMENT', `ensureBranch: "branch" and "from" are both "${branch}": name two different schemas`, { branch, from });
  }
  quoteIdent(branch);
  quoteIdent(from);
  try {
    return await warehouse.transaction(async (tx) => {
      const { rows } = await tx.query<{ n: number }>('select count(*)::int as n from pg_catalog.pg_namespace where nspname = $1', [branch]);
      if (rows[0]!.n > 0) return { branch, created: false, tables: [] };
      await tx.query(`create schema ${quoteIdent(branch)}`);
      const tables = await listTables(tx, from);
      await lockTables(tx, from, tables, 'share');
      const copied: Array<{ name: string; rows: number }> = [];
      for (const table of tables) {
        copied.push({ name: table, rows: await replaceTable(tx, { schema: from, table }, { schema: branch, table }, { keepIndexes: true }) });
      }
      return { branch, created: true, tables: copied };
    });
  } catch (error) {
    if (ALREADY_EXISTS.has((error as { code?: string }).code ?? '')) return { branch, created: false, tables: [] };
    throw error;
  }
}
