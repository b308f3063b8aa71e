import { resolve } from 'node:path';
import type { LevelWithSilent } from 'pino';
import { SluiceError } from '../core/errors.js';
import type { RunQueueLimits } from '../core/run/run-queue-policy.js';

/** Everything the runtime reads from the environment and flags, in one place. */
export interface Settings {
  readonly projectDir: string;
  /** Server Postgres for the run store; undefined = embedded PGlite in <project>/.sluice/runs. */
  readonly databaseUrl: string | undefined;
  /** Schema of the run store on server Postgres. */
  readonly databaseSchema: string;
  readonly logLevel: LevelWithSilent;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Redis for distributed execution; undefined = run in-process. */
  readonly redisUrl: string | undefined;
  /** Prefix of every BullMQ key (hash-tagged for Redis Cluster). */
  readonly redisPrefix: string;
  readonly limits: RunQueueLimits;
  /** Pool name -> steps of that pool running at once across all workers and runs. */
  readonly pools: Readonly<Record<string, number>>;
  /** BullMQ lock duration: how long a dead worker's step waits before another worker takes it. */
  readonly lockDurationMs: number;
  /** How stale a heartbeat may be before the monitor treats its process as gone. */
  readonly workerTimeoutMs: number;
  /** How often the daemon's run monitor reconciles storage with work in flight. */
  readonly monitorIntervalMs: number;
  /** How often the daemon's sensor loop looks for due sensors. */
  readonly sensorPollMs: number;
  /** Days sensor ticks are kept: SKIPPED ones, and the others (purged by the daemon). */
  readonly sensorTickRetention: { readonly skippedDays: number; readonly otherDays: number };
  /** How often the daemon evaluates declarative automation (once `sluice automation start` turned it on). */
  readonly automationIntervalMs: number;
  /** How often the daemon checks freshness policies and deadlines (SLUICE_FRESHNESS_POLL_MS, default 5 s). */
  readonly freshnessPollMs: number;
}

function invalid(name: string, value: string, what: string): SluiceError {
  return new SluiceError('INVALID_SETTING', `${name}="${value}" is invalid: ${what}`, { name });
}

function positiveInt(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number | undefined): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw invalid(name, raw, 'expected a whole number >= 1');
  return n;
}

/** `dbt=1,api=4` -> { dbt: 1, api: 4 }. */
export function parsePools(raw: string | undefined, name = 'SLUICE_POOLS'): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of (raw ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([A-Za-z0-9_.-]+)=(\d+)$/.exec(part);
    if (!m || Number(m[2]) < 1) throw invalid(name, raw!, `"${part}" should be pool=limit, e.g. dbt=1`);
    out[m[1]!] = Number(m[2]);
  }
  return out;
}

/** `pipeline=promotion:1,team:2` -> tag limits (a key without value limits each of its values). */
export function parseTagLimits(raw: string | undefined, name = 'SLUICE_TAG_CONCURRENCY'): RunQueueLimits['tagLimits'] {
  return (raw ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((part) => {
      const m = /^([A-Za-z0-9_.\/-]+)(?:=([^:]+))?:(\d+)$/.exec(part);
      if (!m || Number(m[3]) < 1) throw invalid(name, raw!, `"${part}" should be key=value:limit or key:limit, e.g. pipeline=promotion:1`);
      return { key: m[1]!, ...(m[2] !== undefined ? { value: m[2] } : {}), limit: Number(m[3]) };
    });
}

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

export function readSettings(
  env: Readonly<Record<string, string | undefined>>,
  flags: { project?: string | undefined; cwd: string },
): Settings {
  const projectDir = resolve(flags.cwd, flags.project ?? env.SLUICE_PROJECT ?? '.');
  const logLevel = (env.SLUICE_LOG_LEVEL ?? 'info').toLowerCase();
  if (!LEVELS.includes(logLevel)) {
    throw new SluiceError('INVALID_SETTING', `SLUICE_LOG_LEVEL="${env.SLUICE_LOG_LEVEL}" is not one of ${LEVELS.join(', ')}`, {
      name: 'SLUICE_LOG_LEVEL',
    });
  }
  const schema = env.SLUICE_DATABASE_SCHEMA ?? 'sluice';
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) {
    throw new SluiceError('INVALID_SETTING', `SLUICE_DATABASE_SCHEMA="${schema}" must be a lowercase SQL identifier`, {
      name: 'SLUICE_DATABASE_SCHEMA',
    });
  }
  const prefix = env.SLUICE_REDIS_PREFIX || '{sluice}';
  if (prefix.includes(':')) throw invalid('SLUICE_REDIS_PREFIX', prefix, 'it must not contain ":"');
  const maxConcurrentRuns = positiveInt(env, 'SLUICE_MAX_CONCURRENT_RUNS', undefined);
  return {
    projectDir,
    databaseUrl: env.SLUICE_DATABASE_URL || undefined,
    databaseSchema: schema,
    logLevel: logLevel as LevelWithSilent,
    redisUrl: env.SLUICE_REDIS_URL || undefined,
    redisPrefix: prefix,
    limits: { ...(maxConcurrentRuns !== undefined ? { maxConcurrentRuns } : {}), tagLimits: parseTagLimits(env.SLUICE_TAG_CONCURRENCY) },
    pools: parsePools(env.SLUICE_POOLS),
    lockDurationMs: positiveInt(env, 'SLUICE_LOCK_DURATION_MS', 30_000)!,
    workerTimeoutMs: positiveInt(env, 'SLUICE_WORKER_TIMEOUT_MS', 15_000)!,
    monitorIntervalMs: positiveInt(env, 'SLUICE_MONITOR_INTERVAL_MS', 3000)!,
    sensorPollMs: positiveInt(env, 'SLUICE_SENSOR_POLL_MS', 1000)!,
    sensorTickRetention: {
      skippedDays: positiveInt(env, 'SLUICE_SENSOR_SKIPPED_TICK_RETENTION_DAYS', 7)!,
      otherDays: positiveInt(env, 'SLUICE_SENSOR_TICK_RETENTION_DAYS', 30)!,
    },
    automationIntervalMs: positiveInt(env, 'SLUICE_AUTOMATION_INTERVAL_MS', 30_000)!,
    freshnessPollMs: positiveInt(env, 'SLUICE_FRESHNESS_POLL_MS', 5000)!,
    // Resources read SLUICE_PROJECT to find project-relative state (the embedded warehouse).
    env: { ...env, SLUICE_PROJECT: projectDir },
  };
}
