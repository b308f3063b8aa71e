import type { AlertDefinition } from '../core/alert/alert-definition.js';
import type { AssetGraph } from '../core/graph/asset-graph.js';
import type { ScheduleDefinition } from '../core/schedule/schedule-definition.js';
import type { RunService } from '../runtime/run-service.js';
import type { Instance } from '../storage/instance.js';
import type { JsonRouteName, ProjectView } from './api-contract.js';
import { dispatch, type Handlers, type Route } from './api-dispatch.js';
import { assetHandlers } from './asset-routes.js';
import { AssetStateCache } from './asset-status.js';
import { backfillHandlers } from './backfill-routes.js';
import { configHandlers } from './config-routes.js';
import { runHandlers } from './run-routes.js';
import { heartbeatView } from './heartbeat-view.js';
import { scheduleHandlers } from './schedule-routes.js';
import { sensorHandlers, type SensorRouteDeps } from './sensor-routes.js';
import { automationHandlers } from './automation-routes.js';
import { alertHandlers } from './alert-routes.js';

export type { Route } from './api-dispatch.js';

/** A loaded schedule as the web layer needs it (runtime's LoadedSchedule satisfies it). */
export interface ScheduleInfo {
  readonly definition: ScheduleDefinition;
  readonly ticks: { nextAfter(after: Date): Date | undefined };
}

/** The definitions the API serves; `sluice dev` swaps them for a new generation as files change. */
export interface Definitions {
  readonly graph: AssetGraph;
  /** The project's schedules (for /api/schedules); none when omitted. */
  readonly schedules?: readonly ScheduleInfo[];
  /** The project's sensors and how to build their resources (for a preview); none when omitted. */
  readonly sensors?: SensorRouteDeps['sensors'];
  readonly sensorResources?: SensorRouteDeps['sensorResources'];
  /** The project's alert policies (for the dashboard's alerts feed); none when omitted. */
  readonly alerts?: readonly AlertDefinition[];
}

/** What `GET /api/project` says about where the definitions came from (see ProjectView). */
export type LoadStatus = Pick<ProjectView, 'generation' | 'loadedAt' | 'reloads' | 'failure'>;

export interface ApiDeps extends Definitions {
  readonly instance: Instance;
  /**
   * The run port (runtime/run-service.ts) every launch, cancel, re-execution and backfill goes
   * through, as the CLI's do: the process serving the API chose where runs execute.
   */
  readonly runs: RunService;
  /** Bearer token every /api request must carry; undefined = no check (loopback only). */
  readonly token: string | undefined;
  /** Where the definitions came from; by default one load at start that never changes. */
  readonly loadStatus?: () => LoadStatus;
}

/** The JSON routes served by whoever holds the definitions; `health` and `session` are the servers' own (api-server.ts, web-server.ts). */
export type ApiHandlers = Handlers<Exclude<JsonRouteName, 'health' | 'session'>>;

/**
 * Every JSON route of the API contract (api-contract.ts), behind whatever authentication the server
 * put in front: one handler per route, typed from the contract (a missing handler, or one answering
 * another shape, does not compile). Streaming routes live in the web server.
 */
export function apiRoutes(deps: ApiDeps): { route: Route; states: AssetStateCache } {
  const states = new AssetStateCache(deps.instance, deps.graph);
  const started: LoadStatus = { generation: 1, loadedAt: new Date().toISOString(), reloads: false, failure: null };
  const handlers: ApiHandlers = {
    ...assetHandlers(deps, states),
    ...runHandlers(deps),
    ...backfillHandlers(deps),
    ...configHandlers(deps),
    ...scheduleHandlers(deps),
    ...sensorHandlers(deps),
    ...automationHandlers(deps),
    ...alertHandlers(deps),
    async project() {
      return { ...(deps.loadStatus?.() ?? started), assets: deps.graph.size, checks: deps.graph.allChecks().length, schedules: deps.schedules?.length ?? 0, sensors: deps.sensors?.length ?? 0 };
    },
    async heartbeats() {
      const beats = await deps.instance.coordination.listHeartbeats();
      return { heartbeats: beats.map(heartbeatView) };
    },
  };
  return { route: dispatch(handlers), states };
}
