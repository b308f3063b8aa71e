import { SluiceError } from '../core/errors.js';

/** The run store could not be opened: `target` names where (never with a password), `reason` why. */
export class StorageUnavailableError extends SluiceError {
  constructor(target: string, reason: string, hint: string, cause: unknown) {
    super('STORAGE_UNAVAILABLE', `cannot open the run store at ${target} (${reason}): ${hint}`, { target, reason }, { cause });
  }
}
