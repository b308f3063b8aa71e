import { describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../src/web/api-contract.js';
import type { StepSummary } from '../../src/execution/run-summary.js';
// @ts-ignore -- a dashboard module (plain JS with JSDoc types): typed only where checkJs covers src/web/static
import { StepModel } from '../../src/web/static/run/step-model.js';

/** The run page's steps as the stream moves them (the page applies every STEP_* event to them). */
const step = (key: string, over: Partial<StepSummary> = {}): StepSummary => ({
  key, kind: 'asset', assetKey: key, checkName: null, status: 'PENDING', attempts: 0, worker: null, startedAt: null, endedAt: null,
  durationMs: null, error: null, materialization: null, check: null, multi: null, ...over,
});
let id = 0;
const event = (type: string, stepKey: string, data: object, at = '2024-01-01T00:00:10.000Z') => ({ id: ++id, runId: 'r', stepKey, at, type, data }) as unknown as ApiEvent;
const started = (key: string, attempt: number) => event('STEP_STARTED', key, { attempt, worker: 'w' });
const succeeded = (key: string, attempt: number) => event('STEP_SUCCEEDED', key, { attempt, durationMs: 1500 }, '2024-01-01T00:00:11.500Z');
const failed = (key: string, attempt: number, willRetry: boolean) =>
  event('STEP_FAILED', key, { attempt, durationMs: 20, willRetry, error: { name: 'Error', message: 'boom' } });

describe('StepModel', () => {
  it('moves a step through its events and reports which step changed', () => {
    const model = new StepModel([step('a'), step('b')]);
    expect(model.apply(started('b', 1))).toBe(1);
    expect(model.at(1)).toMatchObject({ status: 'RUNNING', attempts: 1, worker: 'w', startedAt: '2024-01-01T00:00:10.000Z' });
    expect(model.apply(succeeded('b', 1))).toBe(1);
    expect(model.at(1)).toMatchObject({ status: 'SUCCEEDED', durationMs: 1500, endedAt: '2024-01-01T00:00:11.500Z' });
    expect(model.apply(event('STEP_SKIPPED', 'a', { reason: 'upstream failed' }))).toBe(0);
    expect(model.at(0).status).toBe('SKIPPED');
    expect(model.apply(started('nope', 1))).toBe(-1);
    expect(model.apply(event('LOG', 'a', { level: 'info', msg: 'x' }))).toBe(-1);
  });

  it('ignores events the loaded run already reflects, so a replayed stream never moves a step back', () => {
    const model = new StepModel([step('a', { status: 'SUCCEEDED', attempts: 2, startedAt: '2024-01-01T00:00:05.000Z', endedAt: '2024-01-01T00:00:06.000Z', durationMs: 1000 })]);
    for (const e of [started('a', 1), failed('a', 1, true), started('a', 2), succeeded('a', 2), event('STEP_SKIPPED', 'a', { reason: 'r' })]) expect(model.apply(e)).toBe(-1);
    expect(model.at(0)).toMatchObject({ status: 'SUCCEEDED', attempts: 2, durationMs: 1000 });
  });

  it('follows a retry: a failed attempt that will be retried leaves the step pending, the next attempt runs it', () => {
    const model = new StepModel([step('a')]);
    model.apply(started('a', 1));
    expect(model.apply(failed('a', 1, true))).toBe(0);
    expect(model.at(0)).toMatchObject({ status: 'PENDING', attempts: 1, error: { message: 'boom' } });
    expect(model.apply(started('a', 1))).toBe(-1);
    expect(model.apply(started('a', 2))).toBe(0);
    expect(model.at(0)).toMatchObject({ status: 'RUNNING', attempts: 2, error: null });
    expect(model.apply(failed('a', 2, false))).toBe(0);
    expect(model.at(0).status).toBe('FAILED');
  });

  it('fills a check step\u2019s result from its evaluation', () => {
    const model = new StepModel([step('a#q', { kind: 'check', checkName: 'q' })]);
    expect(model.apply(event('CHECK_EVALUATION', 'a#q', { assetKey: 'a', checkName: 'q', passed: false, severity: 'ERROR', blocking: true, metadata: { bad: 3 } }))).toBe(0);
    expect(model.at(0).check).toEqual({ passed: false, severity: 'ERROR', blocking: true, metadata: { bad: 3 }, description: null });
  });
});
