import { describe, expect, it } from 'vitest';
import { sluice, tempProject } from '../fixtures/cli.js';


const project = {
  'assets/daily.ts': `
import { dailyPartitions, defineAsset } from 'sluice';
export const events = defineAsset({
  key: 'raw/events',
  partitions: dailyPartitions({ start: '2024-10-01' }),
  materialize: (ctx) => ({ metadata: { day: ctx.partitionKey } }),
});
`,
};

describe('sluice backfill', () => {
  it('executes a 3-day backfill in this process, then shows it and the asset partitions', async () => {
    const dir = tempProject(project);
    const res = await sluice(['backfill', '--select', 'key:raw/events', '--from', '2024-10-01', '--to', '2024-10-03'], { cwd: dir });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const id = /^backfill ([0-9a-f-]{36}): 3 partition\(s\), 3 run\(s\) created in \d+ ms/m.exec(res.stdout)?.[1];
    expect(id).toBeDefined();
    // A line per finished run, oldest first, then the final progress.
    expect(res.stdout.match(/^✓ run \S+ \(2024-10-0\d\) done  \[\d\/3 runs ended, 0 not successful\]$/gm)).toHaveLength(3);
    expect(res.stdout.indexOf('(2024-10-01)')).toBeLessThan(res.stdout.indexOf('(2024-10-03)'));
    expect(res.stdout).toContain('partitions: done 3, failed 0, running 0, queued 0, canceled 0');

    const show = await sluice(['backfill', 'show', id!, '--json'], { cwd: dir });
    expect(show.code).toBe(0);
    const summary = JSON.parse(show.stdout);
    expect(summary).toMatchObject({ backfillId: id, status: 'COMPLETED', selection: 'key:raw/events', from: '2024-10-01', to: '2024-10-03', policy: 'per-partition', runCount: 3 });
    expect(summary.partitions.map((p: { key: string; state: string }) => `${p.key}:${p.state}`)).toEqual(['2024-10-01:done', '2024-10-02:done', '2024-10-03:done']);

    const partitions = await sluice(['assets', 'partitions', 'raw/events', '--json'], { cwd: dir });
    expect(partitions.code).toBe(0);
    const view = JSON.parse(partitions.stdout);
    const oldest = view.partitions.slice(-4).map((p: { key: string; status: string; runId: string | null }) => [p.key, p.status, p.runId]);
    expect(oldest).toEqual([
      ['2024-10-04', 'missing', null],
      ['2024-10-03', 'materialized', summary.partitions[2].runId],
      ['2024-10-02', 'materialized', summary.partitions[1].runId],
      ['2024-10-01', 'materialized', summary.partitions[0].runId],
    ]);
    expect(view.counts.materialized).toBe(3);
  });
});
