import { SluiceError } from '../errors.js';

/**
 * Env references in run config: `{"env": "VAR"}` or the string `"env:VAR"`. Configs hold the
 * reference, never the value; the step runner resolves it from its own process's environment
 * right before calling `materialize` (like Dagster's EnvVar), so runs, events and logs only ever
 * see the reference, and the workers that run the step need the variable.
 */
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const STRING_REF = /^env:([A-Za-z_][A-Za-z0-9_]*)$/;

/** The variable `value` refers to, or undefined when it is not an env reference. */
export function envRefName(value: unknown): string | undefined {
  if (typeof value === 'string') return STRING_REF.exec(value)?.[1];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  const name = (value as Record<string, unknown>).env;
  return keys.length === 1 && typeof name === 'string' && VAR_NAME.test(name) ? name : undefined;
}

/** Where a reference sits, for error messages: the asset and the named config the run used. */
export interface EnvRefSource {
  readonly assetKey: string;
  readonly configRef?: { readonly name: string; readonly version: number } | null;
}

export class MissingEnvVarError extends SluiceError {
  constructor(variable: string, path: string, source: EnvRefSource) {
    const config = source.configRef ? `run config "${source.configRef.name}@${source.configRef.version}"` : 'the run config';
    super(
      'MISSING_ENV_VAR',
      `${config} of asset "${source.assetKey}" refers to environment variable ${variable} (at ${path}), which is not set in the process running the step; set it there (every worker that may run the step needs it)`,
      { variable, path, assetKey: source.assetKey, configRef: source.configRef ?? null },
    );
  }
}

function resolve(value: unknown, env: Readonly<Record<string, string | undefined>>, source: EnvRefSource, path: string, resolved: string[]): unknown {
  const name = envRefName(value);
  if (name !== undefined) {
    const found = env[name];
    if (found === undefined) throw new MissingEnvVarError(name, path, source);
    resolved.push(found);
    return found;
  }
  if (Array.isArray(value)) return value.map((item, i) => resolve(item, env, source, `${path}[${i}]`, resolved));
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, env, source, path ? `${path}.${k}` : k, resolved)]));
  }
  return value;
}

/**
 * A copy of one asset's config with every env reference replaced by the variable's value from
 * `env` (the caller passes its environment: core reads none). Throws MissingEnvVarError naming the
 * variable, the field, the asset and the named config. Values without references come back as is.
 * The values it resolved are pushed onto `resolved` (the step runner redacts them).
 */
export function resolveEnvRefs<T>(config: T, env: Readonly<Record<string, string | undefined>>, source: EnvRefSource, resolved: string[] = []): T {
  return resolve(config, env, source, '', resolved) as T;
}

/**
 * A copy of `value` with every `{"env": "VAR"}` written as the string `"env:VAR"`, so a reference
 * passes a string schema when a config is validated, and is stored as a reference in the run.
 */
export function normalizeEnvRefs(value: unknown): unknown {
  const name = envRefName(value);
  if (name !== undefined) return `env:${name}`;
  if (Array.isArray(value)) return value.map(normalizeEnvRefs);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalizeEnvRefs(v)]));
  }
  return value;
}
