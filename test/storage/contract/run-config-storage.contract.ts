import { describe, expect, it } from 'vitest';
import { at, fresh } from '../fixtures.js';
import type { ContractContext } from './contract-context.js';

/** The RunConfigStorage contract: named configs are versioned from 1, one version per put. */
export function runConfigStorageContract(ctx: ContractContext): void {
  describe('RunConfigStorage', () => {
    describe('run configs', () => {
      it('versions named run configs from 1 and reads a version or the latest', async () => {
        const name = fresh('cfg');
        expect(await ctx.instance.configs.getRunConfig(name)).toBeUndefined();
        const v1 = await ctx.instance.configs.putRunConfig(name, { 'raw/orders': { limit: 1 } }, at(1));
        const v2 = await ctx.instance.configs.putRunConfig(name, { 'raw/orders': { limit: 2 } }, at(2));
        expect(v1).toEqual({ name, version: 1, body: { 'raw/orders': { limit: 1 } }, createdAt: at(1) });
        expect(v2.version).toBe(2);
        expect(await ctx.instance.configs.getRunConfig(name)).toEqual(v2);
        expect(await ctx.instance.configs.getRunConfig(name, 1)).toEqual(v1);
        expect(await ctx.instance.configs.getRunConfig(name, 3)).toBeUndefined();
      });

      it('gives concurrent puts of one name distinct versions', async () => {
        const name = fresh('cfg');
        const puts = await Promise.all([1, 2, 3, 4].map((n) => ctx.instance.configs.putRunConfig(name, { n }, at(n))));
        expect(puts.map((config) => config.version).sort()).toEqual([1, 2, 3, 4]);
      });
    });

    describe('listRunConfigs', () => {
      it('lists each name once with its latest version', async () => {
        const a = fresh('cfg_list_a');
        const b = fresh('cfg_list_b');
        await ctx.instance.configs.putRunConfig(a, { x: { n: 1 } }, at(1));
        await ctx.instance.configs.putRunConfig(a, { x: { n: 2 } }, at(2));
        await ctx.instance.configs.putRunConfig(b, {}, at(3));
        const listed = (await ctx.instance.configs.listRunConfigs()).filter((c) => c.name === a || c.name === b);
        expect(listed).toEqual([
          { name: a, latestVersion: 2, updatedAt: at(2) },
          { name: b, latestVersion: 1, updatedAt: at(3) },
        ]);
      });
    });
  });
}
