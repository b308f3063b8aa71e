import * as z from 'zod';
import { bodyObject, expected, expectedParam, listParam, repeatedParam, wholeNumberParam } from './request-schema.js';

/**
 * What the API's requests may carry: each body and query as a zod schema, parsed at the HTTP
 * boundary (api-dispatch.ts) before a handler sees it. The request types the clients write
 * (LaunchRunRequest, ...) are these schemas' inputs.
 */

const RUN_STATUSES = ['QUEUED', 'STARTED', 'SUCCESS', 'FAILURE', 'CANCELING', 'CANCELED'] as const;
const BACKFILL_STATUSES = ['RUNNING', 'COMPLETED', 'FAILED', 'CANCELING', 'CANCELED'] as const;

const trigger = z.enum(['api', 'cli', 'web'], expected('"api", "cli" or "web"'));
const tags = z.record(z.string(), z.string(expected('a string')), expected('an object of string tags')).optional();
const flag = z.boolean(expected('true or false')).optional();
const configVersion = z.number(expected('a whole number >= 1')).int(expected('a whole number >= 1')).min(1, expected('a whole number >= 1')).optional();
const configName = z.string(expected('the name of a stored run config')).optional();
const text = (what: string) => z.string(expected(what)).min(1, expected(what));

/** `POST /api/runs`. */
export const launchRunBody = bodyObject({
  selection: text('a selection expression'),
  /** Run config keyed by asset key. Not together with `configName`. */
  config: z.unknown().optional(),
  tags,
  /** Who launches: `api` (default), `cli` (the CLI in daemon mode) or `web` (the dashboard). */
  trigger: trigger.optional(),
  /** Launch even when a blocking check upstream of the selection (outside it) failed in its latest evaluation (default false: 400 FAILED_CHECK_GATE). */
  allowFailedChecks: flag,
  /** A stored run config (`sluice configs set`), resolved by the server that holds the store; the run records it as its configRef. */
  configName,
  /** The version of `configName` (default: its latest). */
  configVersion,
  /** The partition of the selection's partitioned assets: a key, or a range `FROM...TO`. */
  partition: text('a partition key or a range "FROM...TO"').optional(),
});
export type LaunchRunRequest = z.input<typeof launchRunBody>;

/** `POST /api/backfills`: the CLI's `sluice backfill` flags as a body. */
export const launchBackfillBody = bodyObject({
  selection: text('a selection expression'),
  /** The first and last partition key of the range (inclusive). */
  from: text('a partition key'),
  to: text('a partition key'),
  /** `per-partition` (default), `single-run` or `chunks:N`. */
  policy: z.string(expected('per-partition, single-run or chunks:N')).optional(),
  /** At most this many of its runs at once; null or absent = only the global limits. */
  maxConcurrentRuns: z.number(expected('a whole number >= 1, or null')).int(expected('a whole number >= 1, or null')).min(1, expected('a whole number >= 1, or null')).nullable().optional(),
  /** Only the partitions of the range whose latest outcome failed. */
  onlyFailed: flag,
  /** Only the partitions that some selected asset has no stored state for; with onlyFailed: either. */
  onlyMissing: flag,
  config: z.unknown().optional(),
  configName,
  configVersion,
  tags,
  trigger: trigger.optional(),
  allowFailedChecks: flag,
});
export type LaunchBackfillRequest = z.input<typeof launchBackfillBody>;

/** `POST /api/launch/preview`. */
export const launchPreviewBody = bodyObject({ selection: z.string(expected('a selection expression')), config: z.unknown().optional() });
export type LaunchPreviewRequest = z.input<typeof launchPreviewBody>;

/** `POST /api/runs/:id/reexecute`. */
export const reexecuteBody = bodyObject({ trigger: trigger.optional() });

/** `POST /api/configs/:name`: a new version of the named config. */
export const putConfigBody = bodyObject({ body: z.record(z.string(), z.unknown(), expected('a JSON object keyed by asset key')) });

/** `POST /api/assets/:key/events`: a materialization made outside Sluice. */
export const assetEventBody = bodyObject({
  /** Required for a partitioned asset. */
  partition: z.string(expected('a partition key')).min(1, expected('a partition key')).optional(),
  metadata: z.record(z.string(), z.unknown(), expected('a JSON object of metadata values')).optional(),
  /** `materialization` (default): the asset was updated; `observation`: metadata about it, no new materialization. */
  kind: z.enum(['materialization', 'observation'], expected('"materialization" or "observation"')).optional(),
  /** Who reports: `api` (default) or `cli` (the CLI in daemon mode); the run's trigger is `external:<trigger>`. */
  trigger: z.enum(['api', 'cli'], expected('"api" or "cli"')).optional(),
});

/** `POST /api/sensor-states/:name/cursor`: the cursor (null clears it); a sensor without a state gets one with `defaultStatus`. */
export const sensorCursorBody = bodyObject({
  cursor: z.string(expected('a string, or null to clear it')).nullable(),
  defaultStatus: z.enum(['RUNNING', 'STOPPED'], expected('"RUNNING" or "STOPPED"')).optional(),
});

/** `POST /api/schedule-states/:name`, `POST /api/sensor-states/:name`. */
export const scheduleStatusBody = bodyObject({ status: z.enum(['RUNNING', 'STOPPED'], expected('"RUNNING" or "STOPPED"')) });

const sinceParam = z
  .string()
  .optional()
  .refine((raw) => raw === undefined || raw === '' || !Number.isNaN(new Date(raw).getTime()), expectedParam('an ISO-8601 instant'))
  .transform((raw) => (raw ? new Date(raw) : undefined));

/** `GET /api/runs`: newest first. */
export const listRunsQuery = z.object({
  limit: wholeNumberParam({ min: 1, max: 1000, fallback: 50 }),
  /** Comma-separated run statuses. */
  status: listParam(RUN_STATUSES),
  /** `key=value`, repeatable: runs carrying every one. */
  tag: repeatedParam('key=value').refine((all) => all.every((t) => t.indexOf('=') > 0), expectedParam('key=value')),
  /** Runs of this schedule. */
  schedule: z.string().optional(),
  /** Runs of this backfill. */
  backfill: z.string().optional(),
  /** Created at or after this ISO-8601 instant. */
  since: sinceParam,
});

/** `GET /api/runs/:id/events` (and `after` of the run's stream). */
export const eventsQuery = z.object({
  after: wholeNumberParam({ min: 0, fallback: 0 }),
  /** The page preceding this id (the newest page with before=9007199254740991), for reading a long log backwards. */
  before: wholeNumberParam({ min: 0, fallback: undefined }),
  limit: wholeNumberParam({ min: 1, max: 10_000, fallback: 1000 }),
  /** Comma-separated event types. */
  type: z
    .string()
    .optional()
    .transform((raw) => raw?.split(',').filter(Boolean)),
  /** One step's events (filtered in the database). */
  step: z.string().optional(),
});

export const streamQuery = z.object({ after: wholeNumberParam({ min: 0, fallback: 0 }) });

export const listBackfillsQuery = z.object({
  limit: wholeNumberParam({ min: 1, max: 1000, fallback: 50 }),
  status: listParam(BACKFILL_STATUSES),
});

export const assetsQuery = z.object({
  /** A selection expression; all assets when absent. */
  select: z.string().optional(),
  /** `true`: each asset with its status. */
  status: z.enum(['true', 'false'], expectedParam('true or false')).optional(),
});

export const selectionQuery = z.object({ select: z.string(expectedParam('a selection expression')) });
export const assetQuery = z.object({ limit: wholeNumberParam({ min: 1, max: 1000, fallback: 50 }) });
export const configQuery = z.object({ version: wholeNumberParam({ min: 1, fallback: undefined }) });
export const ticksQuery = z.object({ limit: wholeNumberParam({ min: 1, fallback: 100 }) });
/** `GET /api/alerts`: the newest deliveries, of one status and one alert when given. */
export const alertFeedQuery = z.object({
  status: z.enum(['PENDING', 'SENT', 'FAILED'], expectedParam('PENDING, SENT or FAILED')).optional(),
  alert: z.string().optional(),
  limit: wholeNumberParam({ min: 1, max: 1000, fallback: 100 }),
});
