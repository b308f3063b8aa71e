import { SluiceError } from '../errors.js';
import { channelId, type AlertChannel } from './alert-channels.js';

/** The events an alert policy may listen to. */
export const ALERT_EVENTS = [
  'run_failure',
  'run_success',
  'run_canceled',
  'run_long_running',
  'step_failure',
  'check_failure',
  'tick_failure',
  'schedule_late',
  'freshness_violation',
  'heartbeat_stale',
] as const;
export type AlertEventType = (typeof ALERT_EVENTS)[number];

/** A schedule tick not claimed this long after its instant is late (default of `scheduleLateSeconds`). */
export const DEFAULT_SCHEDULE_LATE_SECONDS = 60;

export interface AlertSpec {
  /** Unique in the project: letters, digits, `_`, `-`, `.`. */
  name: string;
  on: readonly AlertEventType[];
  /** Only events of runs (steps, checks) touching these assets (selection syntax); default all. */
  select?: string;
  channels: readonly AlertChannel[];
  description?: string;
  /** With `run_long_running` (required then): a run still going this many minutes after it started raises it, once per run. */
  longRunningMinutes?: number;
  /** With `schedule_late`: a tick not launched this many seconds after its instant is late (default 60). */
  scheduleLateSeconds?: number;
}

/** An alert policy: frozen data. Its selection is checked when the project loads. */
export interface AlertDefinition {
  readonly kind: 'alert';
  readonly name: string;
  readonly on: readonly AlertEventType[];
  readonly select: string | undefined;
  readonly channels: readonly AlertChannel[];
  readonly description: string | undefined;
  readonly longRunningMinutes: number | undefined;
  readonly scheduleLateSeconds: number;
}

const NAME = /^[A-Za-z0-9_.-]+$/;

function invalidAlert(name: string, message: string): SluiceError {
  return new SluiceError('INVALID_DEFINITION', `alert "${name}": ${message}`, { alert: name });
}

/**
 * Declares an alert policy: each event of a kind in `on` (of the selected assets) is delivered once
 * through each active channel, by the daemon's outbox (docs/architecture.md, Alerts). Returns frozen
 * data and does nothing else.
 */
export function defineAlert(spec: AlertSpec): AlertDefinition {
  const name = spec?.name;
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new SluiceError('INVALID_DEFINITION', `invalid alert name ${JSON.stringify(name)}: use letters, digits, "_", "-" or "."`, { alert: name });
  }
  if (!Array.isArray(spec.on) || spec.on.length === 0) throw invalidAlert(name, `on must list events, any of ${ALERT_EVENTS.join(', ')}`);
  for (const event of spec.on) {
    if (!(ALERT_EVENTS as readonly string[]).includes(event)) throw invalidAlert(name, `unknown event ${JSON.stringify(event)}: use ${ALERT_EVENTS.join(', ')}`);
  }
  if (spec.select !== undefined && (typeof spec.select !== 'string' || spec.select.trim() === '')) {
    throw invalidAlert(name, 'select must be an asset selection such as "*" or "group:promotion"');
  }
  if (!Array.isArray(spec.channels) || spec.channels.length === 0) {
    throw invalidAlert(name, 'channels must list at least one of webhook({ urlEnv }), slack({ webhookUrlEnv }), email({ to, smtpUrlEnv }) (import them from "sluice")');
  }
  const ids = new Set<string>();
  for (const channel of spec.channels) {
    if (typeof channel !== 'object' || channel === null || !['webhook', 'slack', 'email'].includes((channel as { type?: string }).type ?? '')) {
      throw invalidAlert(name, 'each channel must be built by webhook(), slack() or email() from "sluice"');
    }
    const id = channelId(channel);
    if (ids.has(id)) throw invalidAlert(name, `channel ${id} is listed twice`);
    ids.add(id);
  }
  if (spec.description !== undefined && typeof spec.description !== 'string') throw invalidAlert(name, 'description must be a string');
  const positive = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;
  if (spec.on.includes('run_long_running') && !positive(spec.longRunningMinutes)) {
    throw invalidAlert(name, `run_long_running needs longRunningMinutes: a positive number of minutes a run may take (got ${JSON.stringify(spec.longRunningMinutes)})`);
  }
  if (spec.longRunningMinutes !== undefined && !spec.on.includes('run_long_running')) throw invalidAlert(name, 'longRunningMinutes is given but on does not list run_long_running; add it or remove the option');
  if (spec.scheduleLateSeconds !== undefined && !positive(spec.scheduleLateSeconds)) {
    throw invalidAlert(name, `scheduleLateSeconds must be a positive number of seconds (got ${JSON.stringify(spec.scheduleLateSeconds)})`);
  }
  if (spec.scheduleLateSeconds !== undefined && !spec.on.includes('schedule_late')) throw invalidAlert(name, 'scheduleLateSeconds is given but on does not list schedule_late; add it or remove the option');
  return Object.freeze({
    kind: 'alert' as const,
    name,
    on: Object.freeze([...new Set(spec.on)]),
    select: spec.select,
    channels: Object.freeze([...spec.channels]),
    description: spec.description,
    longRunningMinutes: spec.longRunningMinutes,
    scheduleLateSeconds: spec.scheduleLateSeconds ?? DEFAULT_SCHEDULE_LATE_SECONDS,
  });
}
