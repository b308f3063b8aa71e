import { SluiceError } from '../errors.js';
import { envRefName } from './env-ref.js';

/** Keys whose string values are taken to be secrets. */
export const SECRET_KEY = /(password|passwd|secret|token|api[_-]?key|credential|private[_-]?key)/i;

export class PlainSecretInConfigError extends SluiceError {
  constructor(where: string, path: string) {
    super(
      'PLAIN_SECRET_IN_CONFIG',
      `${where}: field "${path}" looks like a secret and holds a plain value; stored configs must not hold secrets: write an env reference instead, {"env": "VAR_NAME"} or "env:VAR_NAME", resolved from the environment of the process running the step`,
      { where, path },
    );
  }
}

function walk(value: unknown, key: string | undefined, path: string, where: string): void {
  if (envRefName(value) !== undefined) return;
  if (typeof value === 'string') {
    if (key !== undefined && SECRET_KEY.test(key)) throw new PlainSecretInConfigError(where, path);
    return;
  }
  // Array items are judged by the key of the array (`tokens: ["..."]`).
  if (Array.isArray(value)) value.forEach((item, i) => walk(item, key, `${path}[${i}]`, where));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) walk(v, k, path ? `${path}.${k}` : k, where);
  }
}

/**
 * Throws PlainSecretInConfigError for the first string value whose key looks like a secret
 * (SECRET_KEY) and that is not an env reference. `where` names the config in the message.
 */
export function assertNoPlainSecrets(body: unknown, where: string): void {
  walk(body, undefined, '', where);
}
