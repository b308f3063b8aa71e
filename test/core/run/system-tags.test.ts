import { describe, expect, it } from 'vitest';
import { defineSchedule } from '../../../src/core/schedule/schedule-definition.js';
import { assertUserTags, PRIORITY_TAG } from '../../../src/core/run/system-tags.js';
import { launchRun } from '../../../src/execution/launch-run.js';
import { openInstance } from '../../../src/storage/index.js';
import { graphOf, noop } from '../../fixtures/graph.js';

describe('the reserved sluice/ tag prefix', () => {
  it('refuses a user tag with it, naming where it came from and what to use instead; sluice/priority is the user’s to set', () => {
    expect(() => assertUserTags({ team: 'data', 'sluice/backfill': 'x' }, '--tag')).toThrow(
      /--tag: tag "sluice\/backfill" uses the sluice\/ prefix, which Sluice's own tags use .*pick another key, e\.g\. "backfill"/,
    );
    expect(() => assertUserTags({ [PRIORITY_TAG]: '5', team: 'data' }, '--tag')).not.toThrow();
    expect(() => defineSchedule({ name: 'n', cron: '0 6 * * *', timezone: 'UTC', select: '*', tags: { 'sluice/schedule': 'other' } })).toThrow(/schedule "n": tag "sluice\/schedule"/);
  });

  it('is checked on every launch path (the CLI, the API, a schedule all go through launchRun), while Sluice’s own tags pass', async () => {
    const instance = await openInstance({ kind: 'pglite', dataDir: undefined });
    try {
      const graph = graphOf([noop('tagged')]);
      const now = new Date();
      await expect(launchRun({ instance, graph }, { selection: '*', trigger: 'web', now, tags: { 'sluice/parent_run_id': 'forged' }, tagsSource: 'tags of POST /api/runs' })).rejects.toMatchObject({
        code: 'RESERVED_TAG',
        message: expect.stringContaining('tags of POST /api/runs: tag "sluice/parent_run_id"'),
      });
      expect(await instance.runs.listRuns({})).toEqual([]);
      const run = await launchRun({ instance, graph }, { selection: '*', trigger: 'test', now, tags: { team: 'data' }, systemTags: { 'sluice/parent_run_id': 'r1' } });
      expect(run.tags).toEqual({ team: 'data', 'sluice/parent_run_id': 'r1' });
    } finally {
      await instance.close();
    }
  });
});
