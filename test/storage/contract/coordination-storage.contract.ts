import { describe, expect, it } from 'vitest';
import type { Heartbeat } from '../../../src/storage/instance.js';
import { at, fresh } from '../fixtures.js';
import type { ContractContext } from './contract-context.js';

const TTL = 10_000;

/** The CoordinationStorage contract: leases (one holder at a time, until expiry) and heartbeats. Asset locks are RunStorage's (run-storage/asset-locks.ts). */
export function coordinationStorageContract(ctx: ContractContext): void {
  describe('CoordinationStorage', () => {
    describe('leases', () => {
      it('acquireLease takes a free lease and refuses another holder until it expires, then lets it take over', async () => {
        const name = fresh('lease');
        expect(await ctx.instance.coordination.acquireLease(name, 'a', TTL, at(0))).toBe(true);
        expect(await ctx.instance.coordination.acquireLease(name, 'b', TTL, at(5))).toBe(false);
        expect(await ctx.instance.coordination.acquireLease(name, 'b', TTL, at(10))).toBe(true);
        expect(await ctx.instance.coordination.acquireLease(name, 'a', TTL, at(11))).toBe(false);
      });

      it('its holder renews the lease, pushing its expiry', async () => {
        const name = fresh('lease');
        expect(await ctx.instance.coordination.acquireLease(name, 'a', TTL, at(0))).toBe(true);
        expect(await ctx.instance.coordination.acquireLease(name, 'a', TTL, at(8))).toBe(true);
        expect(await ctx.instance.coordination.acquireLease(name, 'b', TTL, at(12))).toBe(false);
        expect(await ctx.instance.coordination.acquireLease(name, 'b', TTL, at(18))).toBe(true);
      });

      it('getLease tells the holder and expiry, and nothing once released', async () => {
        const name = fresh('lease');
        expect(await ctx.instance.coordination.getLease(name)).toBeUndefined();
        await ctx.instance.coordination.acquireLease(name, 'a', TTL, at(0));
        expect(await ctx.instance.coordination.getLease(name)).toEqual({ holder: 'a', expiresAt: at(10) });
        await ctx.instance.coordination.releaseLease(name, 'a');
        expect(await ctx.instance.coordination.getLease(name)).toBeUndefined();
      });

      it('releaseLease frees the lease only for its holder', async () => {
        const name = fresh('lease');
        await ctx.instance.coordination.acquireLease(name, 'a', TTL, at(0));
        await ctx.instance.coordination.releaseLease(name, 'b');
        expect(await ctx.instance.coordination.acquireLease(name, 'b', TTL, at(1))).toBe(false);
        await ctx.instance.coordination.releaseLease(name, 'a');
        expect(await ctx.instance.coordination.acquireLease(name, 'b', TTL, at(1))).toBe(true);
      });

      it('of concurrent acquirers at the same instant exactly one wins, for a free and for an expired lease', async () => {
        for (let round = 0; round < 10; round++) {
          const name = fresh('lease');
          const holders = ['a', 'b', 'c', 'd'];
          const free = await Promise.all(holders.map((holder) => ctx.instance.coordination.acquireLease(name, holder, TTL, at(0))));
          expect(free.filter(Boolean)).toHaveLength(1);
          const expired = await Promise.all(holders.map((holder) => ctx.instance.coordination.acquireLease(name, `${holder}2`, TTL, at(20))));
          expect(expired.filter(Boolean)).toHaveLength(1);
        }
      });

      it('acquireLease rejects a ttl that is not positive', async () => {
        await expect(ctx.instance.coordination.acquireLease(fresh('lease'), 'a', 0, at(0))).rejects.toMatchObject({ code: 'INVALID_LEASE_TTL' });
      });
    });

    describe('heartbeats', () => {
      it('heartbeat upserts by id; listHeartbeats lists newest first; removeHeartbeat deletes', async () => {
        const daemon: Heartbeat = { id: fresh('daemon:host:1'), kind: 'daemon', host: 'host', pid: 1, startedAt: at(0), at: at(1), info: { version: '0.1.0' } };
        const worker: Heartbeat = { id: fresh('worker:host:2'), kind: 'worker', host: 'host', pid: 2, startedAt: at(0), at: at(3), info: { concurrency: 4, queues: ['default'] } };
        const ours = async () => (await ctx.instance.coordination.listHeartbeats()).filter((beat) => beat.id === daemon.id || beat.id === worker.id);

        await ctx.instance.coordination.heartbeat(daemon);
        await ctx.instance.coordination.heartbeat(worker);
        expect(await ours()).toEqual([worker, daemon]);

        const later = { ...daemon, at: at(5), info: { version: '0.1.0', errors: [{ message: 'tick failed' }] } };
        await ctx.instance.coordination.heartbeat(later);
        expect(await ours()).toEqual([later, worker]);

        await ctx.instance.coordination.removeHeartbeat(later.id);
        await ctx.instance.coordination.removeHeartbeat(fresh('unknown'));
        expect(await ours()).toEqual([worker]);
      });
    });
  });
}
