import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineAsset } from '../../src/core/asset/define-asset.js';
import { dailyPartitions } from '../../src/core/partitions/partitions-definition.js';
import { loadAssetPartitions } from '../../src/execution/asset-partitions.js';
import { harness, type Harness } from '../fixtures/harness.js';

const days = dailyPartitions({ start: '2024-10-01' });
const NOW = new Date('2024-10-04T12:00:00Z'); // partitions 2024-10-01 .. 2024-10-03

describe('loadAssetPartitions', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness([
      defineAsset({ key: 'source', materialize: () => {} }),
      defineAsset({ key: 'raw', deps: ['source'], materialize: () => {} }),
      defineAsset({ key: 'daily', deps: ['raw'], partitions: days, materialize: () => {} }),
    ]);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('shows running while a step holds the partition lock, and staleness that flows from a grandparent', async () => {
    await h.materialize('key:source or key:raw');
    expect((await h.materialize('key:daily', { partition: '2024-10-01' })).status).toBe('SUCCESS');
    // A run of 2024-10-02 holding its lock: running.
    const held = await h.launch('key:daily', { partition: '2024-10-02' });
    expect(await h.instance.runs.startStep(held.id, 'daily', 1, new Date(), 'test')).toEqual({ started: true });
    let view = await loadAssetPartitions(h.instance, h.graph, 'daily', NOW);
    const byKey = () => Object.fromEntries(view.partitions.map((p) => [p.key, [p.status, p.stale ?? false]]));
    expect(byKey()).toEqual({ '2024-10-03': ['missing', false], '2024-10-02': ['running', false], '2024-10-01': ['materialized', false] });
    expect(view.partitions.find((p) => p.key === '2024-10-02')?.runId).toBe(held.id);

    // The grandparent is materialized again: raw is stale, so 2024-10-01 of daily is stale too.
    await h.materialize('key:source');
    view = await loadAssetPartitions(h.instance, h.graph, 'daily', NOW);
    expect(byKey()['2024-10-01']).toEqual(['materialized', true]);
  });
});
