import { afterAll, describe, expect, it } from 'vitest';
import { defineAsset } from '../../src/core/asset/define-asset.js';
import type { Instance } from '../../src/storage/instance.js';
import type { StepOutcome } from '../../src/storage/run-storage.js';
import { openInstance } from '../../src/storage/index.js';
import { harness } from '../fixtures/harness.js';

/**
 * The real store, with one difference: the first successful finish of step `a` commits and then
 * fails, as when a connection drops after the commit and before its reply. The retried finish
 * matches nothing (the attempt already ended), so it cannot say which children it made ready.
 */
function losingFinishReply(real: Instance): { instance: Instance; lost: () => number } {
  let lost = 0;
  const runs = new Proxy(real.runs, {
    get(target, prop) {
      if (prop === 'finishStep') {
        return async (runId: string, stepKey: string, outcome: StepOutcome) => {
          const result = await target.finishStep(runId, stepKey, outcome);
          if (lost === 0 && stepKey === 'a' && outcome.status === 'SUCCEEDED') {
            lost++;
            throw new Error('Connection terminated unexpectedly');
          }
          return result;
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const instance = new Proxy(real, {
    get(target, prop) {
      if (prop === 'runs') return runs;
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { instance, lost: () => lost };
}

describe('a step finish whose commit reply is lost (in-process executor)', () => {
  let real: Instance | undefined;
  afterAll(async () => {
    await real?.close();
  });

  it('still runs the children it made ready, once each, and the run succeeds', async () => {
    real = await openInstance({ kind: 'pglite', dataDir: undefined });
    const { instance, lost } = losingFinishReply(real);
    const calls: string[] = [];
    const a = defineAsset({ key: 'a', materialize: () => void calls.push('a') });
    const b = defineAsset({ key: 'b', deps: [a], materialize: () => void calls.push('b') });
    const c = defineAsset({ key: 'c', deps: [a], materialize: () => void calls.push('c') });
    const d = defineAsset({ key: 'd', deps: [b, c], materialize: () => void calls.push('d') });
    const h = await harness([a, b, c, d], [], { instance });
    try {
      const run = await h.materialize('*');
      expect(lost()).toBe(1);
      expect(run.status).toBe('SUCCESS');
      expect([...calls].sort()).toEqual(['a', 'b', 'c', 'd']);
      const steps = await real.runs.listSteps(run.id);
      expect(steps.map((s) => `${s.key}:${s.status}:${s.attempt}`).sort()).toEqual(['a:SUCCEEDED:1', 'b:SUCCEEDED:1', 'c:SUCCEEDED:1', 'd:SUCCEEDED:1']);
    } finally {
      await h.close();
    }
  });
});
