import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { SluiceError } from '../../core/errors.js';
import { parseConfigRef, validateNamedConfig } from '../../core/plan/named-config.js';
import { loadProject } from '../../runtime/load-project.js';
import { openRunService } from '../../runtime/open-run-service.js';
import type { RunService } from '../../runtime/run-service.js';
import { EXIT, parsePositiveInt, printJson, settingsFor } from '../cli-context.js';
import { table } from '../output/format.js';

async function withService<T>(cmd: Command, fn: (service: RunService) => Promise<T>): Promise<T> {
  const opened = await openRunService(settingsFor(cmd));
  try {
    return await fn(opened);
  } finally {
    await opened.close();
  }
}

function readJsonFile(path: string): { file: string; body: unknown } {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SluiceError('CONFIG_FILE', `cannot read config file ${file}: ${(error as Error).message}`, { file });
  }
  try {
    return { file, body: JSON.parse(text) };
  } catch (error) {
    throw new SluiceError('CONFIG_FILE', `config file ${file} is not valid JSON: ${(error as Error).message}`, { file });
  }
}

/**
 * `sluice configs set NAME FILE.json [--json]`: validates the file against the project (every
 * asset it names taken as selected; no plain secrets) and stores it as the name's next version.
 */
export async function configsSet(cmd: Command, name: string, path: string, opts: { json?: boolean }): Promise<number> {
  const ref = parseConfigRef(name, 'config name');
  if (ref.version !== undefined) throw new SluiceError('INVALID_CONFIG_NAME', `config name "${name}" may not carry a version: versions are numbered on store`, { name });
  const { file, body } = readJsonFile(path);
  const { graph } = await loadProject(settingsFor(cmd).projectDir);
  const valid = validateNamedConfig(graph, name, body, `run config "${name}" (${file})`);
  const stored = await withService(cmd, (service) => service.putRunConfig(name, valid));
  if (opts.json) printJson({ name: stored.name, version: stored.version, createdAt: stored.createdAt });
  else process.stdout.write(`config ${stored.name} version ${stored.version}\n`);
  return EXIT.ok;
}

/**
 * `sluice configs show NAME[@VERSION] [--json]`: one version's body (the latest by default). The
 * version is not a `--version` flag: commander would take that as the program's own --version.
 */
export async function configsShow(cmd: Command, name: string, opts: { json?: boolean; version?: string }): Promise<number> {
  let ref = parseConfigRef(name, 'config name');
  if (opts.version !== undefined) {
    if (ref.version !== undefined) {
      throw new SluiceError('INVALID_FLAG', `configs show: give the version once, as ${ref.name}@${ref.version} or --version ${opts.version}, not both`, { flag: '--version' });
    }
    ref = { ...ref, version: parsePositiveInt(opts.version, '--version') };
  }
  const config = await withService(cmd, (service) => service.getRunConfig(ref.name, ref.version));
  if (opts.json) printJson(config);
  else process.stdout.write(`config ${config.name} version ${config.version} (created ${config.createdAt})\n${JSON.stringify(config.body, null, 2)}\n`);
  return EXIT.ok;
}

/** `sluice configs list [--json]`: each stored name with its latest version. */
export async function configsList(cmd: Command, opts: { json?: boolean }): Promise<number> {
  const configs = await withService(cmd, (service) => service.listRunConfigs());
  if (opts.json) printJson(configs);
  else if (configs.length === 0) process.stdout.write('no run configs yet; store one with `sluice configs set NAME FILE.json`\n');
  else process.stdout.write(`${table(['NAME', 'LATEST', 'UPDATED'], configs.map((c) => [c.name, String(c.latestVersion), c.updatedAt]))}\n`);
  return EXIT.ok;
}
