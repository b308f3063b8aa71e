import { qualified } from 'sluice';
import { VALID_SGV } from './glucose-ranges.js';

/**
 * A SELECT of the valid readings of a raw entries table: sgv present and within 20..600 mg/dL,
 * each timestamp once (the first row by id). Columns: id, date, sgv.
 */
export function validEntriesSql(schema: string, table: string): string {
  return `select distinct on (date) id, date, sgv
            from ${qualified(schema, table)}
           where sgv between ${VALID_SGV.min} and ${VALID_SGV.max}
           order by date, id`;
}
