import type { AssetCursor } from '../core/asset/asset-definition.js';
import { SluiceError } from '../core/errors.js';
import type { EventLogStorage } from '../storage/instance.js';

/**
 * An attempt's view of its asset's cursor: reads the stored value once, keeps what `set` stages,
 * and hands it to the outcome (`staged()`), which stores it only with a success.
 */
export class StepCursor implements AssetCursor {
  #staged: { value: unknown } | undefined;

  constructor(
    private readonly eventLog: EventLogStorage,
    private readonly assetKey: string,
    /** '' for the asset's one cursor; a key for a single-partition run's. */
    private readonly partitionKey = '',
  ) {}

  async get<T = unknown>(): Promise<T | undefined> {
    if (this.#staged) return this.#staged.value as T;
    return (await this.eventLog.getCursor(this.assetKey, this.partitionKey))?.value as T | undefined;
  }

  set(value: unknown): void {
    let text: string | undefined;
    try {
      text = JSON.stringify(value);
    } catch (error) {
      throw invalidCursor(this.assetKey, (error as Error).message);
    }
    if (text === undefined) throw invalidCursor(this.assetKey, `${typeof value} is not a JSON value`);
    // A copy: later changes to the caller's object do not change what is stored.
    this.#staged = { value: JSON.parse(text) as unknown };
  }

  /** What the outcome stores on success (undefined when `set` was never called). */
  staged(): { readonly value: unknown } | undefined {
    return this.#staged;
  }
}

function invalidCursor(assetKey: string, problem: string): SluiceError {
  return new SluiceError('INVALID_CURSOR', `ctx.cursor.set() in asset "${assetKey}": ${problem}; a cursor must be a JSON value (object, array, string, number, boolean or null)`, {
    assetKey,
  });
}
