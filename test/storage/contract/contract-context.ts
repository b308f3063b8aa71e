import type { Instance } from '../../../src/storage/instance.js';

/** What the contract's describe blocks share: the store under test, opened in beforeAll. */
export interface ContractContext {
  readonly instance: Instance;
}
