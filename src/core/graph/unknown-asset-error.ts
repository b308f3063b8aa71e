import { SluiceError } from '../errors.js';
import { didYouMean, suggest } from '../suggest.js';

/** An asset key the project does not define. */
export class UnknownAssetError extends SluiceError {
  constructor(key: string, keys: Iterable<string>) {
    super('UNKNOWN_ASSET', `unknown asset "${key}"${didYouMean(suggest(key, keys))}; run \`sluice assets list\` to see what exists`, { key });
  }
}
