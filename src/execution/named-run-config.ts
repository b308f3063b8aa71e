import { SluiceError } from '../core/errors.js';
import type { RunConfigRecord, RunConfigStorage } from '../storage/instance.js';

export class UnknownRunConfigError extends SluiceError {
  constructor(name: string, version: number | undefined, known: { names?: readonly string[]; latestVersion?: number }) {
    const what = version === undefined ? `no run config named "${name}"` : `run config "${name}" has no version ${version}`;
    const hint =
      known.latestVersion !== undefined
        ? `it has versions 1 to ${known.latestVersion}`
        : known.names && known.names.length > 0
          ? `known configs: ${known.names.join(', ')}`
          : 'no configs are stored yet; store one with `sluice configs set NAME FILE.json`';
    super('UNKNOWN_RUN_CONFIG', `${what}; ${hint}`, { name, version: version ?? null, ...known });
  }
}

/**
 * The named config's given version, or its latest. Throws UnknownRunConfigError saying what
 * exists (the config's versions, or the stored names).
 */
export async function loadNamedConfig(configs: RunConfigStorage, name: string, version?: number): Promise<RunConfigRecord> {
  const record = await configs.getRunConfig(name, version);
  if (record) return record;
  const latest = version === undefined ? undefined : await configs.getRunConfig(name);
  if (latest) throw new UnknownRunConfigError(name, version, { latestVersion: latest.version });
  throw new UnknownRunConfigError(name, version, { names: (await configs.listRunConfigs()).map((c) => c.name) });
}
