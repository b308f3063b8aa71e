import { describe, expect, it } from 'vitest';
import type { SluiceError } from '../../src/core/errors.js';
import { AssetGraph } from '../../src/core/graph/asset-graph.js';
import { defineAsset } from '../../src/index.js';
import { checkDeadlines } from '../../src/runtime/check-deadlines.js';

describe('checkDeadlines (project load)', () => {
  it('reports a deadline cron croner refuses, naming the asset, its file and the fix; a valid one passes', () => {
    const bad = defineAsset({ key: 'publish', deadline: { cron: '61 6 * * *', timezone: 'UTC' }, materialize: () => undefined });
    const good = defineAsset({ key: 'raw', deadline: { cron: '30 6 * * 1-5', timezone: 'Europe/London' }, materialize: () => undefined });
    const graph = AssetGraph.build([{ definition: bad, source: 'assets/publish.ts' }, { definition: good, source: 'assets/raw.ts' }], []);
    const problems: SluiceError[] = [];
    checkDeadlines(graph, (p) => problems.push(p));
    expect(problems.map((p) => [p.code, p.data.key, p.data.file])).toEqual([['INVALID_DEFINITION', 'publish', 'assets/publish.ts']]);
    expect(problems[0]!.message).toMatch(/^deadline of asset "publish" in assets\/publish.ts: invalid cron "61 6 \* \* \*": .*; use a croner pattern of 5 fields/);
  });
});
