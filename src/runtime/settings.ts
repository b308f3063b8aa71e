import { resolve } from 'node:path';
import type { LevelWithSilent } from 'pino';
import { SluiceError } from '../core/errors.js';

/** Everything the runtime reads from the environment and flags, in one place. */
export interface Settings {
  readonly projectDir: string;
  /** Server Postgres for the run store; undefined = embedded PGlite in <project>/.sluice/runs. */
  readonly databaseUrl: string | undefined;
  /** Schema of the run store on server Postgres. */
  readonly databaseSchema: string;
  readonly logLevel: LevelWithSilent;
  readonly env: Readonly<Record<string, string | undefined>>;
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
  return {
    projectDir,
    databaseUrl: env.SLUICE_DATABASE_URL || undefined,
    databaseSchema: schema,
    logLevel: logLevel as LevelWithSilent,
    // Resources read SLUICE_PROJECT to find project-relative state (the embedded warehouse).
    env: { ...env, SLUICE_PROJECT: projectDir },
  };
}
