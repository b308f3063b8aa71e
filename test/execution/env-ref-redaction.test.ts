import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAsset } from '../../src/core/asset/define-asset.js';
import { harness, type Harness } from '../fixtures/harness.js';

// A variable whose name does not look secret: only its use as an env reference makes it one.
const VAR = 'SLUICE_TEST_PARTNER_HANDLE';
const VALUE = 'partner-7f3a9c-handle';

describe('env references in run config', () => {
  let h: Harness;
  beforeAll(async () => {
    process.env[VAR] = VALUE;
    h = await harness([
      defineAsset({
        key: 'partner',
        config: z.object({ handle: z.string() }),
        materialize(ctx) {
          ctx.log.info({ handle: ctx.config.handle }, `calling the partner as ${ctx.config.handle}`);
          return { metadata: { used: ctx.config.handle, length: ctx.config.handle.length } };
        },
      }),
    ]);
  });
  afterAll(async () => {
    delete process.env[VAR];
    await h?.close();
  });

  it('resolve in the step, and their values are redacted from logs, events and metadata', async () => {
    const run = await h.materialize('key:partner', { config: { partner: { handle: `env:${VAR}` } } });
    expect(run.status).toBe('SUCCESS');
    // The run keeps the reference, never the value.
    expect(run.config).toEqual({ partner: { handle: `env:${VAR}` } });
    const [materialization] = await h.instance.eventLog.materializations('partner', { limit: 1 });
    expect(materialization?.metadata).toEqual({ used: '[REDACTED]', length: VALUE.length });
    const stored = JSON.stringify(await h.instance.eventLog.listEvents(run.id));
    expect(stored).not.toContain(VALUE);
    expect(stored).toContain('calling the partner as [REDACTED]');
  });
});
