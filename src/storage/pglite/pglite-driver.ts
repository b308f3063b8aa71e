import { CompiledQuery, type DatabaseConnection, type Driver, type TransactionSettings } from 'kysely';
import { ConnectionMutex } from './connection-mutex.js';
import { PGliteConnection } from './pglite-connection.js';
import type { PGliteDialectConfig } from './pglite-dialect-config.js';
import type { PGliteLike } from './pglite-like.js';

/**
 * PGlite is single-connection: every caller shares one PGliteConnection, and the mutex hands it to
 * one caller (one query, or one whole transaction) at a time.
 */
export class PGliteDriver implements Driver {
  readonly #config: PGliteDialectConfig;
  readonly #mutex = new ConnectionMutex();
  #pglite: PGliteLike | undefined;
  #connection: PGliteConnection | undefined;

  constructor(config: PGliteDialectConfig) {
    this.#config = config;
  }

  async init(): Promise<void> {
    this.#pglite = typeof this.#config.pglite === 'function' ? await this.#config.pglite() : this.#config.pglite;
    this.#connection = new PGliteConnection(this.#pglite);
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#mutex.lock();
    if (!this.#connection) {
      this.#mutex.unlock();
      throw new Error('PGliteDriver: the driver has been destroyed');
    }
    return this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    let statement = 'start transaction';
    if (settings.isolationLevel) statement += ` isolation level ${settings.isolationLevel}`;
    if (settings.accessMode) statement += ` ${settings.accessMode}`;
    await connection.executeQuery(CompiledQuery.raw(statement));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(): Promise<void> {
    this.#mutex.unlock();
  }

  /** Waits for the current holder of the connection, then closes PGlite. */
  async destroy(): Promise<void> {
    if (!this.#pglite) return;
    await this.#mutex.lock();
    const pglite = this.#pglite;
    this.#pglite = undefined;
    this.#connection = undefined;
    try {
      await pglite.close();
    } finally {
      this.#mutex.unlock();
    }
  }
}
