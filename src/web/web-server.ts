import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { RouteResponse, StreamEvents } from './api-contract.js';
import { streamQuery } from './api-requests.js';
import { apiRoutes, type ApiDeps, type Definitions } from './api-routes.js';
import { answer, errorResponse, listen, urlOf } from './api-server.js';
import {
  bearerMatches,
  clearedSessionCookie,
  crossSiteReason,
  hostOf,
  isLoopbackHost,
  safeNext,
  sessionCookie,
  sessionValid,
  tokenMatches,
} from './auth.js';
import { BASE_HEADERS, HttpError, readForm, sendJson } from './http-util.js';
import { loginPage } from './login-page.js';
import { SluiceMetrics, type MetricsDeps } from './metrics.js';
import { BOARD_PATH } from './board-path.js';
import { RunEventHub } from './run-event-hub.js';
import { RunListHub } from './run-list-hub.js';
import { parseRequest, queryObject } from './request-schema.js';
import { openSse } from './sse.js';
import { loadStaticFiles } from './static-files.js';
import type { WebBinding } from './web-binding.js';

export interface WebServerOptions {
  /** The API's dependencies; its `token` is ignored in favour of the binding's. */
  readonly api: Omit<ApiDeps, 'token'>;
  readonly binding: WebBinding;
  readonly metrics: Omit<MetricsDeps, 'instance' | 'schedules'>;
  /** bull-board (queue-board.ts), when a BullMQ executor is configured. */
  readonly queueBoard?: (req: IncomingMessage, res: ServerResponse) => void;
  /** Where unexpected errors go (the daemon's logger). */
  readonly onError?: (error: unknown, context: string) => void;
}

export interface WebServer {
  readonly server: Server;
  readonly url: string;
  /**
   * Serves `definitions` from the next request on (`sluice dev` reloaded the project). A request
   * already being answered finishes with the definitions it started with.
   */
  setDefinitions?(definitions: Definitions): void;
  close(): Promise<void>;
}

const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; worker-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";
const BOARD_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'";
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sendText(res: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...BASE_HEADERS, 'content-type': type, 'content-length': Buffer.byteLength(body), ...extra });
  res.end(body);
}

/**
 * The dashboard server: pages (static ES modules), the JSON API of api-contract.ts, live updates
 * over server-sent events, /metrics, /healthz and bull-board at /queues, all behind one access
 * control (auth.ts: bearer token or login cookie when SLUICE_WEB_TOKEN is set; CSRF checks on every
 * state-changing request a browser could forge; Host checks against DNS rebinding on loopback).
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const { binding } = options;
  const token = binding.token;
  let deps: ApiDeps = { ...options.api, token };
  // Swapped whole by setDefinitions: each request takes the routes (and their caches) of one generation.
  let routes = apiRoutes(deps);
  const files = loadStaticFiles();
  const runEvents = new RunEventHub(deps.instance);
  const runList = new RunListHub(deps.instance);
  const metrics = new SluiceMetrics({ ...options.metrics, instance: deps.instance, ...(deps.schedules ? { schedules: deps.schedules } : {}) });
  const onError = (error: unknown, context: string) => options.onError?.(error, context);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (binding.loopback && !isLoopbackHost(hostOf(req))) {
      return sendJson(res, 403, { error: { code: 'FORBIDDEN_HOST', message: 'this dashboard listens on loopback and answers only to localhost host names' } });
    }
    if (path === '/healthz' && method === 'GET') return sendJson(res, 200, { ok: true } satisfies RouteResponse<'health'>);
    if (path === '/favicon.ico') return sendText(res, 204, 'image/x-icon', '');
    if (path.startsWith('/static/') && method === 'GET') {
      const file = files.get(path.slice('/static'.length));
      if (!file) return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `no file ${path}` } });
      return sendText(res, 200, file.type, file.body, { 'cache-control': 'no-cache' });
    }
    const bearer = token !== undefined && bearerMatches(req, token);
    if (path === '/login' && token !== undefined) return login(req, res, url, token);
    if (path === '/logout' && method === 'POST') {
      if (crossSiteReason(req, { requireCustomHeader: false })) return sendJson(res, 403, { error: { code: 'CSRF', message: 'cross-site request refused' } });
      return sendText(res, 303, 'text/plain', '', { location: token ? '/login' : '/', 'set-cookie': clearedSessionCookie() });
    }
    const authenticated = token === undefined || bearer || sessionValid(req, token, Date.now());
    if (!authenticated) {
      if (path.startsWith('/api/') || path === '/metrics' || path.startsWith(`${BOARD_PATH}/api`) || req.headers.accept?.includes('application/json')) {
        return sendJson(res, 401, { error: { code: 'UNAUTHORIZED', message: 'missing or wrong bearer token; send Authorization: Bearer <SLUICE_WEB_TOKEN> or log in at /login' } });
      }
      return sendText(res, 303, 'text/plain', '', { location: `/login?next=${encodeURIComponent(path + url.search)}` });
    }
    if (!SAFE_METHODS.has(method) && !bearer) {
      const reason = crossSiteReason(req, { requireCustomHeader: path.startsWith('/api/') });
      if (reason) return sendJson(res, 403, { error: { code: 'CSRF', message: `cross-site request refused: ${reason}` } });
    }
    if (path === '/api/session' && method === 'GET') return sendJson(res, 200, { authRequired: token !== undefined, queues: options.queueBoard !== undefined } satisfies RouteResponse<'session'>);
    if (path === '/metrics' && method === 'GET') {
      return sendText(res, 200, metrics.contentType, await metrics.text(), { 'cache-control': 'no-store' });
    }
    if (path === BOARD_PATH || path.startsWith(`${BOARD_PATH}/`)) {
      if (!options.queueBoard) return sendJson(res, 404, { error: { code: 'NO_QUEUES', message: 'bull-board is served only when a BullMQ executor is configured (SLUICE_REDIS_URL)' } });
      // bull-board's page links web fonts; the policy keeps the browser from fetching anything off this server.
      res.setHeader('content-security-policy', BOARD_CSP);
      for (const [name, value] of Object.entries(BASE_HEADERS)) res.setHeader(name, value);
      return options.queueBoard(req, res);
    }
    if (method === 'GET' && path === '/api/runs/stream') return streamRuns(req, res);
    const stream = /^\/api\/runs\/([^/]+)\/stream$/.exec(path);
    if (method === 'GET' && stream) return streamRun(req, res, url, decodeURIComponent(stream[1]!));
    if (path.startsWith('/api/')) return answer(routes.route, req, res, url, (error) => onError(error, `${method} ${path}`));
    if (method === 'GET' && (path === '/' || path === '/index.html')) {
      return sendText(res, 200, 'text/html; charset=utf-8', files.get('/index.html')!.body, { 'content-security-policy': CSP, 'cache-control': 'no-cache' });
    }
    return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `no route ${method} ${path}` } });
  };

  const login = async (req: IncomingMessage, res: ServerResponse, url: URL, secret: string): Promise<void> => {
    const page = (status: number, next: string, error?: string) =>
      sendText(res, status, 'text/html; charset=utf-8', loginPage(next, error), { 'content-security-policy': CSP, 'cache-control': 'no-store' });
    if (req.method === 'GET') return page(200, safeNext(url.searchParams.get('next')));
    if (req.method !== 'POST') return sendJson(res, 405, { error: { code: 'METHOD_NOT_ALLOWED', message: 'use GET or POST /login' } });
    const reason = crossSiteReason(req, { requireCustomHeader: false });
    if (reason) return sendJson(res, 403, { error: { code: 'CSRF', message: `cross-site request refused: ${reason}` } });
    const form = await readForm(req);
    const next = safeNext(form.get('next'));
    if (!tokenMatches(form.get('token') ?? '', secret)) {
      // Slow down guessing; the token is long enough that this is a courtesy, not the defence.
      await new Promise((r) => setTimeout(r, 300));
      return page(401, next, 'Wrong token.');
    }
    return sendText(res, 303, 'text/plain', '', { location: next, 'set-cookie': sessionCookie(secret, Date.now()) });
  };

  const streamRun = async (req: IncomingMessage, res: ServerResponse, url: URL, runId: string): Promise<void> => {
    if (!(await deps.instance.runs.getRun(runId))) return sendJson(res, ...errorResponse(new HttpError(404, 'UNKNOWN_RUN', `no run "${runId}"`)));
    const lastId = Number(req.headers['last-event-id']);
    const query = parseRequest(streamQuery, queryObject(url.searchParams), 'INVALID_QUERY');
    const after = Number.isInteger(lastId) && lastId > 0 ? lastId : query.after;
    const sse = openSse<StreamEvents<'runStream'>>(req, res);
    const unsubscribe = await runEvents.subscribe(runId, after, (events, ended) => {
      if (events.length > 0) sse.send('events', events.map((e) => ({ ...e, at: e.at.toISOString() })), events.at(-1)!.id);
      if (ended) {
        sse.send('end', { runId });
        sse.close();
      }
    });
    sse.onClose(unsubscribe);
  };

  const streamRuns = (req: IncomingMessage, res: ServerResponse): void => {
    const sse = openSse<StreamEvents<'runsStream'>>(req, res);
    const unsubscribe = runList.subscribe((runs) => sse.send('runs', runs));
    sse.onClose(unsubscribe);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      onError(error, `${req.method} ${req.url}`);
      if (!res.headersSent) sendJson(res, ...errorResponse(error));
      else res.end();
    });
  });
  await listen(server, binding.host, binding.port);
  return {
    server,
    url: urlOf(server, binding.host),
    setDefinitions(definitions) {
      deps = { ...deps, graph: definitions.graph, schedules: definitions.schedules ?? [] };
      routes = apiRoutes(deps);
      metrics.useSchedules(deps.schedules ?? []);
    },
    async close() {
      runEvents.close();
      runList.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
