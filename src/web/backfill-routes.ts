import type { RunService } from '../runtime/run-service.js';
import type { Handlers } from './api-dispatch.js';
import { configNameOf } from './config-routes.js';

export interface BackfillRouteDeps {
  readonly runs: RunService;
}

/**
 * The `/api/backfills` routes: launch (the body's shape is the contract's; launchBackfill checks
 * what it means), list (`?status=&limit=`), show (record and per-partition progress), cancel.
 */
export function backfillHandlers(deps: BackfillRouteDeps): Handlers<'launchBackfill' | 'listBackfills' | 'getBackfill' | 'cancelBackfill'> {
  const { runs } = deps;
  return {
    async launchBackfill({ body }) {
      const configName = configNameOf(body);
      const launched = await runs.launchBackfill({
        selection: body.selection,
        from: body.from,
        to: body.to,
        ...(body.policy === undefined ? {} : { policy: body.policy }),
        maxConcurrentRuns: body.maxConcurrentRuns ?? null,
        onlyFailed: body.onlyFailed === true,
        onlyMissing: body.onlyMissing === true,
        ...(body.config === undefined ? {} : { config: body.config }),
        ...(configName ? { configName } : {}),
        tags: body.tags ?? {},
        trigger: body.trigger ?? 'api',
        allowFailedChecks: body.allowFailedChecks === true,
      });
      return { backfillId: launched.backfillId, status: 'RUNNING', partitions: launched.partitions, runs: launched.runs, launchMs: launched.launchMs };
    },
    async listBackfills({ query }) {
      return { backfills: await runs.listBackfills({ limit: query.limit, ...(query.status ? { statuses: query.status } : {}) }) };
    },
    getBackfill({ params }) {
      return runs.backfill(params.id);
    },
    async cancelBackfill({ params: { id } }) {
      return { backfillId: id, status: await runs.cancelBackfill(id) };
    },
  };
}
