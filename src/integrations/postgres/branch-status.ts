import type { Metadata } from '../../core/asset/metadata.js';
import { listTables } from './list-tables.js';
import { qualified, quoteIdent } from './quote-ident.js';
import type { Warehouse } from './warehouse.js';

export interface BranchTableStatus {
  readonly name: string;
  /** Rows in the branch, null when the table is only in main. */
  readonly branchRows: number | null;
  /** Rows in main, null when the table is only in the branch. */
  readonly mainRows: number | null;
}

export interface BranchStatus {
  readonly branch: string;
  readonly main: string;
  readonly onlyInBranch: readonly string[];
  readonly onlyInMain: readonly string[];
  /** Tables in both whose row counts differ. */
  readonly differentCounts: readonly string[];
  /** Every table of either side, by name. */
  readonly tables: readonly BranchTableStatus[];
}

/**
 * What promoting `branch` onto `main` would change, table by table: tables only on one side and
 * exact row counts on each, all read in one REPEATABLE READ, READ ONLY snapshot (so the counts of
 * both sides are of the same instant). Counts only: equal counts do not prove equal rows.
 */
export async function branchStatus(warehouse: Warehouse, options: { branch: string; main: string }): Promise<BranchStatus> {
  const { branch, main } = options;
  quoteIdent(branch);
  quoteIdent(main);
  return warehouse.transaction(async (tx) => {
    await tx.query('set transaction isolation level repeatable read, read only');
    const inBranch = await listTables(tx, branch);
    const inMain = await listTables(tx, main);
    const count = async (schema: string, table: string) =>
      Number((await tx.query<{ n: string }>(`select count(*)::text as n from ${qualified(schema, table)}`)).rows[0]!.n);
    const names = [...new Set([...inBranch, ...inMain])].sort();
    const tables: BranchTableStatus[] = [];
    for (const name of names) {
      tables.push({
        name,
        branchRows: inBranch.includes(name) ? await count(branch, name) : null,
        mainRows: inMain.includes(name) ? await count(main, name) : null,
      });
    }
    return {
      branch,
      main,
      onlyInBranch: tables.filter((t) => t.mainRows === null).map((t) => t.name),
      onlyInMain: tables.filter((t) => t.branchRows === null).map((t) => t.name),
      differentCounts: tables.filter((t) => t.branchRows !== null && t.mainRows !== null && t.branchRows !== t.mainRows).map((t) => t.name),
      tables,
    };
  });
}

/** The status as materialization metadata: counts per side and the lists of differences. */
export function branchStatusMetadata(status: BranchStatus): Metadata {
  return {
    branch: status.branch,
    main: status.main,
    tables_only_in_branch: status.onlyInBranch.length,
    tables_only_in_main: status.onlyInMain.length,
    tables_with_different_counts: status.differentCounts.length,
    differs: status.onlyInBranch.length + status.onlyInMain.length + status.differentCounts.length > 0,
    tables: { json: status.tables },
    only_in_branch: { json: status.onlyInBranch },
    only_in_main: { json: status.onlyInMain },
    different_counts: { json: status.differentCounts },
  };
}
