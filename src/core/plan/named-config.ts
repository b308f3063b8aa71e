import { SluiceError } from '../errors.js';
import type { AssetGraph } from '../graph/asset-graph.js';
import { assertNoPlainSecrets } from './config-secrets.js';
import { InvalidRunConfigError, validateRunConfig } from './validate-run-config.js';

/** Names of stored run configs. */
export const CONFIG_NAME = /^[A-Za-z0-9_.-]+$/;

/** `NAME` or `NAME@VERSION` as `--config-name` takes it; version undefined means the latest. */
export function parseConfigRef(text: string, flag = '--config-name'): { name: string; version: number | undefined } {
  const at = text.lastIndexOf('@');
  const name = at < 0 ? text : text.slice(0, at);
  const versionText = at < 0 ? undefined : text.slice(at + 1);
  if (!CONFIG_NAME.test(name)) {
    throw new SluiceError('INVALID_CONFIG_NAME', `${flag} "${text}": a config name uses letters, digits, "_", "." and "-" (NAME or NAME@VERSION)`, { name: text });
  }
  if (versionText === undefined) return { name, version: undefined };
  if (!/^[1-9][0-9]*$/.test(versionText) || !Number.isSafeInteger(Number(versionText))) {
    throw new SluiceError('INVALID_CONFIG_NAME', `${flag} "${text}": the version after "@" must be a whole number >= 1`, { name: text });
  }
  return { name, version: Number(versionText) };
}

/**
 * Checks a named config before it is stored: a valid name; a JSON object keyed by asset key; no
 * plain secrets (see assertNoPlainSecrets); and each asset's entry valid for its schema, taking
 * every asset it names as selected (env references stand in for strings). `where` names the
 * config and its file in messages. Throws InvalidRunConfigError, PlainSecretInConfigError.
 */
export function validateNamedConfig(graph: AssetGraph, name: string, body: unknown, where: string): Record<string, unknown> {
  if (!CONFIG_NAME.test(name)) {
    throw new SluiceError('INVALID_CONFIG_NAME', `config name "${name}" may use only letters, digits, "_", "." and "-"`, { name });
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new InvalidRunConfigError(`${where} must be a JSON object keyed by asset key, e.g. {"raw/entries": {"days": 3}}`, { where });
  }
  assertNoPlainSecrets(body, where);
  validateRunConfig(graph, new Set(Object.keys(body)), body, where);
  return body as Record<string, unknown>;
}
