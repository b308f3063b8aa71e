import { CompiledQuery } from 'kysely';
import type { StorageDb } from '../database.js';
import { PREPARED_MARKER } from '../postgres/preparing-pool.js';

/**
 * Hand-written SQL for the hot path (startStep, finishStep): one statement each, run for every
 * step. Building those with the query builder cost more CPU per call (~0.5-1.5 ms) than the
 * database spent on them; text and bind values cost microseconds. `table` qualifies a table name
 * with the instance's schema (checked at open to be a plain identifier); `bind` appends a value
 * and returns its placeholder, with an explicit cast so Postgres never has to guess its type.
 */
export class SqlText {
  readonly #schema: string;
  readonly values: unknown[] = [];

  constructor(schema: string) {
    this.#schema = schema;
  }

  table(name: string): string {
    return `"${this.#schema}"."${name}"`;
  }

  bind(value: unknown, type: 'text' | 'integer' | 'boolean' | 'timestamptz' | 'jsonb' | 'text[]'): string {
    this.values.push(value);
    return `$${this.values.length}::${type}`;
  }

  /**
   * Runs `text` (built with this object's `table` and `bind`) as one statement; on server Postgres
   * as a named prepared statement (see preparing-pool.ts), so its plan is made once per connection.
   */
  async execute<Row>(db: StorageDb, text: string): Promise<Row[]> {
    return (await db.executeQuery<Row>(CompiledQuery.raw(`${PREPARED_MARKER}\n${text}`, this.values))).rows;
  }
}
