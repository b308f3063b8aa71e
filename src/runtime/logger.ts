import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import type { Redactor } from '../core/redactor.js';
import { REDACTED } from '../core/redactor.js';

export type { Logger } from 'pino';

/** Keys whose values pino replaces wherever they appear (one or two levels deep). */
export const REDACT_PATHS = [
  'password',
  'token',
  'secret',
  'apiKey',
  'authorization',
  'connectionString',
  '*.password',
  '*.token',
  '*.secret',
  '*.apiKey',
  '*.authorization',
  '*.connectionString',
  'headers.authorization',
  'headers.cookie',
];

export interface LoggerOptions {
  readonly level?: LevelWithSilent;
  readonly redactor?: Redactor;
  /** Where lines go; defaults to stderr. */
  readonly destination?: DestinationStream;
  readonly bindings?: Record<string, unknown>;
}

/** A destination that redacts secret values (as the redactor knows them at each line) in each serialized line before writing it on. */
export function redactingDestination(redactor: Redactor | undefined, next: DestinationStream): DestinationStream {
  if (!redactor) return next;
  // Checked per line: a step's resolved env references add secrets after the logger exists.
  return { write: (line: string) => next.write(redactor.isEmpty ? line : redactor.string(line)) };
}

/** The process logger: JSON lines, secrets redacted by key (pino `redact`) and by value. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const destination = options.destination ?? pino.destination({ dest: 2, sync: true });
  return pino(
    {
      level: options.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      base: options.bindings ?? {},
    },
    redactingDestination(options.redactor, destination),
  );
}

/** A destination that drops everything (for quiet CLI runs and tests). */
export const nullDestination: DestinationStream = { write: () => {} };
