import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../../src/core/plan/execution-plan.js';
import { graphOf, noop, passingCheck } from '../../fixtures/graph.js';

describe('buildPlan', () => {
  const graph = graphOf(
    [noop('raw'), noop('stg', ['raw']), noop('mart', ['stg']), noop('other')],
    [
      passingCheck('raw', 'valid', { blocking: true }),
      passingCheck('raw', 'advisory', { blocking: false }),
      passingCheck('raw', 'warn_only', { blocking: true, severity: 'WARN' }),
    ],
  );

  it('makes an asset depend on its selected parents and their gating checks only', () => {
    const plan = buildPlan(graph, new Set(['raw', 'stg', 'mart']));
    const byKey = Object.fromEntries(plan.steps.map((s) => [s.key, s]));
    expect(Object.keys(byKey).sort()).toEqual(['mart', 'raw', 'raw#advisory', 'raw#valid', 'raw#warn_only', 'stg']);
    expect(byKey.stg!.deps).toEqual(['raw', 'raw#valid']);
    expect(byKey.mart!.deps).toEqual(['stg']);
    expect(byKey['raw#valid']).toMatchObject({ kind: 'check', assetKey: 'raw', checkName: 'valid', deps: ['raw'] });
  });

  it('drops deps on unselected parents', () => {
    const plan = buildPlan(graph, new Set(['stg']));
    expect(plan.steps.map((s) => [s.key, s.deps])).toEqual([['stg', []]]);
  });

  it('lists steps in dependency order', () => {
    const plan = buildPlan(graph, new Set(['raw', 'stg', 'mart', 'other']));
    const keys = plan.steps.map((s) => s.key);
    for (const step of plan.steps) for (const dep of step.deps) expect(keys.indexOf(dep)).toBeLessThan(keys.indexOf(step.key));
  });
});

describe('buildPlan across a gap in the selection', () => {
  const graph = graphOf(
    [noop('raw'), noop('stg', ['raw']), noop('wide', ['raw']), noop('mart', ['stg', 'wide']), noop('report', ['mart'])],
    [passingCheck('raw', 'valid', { blocking: true }), passingCheck('raw', 'advisory', { blocking: false })],
  );

  it('makes an asset wait for the nearest selected ancestors above unselected parents, and their gating checks', () => {
    const plan = buildPlan(graph, new Set(['raw', 'mart', 'report']));
    const deps = Object.fromEntries(plan.steps.map((s) => [s.key, s.deps]));
    expect(deps.mart).toEqual(['raw', 'raw#valid']);
    expect(deps.report).toEqual(['mart']);
  });

  it('includes the checks of every selected asset', () => {
    const plan = buildPlan(graph, new Set(['raw']));
    expect(plan.steps.map((s) => s.key)).toEqual(['raw', 'raw#advisory', 'raw#valid']);
  });
});
