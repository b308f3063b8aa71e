import { SluiceError } from '../../../core/errors.js';

/**
 * Codes of the native dbt loader's and runner's errors:
 * - DBT_PROJECT_INVALID: a file of the dbt project is missing or malformed (bad YAML, a test
 *   without a column, two models with one name).
 * - DBT_UNSUPPORTED: valid dbt, but outside the subset the native runner compiles (a `{% for %}`,
 *   a filter, a macro, an unsupported config). Never silently ignored: run it with the dbt CLI.
 * - DBT_UNKNOWN_REF: `ref()` / `source()` / `var()` naming something the project does not have.
 */
export type DbtNativeErrorCode = 'DBT_PROJECT_INVALID' | 'DBT_UNSUPPORTED' | 'DBT_UNKNOWN_REF';

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

  constructor(code: DbtNativeErrorCode, where: DbtLocation, message: string, data: Record<string, unknown> = {}) {
    super(code, `${formatLocation(where)}: ${message}`, { file: where.file, line: where.line, ...data });
    this.file = where.file;
    this.line = where.line;
  }
}

/** The hint every DBT_UNSUPPORTED message ends with. */
export const OUTSIDE_SUBSET =
  'the native runner compiles only the subset listed in the README ("native dbt runner: supported subset"); rewrite it in that subset or run the project with the dbt CLI runner';
