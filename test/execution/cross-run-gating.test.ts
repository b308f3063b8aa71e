import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineAssetCheck } from '../../src/core/checks/check-definition.js';
import { isSluiceError } from '../../src/core/errors.js';
import { harness, type Harness } from '../fixtures/harness.js';
import { noop } from '../fixtures/graph.js';
import { ALLOW_FAILED_CHECKS_TAG } from '../../src/core/run/system-tags.js';


describe('cross-run gating at launch', () => {
  let h: Harness;
  let rawIsValid = false;
  const p = `g${Date.now()}`;
  const k = (name: string) => `${p}_${name}`;

  beforeAll(async () => {
    h = await harness(
      [noop(`${p}_raw`), noop(`${p}_stg`, [`${p}_raw`]), noop(`${p}_mart`, [`${p}_stg`]), noop(`${p}_side`)],
      [
        defineAssetCheck({ asset: `${p}_raw`, name: 'valid', blocking: true, check: () => ({ passed: rawIsValid, description: rawIsValid ? 'ok' : '7 bad rows' }) }),
        defineAssetCheck({ asset: `${p}_raw`, name: 'soft', blocking: true, severity: 'WARN', check: () => ({ passed: false }) }),
        defineAssetCheck({ asset: `${p}_raw`, name: 'advisory', check: () => ({ passed: false }) }),
      ],
    );
  });

  afterAll(() => h?.close());

  async function refusal(selection: string): Promise<unknown> {
    return h.launch(selection).then(
      () => undefined,
      (error: unknown) => error,
    );
  }

  it('refuses a later run of a downstream asset, naming the check, its asset, the run and the override; writes nothing', async () => {
    const failing = await h.materialize('*');
    expect(failing.status).toBe('FAILURE');
    const before = (await h.instance.runs.listRuns({ limit: 1000 })).length;

    for (const selection of [`key:${k('mart')}`, `key:${k('stg')}`, `key:${k('stg')} or key:${k('side')}`]) {
      const error = await refusal(selection);
      expect(isSluiceError(error) && error.code).toBe('FAILED_CHECK_GATE');
      const message = (error as Error).message;
      expect(message).toContain(`check "valid" of "${k('raw')}" failed in run ${failing.id}`);
      expect(message).toContain('7 bad rows');
      expect(message).toContain('--allow-failed-checks');
      expect(message).toContain(`--select 'key:${k('raw')}+'`);
      expect((error as { kind: string }).kind).toBe('input');
    }
    // Only the gating check is named: WARN and non-blocking failures never gate.
    expect(((await refusal(`key:${k('mart')}`)) as Error).message).not.toMatch(/"soft"|"advisory"/);
    expect((((await refusal(`key:${k('mart')}`)) as { data: { gates: Array<{ blocks: string[] }> } }).data.gates)[0]!.blocks).toEqual([k('mart')]);
    expect((await h.instance.runs.listRuns({ limit: 1000 })).length).toBe(before);
  });

  it('lets a run that includes the upstream asset re-evaluate its checks instead of gating from storage', async () => {
    const run = await h.launch(`key:${k('raw')}+`);
    expect(run.status).toBe('QUEUED');
    expect(await h.launch(`key:${k('raw')}`)).toMatchObject({ status: 'QUEUED' });
    expect(await h.launch(`key:${k('side')}`)).toMatchObject({ status: 'QUEUED' });
  });

  it('launches with allowFailedChecks and tags the run with the override', async () => {
    const run = await h.launch(`key:${k('mart')}`, { allowFailedChecks: true });
    expect(run.tags[ALLOW_FAILED_CHECKS_TAG]).toBe('true');
  });

  it('skips the downstream of a failing gating check in the same run even across a gap in the selection', async () => {
    const run = await h.materialize(`key:${k('raw')} or key:${k('mart')}`);
    expect(run.status).toBe('FAILURE');
    const steps = Object.fromEntries((await h.instance.runs.listSteps(run.id)).map((s) => [s.key, s.status]));
    expect(steps[k('mart')]).toBe('SKIPPED');
    expect(steps[`${k('raw')}#valid`]).toBe('FAILED');
  });

  it('gates no more once the check passes again', async () => {
    rawIsValid = true;
    expect((await h.materialize(`key:${k('raw')}`)).status).toBe('SUCCESS');
    const run = await h.launch(`key:${k('mart')}`);
    expect(run.tags[ALLOW_FAILED_CHECKS_TAG]).toBeUndefined();
  });
});
