import { afterAll, beforeAll } from 'vitest';
import type { Instance } from '../../src/storage/instance.js';
import { openInstance } from '../../src/storage/index.js';
import { harness } from '../fixtures/harness.js';
import { executorContract, type OpenExecutor } from './executor-contract.js';
import { multiAssetContract } from './multi-asset-contract.js';

let shared: Instance;
beforeAll(async () => {
  shared = await openInstance({ kind: 'pglite', dataDir: undefined });
});
afterAll(() => shared.close());

const open: OpenExecutor = async (assets, checks = [], options = {}) => {
  const h = await harness(assets, checks, { instance: shared, ...(options.secrets ? { secrets: options.secrets } : {}) });
  return {
    instance: h.instance,
    parallelism: 3,
    materialize: (selection, options = {}) =>
      h.materialize(selection, { concurrency: 3, ...(options.signal ? { signal: options.signal } : {}), ...(options.config === undefined ? {} : { config: options.config }) }),
    close: () => h.close(),
  };
};

executorContract('in-process on PGlite', open);
multiAssetContract('in-process on PGlite', open);
