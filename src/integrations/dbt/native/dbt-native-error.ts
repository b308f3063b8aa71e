import { SluiceError } from '../../../core/errors.js';

/**
 * Codes of the native dbt loader's and runner's errors:
 * - DBT_PROJECT_INVALID: a file of the dbt project is missing or malformed (bad YAML, a test
 *   without a column, two models with one name).
 * - DBT_UNSUPPORTED: valid dbt, but outside the subset the native runner compiles (a `{% for %}`,
 *   a filter, a macro, an unsupported config). Never silently ignored: run it with the dbt CLI.
 * - DBT_UNKNOWN_REF: `ref()` / `source()` / `var()` / `env_var()` naming something the project
 *   (or the environment) does not have.
 * - DBT_COMPILATION_ERROR: the project's own Jinja refused to compile
 *   (`exceptions.raise_compiler_error()`), or failed while rendering.
 */
export type DbtNativeErrorCode = 'DBT_PROJECT_INVALID' | 'DBT_UNSUPPORTED' | 'DBT_UNKNOWN_REF' | 'DBT_COMPILATION_ERROR';

/** Where in the dbt project something is: a path relative to the project folder, and a 1-based line. */
export interface DbtLocation {
  readonly file: string;
  readonly line?: number | undefined;
}

/** `models/x.sql:3` or `models/x.sql`. */
export function formatLocation(where: DbtLocation): string {
  return where.line === undefined ? where.file : `${where.file}:${where.line}`;
}

/** An error of the native dbt support, prefixed with the file and line it is about. */
export class DbtNativeError extends SluiceError {
  readonly file: string;
  readonly line: number | undefined;
  /** The message without its location. */
  readonly detail: string;

  constructor(code: DbtNativeErrorCode, where: DbtLocation, message: string, data: Record<string, unknown> = {}) {
    super(code, `${formatLocation(where)}: ${message}`, { ...data, file: where.file, line: where.line });
    this.file = where.file;
    this.line = where.line;
    this.detail = message;
  }

  /** The same error at another location (a line found later, a macro's caller). */
  at(where: DbtLocation, prefix = ''): DbtNativeError {
    return new DbtNativeError(this.code as DbtNativeErrorCode, where, `${prefix}${this.detail}`, { ...this.data });
  }
}

/** The hint every DBT_UNSUPPORTED message ends with. */
export const OUTSIDE_SUBSET =
  'the native runner compiles only the subset listed in the README ("native dbt runner: supported subset"); rewrite it in that subset or run the project with the dbt CLI runner (dbtCliRunner)';
