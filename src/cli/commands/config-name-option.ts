import { SluiceError } from '../../core/errors.js';
import { parseConfigRef } from '../../core/plan/named-config.js';
import { loadNamedConfig } from '../../execution/named-run-config.js';
import type { Instance } from '../../storage/instance.js';

/** `--config-name NAME[@VERSION]` parsed; undefined without it. Refuses it together with `--config`. */
export function configNameOption(opts: { config?: string; configName?: string }): { name: string; version: number | undefined } | undefined {
  if (opts.configName === undefined) return undefined;
  if (opts.config !== undefined) {
    throw new SluiceError('INVALID_FLAG', 'give --config FILE or --config-name NAME, not both', { flag: '--config-name' });
  }
  return parseConfigRef(opts.configName);
}

/** The stored config's body and the configRef the run records (the store is here: in-process and BullMQ paths). */
export async function namedLaunchConfig(
  instance: Instance,
  ref: { name: string; version: number | undefined } | undefined,
): Promise<{ config?: unknown; configRef?: { name: string; version: number } }> {
  if (!ref) return {};
  const record = await loadNamedConfig(instance.configs, ref.name, ref.version);
  return { config: record.body, configRef: { name: record.name, version: record.version } };
}

/** The launch body fields for the embedded daemon's API, which resolves the name where the store is. */
export function configNameBody(opts: { configName?: string }): { configName?: string; configVersion?: number } {
  const ref = opts.configName === undefined ? undefined : parseConfigRef(opts.configName);
  if (!ref) return {};
  return { configName: ref.name, ...(ref.version === undefined ? {} : { configVersion: ref.version }) };
}
