import type { AssetGraph } from '../core/graph/asset-graph.js';
import { BACKFILL_TAG, SCHEDULE_TAG } from '../core/run/system-tags.js';
import { launchRun } from '../execution/launch-run.js';
import type { RunLauncher } from '../execution/run-launcher.js';
import { runListItems } from '../execution/run-list-item.js';
import { describeRun, UnknownRunError } from '../execution/run-summary.js';
import type { Instance } from '../storage/instance.js';
import type { ApiEvent } from './api-contract.js';
import type { Handlers } from './api-dispatch.js';
import { launchConfig } from './config-routes.js';
import { reexecuteFromFailure } from './reexecute.js';

type RunRoutes = 'listRuns' | 'launchRun' | 'getRun' | 'runSteps' | 'runEvents' | 'cancelRun' | 'reexecuteRun';

export interface RunRouteDeps {
  readonly instance: Instance;
  readonly graph: AssetGraph;
  readonly launcher: RunLauncher;
  /** Called after a run is written QUEUED, so the run queue looks at it at once. */
  readonly onQueued: (runId: string) => void;
}

/** The run routes: list (filtered), launch, show, steps, events, cancel, re-execute from failure. */
export function runHandlers(deps: RunRouteDeps): Handlers<RunRoutes> {
  const { instance, graph } = deps;
  const known = async (runId: string) => {
    if (!(await instance.getRun(runId))) throw new UnknownRunError(runId);
  };
  return {
    async listRuns({ query }) {
      const tags: Record<string, string> = Object.fromEntries(query.tag.map((t) => [t.slice(0, t.indexOf('=')), t.slice(t.indexOf('=') + 1)]));
      if (query.schedule) tags[SCHEDULE_TAG] = query.schedule;
      if (query.backfill) tags[BACKFILL_TAG] = query.backfill;
      const runs = await instance.listRuns({
        limit: query.limit,
        ...(query.status ? { statuses: query.status } : {}),
        ...(Object.keys(tags).length > 0 ? { tags } : {}),
        ...(query.since ? { since: query.since } : {}),
      });
      return { runs: await runListItems(instance, runs) };
    },
    async launchRun({ body }) {
      const { config, configRef } = await launchConfig(instance, body);
      const run = await launchRun(
        { instance, graph },
        {
          selection: body.selection,
          config,
          configRef,
          tags: body.tags ?? {},
          tagsSource: 'tags of POST /api/runs',
          trigger: body.trigger ?? 'api',
          now: new Date(),
          allowFailedChecks: body.allowFailedChecks === true,
          ...(body.partition !== undefined ? { partition: body.partition, partitionSource: 'partition' } : {}),
        },
      );
      deps.onQueued(run.id);
      return { runId: run.id, status: run.status, steps: (await instance.listSteps(run.id)).length };
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
      const events = await instance.listEvents(id, { afterId: query.after, limit: query.limit, ...(query.type ? { types: query.type } : {}), ...(query.step ? { stepKey: query.step } : {}) });
      return { events: events.map((e) => ({ ...e, at: e.at.toISOString() }) as ApiEvent) };
    },
    async cancelRun({ params: { id } }) {
      await known(id);
      await deps.launcher.cancel(id);
      return { runId: id, status: (await instance.getRun(id))!.status };
    },
    async reexecuteRun({ params: { id }, body }) {
      const { run, selection } = await reexecuteFromFailure({ instance, graph }, id, { trigger: body.trigger ?? 'api', now: new Date() });
      deps.onQueued(run.id);
      return { runId: run.id, status: run.status, steps: (await instance.listSteps(run.id)).length, parentRunId: id, selection };
    },
  };
}
