import { describe, expect, it } from 'vitest';
import { loggedResult, parseDbtLogLine, stepLogLevel } from '../../../src/integrations/dbt/dbt-json-log.js';

const line = (name: string, code: string, data: Record<string, unknown>, level = 'debug') =>
  JSON.stringify({ info: { name, code, msg: `${name} line`, level, ts: '2026-11-22T06:00:00.000000Z', invocation_id: 'x', pid: 1, thread: 'Thread-1', category: '', extra: {} }, data });

describe('dbt JSON log lines', () => {
  it('parses dbt’s {info, data} lines and nothing else', () => {
    expect(parseDbtLogLine(line('MainReportVersion', 'A001', { version: '=1.8.7' }, 'info'))).toEqual({
      info: { name: 'MainReportVersion', code: 'A001', msg: 'MainReportVersion line', level: 'info', ts: '2026-11-22T06:00:00.000000Z' },
      data: { version: '=1.8.7' },
    });
    expect(parseDbtLogLine('12:00:00  Running with dbt=1.8.7')).toBeUndefined();
    expect(parseDbtLogLine('{"level": "info", "msg": "pino, not dbt"}')).toBeUndefined();
    expect(parseDbtLogLine('{not json')).toBeUndefined();
  });

  it('maps dbt levels onto step log levels', () => {
    expect(['debug', 'info', 'warn', 'error', 'INFO', 'something'].map(stepLogLevel)).toEqual(['debug', 'info', 'warn', 'error', 'info', 'info']);
  });

  it('reads a Q025 NodeFinished run_result (debug level): status, rows, failures, timing', () => {
    const event = parseDbtLogLine(
      line('NodeFinished', 'Q025', {
        node_info: { unique_id: 'model.p.m', node_status: 'success' },
        run_result: { status: 'success', message: 'SELECT 7', execution_time: 0.25, adapter_response: { _message: 'SELECT 7', code: 'SELECT', rows_affected: 7 }, num_failures: 0 },
      }),
    )!;
    expect(loggedResult(event)).toEqual({ uniqueId: 'model.p.m', status: 'success', failures: 0, rowsAffected: 7, executionTimeSeconds: 0.25, message: 'SELECT 7' });
  });

  it('takes a model’s status from node_info.node_status, not from its adapter message', () => {
    const event = parseDbtLogLine(
      line('LogModelResult', 'Q012', { node_info: { unique_id: 'model.p.m', node_status: 'success' }, status: 'CREATE VIEW', execution_time: 0.1 }, 'info'),
    )!;
    expect(loggedResult(event)).toEqual({ uniqueId: 'model.p.m', status: 'success', executionTimeSeconds: 0.1, message: 'CREATE VIEW' });
    // A table's adapter message counts its rows; the relation comes from node_info.node_relation.
    const table = parseDbtLogLine(
      line('LogModelResult', 'Q012', { node_info: { unique_id: 'model.p.t', node_status: 'success', node_relation: { relation_name: '"db"."s"."t"' } }, status: 'SELECT 42' }, 'info'),
    )!;
    expect(loggedResult(table)).toEqual({ uniqueId: 'model.p.t', status: 'success', rowsAffected: 42, message: 'SELECT 42', relation: '"db"."s"."t"' });
  });

  it('reads Z033 MarkSkippedChildren as a skipped node, and ignores events about no node', () => {
    expect(loggedResult(parseDbtLogLine(line('MarkSkippedChildren', 'Z033', { unique_id: 'model.p.child', status: 'skipped', run_result: { message: 'upstream failed' } }))!)).toEqual({
      uniqueId: 'model.p.child',
      status: 'skipped',
      message: 'upstream failed',
    });
    expect(loggedResult(parseDbtLogLine(line('LogStartLine', 'Q011', { node_info: { unique_id: 'model.p.m', node_status: 'started' } }, 'info'))!)).toBeUndefined();
  });
});
