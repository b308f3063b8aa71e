import type { Command } from 'commander';
import { isSluiceError, SluiceError } from '../core/errors.js';
import { readSettings, type Settings } from '../runtime/settings.js';

export const EXIT = { ok: 0, failed: 1, badInput: 2, canceled: 130 } as const;

/** Settings from the environment and the global flags of `cmd`. */
export function settingsFor(cmd: Command): Settings {
  const opts = cmd.optsWithGlobals<{ project?: string }>();
  return readSettings(process.env, { project: opts.project, cwd: process.cwd() });
}

/** Prints an error the way every command does and returns its exit code. */
export function reportError(error: unknown): number {
  if (isSluiceError(error)) {
    process.stderr.write(`error: ${error.message}\n`);
    return error.kind === 'input' ? EXIT.badInput : EXIT.failed;
  }
  const err = error as Error;
  process.stderr.write(`error: ${err?.stack ?? String(error)}\n`);
  return EXIT.failed;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function parsePositiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new SluiceError('INVALID_FLAG', `${flag} must be a whole number >= 1 (got "${value}")`, { flag, value });
  }
  return n;
}

/** `k=v` into a tag, collected over repeated flags. */
export function collectTag(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new SluiceError('INVALID_FLAG', `--tag takes key=value (got "${value}")`, { flag: '--tag', value });
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}
