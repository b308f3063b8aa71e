import { sql } from 'kysely';
import type { StorageDb } from './database.js';
import type { RunConfigRecord, RunConfigStorage, RunConfigSummary } from './run-config-storage.js';
import { toRunConfigRecord } from './sql/row-mappers.js';

/** RunConfigStorage over kysely. */
export class KyselyRunConfigStorage implements RunConfigStorage {
  readonly #db: StorageDb;

  constructor(db: StorageDb) {
    this.#db = db;
  }

  /**
   * One transaction: a transaction-scoped advisory lock on the name (so concurrent puts get
   * consecutive versions instead of a key conflict), then insert max(version) + 1.
   */
  putRunConfig(name: string, body: Record<string, unknown>, at: Date): Promise<RunConfigRecord> {
    return this.#db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext(${`sluice.run_configs:${name}`}))`.execute(trx);
      const row = await trx
        .insertInto('run_configs')
        .columns(['name', 'version', 'body', 'created_at'])
        .expression((eb) =>
          eb
            .selectFrom('run_configs')
            .select([
              eb.cast<string>(eb.val(name), 'text').as('name'),
              sql<number>`coalesce(max(version), 0) + 1`.as('version'),
              eb.cast<string>(eb.val(JSON.stringify(body)), 'jsonb').as('body'),
              eb.cast<Date>(eb.val(at), 'timestamptz').as('created_at'),
            ])
            .where('name', '=', name),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRunConfigRecord(row);
    });
  }

  /** The given version of the named config, or its latest. */
  async getRunConfig(name: string, version?: number): Promise<RunConfigRecord | undefined> {
    let query = this.#db.selectFrom('run_configs').selectAll().where('name', '=', name);
    query = version === undefined ? query.orderBy('version', 'desc').limit(1) : query.where('version', '=', version);
    const row = await query.executeTakeFirst();
    return row && toRunConfigRecord(row);
  }

  /** Each name with its latest version and when that version was stored, by name. */
  async listRunConfigs(): Promise<RunConfigSummary[]> {
    const rows = await this.#db
      .selectFrom('run_configs')
      .select(['name', sql<number>`max(version)`.as('latest_version'), sql<Date>`max(created_at)`.as('updated_at')])
      .groupBy('name')
      .orderBy('name')
      .execute();
    return rows.map((row) => ({ name: row.name, latestVersion: Number(row.latest_version), updatedAt: new Date(row.updated_at) }));
  }
}
