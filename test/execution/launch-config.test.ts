import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAsset } from '../../src/core/asset/define-asset.js';
import { harness, type Harness } from '../fixtures/harness.js';

describe('launch config', () => {
  let h: Harness;
  beforeAll(async () => {
    const config = z.object({ n: z.number().default(1) });
    h = await harness([defineAsset({ key: 'a', config, materialize: () => {} }), defineAsset({ key: 'b', deps: ['a'], config, materialize: () => {} })]);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('applies a named config to the selected assets only; inline config naming an unselected asset is refused', async () => {
    const body = { a: { n: 2 }, b: { n: 3 } };
    const run = await h.launch('key:b', { config: body, configRef: { name: 'pipeline', version: 4 } });
    expect(run).toMatchObject({ config: { b: { n: 3 } }, configRef: { name: 'pipeline', version: 4 } });
    await expect(h.launch('key:b', { config: body })).rejects.toMatchObject({ code: 'INVALID_RUN_CONFIG', message: expect.stringContaining('"a", which is not selected') });
    // Bad values of the selected assets still fail, named or not.
    await expect(h.launch('key:b', { config: { b: { n: 'x' } }, configRef: { name: 'pipeline', version: 5 } })).rejects.toMatchObject({ code: 'INVALID_RUN_CONFIG' });
  });
});
