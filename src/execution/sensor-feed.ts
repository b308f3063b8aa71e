import { SluiceError } from '../core/errors.js';
import type { AssetGraph } from '../core/graph/asset-graph.js';
import { selectAssets } from '../core/selection/index.js';
import type { SensorDefinition } from '../core/sensor/sensor-definition.js';
import type { FeedWatermark, SensorStorage } from '../storage/sensor-storage.js';

/**
 * A feeding sensor's cursor. `id`: the last event id fed. `safe`: every id up to it is final (no
 * transaction still running can commit an event below it). `seen`: earlier observations [highest
 * id visible, newest transaction running then, when] not yet known final. Event ids are drawn before
 * their transactions commit, so a slow transaction can commit an id below one already visible; an
 * id is fed only once the transactions that were running when it became visible have all ended.
 */
export interface FeedCursor {
  readonly id: number;
  readonly safe: number;
  readonly seen: ReadonlyArray<readonly [maxId: number, xipMax: string, atMs: number]>;
}

/**
 * How long an observation waits for the transactions running then: a transaction open longer (an
 * idle session elsewhere on the server holds no Sluice event) no longer holds the feed back. Sluice's
 * own event writes are short, so an event id is final well before this.
 */
export const FEED_SETTLE_MAX_MS = 120_000;

/** Observations kept at most (the oldest go first: that only delays feeding, never skips). */
const MAX_SEEN = 20;

/** Parses a feeding sensor's cursor: JSON as formatFeedCursor writes it, or a bare event id (`sensors cursor --set ID`). */
export function parseFeedCursor(sensor: string, cursor: string | null): FeedCursor {
  if (cursor === null || cursor === '') return { id: 0, safe: 0, seen: [] };
  if (/^\d+$/.test(cursor) && Number.isSafeInteger(Number(cursor))) return { id: Number(cursor), safe: Number(cursor), seen: [] };
  try {
    const parsed = JSON.parse(cursor) as FeedCursor;
    if (Number.isSafeInteger(parsed.id) && Number.isSafeInteger(parsed.safe) && Array.isArray(parsed.seen)) return parsed;
  } catch {
    // fall through to the error
  }
  throw new SluiceError(
    'INVALID_SENSOR_CURSOR',
    `sensor "${sensor}": its cursor "${cursor}" is not an event id; an asset or run-status sensor's cursor is the last event id it saw: set one with \`sluice sensors cursor ${sensor} --set ID\` (0 = from the start)`,
    { sensor, cursor },
  );
}

export function formatFeedCursor(cursor: FeedCursor): string {
  return JSON.stringify(cursor);
}

/**
 * Moves `safe` forward with a new watermark: an earlier observation whose newest running
 * transaction is older than every transaction running now is final, and so is the current one when
 * nothing runs (or the observation is FEED_SETTLE_MAX_MS old). Pure.
 */
export function advanceFeedCursor(cursor: FeedCursor, mark: FeedWatermark, nowMs: number): FeedCursor {
  let safe = cursor.safe;
  const xmin = BigInt(mark.xmin);
  const pending: Array<readonly [number, string, number]> = [];
  for (const [maxId, xipMax, atMs] of cursor.seen) {
    if (BigInt(xipMax) < xmin || nowMs - atMs >= FEED_SETTLE_MAX_MS) safe = Math.max(safe, maxId);
    else pending.push([maxId, xipMax, atMs]);
  }
  if (mark.xipMax === null) safe = Math.max(safe, mark.maxEventId);
  else if (mark.maxEventId > safe) pending.push([mark.maxEventId, mark.xipMax, nowMs]);
  return { id: cursor.id, safe, seen: pending.filter(([maxId]) => maxId > safe).slice(-MAX_SEEN) };
}

/** One page of what a sensor is fed: the records after the cursor and the last event id read. */
export interface FeedPage {
  readonly records: readonly unknown[];
  /** The id of the last event read (records filtered out included). */
  readonly lastId: number;
  /** Fewer events than the page size came back: nothing more up to `upToId` now. */
  readonly last: boolean;
}

/**
 * Reads the next page of an asset sensor's or run-status sensor's feed after `afterId` and up to
 * `upToId`, in event id order. A run-status sensor with `select` keeps only runs whose assets
 * intersect the selection; the cursor still moves past the others.
 */
export async function readFeedPage(storage: SensorStorage, graph: AssetGraph, sensor: SensorDefinition, range: { afterId: number; upToId: number }, pageSize: number): Promise<FeedPage | undefined> {
  const source = sensor.source;
  if (source.type === 'asset') {
    const keys = [...selectAssets(source.assets, graph)].sort();
    const events = await storage.assetEventsAfter({ ...range, assetKeys: keys, includeChecks: source.includeChecks, includeObservations: source.includeObservations, limit: pageSize });
    return { records: events, lastId: events.at(-1)?.id ?? range.afterId, last: events.length < pageSize };
  }
  if (source.type === 'run_status') {
    const events = await storage.runStatusEventsAfter({ ...range, statuses: source.statuses, limit: pageSize });
    const selected = source.runSelect === undefined ? undefined : selectAssets(source.runSelect, graph);
    const records = events
      .filter((e) => !selected || e.assetKeys.some((key) => selected.has(key)))
      .map(({ assetKeys: _keys, ...run }) => run);
    return { records, lastId: events.at(-1)?.id ?? range.afterId, last: events.length < pageSize };
  }
  return undefined;
}
