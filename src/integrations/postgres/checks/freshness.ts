import { SluiceError } from '../../../core/errors.js';
import { qualified, quoteIdent } from '../quote-ident.js';
import type { SqlTest } from './sql-test.js';

export interface FreshnessOptions {
  /** How a numeric column encodes time: epoch milliseconds (default) or seconds. */
  readonly epoch?: 'ms' | 's';
  /** The instant to measure age from (default: the database's `now()`). */
  readonly now?: Date;
}

/**
 * Fails when the newest value of `column` is more than `maxAgeHours` old (or the table has no
 * non-null value). The column may be a timestamptz, timestamp (read as UTC), date, or a number of
 * epoch milliseconds or seconds (`options.epoch`). Metadata: latest, age_hours, max_age_hours.
 */
export function freshness(column: string, maxAgeHours: number, options: FreshnessOptions = {}): SqlTest {
  quoteIdent(column);
  if (typeof maxAgeHours !== 'number' || !(maxAgeHours > 0) || !Number.isFinite(maxAgeHours)) {
    throw new SluiceError('INVALID_DEFINITION', `freshness("${column}", maxAgeHours): maxAgeHours must be a number > 0`, { column, maxAgeHours });
  }
  if (options.now !== undefined && !(options.now instanceof Date && !Number.isNaN(options.now.getTime()))) {
    throw new SluiceError('INVALID_DEFINITION', `freshness("${column}"): options.now must be a valid Date`, { column });
  }
  const summary = `the newest ${column} is at most ${maxAgeHours} hours old`;
  const divisor = options.epoch === 's' ? 1 : 1000;
  return Object.freeze<SqlTest>({
    kind: 'freshness',
    summary,
    async run(tx, table) {
      const col = quoteIdent(column);
      const { rows: types } = await tx.query<{ type: string }>(
        `select format_type(atttypid, null) as type from pg_attribute where attrelid = $1::regclass and attname = $2 and not attisdropped`,
        [qualified(table.schema, table.name), column],
      );
      const type = types[0]?.type;
      if (!type) throw new SluiceError('UNKNOWN_COLUMN', `freshness: column "${column}" not found in ${table.schema}.${table.name}`, { column, ...table });
      const asTime = /^(smallint|integer|bigint|numeric|real|double precision)$/.test(type)
        ? `to_timestamp(max(${col})::float8 / ${divisor})`
        : type === 'timestamp with time zone'
          ? `max(${col})`
          : type === 'timestamp without time zone' || type === 'date'
            ? `(max(${col})::timestamp at time zone 'UTC')`
            : undefined;
      if (!asTime) {
        throw new SluiceError('UNSUPPORTED_COLUMN', `freshness: column "${column}" of ${table.schema}.${table.name} is ${type}; use a timestamp, date or epoch number column`, {
          column,
          type,
        });
      }
      const { rows } = await tx.query<{ latest: Date | null; age_hours: number | null }>(
        `select latest, (extract(epoch from (coalesce($1::timestamptz, now()) - latest)) / 3600)::float8 as age_hours
           from (select ${asTime} as latest from ${qualified(table.schema, table.name)}) t`,
        [options.now?.toISOString() ?? null],
      );
      const { latest, age_hours: age } = rows[0]!;
      const passed = latest !== null && age !== null && age <= maxAgeHours;
      const ageHours = age === null ? null : Math.round(age * 100) / 100;
      return {
        passed,
        description:
          latest === null
            ? `${table.schema}.${table.name} has no ${column} value`
            : `newest ${column} of ${table.schema}.${table.name} is ${ageHours} hours old (limit ${maxAgeHours})`,
        metadata: { latest: latest === null ? null : new Date(latest).toISOString(), age_hours: ageHours, max_age_hours: maxAgeHours },
      };
    },
  });
}
