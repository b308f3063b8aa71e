import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openInstance } from '../../src/storage/index.js';
import { assetStep, at, fresh, newRun, succeeded } from './fixtures.js';
import { instanceContract } from './instance-contract.js';

instanceContract('pglite', () => openInstance({ kind: 'pglite', dataDir: undefined }));

describe('PGlite store', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('creates its dataDir and, reopened, sees the earlier runs', async () => {
    const root = await mkdtemp(join(tmpdir(), 'sluice-pglite-'));
    dirs.push(root);
    const dataDir = join(root, 'nested', 'runs');
    const asset = fresh('kept');
    const run = newRun([assetStep(asset)]);

    const first = await openInstance({ kind: 'pglite', dataDir });
    expect(first.dialect).toBe('pglite');
    await first.runs.createRun(run);
    await first.runs.startStep(run.id, asset, 1, at(1), 'w');
    await first.runs.finishStep(run.id, asset, succeeded(1, { materialization: { metadata: { rows: 7 } } }));
    await first.close();

    const second = await openInstance({ kind: 'pglite', dataDir });
    try {
      expect((await second.runs.getRun(run.id))?.id).toBe(run.id);
      expect((await second.runs.listSteps(run.id)).map((step) => step.status)).toEqual(['SUCCEEDED']);
      expect((await second.eventLog.latestMaterializations([asset])).get(asset)?.metadata).toEqual({ rows: 7 });
    } finally {
      await second.close();
    }
  });

  it('close can be called twice', async () => {
    const instance = await openInstance({ kind: 'pglite', dataDir: undefined });
    await instance.close();
    await expect(instance.close()).resolves.toBeUndefined();
  });
});
