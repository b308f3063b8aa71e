import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isSluiceError } from '../core/errors.js';
import { UnknownRunError } from '../execution/run-summary.js';
import { UnknownAssetError } from '../core/graph/unknown-asset-error.js';
import { UnknownBackfillError } from '../execution/backfill-summary.js';
import type { ApiError, RouteResponse } from './api-contract.js';
import { apiRoutes, type ApiDeps, type Definitions, type Route } from './api-routes.js';
import { bearerMatches } from './auth.js';
import { HttpError, sendJson } from './http-util.js';

export type { ApiDeps } from './api-routes.js';

/**
 * The HTTP status and body of a failed request: 4xx for the caller's mistakes, 500 for ours.
 * Sluice's own errors keep their code and message (written to be shown, never holding secrets);
 * anything else is `INTERNAL` without details, which go to the log.
 */
export function errorResponse(error: unknown): [number, ApiError] {
  const notFound = error instanceof UnknownRunError || error instanceof UnknownBackfillError || error instanceof UnknownAssetError;
  const status = error instanceof HttpError ? error.status : notFound ? 404 : isSluiceError(error) && error.kind === 'input' ? 400 : 500;
  const body: ApiError = isSluiceError(error)
    ? { error: { code: error.code, message: error.message } }
    : { error: { code: 'INTERNAL', message: 'internal error; see the daemon log' } };
  return [status, body];
}

/** Answers one request through `route`, mapping errors to their status. */
export function answer(route: Route, req: IncomingMessage, res: ServerResponse, url: URL, onError?: (error: unknown) => void): void {
  route(req, url).then(
    ([status, body]) => sendJson(res, status, body),
    (error: unknown) => {
      const [status, body] = errorResponse(error);
      if (status >= 500) onError?.(error);
      sendJson(res, status, body);
    },
  );
}

/**
 * The request handler of the JSON API alone (routes in api-contract.ts), every /api request
 * authenticated by the bearer token: what the embedded daemon serves the CLI on loopback.
 * The dashboard server (web-server.ts) serves the same routes with pages, cookies and CSRF checks.
 */
export function apiHandler(deps: ApiDeps): ((req: IncomingMessage, res: ServerResponse) => void) & { setDefinitions(definitions: Definitions): void } {
  let { route } = apiRoutes(deps);
  const guarded: Route = async (req, url) => {
    const method = req.method ?? 'GET';
    if (method === 'GET' && url.pathname === '/healthz') return [200, { ok: true } satisfies RouteResponse<'health'>];
    if (!url.pathname.startsWith('/api/')) throw new HttpError(404, 'NOT_FOUND', `no route ${method} ${url.pathname}`);
    if (deps.token !== undefined && !bearerMatches(req, deps.token)) throw new HttpError(401, 'UNAUTHORIZED', 'missing or wrong bearer token');
    return route(req, url);
  };
  const handler = (req: IncomingMessage, res: ServerResponse) => answer(guarded, req, res, new URL(req.url ?? '/', 'http://localhost'));
  return Object.assign(handler, {
    /** Serves `definitions` from the next request on (`sluice dev` reloaded the project). */
    setDefinitions(definitions: Definitions) {
      ({ route } = apiRoutes({ ...deps, graph: definitions.graph, schedules: definitions.schedules ?? [] }));
    },
  });
}

/** Starts the API on host:port (port 0 = any free port); resolves with the server, its URL and the definitions switch. */
export async function startApiServer(
  deps: ApiDeps,
  host: string,
  port: number,
): Promise<{ server: Server; url: string; setDefinitions(definitions: Definitions): void }> {
  const handler = apiHandler(deps);
  const server = createServer(handler);
  await listen(server, host, port);
  return { server, url: urlOf(server, host), setDefinitions: handler.setDefinitions };
}

export function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export function urlOf(server: Server, host: string): string {
  const address = server.address() as AddressInfo;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}
