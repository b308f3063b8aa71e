import { afterAll, describe, expect, it } from 'vitest';
import { defineAsset } from '../../src/core/asset/define-asset.js';
import type { NewEvent } from '../../src/core/events.js';
import type { Instance } from '../../src/storage/instance.js';
import { openInstance } from '../../src/storage/index.js';
import { harness } from '../fixtures/harness.js';

/**
 * The real store, with one difference: the first write of a batch holding STEP_STARTED commits and
 * then fails, as when a connection drops after the commit and before its reply (the fault test
 * postgres-unreachable reaches this only by chance).
 */
function losingFirstReply(real: Instance): { instance: Instance; lost: () => number } {
  let lost = 0;
  const eventLog = new Proxy(real.eventLog, {
    get(target, prop) {
      if (prop === 'appendEvents') {
        return async (events: readonly NewEvent[]) => {
          await target.appendEvents(events);
          if (lost === 0 && events.some((e) => e.type === 'STEP_STARTED')) {
            lost++;
            throw new Error('Connection terminated unexpectedly');
          }
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const instance = new Proxy(real, {
    get(target, prop) {
      if (prop === 'eventLog') return eventLog;
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { instance, lost: () => lost };
}

describe('a batch of step events whose commit reply is lost', () => {
  let real: Instance | undefined;
  afterAll(async () => {
    await real?.close();
  });

  it('is written again without a second STEP_STARTED of the attempt', async () => {
    real = await openInstance({ kind: 'pglite', dataDir: undefined });
    const { instance, lost } = losingFirstReply(real);
    const slow = defineAsset({
      key: 'slow',
      materialize: async (ctx) => {
        ctx.log.info('first line');
        await new Promise((r) => setTimeout(r, 400));
        ctx.log.info('last line');
        return { metadata: { ok: true } };
      },
    });
    const h = await harness([slow], [], { instance });
    try {
      const run = await h.materialize('*');
      expect(run.status).toBe('SUCCESS');
      expect(lost()).toBe(1);
      const events = await real.eventLog.listEvents(run.id, { stepKey: 'slow' });
      expect(events.filter((e) => e.type === 'STEP_STARTED')).toHaveLength(1);
      expect(events.filter((e) => e.type === 'STEP_SUCCEEDED')).toHaveLength(1);
      const lines = events.filter((e) => e.type === 'LOG').map((e) => (e.data as { msg: string }).msg);
      expect(lines).toContain('first line');
      expect(lines).toContain('last line');
    } finally {
      await h.close();
    }
  });
});
