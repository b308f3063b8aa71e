import type { Heartbeat } from '../storage/instance.js';
import type { HeartbeatView } from './api-contract.js';

/** A daemon's or worker's heartbeat as the API and the CLI show it. */
export function heartbeatView(b: Heartbeat): HeartbeatView {
  return { id: b.id, kind: b.kind, host: b.host, pid: b.pid, startedAt: b.startedAt.toISOString(), lastSeen: b.at.toISOString(), info: b.info };
}
