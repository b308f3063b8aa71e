import { SluiceError } from '../core/errors.js';
import type { Settings } from './settings.js';

/** The Redis URL, or a clear error naming what needs it. */
export function requireRedisUrl(settings: Settings, what: string): string {
  if (!settings.redisUrl) {
    throw new SluiceError('REDIS_REQUIRED', `${what} needs Redis: set SLUICE_REDIS_URL (e.g. redis://127.0.0.1:6379) and SLUICE_DATABASE_URL`, { what });
  }
  if (!settings.databaseUrl) {
    throw new SluiceError(
      'DATABASE_REQUIRED',
      `${what} needs a server Postgres shared by every process: set SLUICE_DATABASE_URL (the embedded PGlite store is single-process)`,
      { what },
    );
  }
  return settings.redisUrl;
}
