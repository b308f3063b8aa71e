import { quoteIdent } from './quote-ident.js';
import type { Warehouse } from './warehouse.js';

/** duplicate_schema, and unique_violation on pg_namespace when two sessions race. */
const ALREADY_EXISTS = new Set(['42P06', '23505']);

/** Creates `schema` unless it exists. Safe to call concurrently from several steps. */
export async function ensureSchema(warehouse: Warehouse, schema: string): Promise<void> {
  try {
    await warehouse.query(`create schema if not exists ${quoteIdent(schema)}`);
  } catch (error) {
    if (!ALREADY_EXISTS.has((error as { code?: string }).code ?? '')) throw error;
  }
}
