import { SluiceError } from '../../core/errors.js';

/** `release_` then letters, digits and `_`: a plain identifier, never quoted differently. */
const RELEASE_NAME = /^release_[a-z0-9_]{1,54}$/;

/** `release_YYYY_MM_DD` for the UTC day of `at`. */
export function releaseName(at: Date): string {
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) {
    throw new SluiceError('INVALID_ARGUMENT', 'releaseName(at): at must be a valid Date', {});
  }
  return `release_${at.toISOString().slice(0, 10).replaceAll('-', '_')}`;
}

/** Throws INVALID_RELEASE_NAME unless `name` looks like `release_2024_10_15`. */
export function assertReleaseName(name: string): string {
  if (typeof name !== 'string' || !RELEASE_NAME.test(name)) {
    throw new SluiceError(
      'INVALID_RELEASE_NAME',
      `invalid release name ${JSON.stringify(name)}: use "release_" followed by lower-case letters, digits and "_" (e.g. release_2024_10_15 from releaseName(date))`,
      { name },
    );
  }
  return name;
}
