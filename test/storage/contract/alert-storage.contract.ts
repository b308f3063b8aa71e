import { describe, expect, it } from 'vitest';
import type { NewAlertDelivery } from '../../../src/storage/instance.js';
import { assetStep, at, failed, fresh, newRun } from '../fixtures.js';
import type { ContractContext } from './contract-context.js';

/** The AlertStorage contract: the feed commit (cursor and deliveries in one transaction), the event feed, claims and attempts. */
export function alertStorageContract(ctx: ContractContext): void {
  const alerts = () => ctx.instance.alerts;
  const delivery = (key: string, alert = 'a'): NewAlertDelivery => ({ idempotencyKey: key, alert, channel: 'webhook:URL', eventType: 'run_failure', payload: { runId: key } });

  describe('AlertStorage', () => {
    it('moves the feed cursor and writes its deliveries together; a stale cursor writes nothing; a key already used is not written again', async () => {
      const feed = fresh('feed');
      const k1 = fresh('k');
      const k2 = fresh('k');
      expect(await alerts().getAlertFeedCursor(feed)).toBeNull();
      expect(await alerts().commitAlertFeed({ feed, cursorBefore: null, cursorAfter: 'c1', deliveries: [delivery(k1)], at: at(0) })).toEqual({ committed: true, inserted: 1 });
      // A second daemon that read the same page (cursor null) loses the compare-and-set.
      expect(await alerts().commitAlertFeed({ feed, cursorBefore: null, cursorAfter: 'c1', deliveries: [delivery(k1), delivery(k2)], at: at(0) })).toEqual({ committed: false, inserted: 0 });
      expect(await alerts().getAlertFeedCursor(feed)).toBe('c1');
      expect((await alerts().listDeliveries({ alert: 'a', limit: 1000 })).filter((d) => d.idempotencyKey === k2)).toEqual([]);
      // The cursor moved back (reset by hand): the event is read again, and its key stops a second delivery.
      expect(await alerts().commitAlertFeed({ feed, cursorBefore: 'c1', cursorAfter: 'c2', deliveries: [delivery(k1), delivery(k2)], at: at(1) })).toEqual({ committed: true, inserted: 1 });
      const ours = (await alerts().listDeliveries({ alert: 'a', limit: 1000 })).filter((d) => d.idempotencyKey === k1 || d.idempotencyKey === k2);
      expect(ours.map((d) => [d.idempotencyKey, d.status, d.attempts, d.payload])).toEqual([
        [k2, 'PENDING', 0, { runId: k2 }],
        [k1, 'PENDING', 0, { runId: k1 }],
      ]);
    });

    it('inserts deliveries without a feed, each key once', async () => {
      const alert = fresh('alert');
      const key = fresh('k');
      expect(await alerts().insertDeliveries([delivery(key, alert), delivery(key, alert)], at(0))).toBe(1);
      expect(await alerts().insertDeliveries([delivery(key, alert)], at(1))).toBe(0);
      expect((await alerts().listDeliveries({ alert })).map((d) => [d.idempotencyKey, d.status, d.nextAttemptAt])).toEqual([[key, 'PENDING', at(0)]]);
    });

    it('feeds run ends and step failures after an id, in order, with the run\'s asset keys, up to upToId', async () => {
      const asset = fresh('asset');
      const run = newRun([assetStep(asset)]);
      await ctx.instance.runs.createRun(run);
      await ctx.instance.runs.setRunStatus(run.id, 'STARTED', at(1));
      await ctx.instance.runs.startStep(run.id, asset, 1, at(2), 'w1');
      await ctx.instance.runs.finishStep(run.id, asset, failed(1));
      await ctx.instance.runs.setRunStatus(run.id, 'FAILURE', at(3), { name: 'E', message: 'x' });
      const mark = await ctx.instance.sensors.feedWatermark();
      const events = (await alerts().alertEventsAfter({ afterId: 0, upToId: mark.maxEventId, limit: 100_000 })).filter((e) => e.runId === run.id);
      expect(events.map((e) => [e.type, e.stepKey, e.assetKeys])).toEqual([
        ['STEP_FAILED', asset, [asset]],
        ['RUN_FAILURE', null, [asset]],
      ]);
      expect(events[0]!.data).toMatchObject({ willRetry: false });
      const bounded = await alerts().alertEventsAfter({ afterId: 0, upToId: events[0]!.id, limit: 100_000 });
      expect(bounded.some((e) => e.id === events[1]!.id)).toBe(false);
    });

    it('finds the runs still going that started before a time, with their asset keys (run_long_running)', async () => {
      const asset = fresh('long');
      const long = newRun([assetStep(asset), assetStep(`${asset}_b`, [asset])]);
      const recent = newRun([assetStep(fresh('recent'))]);
      const ended = newRun([assetStep(fresh('ended'))]);
      for (const run of [long, recent, ended]) await ctx.instance.runs.createRun(run);
      await ctx.instance.runs.setRunStatus(long.id, 'STARTED', at(10));
      await ctx.instance.runs.setRunStatus(recent.id, 'STARTED', at(100));
      await ctx.instance.runs.setRunStatus(ended.id, 'STARTED', at(10));
      await ctx.instance.runs.setRunStatus(ended.id, 'FAILURE', at(20), { name: 'E', message: 'x' });
      const mine = new Set([long.id, recent.id, ended.id]);
      const found = (await alerts().runsStartedBefore({ startedBefore: at(50), limit: 100_000 })).filter((r) => mine.has(r.id));
      expect(found).toEqual([{ id: long.id, startedAt: at(10), assetKeys: [asset, `${asset}_b`] }]);
    });

    it('gives each due delivery to one claimer; a live claim is not taken, an expired one is; only the holder records an attempt', async () => {
      const alert = fresh('alert');
      const keys = [fresh('k'), fresh('k'), fresh('k')];
      await alerts().commitAlertFeed({ feed: fresh('feed'), cursorBefore: null, cursorAfter: 'c', deliveries: keys.map((k) => delivery(k, alert)), at: at(0) });
      const mine = <T extends { alert: string }>(rows: T[]): T[] => rows.filter((r) => r.alert === alert);
      const [first, second] = await Promise.all([
        alerts().claimDueDeliveries({ claimedBy: 'd1', at: at(5), ttlMs: 60_000, limit: 10_000 }),
        alerts().claimDueDeliveries({ claimedBy: 'd2', at: at(5), ttlMs: 60_000, limit: 10_000 }),
      ]);
      const claimed = [...mine(first), ...mine(second)];
      expect(claimed.map((d) => d.idempotencyKey).sort()).toEqual([...keys].sort());
      const holder = claimed[0]!;
      expect(mine(await alerts().claimDueDeliveries({ claimedBy: 'd3', at: at(30), ttlMs: 60_000, limit: 10_000 }))).toEqual([]);
      const taken = mine(await alerts().claimDueDeliveries({ claimedBy: 'd3', at: at(70), ttlMs: 60_000, limit: 10_000 }));
      expect(taken).toHaveLength(3);
      // The expired holder comes back: its record is refused.
      expect(await alerts().recordDeliveryAttempt({ id: holder.id, claimedBy: holder.claimedBy!, at: at(71), outcome: { status: 'SENT' } })).toBe(false);
      expect(await alerts().recordDeliveryAttempt({ id: holder.id, claimedBy: 'd3', at: at(71), outcome: { status: 'RETRY', error: 'HTTP 503', nextAttemptAt: at(200) } })).toBe(true);
      const [a, b] = taken.filter((d) => d.id !== holder.id);
      expect(await alerts().recordDeliveryAttempt({ id: a!.id, claimedBy: 'd3', at: at(72), outcome: { status: 'SENT' } })).toBe(true);
      expect(await alerts().recordDeliveryAttempt({ id: b!.id, claimedBy: 'd3', at: at(72), outcome: { status: 'FAILED', error: 'gave up' } })).toBe(true);
      // A retry is not due before its time; SENT and FAILED are never claimed again.
      expect(mine(await alerts().claimDueDeliveries({ claimedBy: 'd4', at: at(199), ttlMs: 60_000, limit: 10_000 }))).toEqual([]);
      const retried = mine(await alerts().claimDueDeliveries({ claimedBy: 'd4', at: at(200), ttlMs: 60_000, limit: 10_000 }));
      expect(retried.map((d) => [d.id, d.attempts, d.lastError])).toEqual([[holder.id, 1, 'HTTP 503']]);
      expect(await alerts().recordDeliveryAttempt({ id: holder.id, claimedBy: 'd4', at: at(201), outcome: { status: 'SENT' } })).toBe(true);
      expect(await alerts().getDelivery(holder.id)).toMatchObject({ status: 'SENT', attempts: 2, sentAt: at(201), claimedBy: null });
      expect((await alerts().listDeliveryAttempts(holder.id)).map((x) => [x.attempt, x.ok, x.error])).toEqual([
        [1, false, 'HTTP 503'],
        [2, true, null],
      ]);
      const counts = (await alerts().countDeliveries()).filter((c) => c.alert === alert);
      expect(counts.map((c) => [c.status, c.count, c.lastError])).toEqual([
        ['FAILED', 1, 'gave up'],
        ['SENT', 2, 'HTTP 503'],
      ]);
    });
  
    it('gives the newest delivery of each alert and channel', async () => {
      const alert = fresh('alert');
      const through = (key: string, channel: string): NewAlertDelivery => ({ ...delivery(key, alert), channel });
      const [k1, k2, k3] = [fresh('k'), fresh('k'), fresh('k')];
      await alerts().insertDeliveries([through(k1, 'webhook:A'), through(k2, 'slack:B')], at(0));
      await alerts().insertDeliveries([through(k3, 'webhook:A')], at(1));
      const latest = (await alerts().latestDeliveries()).filter((d) => d.alert === alert);
      expect(latest.map((d) => [d.channel, d.idempotencyKey])).toEqual([
        ['slack:B', k2],
        ['webhook:A', k3],
      ]);
    });
  });
}
