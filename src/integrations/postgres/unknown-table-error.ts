import { SluiceError } from '../../core/errors.js';
import { didYouMean, suggest } from '../../core/suggest.js';

/** A table named in `tables` that the source schema does not have. */
export class UnknownTableError extends SluiceError {
  constructor(table: string, schema: string, database: string, existing: readonly string[]) {
    const suggestions = suggest(table, existing);
    super(
      'UNKNOWN_TABLE',
      `table "${table}" not found in schema "${schema}" of ${database}${didYouMean(suggestions)}`,
      { table, schema, database, suggestions },
    );
  }
}
