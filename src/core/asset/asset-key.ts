import { SluiceError } from '../errors.js';

/** An asset key: `/`-separated segments, each of `[A-Za-z0-9_-]+` (`raw/entries`). */
export type AssetKey = string;

const SEGMENT = /^[A-Za-z0-9_-]+$/;

export class InvalidAssetKeyError extends SluiceError {
  constructor(key: string, where: string) {
    super(
      'INVALID_ASSET_KEY',
      `invalid asset key "${key}" in ${where}: use "/"-separated segments of letters, digits, "_" and "-" (e.g. "raw/entries")`,
      { key, where },
    );
  }
}

/** True when `key` is a well-formed asset key. */
export function isValidAssetKey(key: string): boolean {
  return key.length > 0 && key.split('/').every((segment) => SEGMENT.test(segment));
}

/** Returns `key` unchanged; throws InvalidAssetKeyError naming `where` when it is malformed. */
export function assertAssetKey(key: unknown, where: string): AssetKey {
  if (typeof key !== 'string' || !isValidAssetKey(key)) throw new InvalidAssetKeyError(String(key), where);
  return key;
}
