import type { AlertDefinition } from '../../core/alert/alert-definition.js';
import type { AssetGraph } from '../../core/graph/asset-graph.js';
import type { AlertStorage } from '../../storage/alert-storage.js';
import type { SensorStorage } from '../../storage/sensor-storage.js';
import { advanceFeedCursor, formatFeedCursor, parseFeedCursor, type FeedCursor } from '../sensor-feed.js';
import { planAlertDeliveries } from './plan-alert-deliveries.js';

/** The one feed every daemon's alert loop shares (its cursor row in alert_feeds). */
export const ALERT_FEED = 'events';

export interface AlertFeedHost {
  readonly alerts: AlertStorage;
  /** Where the watermark comes from (the event log's snapshot, as sensors read it). */
  readonly watermark: Pick<SensorStorage, 'feedWatermark'>;
  readonly graph: AssetGraph;
  readonly definitions: readonly AlertDefinition[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: () => Date;
  readonly pageSize?: number;
  readonly maxPages?: number;
}

/**
 * Turns new events into outbox rows. Each page is committed in one transaction with the cursor
 * moved past it (compare-and-set on the cursor read), so an event is either not yet fed (nothing
 * written, it is read again) or fed (its deliveries written, the cursor past it): a SIGKILL at any
 * point leaves one of the two. Only ids known final are read (the sensors' watermark), so a late
 * commit is not skipped; the unique idempotency key makes a second reading (another daemon, a
 * cursor set back) write nothing. The first pass on a store starts at the newest event: history
 * raises no alerts. Returns how many deliveries it wrote, and whether this pass started the feed.
 */
export async function runAlertFeedPass(host: AlertFeedHost): Promise<{ written: number; started: boolean }> {
  let stored = await host.alerts.getAlertFeedCursor(ALERT_FEED);
  let started = false;
  const mark = await host.watermark.feedWatermark();
  if (stored === null) {
    const start: FeedCursor = { id: mark.maxEventId, safe: mark.maxEventId, seen: [] };
    const first = await host.alerts.commitAlertFeed({ feed: ALERT_FEED, cursorBefore: null, cursorAfter: formatFeedCursor(start), deliveries: [], at: host.now() });
    if (!first.committed) return { written: 0, started: false };
    stored = formatFeedCursor(start);
    started = true;
  }
  let cursor = advanceFeedCursor(parseFeedCursor('alerts', stored), mark, host.now().getTime());
  const pageSize = host.pageSize ?? 500;
  let written = 0;
  for (let page = 0; page < (host.maxPages ?? 20); page++) {
    const events = cursor.id < cursor.safe ? await host.alerts.alertEventsAfter({ afterId: cursor.id, upToId: cursor.safe, limit: pageSize }) : [];
    const last = events.length < pageSize;
    const next: FeedCursor = { ...cursor, id: last ? cursor.safe : events.at(-1)!.id };
    const after = formatFeedCursor(next);
    if (after === stored) break;
    const deliveries = planAlertDeliveries(events, host.definitions, host.graph, host.env);
    const commit = await host.alerts.commitAlertFeed({ feed: ALERT_FEED, cursorBefore: stored, cursorAfter: after, deliveries, at: host.now() });
    if (!commit.committed) break; // another daemon fed this page: the next pass reads on from its cursor
    written += commit.inserted;
    stored = after;
    cursor = next;
    if (last) break;
  }
  return { written, started };
}
