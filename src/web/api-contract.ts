import * as z from 'zod';
import {
  alertFeedQuery,
  assetEventBody,
  assetQuery,
  assetsQuery,
  configQuery,
  eventsQuery,
  launchBackfillBody,
  launchPreviewBody,
  launchRunBody,
  listBackfillsQuery,
  listRunsQuery,
  putConfigBody,
  reexecuteBody,
  scheduleStatusBody,
  sensorCursorBody,
  selectionQuery,
  streamQuery,
  ticksQuery,
} from './api-requests.js';
import type * as V from './api-views.js';

export type * from './api-views.js';
export type { LaunchBackfillRequest, LaunchPreviewRequest, LaunchRunRequest } from './api-requests.js';

/**
 * The one contract of Sluice's HTTP API: every route, once, with its method, path, query and body
 * schemas (zod, parsed at the HTTP boundary by api-dispatch.ts: a bad request is a 400 naming the
 * field) and the type of its answer. The server's handlers are typed from it (api-routes.ts: a
 * handler answering another shape does not compile), so are the CLI's client (api-client.ts) and,
 * through JSDoc, the dashboard's pages (tsconfig.static.json). `:name+` in a path takes slashes
 * (asset keys). Server-sent-event routes list their events and each event's data.
 */

/** An answer typed, not parsed: the server builds it from its own code (execution/, web/*-views.ts). */
const json = <T>() => z.custom<T>();

interface RouteSpec {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  /** The JSON answer (with `status`, 200 by default). */
  readonly response?: z.ZodType;
  readonly status?: 200 | 201;
  /** A text/event-stream route: event name -> data. */
  readonly events?: Readonly<Record<string, z.ZodType>>;
}

const route = <const R extends RouteSpec>(spec: R): R => spec;

export const apiContract = {
  health: route({ method: 'GET', path: '/healthz', response: json<{ readonly ok: true }>() }),
  session: route({ method: 'GET', path: '/api/session', response: json<V.SessionView>() }),
  project: route({ method: 'GET', path: '/api/project', response: json<V.ProjectView>() }),
  listAssets: route({ method: 'GET', path: '/api/assets', query: assetsQuery, response: json<{ readonly assets: readonly V.AssetView[] | readonly V.AssetWithStatusView[] }>() }),
  // Before getAsset, whose `:key+` would take `/partitions` too.
  assetPartitions: route({ method: 'GET', path: '/api/assets/:key+/partitions', response: json<V.AssetPartitionsView>() }),
  reportAssetEvent: route({ method: 'POST', path: '/api/assets/:key+/events', body: assetEventBody, status: 201, response: json<{ readonly runId: string }>() }),
  getAsset: route({ method: 'GET', path: '/api/assets/:key+', query: assetQuery, response: json<V.AssetDetail>() }),
  assetStates: route({ method: 'GET', path: '/api/asset-states', response: json<{ readonly states: readonly V.AssetStateView[] }>() }),
  lineage: route({ method: 'GET', path: '/api/lineage', response: json<V.LineageView>() }),
  selection: route({ method: 'GET', path: '/api/selection', query: selectionQuery, response: json<{ readonly keys: readonly string[] }>() }),
  launchPreview: route({ method: 'POST', path: '/api/launch/preview', body: launchPreviewBody, response: json<V.LaunchPreviewResponse>() }),
  listRuns: route({ method: 'GET', path: '/api/runs', query: listRunsQuery, response: json<V.RunsResponse>() }),
  launchRun: route({ method: 'POST', path: '/api/runs', body: launchRunBody, status: 201, response: json<V.LaunchRunResponse>() }),
  // Before getRun, whose `:id` would take `stream`.
  runsStream: route({ method: 'GET', path: '/api/runs/stream', events: { runs: json<readonly V.RunHeader[]>() } }),
  getRun: route({ method: 'GET', path: '/api/runs/:id', response: json<V.RunSummary>() }),
  runSteps: route({ method: 'GET', path: '/api/runs/:id/steps', response: json<V.StepsResponse>() }),
  runEvents: route({ method: 'GET', path: '/api/runs/:id/events', query: eventsQuery, response: json<V.EventsResponse>() }),
  runStream: route({
    method: 'GET',
    path: '/api/runs/:id/stream',
    query: streamQuery,
    events: { events: json<readonly V.ApiEvent[]>(), end: json<{ readonly runId: string }>() },
  }),
  cancelRun: route({ method: 'POST', path: '/api/runs/:id/cancel', response: json<V.CancelRunResponse>() }),
  reexecuteRun: route({ method: 'POST', path: '/api/runs/:id/reexecute', body: reexecuteBody, status: 201, response: json<V.ReexecuteResponse>() }),
  launchBackfill: route({ method: 'POST', path: '/api/backfills', body: launchBackfillBody, status: 201, response: json<V.LaunchBackfillResponse>() }),
  listBackfills: route({ method: 'GET', path: '/api/backfills', query: listBackfillsQuery, response: json<{ readonly backfills: readonly V.BackfillListItem[] }>() }),
  getBackfill: route({ method: 'GET', path: '/api/backfills/:id', response: json<V.BackfillSummary>() }),
  cancelBackfill: route({ method: 'POST', path: '/api/backfills/:id/cancel', response: json<V.CancelBackfillResponse>() }),
  listConfigs: route({ method: 'GET', path: '/api/configs', response: json<{ readonly configs: readonly V.RunConfigSummaryView[] }>() }),
  getConfig: route({ method: 'GET', path: '/api/configs/:name', query: configQuery, response: json<V.RunConfigView>() }),
  putConfig: route({ method: 'POST', path: '/api/configs/:name', body: putConfigBody, status: 201, response: json<V.RunConfigView>() }),
  heartbeats: route({ method: 'GET', path: '/api/heartbeats', response: json<{ readonly heartbeats: readonly V.HeartbeatView[] }>() }),
  schedules: route({ method: 'GET', path: '/api/schedules', response: json<{ readonly schedules: readonly V.ScheduleView[] }>() }),
  startSchedule: route({ method: 'POST', path: '/api/schedules/:name/start', response: json<{ readonly state: V.ScheduleStateView }>() }),
  stopSchedule: route({ method: 'POST', path: '/api/schedules/:name/stop', response: json<{ readonly state: V.ScheduleStateView }>() }),
  scheduleStates: route({ method: 'GET', path: '/api/schedule-states', response: json<{ readonly states: readonly V.ScheduleStateView[] }>() }),
  setScheduleState: route({ method: 'POST', path: '/api/schedule-states/:name', body: scheduleStatusBody, response: json<{ readonly state: V.ScheduleStateView }>() }),
  scheduleTicks: route({ method: 'GET', path: '/api/schedule-states/:name/ticks', query: ticksQuery, response: json<{ readonly ticks: readonly V.TickView[] }>() }),
  sensors: route({ method: 'GET', path: '/api/sensors', response: json<{ readonly sensors: readonly V.SensorView[] }>() }),
  sensorStates: route({ method: 'GET', path: '/api/sensor-states', response: json<{ readonly states: readonly V.SensorStateView[] }>() }),
  setSensorState: route({ method: 'POST', path: '/api/sensor-states/:name', body: scheduleStatusBody, response: json<{ readonly state: V.SensorStateView }>() }),
  setSensorCursor: route({ method: 'POST', path: '/api/sensor-states/:name/cursor', body: sensorCursorBody, response: json<{ readonly state: V.SensorStateView }>() }),
  sensorTicks: route({ method: 'GET', path: '/api/sensor-states/:name/ticks', query: ticksQuery, response: json<{ readonly ticks: readonly V.SensorTickView[] }>() }),
  previewSensor: route({ method: 'POST', path: '/api/sensors/:name/preview', response: json<V.SensorPreview>() }),
  automationStatus: route({ method: 'GET', path: '/api/automation', response: json<V.AutomationStatusView>() }),
  startAutomation: route({ method: 'POST', path: '/api/automation/start', response: json<V.AutomationStatusView>() }),
  stopAutomation: route({ method: 'POST', path: '/api/automation/stop', response: json<V.AutomationStatusView>() }),
  automationPreview: route({ method: 'GET', path: '/api/automation/preview', response: json<V.AutomationPreviewView>() }),
  assetAutomation: route({ method: 'GET', path: '/api/automation/assets/:key+', response: json<V.AssetAutomationView>() }),
  alertDeliveries: route({ method: 'GET', path: '/api/alert-deliveries', query: ticksQuery, response: json<V.AlertDeliveriesView>() }),
  alertFeed: route({ method: 'GET', path: '/api/alerts', query: alertFeedQuery, response: json<V.AlertFeedView>() }),
} as const;

export type ApiContract = typeof apiContract;
export type RouteName = keyof ApiContract;
/** The routes answering JSON (the others stream events). */
export type JsonRouteName = { [K in RouteName]: ApiContract[K] extends { response: z.ZodType } ? K : never }[RouteName];
export type StreamRouteName = Exclude<RouteName, JsonRouteName>;

/** `{ id: string }` for `/api/runs/:id`; `:key+` names `key`. */
export type PathParams<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? { readonly [N in ParamName<Name>]: string } & PathParams<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? { readonly [N in ParamName<Name>]: string }
    : Record<never, never>;
type ParamName<N extends string> = N extends `${infer Base}+` ? Base : N;

type Schema<K extends RouteName, Part extends string> = ApiContract[K] extends { readonly [P in Part]: infer S extends z.ZodType } ? S : undefined;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;
type In<S> = S extends z.ZodType ? z.input<S> : undefined;

export type RouteParams<K extends RouteName> = PathParams<ApiContract[K]['path']>;
/** The query and body as a handler receives them (parsed, defaults applied). */
export type RouteQuery<K extends RouteName> = Out<Schema<K, 'query'>>;
export type RouteBody<K extends RouteName> = Out<Schema<K, 'body'>>;
/** The query and body as a client writes them. */
export type RouteQueryInput<K extends RouteName> = In<Schema<K, 'query'>>;
export type RouteBodyInput<K extends RouteName> = In<Schema<K, 'body'>>;
export type RouteResponse<K extends RouteName> = Out<Schema<K, 'response'>>;
/** A stream route's events: name -> data. */
export type StreamEvents<K extends StreamRouteName> = ApiContract[K] extends { readonly events: infer E } ? { [N in keyof E]: Out<E[N]> } : never;
