import { SluiceError } from '../../core/errors.js';

/** The stable codes of NessieError, one per way a Nessie call fails. */
export type NessieErrorCode =
  | 'NESSIE_REFERENCE_NOT_FOUND'
  | 'NESSIE_REFERENCE_CONFLICT'
  | 'NESSIE_MERGE_CONFLICT'
  | 'NESSIE_NO_COMMON_ANCESTOR'
  | 'NESSIE_COMMIT_CONFLICT'
  | 'NESSIE_COMMIT_NOT_FOUND'
  | 'NESSIE_CONTENT_NOT_FOUND'
  | 'NESSIE_REFERENCE_EXISTS'
  | 'NESSIE_BAD_REQUEST'
  | 'NESSIE_UNAUTHORIZED'
  | 'NESSIE_FORBIDDEN'
  | 'NESSIE_UNAVAILABLE'
  | 'NESSIE_UNREACHABLE'
  | 'NESSIE_TIMEOUT'
  | 'NESSIE_SERVER_ERROR'
  | 'NESSIE_BAD_RESPONSE';

/** What a NessieError carries besides its message. Never the token. */
export interface NessieErrorData {
  /** What Sluice was doing: `merge "dev" into "main"`. */
  readonly operation: string;
  /** The Nessie API root the request went to (`http://host:19120/api/v2`). */
  readonly endpoint: string;
  /** The reference the failure is about, when one is known. */
  readonly reference?: string;
  /** The hash the caller expected that reference to be at (conflicts). */
  readonly expectedHash?: string;
  /** Where that reference actually is, when Sluice re-read it after a conflict. */
  readonly currentHash?: string;
  /** HTTP status, when the server answered. */
  readonly status?: number;
  /** Nessie's own `errorCode` (`REFERENCE_NOT_FOUND`, ...), when the body carried one. */
  readonly nessieErrorCode?: string;
  /** Nessie's `message`, with any secret removed. */
  readonly serverMessage?: string;
  readonly suggestions?: readonly string[];
  /** The commit hash a NESSIE_COMMIT_NOT_FOUND is about. */
  readonly hash?: string;
  /** The content key a NESSIE_CONTENT_NOT_FOUND is about (`glucose.raw_entries`). */
  readonly key?: string;
  /** What Nessie listed as conflicting (`KEY_EXISTS`, `NAMESPACE_ABSENT`, ...), per key. */
  readonly conflicts?: ReadonlyArray<{ readonly type: string; readonly key?: string; readonly message?: string }>;
}

/**
 * A failed call to a Nessie server, mapped from its HTTP status and `NessieError` body (or from the
 * network failure) to a code, a message saying what failed, on which reference, and what to do.
 * 5xx answers and malformed responses are `internal`; everything else is the caller's to fix.
 */
export class NessieError extends SluiceError {
  declare readonly code: NessieErrorCode;
  declare readonly data: Readonly<NessieErrorData>;

  constructor(code: NessieErrorCode, message: string, data: NessieErrorData, options: { kind?: 'input' | 'internal'; cause?: unknown } = {}) {
    super(code, message, { ...data }, options);
  }
}

export function isNessieError(error: unknown, code?: NessieErrorCode): error is NessieError {
  return error instanceof NessieError && (code === undefined || error.code === code);
}
