import { describe, expect, it } from 'vitest';
import { defineSensor, onAssetEvents, onRunStatus } from '../../../src/index.js';

const evaluate = () => ({});

describe('defineSensor, onAssetEvents, onRunStatus', () => {
  it('return frozen data with the documented defaults', () => {
    const sensor = defineSensor({ name: 'inbox', evaluate });
    expect(Object.isFrozen(sensor)).toBe(true);
    expect(sensor).toMatchObject({ kind: 'sensor', name: 'inbox', minimumIntervalSeconds: 30, timeoutSeconds: 60, defaultStatus: 'STOPPED', source: { type: 'standard' } });
    expect(onAssetEvents({ name: 'a', assets: 'raw', includeChecks: true, evaluate }).source).toEqual({ type: 'asset', assets: 'raw', includeChecks: true, includeObservations: false });
    expect(onAssetEvents({ name: 'a', assets: 'raw', includeObservations: true, evaluate }).source).toEqual({ type: 'asset', assets: 'raw', includeChecks: false, includeObservations: true });
    expect(onRunStatus({ name: 'r', status: ['FAILURE'], select: 'group:x', evaluate }).source).toEqual({ type: 'run_status', statuses: ['FAILURE'], runSelect: 'group:x' });
  });

  it('refuse bad fields saying which sensor, what is wrong and what to write instead', () => {
    const cases: Array<[() => unknown, string]> = [
      [() => defineSensor({ name: 'bad name', evaluate }), 'invalid sensor name "bad name": use letters, digits, "_", "-" or "."'],
      [() => defineSensor({ name: 's', minimumIntervalSeconds: 0, evaluate }), 'sensor "s": minimumIntervalSeconds must be a number of seconds > 0 (got 0)'],
      [() => defineSensor({ name: 's', defaultStatus: 'ON' as never, evaluate }), 'sensor "s": defaultStatus must be "RUNNING" or "STOPPED" (got "ON")'],
      [() => defineSensor({ name: 's' } as never), 'sensor "s": evaluate must be a function (ctx) => ({ runRequests?, skipReason?, cursor? })'],
      [() => onAssetEvents({ name: 's', assets: '', evaluate }), 'sensor "s": assets must be an asset selection such as "raw_orders" or "group:ingest"'],
      [() => onRunStatus({ name: 's', status: ['QUEUED'], evaluate }), 'sensor "s": status must be a non-empty list of "STARTED", "SUCCESS", "FAILURE", "CANCELED" (got ["QUEUED"])'],
    ];
    for (const [define, message] of cases) expect(define).toThrow(message);
  });
});
