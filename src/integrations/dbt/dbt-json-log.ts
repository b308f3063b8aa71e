/**
 * dbt's structured log lines (`--log-format json`, dbt 1.4+): one JSON object per line with `info`
 * (name, code, msg, level, ts, invocation_id, ...) and event-specific `data`, which carries
 * `node_info` (unique_id, node_status, resource_type, ...) for events about one node. Schemas:
 * dbt-core's core/dbt/events/core_types.proto.
 */

export interface DbtLogLine {
  readonly info: {
    readonly name: string;
    readonly code: string;
    readonly msg: string;
    readonly level: string;
    readonly ts?: string;
  };
  readonly data: Readonly<Record<string, unknown>>;
}

/** What one log event says about one node's outcome; later events refine earlier ones. */
export interface LoggedResult {
  readonly uniqueId: string;
  readonly status?: string;
  readonly failures?: number;
  readonly rowsAffected?: number;
  readonly executionTimeSeconds?: number;
  readonly message?: string;
  /** The relation the node built (`"db"."schema"."name"`), when dbt names one. */
  readonly relation?: string;
}

/** Rows a statement's status names: `SELECT 3`, `INSERT 0 3`, `UPDATE 3`, `DELETE 3`, `MERGE 3`, `COPY 3`. */
function rowsOf(status: string | undefined): number | undefined {
  const match = status === undefined ? null : /^(?:SELECT|INSERT \d+|UPDATE|DELETE|MERGE|COPY) (\d+)$/.exec(status);
  return match ? Number(match[1]) : undefined;
}

/** Parses a line of dbt's JSON log; undefined for anything else (a Python warning, a blank line). */
export function parseDbtLogLine(line: string): DbtLogLine | undefined {
  if (!line.startsWith('{')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { info, data } = value as { info?: unknown; data?: unknown };
  if (typeof info !== 'object' || info === null) return undefined;
  const i = info as Record<string, unknown>;
  if (typeof i.name !== 'string' || typeof i.msg !== 'string') return undefined;
  return {
    info: {
      name: i.name,
      code: typeof i.code === 'string' ? i.code : '',
      msg: i.msg,
      level: typeof i.level === 'string' ? i.level : 'info',
      ...(typeof i.ts === 'string' ? { ts: i.ts } : {}),
    },
    data: typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {},
  };
}

export type StepLogLevel = 'debug' | 'info' | 'warn' | 'error';

/** dbt's level names (debug, info, warn, error) onto the step logger's. */
export function stepLogLevel(dbtLevel: string): StepLogLevel {
  switch (dbtLevel.toLowerCase()) {
    case 'debug':
    case 'trace':
      return 'debug';
    case 'warn':
    case 'warning':
      return 'warn';
    case 'error':
    case 'fatal':
      return 'error';
    default:
      return 'info';
  }
}

/** The per-node result events: Q007 LogTestResult, Q012 LogModelResult, Q015 LogSnapshotResult, Q016 LogSeedResult, Q019 LogNodeNoOpResult. */
const RESULT_EVENTS = new Set(['LogTestResult', 'LogModelResult', 'LogSnapshotResult', 'LogSeedResult', 'LogNodeNoOpResult']);

/**
 * The node outcome an event reports, if any. The result lines carry the final status in
 * `node_info.node_status` (their own `status` is the adapter's message for a model, e.g.
 * "CREATE VIEW"; for a test it is pass/fail/warn/error) and `num_failures` for tests. Q025
 * NodeFinished adds its `run_result` (status, message, execution_time, adapter_response,
 * num_failures); Z033 MarkSkippedChildren names a node skipped because an upstream failed.
 */
export function loggedResult(line: DbtLogLine): LoggedResult | undefined {
  const { name } = line.info;
  const data = line.data;
  const nodeInfo = asRecord(data.node_info);
  if (RESULT_EVENTS.has(name)) {
    const uniqueId = str(nodeInfo?.unique_id);
    if (!uniqueId) return undefined;
    const status = str(nodeInfo?.node_status) ?? str(data.status);
    // A model's own `status` is the adapter's message ("SELECT 3", "CREATE VIEW"); a test's is its outcome.
    const adapterMessage = name === 'LogTestResult' ? undefined : str(data.status);
    return compact({
      uniqueId,
      status,
      failures: name === 'LogTestResult' ? num(data.num_failures) : undefined,
      rowsAffected: rowsOf(adapterMessage),
      executionTimeSeconds: num(data.execution_time),
      message: str(data.result_message) ?? adapterMessage,
      relation: str(asRecord(nodeInfo?.node_relation)?.relation_name),
    });
  }
  if (name === 'NodeFinished') {
    const uniqueId = str(nodeInfo?.unique_id);
    const run = asRecord(data.run_result);
    if (!uniqueId || !run) return undefined;
    return fromRunResult(uniqueId, run);
  }
  if (name === 'MarkSkippedChildren') {
    const uniqueId = str(data.unique_id);
    if (!uniqueId) return undefined;
    return compact({ uniqueId, status: str(data.status) ?? 'skipped', message: str(asRecord(data.run_result)?.message) });
  }
  return undefined;
}

/** A run result object (NodeFinished.run_result, or an entry of run_results.json) as a LoggedResult. */
export function fromRunResult(uniqueId: string, run: Readonly<Record<string, unknown>>): LoggedResult {
  const adapter = asRecord(run.adapter_response);
  const rows = num(adapter?.rows_affected);
  return compact({
    uniqueId,
    status: str(run.status),
    failures: num(run.failures) ?? num(run.num_failures),
    rowsAffected: rows !== undefined && rows >= 0 ? rows : undefined,
    executionTimeSeconds: num(run.execution_time),
    message: str(run.message) ?? str(adapter?._message),
    relation: str(run.relation_name),
  });
}

function compact(result: Record<string, unknown>): LoggedResult {
  return Object.fromEntries(Object.entries(result).filter(([, v]) => v !== undefined)) as unknown as LoggedResult;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
