import type { EventRecord } from '../core/events.js';
import { SluiceError } from '../core/errors.js';
import type { RunStatus } from '../core/run/run-status.js';
import { describeRun, runHeader, type RunSummary } from '../execution/run-summary.js';
import type { Heartbeat, Instance } from '../storage/instance.js';
import type { ApiError, ApiEvent, EventsResponse, HeartbeatView, LaunchRunRequest, LaunchRunResponse, RunHeader, RunsResponse } from '../web/api-contract.js';
import type { DaemonAddress } from './embedded-daemon.js';

/**
 * What the CLI asks of a project's runs, whether it holds the store itself or talks to the
 * embedded daemon that holds it. Both answer with the API contract's shapes.
 */
export interface RunService {
  readonly remote: boolean;
  listRuns(options: { limit: number; statuses?: RunStatus[] }): Promise<RunHeader[]>;
  summary(runId: string): Promise<RunSummary>;
  /** Events after `afterId`, in log order. */
  events(runId: string, afterId: number): Promise<EventRecord[]>;
  heartbeats(): Promise<HeartbeatView[]>;
}

export function heartbeatView(b: Heartbeat): HeartbeatView {
  return { id: b.id, kind: b.kind, host: b.host, pid: b.pid, startedAt: b.startedAt.toISOString(), lastSeen: b.at.toISOString(), info: b.info };
}

export class LocalRunService implements RunService {
  readonly remote = false;
  constructor(private readonly instance: Instance) {}

  async listRuns(options: { limit: number; statuses?: RunStatus[] }): Promise<RunHeader[]> {
    return (await this.instance.listRuns(options)).map(runHeader);
  }

  summary(runId: string): Promise<RunSummary> {
    return describeRun(this.instance, runId);
  }

  events(runId: string, afterId: number): Promise<EventRecord[]> {
    return this.instance.listEvents(runId, { afterId });
  }

  async heartbeats(): Promise<HeartbeatView[]> {
    return (await this.instance.listHeartbeats()).map(heartbeatView);
  }
}

/** Talks to an embedded daemon's local API (api-contract.ts). */
export class RemoteRunService implements RunService {
  readonly remote = true;
  constructor(private readonly address: DaemonAddress) {}

  async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.address.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.address.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new SluiceError(
        'DAEMON_UNREACHABLE',
        `the sluice daemon (pid ${this.address.pid}) holds this project's embedded store but does not answer at ${this.address.url}: ${(error as Error).message}; restart it, or stop it to use the store directly`,
        { pid: this.address.pid },
        { kind: 'internal' },
      );
    }
    const json = (await res.json()) as T | ApiError;
    if (!res.ok) {
      const { code, message } = (json as ApiError).error;
      throw new SluiceError(code, message, { status: res.status }, { kind: res.status < 500 ? 'input' : 'internal' });
    }
    return json as T;
  }

  launch(body: LaunchRunRequest): Promise<LaunchRunResponse> {
    return this.request('POST', '/api/runs', body);
  }

  async cancel(runId: string): Promise<RunStatus> {
    return (await this.request<{ status: RunStatus }>('POST', `/api/runs/${encodeURIComponent(runId)}/cancel`)).status;
  }

  async listRuns(options: { limit: number; statuses?: RunStatus[] }): Promise<RunHeader[]> {
    const query = new URLSearchParams({ limit: String(options.limit), ...(options.statuses ? { status: options.statuses.join(',') } : {}) });
    return [...(await this.request<RunsResponse>('GET', `/api/runs?${query}`)).runs];
  }

  summary(runId: string): Promise<RunSummary> {
    return this.request('GET', `/api/runs/${encodeURIComponent(runId)}`);
  }

  async events(runId: string, afterId: number): Promise<EventRecord[]> {
    const { events } = await this.request<EventsResponse>('GET', `/api/runs/${encodeURIComponent(runId)}/events?after=${afterId}`);
    return events.map((e: ApiEvent) => ({ ...e, at: new Date(e.at) }) as EventRecord);
  }

  async heartbeats(): Promise<HeartbeatView[]> {
    return (await this.request<{ heartbeats: HeartbeatView[] }>('GET', '/api/heartbeats')).heartbeats;
  }
}
