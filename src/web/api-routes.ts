import type { IncomingMessage } from 'node:http';
import type { AssetGraph } from '../core/graph/asset-graph.js';
import type { RunStatus } from '../core/run/run-status.js';
import type { ScheduleDefinition } from '../core/schedule/schedule-definition.js';
import { describePartitions } from '../core/partitions/describe-partitions.js';
import { selectAssets } from '../core/selection/index.js';
import { didYouMean, suggest } from '../core/suggest.js';
import { launchRun } from '../execution/launch-run.js';
import type { RunLauncher } from '../execution/run-launcher.js';
import { describeRun, UnknownRunError } from '../execution/run-summary.js';
import { loadAssetPartitions } from '../execution/asset-partitions.js';
import { loadAssetStatuses } from '../execution/asset-statuses.js';
import { runListItems } from '../execution/run-list-item.js';
import type { Instance, RunRecord } from '../storage/instance.js';
import type { ApiEvent, AssetDetail, LaunchPreviewRequest, LaunchRunRequest, LineageView, ProjectView, ScheduleView } from './api-contract.js';
import { AssetStateCache } from './asset-status.js';
import { backfillRoute } from './backfill-routes.js';
import { assetView, checkResultView, materializationView } from './asset-views.js';
import { HttpError, queryInt, readJson } from './http-util.js';
import { configRoute, launchConfig } from './config-routes.js';
import { configDefaults, previewLaunch } from './launch-preview.js';
import { layoutLineage } from './lineage-layout.js';
import { reexecuteFromFailure } from '../execution/reexecute.js';
import { cancelableRun } from '../execution/cancel-run.js';
import { scheduleStateView, tickView } from './schedule-views.js';
import { SCHEDULE_TAG } from '../core/run/system-tags.js';
import { sensorRoute, type SensorRouteDeps } from './sensor-routes.js';

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
}

/** What `GET /api/project` says about where the definitions came from (see ProjectView). */
export type LoadStatus = Pick<ProjectView, 'generation' | 'loadedAt' | 'reloads' | 'failure'>;

export interface ApiDeps extends Definitions {
  readonly instance: Instance;
  readonly launcher: RunLauncher;
  /** Called after a run is written QUEUED, so the run queue looks at it at once. */
  readonly onQueued: (runId: string) => void;
  /** Bearer token every /api request must carry; undefined = no check (loopback only). */
  readonly token: string | undefined;
  /** Where the definitions came from; by default one load at start that never changes. */
  readonly loadStatus?: () => LoadStatus;
}

/** The tag every scheduled run carries (scheduler/schedule-tags.ts). */
const STATUSES: RunStatus[] = ['QUEUED', 'STARTED', 'SUCCESS', 'FAILURE', 'CANCELING', 'CANCELED'];

export type Route = (req: IncomingMessage, url: URL) => Promise<[number, unknown]>;

/** `since`: an ISO-8601 instant; undefined when absent. */
function parseSince(url: URL): Date | undefined {
  const raw = url.searchParams.get('since');
  if (raw === null || raw === '') return undefined;
  const at = new Date(raw);
  if (Number.isNaN(at.getTime())) throw new HttpError(400, 'INVALID_QUERY', `since takes an ISO-8601 instant (got "${raw}")`);
  return at;
}

function parseTagFilters(url: URL): Array<[string, string]> {
  const out: Array<[string, string]> = url.searchParams.getAll('tag').map((raw) => {
    const eq = raw.indexOf('=');
    if (eq <= 0) throw new HttpError(400, 'INVALID_QUERY', `tag filter takes key=value (got "${raw}")`);
    return [raw.slice(0, eq), raw.slice(eq + 1)];
  });
  const schedule = url.searchParams.get('schedule');
  if (schedule) out.push([SCHEDULE_TAG, schedule]);
  return out;
}

/**
 * Every JSON route of the API contract (api-contract.ts), behind whatever authentication the server
 * put in front. Pure request -> [status, body]; streaming routes live in the web server.
 */
export function apiRoutes(deps: ApiDeps): { route: Route; states: AssetStateCache } {
  const states = new AssetStateCache(deps.instance, deps.graph);
  const started: LoadStatus = { generation: 1, loadedAt: new Date().toISOString(), reloads: false, failure: null };
  let lineage: LineageView | undefined;
  const launched = (run: RunRecord) => {
    deps.onQueued(run.id);
  };

  const route: Route = async (req, url) => {
    const method = req.method ?? 'GET';
    const path = url.pathname;
    if (method === 'GET' && path === '/api/assets') {
      const select = url.searchParams.get('select');
      const keys = select === null ? deps.graph.keys() : [...selectAssets(select, deps.graph)].sort();
      if (url.searchParams.get('status') !== 'true') return [200, { assets: keys.map((key) => assetView(deps.graph, key)) }];
      const statuses = await loadAssetStatuses(deps.instance.eventLog, deps.graph, new Date());
      return [
        200,
        {
          assets: keys.map((key) => {
            const s = statuses.get(key)!;
            return { ...assetView(deps.graph, key), status: s.status, statusReason: s.reason, partitions: s.partitions };
          }),
        },
      ];
    }
    const partitioned = /^\/api\/assets\/(.+)\/partitions$/.exec(path);
    // An asset whose key itself ends in /partitions falls through to the asset route.
    if (method === 'GET' && partitioned && !deps.graph.has(decodeURIComponent(path.slice('/api/assets/'.length)))) {
      return [200, await loadAssetPartitions(deps.instance, deps.graph, decodeURIComponent(partitioned[1]!), new Date())];
    }
    if (method === 'GET' && path === '/api/asset-states') {
      return [200, { states: [...(await states.get()).values()] }];
    }
    if (method === 'GET' && path === '/api/project') {
      const view: ProjectView = {
        ...(deps.loadStatus?.() ?? started),
        assets: deps.graph.size,
        checks: deps.graph.allChecks().length,
        schedules: deps.schedules?.length ?? 0,
      };
      return [200, view];
    }
    if (method === 'GET' && path === '/api/lineage') {
      lineage ??= layoutLineage(deps.graph);
      return [200, lineage];
    }
    if (method === 'GET' && path === '/api/selection') {
      const select = url.searchParams.get('select') ?? '';
      const selected = selectAssets(select, deps.graph);
      return [200, { keys: deps.graph.order.filter((k) => selected.has(k)) }];
    }
    if (method === 'POST' && path === '/api/launch/preview') {
      const body = (await readJson(req)) as Partial<LaunchPreviewRequest>;
      if (typeof body.selection !== 'string') throw new HttpError(400, 'INVALID_REQUEST', 'body needs "selection": a selection expression');
      return [200, previewLaunch(deps.graph, body.selection, body.config, new Date())];
    }
    const asset = /^\/api\/assets\/(.+)$/.exec(path);
    if (method === 'GET' && asset) {
      const key = decodeURIComponent(asset[1]!);
      if (!deps.graph.has(key)) throw new HttpError(404, 'UNKNOWN_ASSET', `no asset "${key}" in this project${didYouMean(suggest(key, deps.graph.keys()))}`);
      const def = deps.graph.get(key);
      const [all, materializations, checks] = await Promise.all([
        states.get(),
        deps.instance.eventLog.materializations(key, { limit: queryInt(url, 'limit', 50, 1000) }),
        deps.instance.eventLog.checkResults({ assetKey: key, limit: queryInt(url, 'limit', 50, 1000) }),
      ]);
      const detail: AssetDetail = {
        asset: { ...assetView(deps.graph, key), description: def.description ?? null, codeVersion: def.codeVersion ?? null, source: deps.graph.sourceOf(key) ?? null },
        state: all.get(key)!,
        upstream: [...deps.graph.parents(key)].sort(),
        downstream: [...deps.graph.children(key)],
        takesConfig: def.config !== undefined,
        partitionsDefinition: def.partitions ? describePartitions(def.partitions) : null,
        configDefaults: configDefaults(deps.graph, key),
        materializations: materializations.map(materializationView),
        checkHistory: checks.map(checkResultView),
      };
      return [200, detail];
    }
    if (method === 'GET' && path === '/api/runs') {
      const limit = queryInt(url, 'limit', 50, 1000);
      if (limit < 1) throw new HttpError(400, 'INVALID_QUERY', 'limit must be a whole number >= 1');
      const statuses = url.searchParams.get('status')?.split(',').filter(Boolean).map((s) => s.toUpperCase());
      if (statuses?.some((s) => !STATUSES.includes(s as RunStatus))) throw new HttpError(400, 'INVALID_QUERY', `status must be among ${STATUSES.join(', ')}`);
      const tags = parseTagFilters(url);
      const since = parseSince(url);
      const runs = await deps.instance.runs.listRuns({
        limit,
        ...(statuses && statuses.length > 0 ? { statuses: statuses as RunStatus[] } : {}),
        ...(tags.length > 0 ? { tags: Object.fromEntries(tags) } : {}),
        ...(since ? { since } : {}),
      });
      return [200, { runs: await runListItems(deps.instance.runs, runs) }];
    }
    if (method === 'POST' && path === '/api/runs') {
      const body = (await readJson(req)) as Partial<LaunchRunRequest>;
      if (typeof body.selection !== 'string') throw new HttpError(400, 'INVALID_REQUEST', 'body needs "selection": a selection expression');
      const trigger = body.trigger ?? 'api';
      if (!['api', 'cli', 'web'].includes(trigger)) throw new HttpError(400, 'INVALID_REQUEST', 'trigger must be "api", "cli" or "web"');
      if (body.allowFailedChecks !== undefined && typeof body.allowFailedChecks !== 'boolean') {
        throw new HttpError(400, 'INVALID_REQUEST', '"allowFailedChecks" must be true or false');
      }
      if (body.partition !== undefined && (typeof body.partition !== 'string' || body.partition === '')) {
        throw new HttpError(400, 'INVALID_REQUEST', '"partition" must be a partition key or a range "FROM...TO"');
      }
      const { config, configRef } = await launchConfig(deps.instance, body);
      const run = await launchRun(
        { instance: deps.instance, graph: deps.graph },
        {
          selection: body.selection,
          config,
          configRef,
          tags: body.tags ?? {},
          tagsSource: 'tags of POST /api/runs',
          trigger,
          now: new Date(),
          allowFailedChecks: body.allowFailedChecks === true,
          ...(body.partition !== undefined ? { partition: body.partition, partitionSource: 'partition' } : {}),
        },
      );
      launched(run);
      return [201, { runId: run.id, status: run.status, steps: (await deps.instance.runs.listSteps(run.id)).length }];
    }
    const match = /^\/api\/runs\/([^/]+)(\/events|\/cancel|\/steps|\/reexecute)?$/.exec(path);
    if (match) {
      const runId = decodeURIComponent(match[1]!);
      if (method === 'GET' && !match[2]) return [200, await describeRun(deps.instance, runId)];
      if (method === 'GET' && match[2] === '/steps') return [200, { steps: (await describeRun(deps.instance, runId)).steps }];
      if (method === 'GET' && match[2] === '/events') {
        if (!(await deps.instance.runs.getRun(runId))) throw new UnknownRunError(runId);
        const after = queryInt(url, 'after', 0, Number.MAX_SAFE_INTEGER);
        const types = url.searchParams.get('type')?.split(',').filter(Boolean);
        const step = url.searchParams.get('step');
        const limit = queryInt(url, 'limit', 1000, 10_000);
        // One step's events are filtered in the database (a 5,000-step run's log is not read whole).
        const events = await deps.instance.eventLog.listEvents(runId, { afterId: after, limit, ...(types ? { types } : {}), ...(step ? { stepKey: step } : {}) });
        return [200, { events: events.map((e) => ({ ...e, at: e.at.toISOString() }) as ApiEvent) }];
      }
      if (method === 'POST' && match[2] === '/cancel') {
        await cancelableRun(deps.instance.runs, runId); // UNKNOWN_RUN, RUN_ALREADY_ENDED
        await deps.launcher.cancel(runId);
        return [200, { runId, status: (await deps.instance.runs.getRun(runId))!.status }];
      }
      if (method === 'POST' && match[2] === '/reexecute') {
        const body = (await readJson(req)) as { trigger?: unknown };
        const trigger = typeof body.trigger === 'string' && ['api', 'cli', 'web'].includes(body.trigger) ? body.trigger : 'api';
        const { run, selection } = await reexecuteFromFailure({ instance: deps.instance, graph: deps.graph }, runId, { trigger, now: new Date() });
        launched(run);
        return [201, { runId: run.id, status: run.status, steps: (await deps.instance.runs.listSteps(run.id)).length, parentRunId: runId, selection }];
      }
    }
    if (path.startsWith('/api/backfills')) {
      const answer = await backfillRoute(deps, method, path, url, req);
      if (answer) return answer;
    }
    if (path.startsWith('/api/configs')) {
      const answer = await configRoute(deps, method, path, url, req);
      if (answer) return answer;
    }
    if (method === 'GET' && path === '/api/heartbeats') {
      const beats = await deps.instance.coordination.listHeartbeats();
      return [200, { heartbeats: beats.map((b) => ({ id: b.id, kind: b.kind, host: b.host, pid: b.pid, startedAt: b.startedAt.toISOString(), lastSeen: b.at.toISOString(), info: b.info })) }];
    }
    const sensorAnswer = path.startsWith('/api/sensor') ? await sensorRoute(deps, method, path, url, req) : undefined;
    if (sensorAnswer) return sensorAnswer;
    if (method === 'GET' && path === '/api/schedules') return [200, { schedules: await scheduleViews(deps) }];
    const named = /^\/api\/schedules\/([^/]+)\/(start|stop)$/.exec(path);
    if (method === 'POST' && named) {
      const name = decodeURIComponent(named[1]!);
      const known = (deps.schedules ?? []).map((s) => s.definition.name);
      if (!known.includes(name)) throw new HttpError(404, 'UNKNOWN_SCHEDULE', `no schedule "${name}" in this project${didYouMean(suggest(name, known))}`);
      return [200, { state: scheduleStateView(await deps.instance.schedules.setScheduleStatus(name, named[2] === 'start' ? 'RUNNING' : 'STOPPED', new Date())) }];
    }
    if (method === 'GET' && path === '/api/schedule-states') {
      return [200, { states: (await deps.instance.schedules.listScheduleStates()).map(scheduleStateView) }];
    }
    const schedule = /^\/api\/schedule-states\/([^/]+)(\/ticks)?$/.exec(path);
    if (schedule) {
      const name = decodeURIComponent(schedule[1]!);
      if (method === 'POST' && !schedule[2]) {
        const body = (await readJson(req)) as { status?: unknown };
        if (body.status !== 'RUNNING' && body.status !== 'STOPPED') throw new HttpError(400, 'INVALID_REQUEST', 'body needs "status": "RUNNING" or "STOPPED"');
        return [200, { state: scheduleStateView(await deps.instance.schedules.setScheduleStatus(name, body.status, new Date())) }];
      }
      if (method === 'GET' && schedule[2] === '/ticks') {
        const limit = Number(url.searchParams.get('limit') ?? 100);
        if (!Number.isInteger(limit) || limit < 1) throw new HttpError(400, 'INVALID_QUERY', 'limit must be a whole number >= 1');
        return [200, { ticks: (await deps.instance.schedules.listTicks(name, { limit })).map(tickView) }];
      }
    }
    throw new HttpError(404, 'NOT_FOUND', `no route ${method} ${path}`);
  };
  return { route, states };
}

async function scheduleViews(deps: ApiDeps): Promise<ScheduleView[]> {
  const schedules = deps.schedules ?? [];
  const stored = new Map((await deps.instance.schedules.listScheduleStates()).map((s) => [s.name, s]));
  const now = new Date();
  return Promise.all(
    schedules.map(async ({ definition: d, ticks }) => {
      const [last] = await deps.instance.schedules.listTicks(d.name, { limit: 1 });
      return {
        name: d.name,
        cron: d.cron,
        timezone: d.timezone,
        selection: d.select,
        description: d.description ?? null,
        status: stored.get(d.name)?.status ?? d.defaultStatus,
        nextTick: ticks.nextAfter(now)?.toISOString() ?? null,
        lastTick: last ? tickView(last) : null,
      };
    }),
  );
}
