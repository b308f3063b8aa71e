import { BACKFILL_TAG, SCHEDULE_TAG } from '../core/run/system-tags.js';
import { runListItems } from '../execution/run-list-item.js';
import { describeRun, UnknownRunError } from '../execution/run-summary.js';
import type { Instance } from '../storage/instance.js';
import type { ApiEvent } from './api-contract.js';
import type { Handlers } from './api-dispatch.js';
import type { Metadata } from '../core/asset/metadata.js';
import type { RunService } from '../runtime/run-service.js';
import { configNameOf } from './config-routes.js';

type RunRoutes = 'reportAssetEvent' | 'listRuns' | 'launchRun' | 'getRun' | 'runSteps' | 'runEvents' | 'cancelRun' | 'reexecuteRun';

export interface RunRouteDeps {
  readonly instance: Instance;
  readonly runs: RunService;
}

/** The run routes: list (filtered), launch, show, steps, events, cancel, re-execute from failure. */
export function runHandlers(deps: RunRouteDeps): Handlers<RunRoutes> {
  const { instance, runs } = deps;
  const known = async (runId: string) => {
    if (!(await instance.runs.getRun(runId))) throw new UnknownRunError(runId);
  };
  return {
    async listRuns({ query }) {
      const tags: Record<string, string> = Object.fromEntries(query.tag.map((t) => [t.slice(0, t.indexOf('=')), t.slice(t.indexOf('=') + 1)]));
      if (query.schedule) tags[SCHEDULE_TAG] = query.schedule;
      if (query.backfill) tags[BACKFILL_TAG] = query.backfill;
      const runs = await instance.runs.listRuns({
        limit: query.limit,
        ...(query.status ? { statuses: query.status } : {}),
        ...(Object.keys(tags).length > 0 ? { tags } : {}),
        ...(query.since ? { since: query.since } : {}),
      });
      return { runs: await runListItems(instance.runs, runs) };
    },
    async launchRun({ body }) {
      const configName = configNameOf(body);
      const launched = await runs.launchRun({
        selection: body.selection,
        ...(body.config === undefined ? {} : { config: body.config }),
        ...(configName ? { configName } : {}),
        tags: body.tags ?? {},
        trigger: body.trigger ?? 'api',
        allowFailedChecks: body.allowFailedChecks === true,
        ...(body.partition !== undefined ? { partition: body.partition } : {}),
        sources: { tags: 'tags of POST /api/runs', partition: 'partition' },
      });
      return { runId: launched.runId, status: launched.status, steps: launched.steps };
    },
    getRun({ params }) {
      return describeRun(instance, params.id);
    },
    async runSteps({ params }) {
      return { steps: (await describeRun(instance, params.id)).steps };
    },
    async runEvents({ params: { id }, query }) {
      await known(id);
      // One step's events are filtered in the database (a 5,000-step run's log is not read whole).
      const events = await instance.eventLog.listEvents(id, {
        afterId: query.after,
        limit: query.limit,
        ...(query.before !== undefined ? { beforeId: query.before } : {}),
        ...(query.type ? { types: query.type } : {}),
        ...(query.step ? { stepKey: query.step } : {}),
      });
      return { events: events.map((e) => ({ ...e, at: e.at.toISOString() }) as ApiEvent) };
    },
    reportAssetEvent({ params: { key }, body }) {
      return runs.reportAssetEvent({
        assetKey: key,
        ...(body.partition === undefined ? {} : { partition: body.partition }),
        ...(body.metadata ? { metadata: body.metadata as Metadata } : {}),
        ...(body.kind ? { kind: body.kind } : {}),
        source: body.trigger ?? 'api',
      });
    },
    async cancelRun({ params: { id } }) {
      return { runId: id, status: await runs.cancelRun(id) };
    },
    async reexecuteRun({ params: { id }, body }) {
      const launched = await runs.reexecuteRun(id, body.trigger ?? 'api');
      return { runId: launched.runId, status: launched.status, steps: launched.steps, parentRunId: launched.parentRunId, selection: launched.selection };
    },
  };
}
