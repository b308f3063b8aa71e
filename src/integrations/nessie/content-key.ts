import { SluiceError } from '../../core/errors.js';
import type { NessieContentKey } from './nessie-types.js';

/** What Nessie puts in place of a `.` inside one element of a key's path form (`Util.GROUP_SEPARATOR`). */
const GROUP_SEPARATOR = '\u001D';

/**
 * Throws NESSIE_INVALID_CONTENT_KEY unless `key` is 1 to 20 non-empty elements without control
 * characters (what `ContentKey` accepts), so a bad key is an input error naming it, not a 400.
 */
export function checkContentKey(key: NessieContentKey): NessieContentKey {
  const ok =
    Array.isArray(key) &&
    key.length >= 1 &&
    key.length <= 20 &&
    key.every((element) => typeof element === 'string' && element.length > 0 && !/[\u0000-\u001f]/.test(element));
  if (!ok) {
    throw new SluiceError(
      'NESSIE_INVALID_CONTENT_KEY',
      `invalid Nessie content key ${JSON.stringify(key)}: give 1 to 20 non-empty elements, e.g. ["glucose", "raw_entries"]`,
      { key },
    );
  }
  return key;
}

/**
 * A key as one path element or `key` query value (`ContentKey.toPathString`): elements joined by
 * `.`, a `.` inside an element sent as the group separator. Not yet URI-encoded.
 */
export function contentKeyPath(key: NessieContentKey): string {
  return checkContentKey(key)
    .map((element) => element.replaceAll('.', GROUP_SEPARATOR))
    .join('.');
}

/** A key for messages: `glucose.raw_entries` (elements containing a dot are quoted). */
export function formatContentKey(key: NessieContentKey | undefined): string {
  if (!key) return '';
  return key.map((element) => (element.includes('.') ? JSON.stringify(element) : element)).join('.');
}

/** The elements of a `{ elements: [...] }` key of a response, or undefined. */
export function keyElements(value: unknown): string[] | undefined {
  const elements = (value as { elements?: unknown } | null | undefined)?.elements;
  return Array.isArray(elements) && elements.every((e) => typeof e === 'string') ? (elements as string[]) : undefined;
}
