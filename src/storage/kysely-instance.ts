import type { StorageDb } from './database.js';
import type { Instance } from './instance.js';
import { KyselyAutomationStorage } from './kysely-automation-storage.js';
import { KyselyBackfillStorage } from './kysely-backfill-storage.js';
import { KyselyCoordinationStorage } from './kysely-coordination-storage.js';
import { KyselyEventLogStorage } from './kysely-event-log-storage.js';
import { KyselyRunConfigStorage } from './kysely-run-config-storage.js';
import { KyselyRunStorage } from './kysely-run-storage.js';
import { KyselyScheduleStorage } from './kysely-schedule-storage.js';
import { KyselySensorStorage } from './kysely-sensor-storage.js';
import { KyselyAlertStorage } from './kysely-alert-storage.js';
import { RunStepStatistics } from './run-step-statistics.js';
import { KyselyFreshnessStorage } from './kysely-freshness-storage.js';

/** The Instance over kysely: one SQL implementation of each concern, for server Postgres and PGlite, sharing one connection pool. */
export class KyselyInstance implements Instance {
  readonly dialect: 'postgres' | 'pglite';
  readonly runs: KyselyRunStorage;
  readonly eventLog: KyselyEventLogStorage;
  readonly schedules: KyselyScheduleStorage;
  readonly coordination: KyselyCoordinationStorage;
  readonly configs: KyselyRunConfigStorage;
  readonly backfills: KyselyBackfillStorage;
  readonly sensors: KyselySensorStorage;
  readonly automation: KyselyAutomationStorage;
  readonly alerts: KyselyAlertStorage;
  readonly freshness: KyselyFreshnessStorage;
  readonly #close: () => Promise<void>;

  /** `db` is bound to `schema` (the hand-written statements of ./sql/ qualify their tables with it); `close` releases the connection(s): the unscoped Kysely's destroy. */
  constructor(db: StorageDb, schema: string, dialect: 'postgres' | 'pglite', close: () => Promise<void>) {
    this.dialect = dialect;
    const statistics = new RunStepStatistics(db, schema);
    this.runs = new KyselyRunStorage(db, schema, statistics);
    this.eventLog = new KyselyEventLogStorage(db);
    this.schedules = new KyselyScheduleStorage(db);
    this.coordination = new KyselyCoordinationStorage(db);
    this.configs = new KyselyRunConfigStorage(db);
    this.backfills = new KyselyBackfillStorage(db, statistics);
    this.sensors = new KyselySensorStorage(db, statistics);
    this.automation = new KyselyAutomationStorage(db);
    this.alerts = new KyselyAlertStorage(db);
    this.freshness = new KyselyFreshnessStorage(db);
    this.#close = close;
  }

  close(): Promise<void> {
    return this.#close();
  }
}
