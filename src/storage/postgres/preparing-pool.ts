import { createHash } from 'node:crypto';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';

/**
 * The first line of a statement that should run as a named prepared statement (see SqlText). The
 * hot-path statements are long CTEs whose parse and plan cost the server more CPU than running
 * them; prepared once per connection, later executions skip both.
 */
export const PREPARED_MARKER = '/* sluice:prepared */';

const names = new Map<string, string>();

/** A stable statement name per text (the text includes its schema, so schemas never share one). */
function nameOf(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `sluice_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}

/**
 * The pool kysely's PostgresDialect uses: each client runs marked statements by name (pg parses a
 * name once per connection and reuses it), everything else as before.
 */
export function preparingPool(pool: pg.Pool): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      return {
        query(sqlOrCursor: unknown, parameters?: ReadonlyArray<unknown>) {
          if (typeof sqlOrCursor === 'string' && sqlOrCursor.startsWith(PREPARED_MARKER)) {
            return query({ name: nameOf(sqlOrCursor), text: sqlOrCursor, values: parameters });
          }
          return parameters === undefined ? query(sqlOrCursor) : query(sqlOrCursor, parameters);
        },
        release: () => client.release(),
      } as PostgresPoolClient;
    },
    end: () => pool.end(),
  };
}
