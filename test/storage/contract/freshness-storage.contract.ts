import { describe, expect, it } from 'vitest';
import type { FreshnessChange, NewAlertDelivery } from '../../../src/storage/instance.js';
import { at, fresh } from '../fixtures.js';
import type { ContractContext } from './contract-context.js';

/** The FreshnessStorage contract: a verdict change, its history row and its deliveries in one transaction, guarded by a compare-and-set. */
export function freshnessStorageContract(ctx: ContractContext): void {
  const store = () => ctx.instance.freshness;
  const delivery = (key: string): NewAlertDelivery => ({ idempotencyKey: key, alert: 'sla', channel: 'webhook:URL', eventType: 'freshness_violation', payload: { detail: { key } } });
  const change = (asset: string, level: 'PASS' | 'WARN' | 'FAIL', violationKey: string | null, before: FreshnessChange['before'], deliveries: NewAlertDelivery[] = []): FreshnessChange => ({
    state: { assetKey: asset, kind: 'deadline', partitionKey: '2024-10-14', level, violationKey, about: level === 'PASS' ? null : at(10), deadline: at(10), lagMinutes: null, summary: `${level} summary` },
    before,
    deliveries,
  });

  describe('FreshnessStorage', () => {
    it('writes a change with its history row and deliveries; a checker holding a stale verdict writes nothing', async () => {
      const asset = fresh('asset');
      const warnKey = fresh('v');
      const failKey = fresh('v');
      expect(await store().recordFreshnessChange(change(asset, 'WARN', warnKey, null, [delivery(warnKey)]), at(1))).toEqual({ committed: true, inserted: 1 });
      // A second checker that also saw no verdict loses the compare-and-set; its delivery is not written.
      expect(await store().recordFreshnessChange(change(asset, 'WARN', warnKey, null, [delivery(fresh('other'))]), at(1))).toEqual({ committed: false, inserted: 0 });
      expect(await store().recordFreshnessChange(change(asset, 'FAIL', failKey, { level: 'WARN', violationKey: warnKey }, [delivery(failKey)]), at(2))).toEqual({ committed: true, inserted: 1 });
      expect(await store().recordFreshnessChange(change(asset, 'PASS', null, { level: 'WARN', violationKey: warnKey }), at(3))).toEqual({ committed: false, inserted: 0 });
      expect(await store().recordFreshnessChange(change(asset, 'PASS', null, { level: 'FAIL', violationKey: failKey }), at(4))).toEqual({ committed: true, inserted: 0 });
      const states = await store().listFreshnessStates([asset]);
      expect(states.map((s) => [s.kind, s.partitionKey, s.level, s.violationKey, s.about, s.deadline, s.since])).toEqual([['deadline', '2024-10-14', 'PASS', null, null, at(10), at(4)]]);
      const history = await store().freshnessResults(asset);
      expect(history.map((r) => [r.level, r.violationKey, r.recovers, r.about, r.at])).toEqual([
        ['PASS', null, failKey, null, at(4)],
        ['FAIL', failKey, null, at(10), at(2)],
        ['WARN', warnKey, null, at(10), at(1)],
      ]);
      expect(await store().firstChecks([asset, fresh('none')])).toEqual(new Map([[`${asset} deadline`, at(1)]]));
      const sent = (await ctx.instance.alerts.listDeliveries({ alert: 'sla', limit: 1000 })).map((d) => d.idempotencyKey);
      expect(sent.filter((k) => k === warnKey || k === failKey).sort()).toEqual([warnKey, failKey].sort());
    });

    it('lists verdicts by asset, kind and partition, only of the assets asked for', async () => {
      const a = fresh('a');
      const b = fresh('b');
      await store().recordFreshnessChange({ ...change(a, 'PASS', null, null), state: { ...change(a, 'PASS', null, null).state, kind: 'freshness', partitionKey: '', deadline: null, lagMinutes: 12.5 } }, at(1));
      await store().recordFreshnessChange(change(a, 'FAIL', fresh('v'), null), at(1));
      await store().recordFreshnessChange(change(b, 'FAIL', fresh('v'), null), at(1));
      expect((await store().listFreshnessStates([a])).map((s) => [s.assetKey, s.kind, s.partitionKey, s.lagMinutes])).toEqual([
        [a, 'deadline', '2024-10-14', null],
        [a, 'freshness', '', 12.5],
      ]);
      expect(await store().listFreshnessStates([])).toEqual([]);
      expect((await store().listFreshnessStates()).filter((s) => s.assetKey === b)).toHaveLength(1);
    });
  });
}
