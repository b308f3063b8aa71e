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
 * The stored config a launch body names (`configName`, optional `configVersion`), resolved where
 * the store is; 400 when the body also gives `config`, or a version without a name.
 */
export function configNameOf(body: Pick<RouteBody<'launchRun'>, 'config' | 'configName' | 'configVersion'>): { name: string; version?: number } | undefined {
  if (body.configName === undefined) {
    if (body.configVersion !== undefined) throw new HttpError(400, 'INVALID_REQUEST', '"configVersion" needs "configName"');
    return undefined;
  }
  if (body.config !== undefined) throw new HttpError(400, 'INVALID_REQUEST', 'give "config" or "configName", not both');
  return { name: body.configName, ...(body.configVersion === undefined ? {} : { version: body.configVersion }) };
}

/** The `/api/configs` routes: list, show (`?version=N`), store a new version. */
export function configHandlers(deps: { instance: Instance; graph: AssetGraph }): Handlers<'listConfigs' | 'getConfig' | 'putConfig'> {
  return {
    async listConfigs() {
      const configs = await deps.instance.configs.listRunConfigs();
      return { configs: configs.map((c) => ({ name: c.name, latestVersion: c.latestVersion, updatedAt: c.updatedAt.toISOString() })) };
    },
    async getConfig({ params: { name }, query }) {
      return runConfigView(await loadNamedConfig(deps.instance.configs, name, query.version));
    },
    async putConfig({ params: { name }, body }) {
      const valid = validateNamedConfig(deps.graph, name, body.body, `run config "${name}"`);
      return runConfigView(await deps.instance.configs.putRunConfig(name, valid, new Date()));
    },
  };
}
