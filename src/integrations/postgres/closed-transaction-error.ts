import { SluiceError } from '../../core/errors.js';

/** A query on a transaction whose `transaction(fn)` callback has already settled. */
export class ClosedTransactionError extends SluiceError {
  constructor(database: string) {
    super(
      'WAREHOUSE_TX_CLOSED',
      `query on a finished transaction of warehouse ${database}: use tx only inside the transaction(fn) callback and await every query before returning`,
      { database },
      { kind: 'internal' },
    );
  }
}
