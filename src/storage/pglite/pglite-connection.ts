import type { CompiledQuery, DatabaseConnection, QueryResult } from 'kysely';
import { PREPARED_MARKER } from '../postgres/preparing-pool.js';
import type { PGliteLike } from './pglite-like.js';
import { PGlitePrepared } from './pglite-prepared.js';

const COUNTED_COMMANDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

/** kysely's view of the one PGlite connection. */
export class PGliteConnection implements DatabaseConnection {
  readonly #pglite: PGliteLike;
  readonly #prepared: PGlitePrepared | undefined;

  constructor(pglite: PGliteLike) {
    this.#pglite = pglite;
    this.#prepared = PGlitePrepared.supports(pglite) ? new PGlitePrepared(pglite) : undefined;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    // The hot-path statements (SqlText) as named prepared statements, like on server Postgres.
    const result =
      this.#prepared && compiledQuery.sql.startsWith(PREPARED_MARKER)
        ? await this.#prepared.query<R>(compiledQuery.sql, compiledQuery.parameters)
        : await this.#pglite.query<R>(compiledQuery.sql, [...compiledQuery.parameters]);
    const counted = result.command !== undefined && COUNTED_COMMANDS.has(result.command.toUpperCase());
    return {
      rows: result.rows,
      ...(counted ? { numAffectedRows: BigInt(result.affectedRows ?? 0) } : {}),
    };
  }

  /** PGlite has no cursors: the whole result is read, then handed out in chunks. */
  async *streamQuery<R>(compiledQuery: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    if (!Number.isInteger(chunkSize) || chunkSize <= 0) throw new Error('PGliteConnection: chunkSize must be a positive integer');
    const { rows } = await this.executeQuery<R>(compiledQuery);
    for (let i = 0; i < rows.length; i += chunkSize) yield { rows: rows.slice(i, i + chunkSize) };
  }
}
