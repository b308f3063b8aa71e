import type { IncomingMessage } from 'node:http';
import type { AssetGraph } from '../core/graph/asset-graph.js';
import { launchBackfill } from '../execution/launch-backfill.js';
import { parseBackfillPolicy } from '../core/plan/backfill-policy.js';
import { cancelBackfill } from '../execution/settle-backfills.js';
import { describeBackfill, listBackfillItems, UnknownBackfillError } from '../execution/backfill-summary.js';
import type { RunLauncher } from '../execution/run-launcher.js';
import type { BackfillStatus, Instance } from '../storage/instance.js';
import type { LaunchBackfillRequest, LaunchBackfillResponse } from './api-contract.js';
import { launchConfig } from './config-routes.js';
import { HttpError, queryInt, readJson } from './http-util.js';

const STATUSES: BackfillStatus[] = ['RUNNING', 'COMPLETED', 'FAILED', 'CANCELING', 'CANCELED'];

export interface BackfillRouteDeps {
  readonly instance: Instance;
  readonly graph: AssetGraph;
  readonly launcher: RunLauncher;
  /** Called once per launched backfill (with its first run), so the run queue looks at once. */
  readonly onQueued: (runId: string) => void;
}

/** Checks the body's shape (launchBackfill checks what it means); 400 naming the field otherwise. */
function parseLaunch(body: Partial<LaunchBackfillRequest>) {
  const text = (field: 'selection' | 'from' | 'to') => {
    const value = body[field];
    if (typeof value !== 'string' || value === '') throw new HttpError(400, 'INVALID_REQUEST', `body needs "${field}": ${field === 'selection' ? 'a selection expression' : 'a partition key'}`);
    return value;
  };
  const trigger = body.trigger ?? 'api';
  if (!['api', 'cli', 'web'].includes(trigger)) throw new HttpError(400, 'INVALID_REQUEST', 'trigger must be "api", "cli" or "web"');
  if (body.policy !== undefined && typeof body.policy !== 'string') throw new HttpError(400, 'INVALID_REQUEST', '"policy" must be per-partition, single-run or chunks:N');
  const max = body.maxConcurrentRuns ?? null;
  if (max !== null && (!Number.isSafeInteger(max) || max < 1)) throw new HttpError(400, 'INVALID_REQUEST', '"maxConcurrentRuns" must be a whole number >= 1, or null');
  for (const flag of ['onlyFailed', 'onlyMissing', 'allowFailedChecks'] as const) {
    if (body[flag] !== undefined && typeof body[flag] !== 'boolean') throw new HttpError(400, 'INVALID_REQUEST', `"${flag}" must be true or false`);
  }
  return {
    selection: text('selection'),
    from: text('from'),
    to: text('to'),
    policy: parseBackfillPolicy(body.policy ?? 'per-partition', 'policy'),
    maxConcurrentRuns: max,
    trigger,
  };
}

/**
 * `/api/backfills` routes: launch, list (`?status=&limit=`), show (record and per-partition
 * progress), cancel. Undefined when `path` is not one of them.
 */
export async function backfillRoute(deps: BackfillRouteDeps, method: string, path: string, url: URL, req: IncomingMessage): Promise<[number, unknown] | undefined> {
  if (path === '/api/backfills' && method === 'POST') {
    const body = (await readJson(req)) as Partial<LaunchBackfillRequest>;
    const parsed = parseLaunch(body);
    const { config, configRef } = await launchConfig(deps.instance, body);
    const started = Date.now();
    const backfill = await launchBackfill(
      { instance: deps.instance, graph: deps.graph },
      {
        ...parsed,
        onlyFailed: body.onlyFailed === true,
        onlyMissing: body.onlyMissing === true,
        config,
        configRef,
        tags: body.tags ?? {},
        trigger: parsed.trigger,
        now: new Date(),
        allowFailedChecks: body.allowFailedChecks === true,
      },
    );
    const [first] = await deps.instance.backfills.listBackfillRuns(backfill.id);
    if (first) deps.onQueued(first.runId);
    const response: LaunchBackfillResponse = {
      backfillId: backfill.id,
      status: backfill.status,
      partitions: backfill.partitions.length,
      runs: backfill.runCount,
      launchMs: Date.now() - started,
    };
    return [201, response];
  }
  if (path === '/api/backfills' && method === 'GET') {
    const limit = queryInt(url, 'limit', 50, 1000);
    if (limit < 1) throw new HttpError(400, 'INVALID_QUERY', 'limit must be a whole number >= 1');
    const statuses = url.searchParams.get('status')?.split(',').filter(Boolean).map((s) => s.toUpperCase());
    if (statuses?.some((s) => !STATUSES.includes(s as BackfillStatus))) throw new HttpError(400, 'INVALID_QUERY', `status must be among ${STATUSES.join(', ')}`);
    const backfills = await listBackfillItems(deps.instance.backfills, { limit, ...(statuses && statuses.length > 0 ? { statuses: statuses as BackfillStatus[] } : {}) });
    return [200, { backfills }];
  }
  const match = /^\/api\/backfills\/([^/]+)(\/cancel)?$/.exec(path);
  if (!match) return undefined;
  const id = decodeURIComponent(match[1]!);
  if (method === 'GET' && !match[2]) return [200, await describeBackfill(deps.instance.backfills, id)];
  if (method === 'POST' && match[2]) {
    if (!(await deps.instance.backfills.getBackfill(id))) throw new UnknownBackfillError(id);
    const status = await cancelBackfill(deps.instance.backfills, id, (runId) => deps.launcher.cancel(runId), () => new Date());
    return [200, { backfillId: id, status }];
  }
  return undefined;
}
