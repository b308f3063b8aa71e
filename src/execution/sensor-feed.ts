import { SluiceError } from '../core/errors.js';
import type { AssetGraph } from '../core/graph/asset-graph.js';
import { selectAssets } from '../core/selection/index.js';
import type { SensorDefinition } from '../core/sensor/sensor-definition.js';
import type { SensorStorage } from '../storage/sensor-storage.js';

/** One page of what a sensor is fed: the records after the cursor and the cursor past them. */
export interface FeedPage {
  readonly records: readonly unknown[];
  /** The id of the last event read (records filtered out included): the cursor once committed. */
  readonly cursor: string;
  /** Fewer events than the page size came back: nothing more after this page now. */
  readonly last: boolean;
}

/** A feeding sensor's cursor: the last event id fed, as text ('' or null: from the start). */
export function parseFeedCursor(sensor: string, cursor: string | null): number {
  if (cursor === null || cursor === '') return 0;
  const id = Number(cursor);
  if (!Number.isSafeInteger(id) || id < 0) {
    throw new SluiceError(
      'INVALID_SENSOR_CURSOR',
      `sensor "${sensor}": its cursor "${cursor}" is not an event id; an asset or run-status sensor's cursor is the last event id it saw: set one with \`sluice sensors cursor ${sensor} --set ID\` (0 = from the start)`,
      { sensor, cursor },
    );
  }
  return id;
}

/**
 * Reads the next page of an asset sensor's or run-status sensor's feed after `afterId`, in event id
 * order. A run-status sensor with `select` keeps only runs whose assets intersect the selection;
 * the cursor still moves past the others.
 */
export async function readFeedPage(storage: SensorStorage, graph: AssetGraph, sensor: SensorDefinition, afterId: number, pageSize: number): Promise<FeedPage | undefined> {
  const source = sensor.source;
  if (source.type === 'asset') {
    const keys = [...selectAssets(source.assets, graph)].sort();
    const events = await storage.assetEventsAfter({ afterId, assetKeys: keys, includeChecks: source.includeChecks, limit: pageSize });
    return { records: events, cursor: String(events.at(-1)?.id ?? afterId), last: events.length < pageSize };
  }
  if (source.type === 'run_status') {
    const events = await storage.runStatusEventsAfter({ afterId, statuses: source.statuses, limit: pageSize });
    const selected = source.runSelect === undefined ? undefined : selectAssets(source.runSelect, graph);
    const records = events
      .filter((e) => !selected || e.assetKeys.some((key) => selected.has(key)))
      .map(({ assetKeys: _keys, ...run }) => run);
    return { records, cursor: String(events.at(-1)?.id ?? afterId), last: events.length < pageSize };
  }
  return undefined;
}
