import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRecord } from '../../src/core/events.js';
import type { Instance } from '../../src/storage/instance.js';
import { openInstance } from '../../src/storage/index.js';
import { RunEventHub } from '../../src/web/run-event-hub.js';

let instance: Instance;
beforeAll(async () => {
  instance = await openInstance({ kind: 'pglite', dataDir: undefined });
});
afterAll(() => instance.close());

const log = (runId: string, msg: string) => ({ type: 'LOG' as const, runId, stepKey: null, at: new Date(), data: { level: 'info' as const, msg } });

describe('RunEventHub', () => {
  it('hands every watcher each event of a run once and in order, whenever it joined, until the run ends', async () => {
    const runId = 'hub-run';
    await instance.runs.createRun({ id: runId, selection: '*', trigger: 'test', tags: {}, config: {}, configRef: null, steps: [], at: new Date() });
    await instance.runs.setRunStatus(runId, 'STARTED', new Date());
    const hub = new RunEventHub(instance, 20);
    const seen: Record<string, EventRecord[]> = { early: [], late: [], resumed: [] };
    const ended: Record<string, boolean> = {};
    const watch = (name: string, after = 0) => hub.subscribe(runId, after, (events, end) => {
      seen[name]!.push(...events);
      if (end) ended[name] = true;
    });
    await watch('early');
    await instance.eventLog.appendEvents([log(runId, 'one'), log(runId, 'two')]);
    await new Promise((r) => setTimeout(r, 60));
    await watch('late');
    const firstLog = seen.early!.find((e) => e.type === 'LOG')!.id;
    await watch('resumed', firstLog);
    expect(hub.watchedRuns).toBe(1);
    await instance.eventLog.appendEvents([log(runId, 'three')]);
    await instance.runs.setRunStatus(runId, 'SUCCESS', new Date());
    for (let i = 0; i < 100 && Object.keys(ended).length < 3; i++) await new Promise((r) => setTimeout(r, 20));
    const all = (await instance.eventLog.listEvents(runId)).map((e) => e.id);
    expect(seen.early!.map((e) => e.id)).toEqual(all);
    expect(seen.late!.map((e) => e.id)).toEqual(all);
    expect(seen.resumed!.map((e) => e.id)).toEqual(all.filter((id) => id > firstLog));
    expect(ended).toEqual({ early: true, late: true, resumed: true });
    expect(hub.watchedRuns).toBe(0);
    // A watcher of an ended run gets its backlog and the end at once, and no tail is kept.
    const after: string[] = [];
    await hub.subscribe(runId, 0, (events, end) => after.push(...events.map((e) => e.type), ...(end ? ['end'] : [])));
    expect(after.at(-2)).toBe('RUN_SUCCESS');
    expect(after.at(-1)).toBe('end');
    expect(hub.watchedRuns).toBe(0);
  });
});
