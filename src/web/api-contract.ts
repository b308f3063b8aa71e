import type { RunEvent } from '../core/events.js';
import type { RunStatus } from '../core/run/run-status.js';
import type { RunSummary } from '../execution/run-summary.js';

/**
 * The one typed contract of Sluice's HTTP API, shared by the server, the CLI's daemon mode and
 * (later) the dashboard pages. Dates travel as ISO-8601 strings. Errors are `ApiError` with the
 * HTTP status saying whose fault it was (4xx: the request's, 5xx: ours).
 */
export interface ApiError {
  readonly error: { readonly code: string; readonly message: string };
}

export interface LaunchRunRequest {
  readonly selection: string;
  /** Run config keyed by asset key. */
  readonly config?: unknown;
  readonly tags?: Readonly<Record<string, string>>;
  /** Who launches: `api` (default), `cli` (the CLI in daemon mode) or `web` (the dashboard). */
  readonly trigger?: 'api' | 'cli' | 'web';
}

export interface LaunchRunResponse {
  readonly runId: string;
  readonly status: RunStatus;
  readonly steps: number;
}

export type ApiEvent = RunEvent & { readonly id: number; readonly runId: string; readonly stepKey: string | null; readonly at: string };

export interface EventsResponse {
  readonly events: readonly ApiEvent[];
}

export type RunHeader = Omit<RunSummary, 'steps'>;

export interface RunsResponse {
  readonly runs: readonly RunHeader[];
}

export interface AssetView {
  readonly key: string;
  readonly group: string;
  readonly kinds: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
  readonly owners: readonly string[];
  readonly deps: readonly string[];
}

export interface HeartbeatView {
  readonly id: string;
  readonly kind: 'daemon' | 'worker';
  readonly host: string;
  readonly pid: number;
  readonly startedAt: string;
  readonly lastSeen: string;
  readonly info: Readonly<Record<string, unknown>>;
}

/** Every route: method and path pattern -> request body / query and response body. */
export interface ApiRoutes {
  'GET /healthz': { response: { readonly ok: true } };
  'GET /api/assets': { query: { select?: string }; response: { readonly assets: readonly AssetView[] } };
  'GET /api/runs': { query: { limit?: string; status?: string }; response: RunsResponse };
  'POST /api/runs': { body: LaunchRunRequest; response: LaunchRunResponse };
  'GET /api/runs/:id': { response: RunSummary };
  'GET /api/runs/:id/events': { query: { after?: string; limit?: string }; response: EventsResponse };
  'POST /api/runs/:id/cancel': { response: { readonly runId: string; readonly status: RunStatus } };
  'GET /api/heartbeats': { response: { readonly heartbeats: readonly HeartbeatView[] } };
}
