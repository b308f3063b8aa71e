import type { AssetGraph } from '../core/graph/asset-graph.js';
import { validateNamedConfig } from '../core/plan/named-config.js';
import { loadNamedConfig } from '../execution/named-run-config.js';
import type { Instance, RunConfigRecord } from '../storage/instance.js';
import type { RouteBody, RunConfigView } from './api-contract.js';
import type { Handlers } from './api-dispatch.js';
import { HttpError } from './http-util.js';

export function runConfigView(record: RunConfigRecord): RunConfigView {
  return { name: record.name, version: record.version, body: record.body, createdAt: record.createdAt.toISOString() };
}

/**
 * The config a launch body asks for: its inline `config`, or the stored `configName`
 * (`configVersion`, else the latest) with the configRef the run records. Both at once is a 400.
 */
export async function launchConfig(
  instance: Instance,
  body: Pick<RouteBody<'launchRun'>, 'config' | 'configName' | 'configVersion'>,
): Promise<{ config: unknown; configRef: { name: string; version: number } | null }> {
  if (body.configName === undefined) {
    if (body.configVersion !== undefined) throw new HttpError(400, 'INVALID_REQUEST', '"configVersion" needs "configName"');
    return { config: body.config, configRef: null };
  }
  if (body.config !== undefined) throw new HttpError(400, 'INVALID_REQUEST', 'give "config" or "configName", not both');
  const record = await loadNamedConfig(instance, body.configName, body.configVersion);
  return { config: record.body, configRef: { name: record.name, version: record.version } };
}

/** The `/api/configs` routes: list, show (`?version=N`), store a new version. */
export function configHandlers(deps: { instance: Instance; graph: AssetGraph }): Handlers<'listConfigs' | 'getConfig' | 'putConfig'> {
  return {
    async listConfigs() {
      const configs = await deps.instance.listRunConfigs();
      return { configs: configs.map((c) => ({ name: c.name, latestVersion: c.latestVersion, updatedAt: c.updatedAt.toISOString() })) };
    },
    async getConfig({ params: { name }, query }) {
      return runConfigView(await loadNamedConfig(deps.instance, name, query.version));
    },
    async putConfig({ params: { name }, body }) {
      const valid = validateNamedConfig(deps.graph, name, body.body, `run config "${name}"`);
      return runConfigView(await deps.instance.putRunConfig(name, valid, new Date()));
    },
  };
}
