import { describe, expect, it } from 'vitest';
import { toAlertEvent } from '../../src/core/alert/alert-event.js';
import { alertSubject, alertText } from '../../src/core/alert/alert-message.js';

const at = new Date('2031-01-01T06:00:00Z');
const source = (type: string, data: Record<string, unknown>, stepKey: string | null = null) => ({ id: 7, type, runId: 'run-1234567890', stepKey, at, data, assetKeys: ['raw', 'publish'] });

describe('toAlertEvent', () => {
  it('raises step_failure only for a failure with no retry left, keyed by run and step', () => {
    expect(toAlertEvent(source('STEP_FAILED', { attempt: 1, willRetry: true }, 'publish'))).toBeUndefined();
    expect(toAlertEvent(source('STEP_FAILED', { attempt: 3, willRetry: false }, 'publish'))).toMatchObject({ type: 'step_failure', identity: 'step_failure:run-1234567890:publish', detail: { attempt: 3 } });
  });

  it('raises check_failure for a failed check only, matched against the check\'s asset, keyed by the event', () => {
    expect(toAlertEvent(source('CHECK_EVALUATION', { assetKey: 'raw', checkName: 'rows', passed: true, severity: 'ERROR' }))).toBeUndefined();
    const event = toAlertEvent(source('CHECK_EVALUATION', { assetKey: 'raw', checkName: 'rows', passed: false, severity: 'WARN' }))!;
    expect(event).toMatchObject({ type: 'check_failure', identity: 'check_failure:7', assetKeys: ['raw'], detail: { assetKey: 'raw', checkName: 'rows', severity: 'WARN' } });
    expect(alertSubject({ idempotencyKey: 'k', alert: 'a', event: event.type, runId: event.runId, stepKey: null, at: '', runUrl: null, detail: event.detail, test: false })).toBe('[sluice] a: asset check failed (run run-1234, check raw/rows (WARN))');
  });

  it('raises run ends keyed by the run, with the failed steps but never the error text', () => {
    const event = toAlertEvent(source('RUN_FAILURE', { error: { name: 'Error', message: 'password=hunter2' }, failedSteps: ['publish'] }))!;
    expect(event).toMatchObject({ type: 'run_failure', identity: 'run_failure:run-1234567890', detail: { failedSteps: ['publish'] } });
    expect(JSON.stringify(event)).not.toContain('hunter2');
    expect(toAlertEvent(source('RUN_SUCCESS', {}))!.type).toBe('run_success');
    expect(toAlertEvent(source('RUN_CANCELED', {}))!.type).toBe('run_canceled');
    expect(toAlertEvent(source('RUN_STARTED', {}))).toBeUndefined();
    expect(alertText({ idempotencyKey: 'k1', alert: 'a', event: 'run_failure', runId: 'r', stepKey: null, at: 'now', runUrl: 'http://x/#/runs/r', detail: event.detail, test: false })).toBe(
      '[sluice] a: run failed (run r)\nat now\nrun: http://x/#/runs/r\nfailed steps: publish\nidempotency key: k1',
    );
  });
});
