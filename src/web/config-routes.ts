import type { IncomingMessage } from 'node:http';
import type { AssetGraph } from '../core/graph/asset-graph.js';
import { validateNamedConfig } from '../core/plan/named-config.js';
import { loadNamedConfig } from '../execution/named-run-config.js';
import type { Instance, RunConfigRecord } from '../storage/instance.js';
import type { LaunchRunRequest, RunConfigView } from './api-contract.js';
import { HttpError, readJson } from './http-util.js';

export function runConfigView(record: RunConfigRecord): RunConfigView {
  return { name: record.name, version: record.version, body: record.body, createdAt: record.createdAt.toISOString() };
}

/**
 * The config a launch body asks for: its inline `config`, or the stored `configName`
 * (`configVersion`, else the latest) with the configRef the run records. Both at once is a 400.
 */
export async function launchConfig(
  instance: Instance,
  body: Partial<LaunchRunRequest>,
): Promise<{ config: unknown; configRef: { name: string; version: number } | null }> {
  if (body.configName === undefined) {
    if (body.configVersion !== undefined) throw new HttpError(400, 'INVALID_REQUEST', '"configVersion" needs "configName"');
    return { config: body.config, configRef: null };
  }
  if (typeof body.configName !== 'string') throw new HttpError(400, 'INVALID_REQUEST', '"configName" must be a string');
  if (body.config !== undefined) throw new HttpError(400, 'INVALID_REQUEST', 'give "config" or "configName", not both');
  const version = body.configVersion;
  if (version !== undefined && (!Number.isSafeInteger(version) || version < 1)) {
    throw new HttpError(400, 'INVALID_REQUEST', '"configVersion" must be a whole number >= 1');
  }
  const record = await loadNamedConfig(instance.configs, body.configName, version);
  return { config: record.body, configRef: { name: record.name, version: record.version } };
}

/** `/api/configs` routes: list, show (`?version=N`), store a new version. Undefined when `path` is not one of them. */
export async function configRoute(
  deps: { instance: Instance; graph: AssetGraph },
  method: string,
  path: string,
  url: URL,
  req: IncomingMessage,
): Promise<[number, unknown] | undefined> {
  if (method === 'GET' && path === '/api/configs') {
    const configs = await deps.instance.configs.listRunConfigs();
    return [200, { configs: configs.map((c) => ({ name: c.name, latestVersion: c.latestVersion, updatedAt: c.updatedAt.toISOString() })) }];
  }
  const match = /^\/api\/configs\/([^/]+)$/.exec(path);
  if (!match) return undefined;
  const name = decodeURIComponent(match[1]!);
  if (method === 'GET') {
    const raw = url.searchParams.get('version');
    const version = raw === null ? undefined : Number(raw);
    if (version !== undefined && (!Number.isSafeInteger(version) || version < 1)) {
      throw new HttpError(400, 'INVALID_QUERY', `version must be a whole number >= 1 (got "${raw}")`);
    }
    return [200, runConfigView(await loadNamedConfig(deps.instance.configs, name, version))];
  }
  if (method === 'POST') {
    const { body } = (await readJson(req)) as { body?: unknown };
    const valid = validateNamedConfig(deps.graph, name, body, `run config "${name}"`);
    return [201, runConfigView(await deps.instance.configs.putRunConfig(name, valid, new Date()))];
  }
  return undefined;
}
