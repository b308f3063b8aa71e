/**
 * The one root of every error Sluice raises on purpose. Each error has a stable `code` (for
 * programs and tests) and data fields (for messages and JSON output). Messages say what was wrong,
 * where, and what to do.
 *
 * `kind` tells the CLI how to exit: `input` errors are the user's to fix (exit 2), `internal`
 * errors are ours (exit 1).
 */
export class SluiceError extends Error {
  readonly code: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly kind: 'input' | 'internal';

  constructor(
    code: string,
    message: string,
    data: Record<string, unknown> = {},
    options: { kind?: 'input' | 'internal'; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.data = Object.freeze({ ...data });
    this.kind = options.kind ?? 'input';
  }
}

export function isSluiceError(error: unknown): error is SluiceError {
  return error instanceof SluiceError;
}
