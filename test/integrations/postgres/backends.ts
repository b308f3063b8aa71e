import { randomUUID } from 'node:crypto';
import { openPgliteWarehouse } from '../../../src/integrations/postgres/open-pglite-warehouse.js';
import { pgWarehouse } from '../../../src/integrations/postgres/pg-warehouse.js';
import { quoteIdent } from '../../../src/integrations/postgres/quote-ident.js';
import type { Warehouse } from '../../../src/integrations/postgres/warehouse.js';

export const TEST_DATABASE_URL = process.env.SLUICE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Every Warehouse implementation; the contract suites run against each, on real databases. */
export const backends: ReadonlyArray<{ readonly name: string; readonly open: () => Promise<Warehouse> }> = [
  { name: 'pglite', open: () => openPgliteWarehouse() },
  { name: 'postgres', open: async () => pgWarehouse({ connectionString: TEST_DATABASE_URL }) },
];

/** A schema name no other test file (or earlier run) uses: `t_<random>_<suffix>`. */
export function freshSchema(suffix: string): string {
  return `t_${randomUUID().slice(0, 8)}_${suffix}`;
}

/** Drops `schemas` and everything in them. */
export async function dropSchemas(warehouse: Warehouse, schemas: readonly string[]): Promise<void> {
  for (const schema of schemas) await warehouse.query(`drop schema if exists ${quoteIdent(schema)} cascade`);
}
