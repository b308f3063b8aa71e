import { SluiceError } from '../../core/errors.js';

/**
 * Reference names and hashes as Nessie validates them (`org.projectnessie.model.Validation`:
 * `REF_NAME_REGEX`, `HASH_REGEX`). Checked before a request, so a typo is an input error naming the
 * value instead of a 400 from the server.
 */
const REF_NAME = /^(?:[A-Za-z](?:(?:(?!\.\.)[A-Za-z0-9./_-])*[A-Za-z0-9_-])?)$/;
const HASH = /^[0-9a-fA-F]{8,64}$/;
/** `Validation.FORBIDDEN_REF_NAMES`, plus anything that looks like a commit id. */
const FORBIDDEN = new Set(['HEAD', 'DETACHED']);

/** Throws NESSIE_INVALID_REFERENCE_NAME unless `name` is a valid branch or tag name. */
export function checkRefName(name: string, what = 'reference'): string {
  if (typeof name !== 'string' || !REF_NAME.test(name) || FORBIDDEN.has(name.toUpperCase()) || HASH.test(name)) {
    throw new SluiceError(
      'NESSIE_INVALID_REFERENCE_NAME',
      `invalid Nessie ${what} name ${JSON.stringify(name)}: a name starts with a letter, then letters, digits or . / _ -, does not end with . or /, has no "..", and is not HEAD, DETACHED or a commit hash`,
      { name, what },
    );
  }
  return name;
}

/** Throws NESSIE_INVALID_HASH unless `hash` is 8 to 64 hex digits. */
export function checkHash(hash: string, what = 'hash'): string {
  if (typeof hash !== 'string' || !HASH.test(hash)) {
    throw new SluiceError('NESSIE_INVALID_HASH', `invalid Nessie ${what} ${JSON.stringify(hash)}: a commit hash is 8 to 64 hex digits`, {
      hash,
      what,
    });
  }
  return hash;
}

/**
 * The `{ref}` path element of `/api/v2/trees/{ref}...`: `name`, or `name@hash` (the "checked" form
 * that carries the expected HEAD). A name containing `/` always gets the `@` separator, as
 * `Util.toPathStringRef` does, because the server's `REF_NAME_PATH_ELEMENT_REGEX`
 * (`[^/]+|[^@]+(@|%40)[^@/]*`) only lets a slash through before an `@`.
 */
export function refPath(name: string, hash?: string): string {
  checkRefName(name);
  if (hash !== undefined) checkHash(hash);
  const encoded = name.split('/').map(encodeURIComponent).join('/');
  return hash !== undefined || name.includes('/') ? `${encoded}@${hash ?? ''}` : encoded;
}
