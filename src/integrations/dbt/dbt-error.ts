import { SluiceError } from '../../core/errors.js';

/**
 * Codes of the dbt integration's errors. `input` ones are the user's to fix (a missing or stale
 * manifest, a bad key function, a failing model); `DBT_COMMAND_FAILED` says the dbt process itself
 * could not do its work.
 */
export type DbtErrorCode =
  | 'DBT_MANIFEST_NOT_FOUND'
  | 'DBT_MANIFEST_INVALID'
  | 'DBT_MANIFEST_UNSUPPORTED_VERSION'
  | 'DBT_INVALID_KEY'
  | 'DBT_INVALID_OPTION'
  | 'DBT_DUPLICATE_KEY'
  | 'DBT_UNKNOWN_DEPENDENCY'
  | 'DBT_COMMAND_NOT_FOUND'
  | 'DBT_COMMAND_FAILED'
  | 'DBT_PARSE_FAILED'
  | 'DBT_NO_RESULT'
  | 'DBT_NODE_FAILED'
  | 'DBT_TEST_ERROR';

/** Every error the dbt integration raises on purpose: what, where (file or node), what to do. */
export class DbtError extends SluiceError {
  constructor(code: DbtErrorCode, message: string, data: Record<string, unknown> = {}, cause?: unknown) {
    super(code, message, data, cause === undefined ? {} : { cause });
  }
}
