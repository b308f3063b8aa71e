import type { AssetGraph } from '../core/graph/asset-graph.js';
import { launchBackfill, parseBackfillPolicy } from '../execution/launch-backfill.js';
import { cancelBackfill } from '../execution/settle-backfills.js';
import { describeBackfill, listBackfillItems, UnknownBackfillError } from '../execution/backfill-summary.js';
import type { RunLauncher } from '../execution/run-launcher.js';
import type { Instance } from '../storage/instance.js';
import type { Handlers } from './api-dispatch.js';
import { launchConfig } from './config-routes.js';

export interface BackfillRouteDeps {
  readonly instance: Instance;
  readonly graph: AssetGraph;
  readonly launcher: RunLauncher;
  /** Called once per launched backfill (with its first run), so the run queue looks at once. */
  readonly onQueued: (runId: string) => void;
}

/**
 * The `/api/backfills` routes: launch (the body's shape is the contract's; launchBackfill checks
 * what it means), list (`?status=&limit=`), show (record and per-partition progress), cancel.
 */
export function backfillHandlers(deps: BackfillRouteDeps): Handlers<'launchBackfill' | 'listBackfills' | 'getBackfill' | 'cancelBackfill'> {
  const { instance } = deps;
  return {
    async launchBackfill({ body }) {
      const { config, configRef } = await launchConfig(instance, body);
      const started = Date.now();
      const backfill = await launchBackfill(
        { instance, graph: deps.graph },
        {
          selection: body.selection,
          from: body.from,
          to: body.to,
          policy: parseBackfillPolicy(body.policy ?? 'per-partition', 'policy'),
          maxConcurrentRuns: body.maxConcurrentRuns ?? null,
          onlyFailed: body.onlyFailed === true,
          onlyMissing: body.onlyMissing === true,
          config,
          configRef,
          tags: body.tags ?? {},
          trigger: body.trigger ?? 'api',
          now: new Date(),
          allowFailedChecks: body.allowFailedChecks === true,
        },
      );
      const [first] = await instance.listBackfillRuns(backfill.id);
      if (first) deps.onQueued(first.runId);
      return { backfillId: backfill.id, status: backfill.status, partitions: backfill.partitions.length, runs: backfill.runCount, launchMs: Date.now() - started };
    },
    async listBackfills({ query }) {
      return { backfills: await listBackfillItems(instance, { limit: query.limit, ...(query.status ? { statuses: query.status } : {}) }) };
    },
    getBackfill({ params }) {
      return describeBackfill(instance, params.id);
    },
    async cancelBackfill({ params: { id } }) {
      if (!(await instance.getBackfill(id))) throw new UnknownBackfillError(id);
      const status = await cancelBackfill(instance, id, (runId) => deps.launcher.cancel(runId), () => new Date());
      return { backfillId: id, status };
    },
  };
}
