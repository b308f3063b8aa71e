import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isSluiceError, SluiceError } from '../core/errors.js';
import type { AssetGraph } from '../core/graph/asset-graph.js';
import type { RunStatus } from '../core/run/run-status.js';
import { selectAssets } from '../core/selection/index.js';
import { launchRun } from '../execution/launch-run.js';
import type { RunLauncher } from '../execution/run-launcher.js';
import { describeRun, runHeader, UnknownRunError } from '../execution/run-summary.js';
import type { Instance } from '../storage/instance.js';
import type { ApiError, ApiEvent, LaunchRunRequest } from './api-contract.js';

export interface ApiDeps {
  readonly instance: Instance;
  readonly graph: AssetGraph;
  readonly launcher: RunLauncher;
  /** Called after a run is written QUEUED, so the run queue looks at it at once. */
  readonly onQueued: (runId: string) => void;
  /** Bearer token every /api request must carry; undefined = no check (loopback only). */
  readonly token: string | undefined;
}

const STATUSES: RunStatus[] = ['QUEUED', 'STARTED', 'SUCCESS', 'FAILURE', 'CANCELING', 'CANCELED'];
const MAX_BODY = 1024 * 1024;

class HttpError extends SluiceError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
  ) {
    super(code, message, { status });
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, 'BODY_TOO_LARGE', 'request body over 1 MiB');
    chunks.push(chunk as Buffer);
  }
  if (chunks.length === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'INVALID_JSON', 'request body is not valid JSON');
  }
}

function authorized(req: IncomingMessage, token: string | undefined): boolean {
  if (token === undefined) return true;
  const header = req.headers.authorization ?? '';
  const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The request handler of the JSON API (routes in api-contract.ts). */
export function apiHandler(deps: ApiDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const route = async (req: IncomingMessage, url: URL): Promise<[number, unknown]> => {
    const method = req.method ?? 'GET';
    const path = url.pathname;
    if (method === 'GET' && path === '/healthz') return [200, { ok: true }];
    if (!path.startsWith('/api/')) throw new HttpError(404, 'NOT_FOUND', `no route ${method} ${path}`);
    if (!authorized(req, deps.token)) throw new HttpError(401, 'UNAUTHORIZED', 'missing or wrong bearer token');
    if (method === 'GET' && path === '/api/assets') {
      const select = url.searchParams.get('select');
      const keys = select === null ? deps.graph.keys() : [...selectAssets(select, deps.graph)].sort();
      return [200, { assets: keys.map((key) => { const a = deps.graph.get(key); return { key, group: a.group, kinds: a.kinds, tags: a.tags, owners: a.owners, deps: [...a.deps].sort() }; }) }];
    }
    if (method === 'GET' && path === '/api/runs') {
      const limit = Number(url.searchParams.get('limit') ?? 50);
      const statuses = url.searchParams.get('status')?.split(',').map((s) => s.toUpperCase());
      if (!Number.isInteger(limit) || limit < 1) throw new HttpError(400, 'INVALID_QUERY', 'limit must be a whole number >= 1');
      if (statuses?.some((s) => !STATUSES.includes(s as RunStatus))) throw new HttpError(400, 'INVALID_QUERY', `status must be among ${STATUSES.join(', ')}`);
      const runs = await deps.instance.listRuns({ limit, ...(statuses ? { statuses: statuses as RunStatus[] } : {}) });
      return [200, { runs: runs.map(runHeader) }];
    }
    if (method === 'POST' && path === '/api/runs') {
      const body = (await readJson(req)) as Partial<LaunchRunRequest>;
      if (typeof body.selection !== 'string') throw new HttpError(400, 'INVALID_REQUEST', 'body needs "selection": a selection expression');
      const trigger = body.trigger ?? 'api';
      if (!['api', 'cli', 'web'].includes(trigger)) throw new HttpError(400, 'INVALID_REQUEST', 'trigger must be "api", "cli" or "web"');
      const run = await launchRun(
        { instance: deps.instance, graph: deps.graph },
        { selection: body.selection, config: body.config, tags: body.tags ?? {}, trigger, now: new Date() },
      );
      deps.onQueued(run.id);
      return [201, { runId: run.id, status: run.status, steps: (await deps.instance.listSteps(run.id)).length }];
    }
    const match = /^\/api\/runs\/([^/]+)(\/events|\/cancel)?$/.exec(path);
    if (match) {
      const runId = decodeURIComponent(match[1]!);
      if (method === 'GET' && !match[2]) return [200, await describeRun(deps.instance, runId)];
      if (method === 'GET' && match[2] === '/events') {
        if (!(await deps.instance.getRun(runId))) throw new UnknownRunError(runId);
        const after = Number(url.searchParams.get('after') ?? 0);
        const events = await deps.instance.listEvents(runId, { afterId: after, limit: Number(url.searchParams.get('limit') ?? 1000) });
        return [200, { events: events.map((e) => ({ ...e, at: e.at.toISOString() }) as ApiEvent) }];
      }
      if (method === 'POST' && match[2] === '/cancel') {
        if (!(await deps.instance.getRun(runId))) throw new UnknownRunError(runId);
        await deps.launcher.cancel(runId);
        return [200, { runId, status: (await deps.instance.getRun(runId))!.status }];
      }
    }
    if (method === 'GET' && path === '/api/heartbeats') {
      const beats = await deps.instance.listHeartbeats();
      return [200, { heartbeats: beats.map((b) => ({ ...b, startedAt: b.startedAt.toISOString(), lastSeen: b.at.toISOString(), at: undefined })) }];
    }
    throw new HttpError(404, 'NOT_FOUND', `no route ${method} ${path}`);
  };
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    route(req, url).then(
      ([status, body]) => send(res, status, body),
      (error: unknown) => {
        const status = error instanceof HttpError ? error.status : error instanceof UnknownRunError ? 404 : isSluiceError(error) && error.kind === 'input' ? 400 : 500;
        const body: ApiError = isSluiceError(error)
          ? { error: { code: error.code, message: error.message } }
          : { error: { code: 'INTERNAL', message: 'internal error; see the daemon log' } };
        send(res, status, body);
      },
    );
  };
}

/** Starts the API on host:port (port 0 = any free port); resolves with the server and its URL. */
export async function startApiServer(deps: ApiDeps, host: string, port: number): Promise<{ server: Server; url: string }> {
  const server = createServer(apiHandler(deps));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return { server, url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}` };
}
