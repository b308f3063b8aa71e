import { SluiceError } from '../../core/errors.js';
import { parseConfigRef } from '../../core/plan/named-config.js';

/** `--config-name NAME[@VERSION]` parsed; undefined without it. Refuses it together with `--config`. */
export function configNameOption(opts: { config?: string; configName?: string }): { name: string; version: number | undefined } | undefined {
  if (opts.configName === undefined) return undefined;
  if (opts.config !== undefined) {
    throw new SluiceError('INVALID_FLAG', 'give --config FILE or --config-name NAME, not both', { flag: '--config-name' });
  }
  return parseConfigRef(opts.configName);
}
