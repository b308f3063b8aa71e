import { SluiceError } from '../../core/errors.js';

/** Postgres silently truncates identifiers longer than this many bytes (NAMEDATALEN - 1). */
const MAX_IDENT_BYTES = 63;

/**
 * `name` as a double-quoted SQL identifier (`a"b` -> `"a""b"`), safe to splice into SQL and
 * case-preserving. Throws INVALID_IDENTIFIER for an empty name, a NUL character, or a name longer
 * than 63 bytes (Postgres would truncate it and two names could collide).
 */
export function quoteIdent(name: string): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new SluiceError('INVALID_IDENTIFIER', 'invalid SQL identifier: it must be a non-empty string', {
      name: String(name),
    });
  }
  if (name.includes('\0')) {
    throw new SluiceError('INVALID_IDENTIFIER', `invalid SQL identifier ${JSON.stringify(name)}: it contains a NUL character`, {
      name,
    });
  }
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > MAX_IDENT_BYTES) {
    throw new SluiceError(
      'INVALID_IDENTIFIER',
      `invalid SQL identifier ${JSON.stringify(name)}: it is ${bytes} bytes long, Postgres allows ${MAX_IDENT_BYTES}`,
      { name, bytes },
    );
  }
  return `"${name.replaceAll('"', '""')}"`;
}

/** `"schema"."table"`, each part quoted with quoteIdent. */
export function qualified(schema: string, table: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(table)}`;
}
