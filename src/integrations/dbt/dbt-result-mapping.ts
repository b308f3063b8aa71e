import type { MaterializeResult } from '../../core/asset/asset-definition.js';
import type { Metadata, MetadataValue } from '../../core/asset/metadata.js';
import type { CheckResult, CheckSeverity } from '../../core/checks/check-definition.js';
import { DbtError } from './dbt-error.js';
import type { DbtNode, DbtNodeResult, DbtTest } from './dbt-project.js';

/**
 * How a runner's DbtNodeResult becomes a materialization or a check result.
 *
 * A node: `success` materializes, with rows affected and execution time as metadata; any other
 * status (error, skipped, partial success) fails the step with dbt's message.
 * A test: `pass` passes; `fail` fails; `warn` fails a WARN check, but on an ERROR check it means
 * the failures stayed under the test's `error_if` threshold, so dbt itself would not fail the
 * build: the check passes, saying so in its description and `dbt_status` metadata, and blocks
 * nothing. `error` (the test could not run) and `skipped` fail the check's step.
 */

/** The result for `uniqueId`; throws DBT_NO_RESULT naming what was run when the runner reported none. */
export function findResult(results: readonly DbtNodeResult[], uniqueId: string, runnerKind: string): DbtNodeResult {
  const result = results.find((r) => r.uniqueId === uniqueId);
  if (result) return result;
  const got = results.map((r) => r.uniqueId);
  throw new DbtError(
    'DBT_NO_RESULT',
    `the ${runnerKind} runner reported no result for ${uniqueId}${got.length ? ` (it reported ${got.join(', ')})` : ''}: dbt did not select it; if the project changed, regenerate the manifest with \`dbt parse\``,
    { uniqueId, reported: got },
  );
}

/** Metadata every dbt result carries: unique id, status, rows affected, execution time, message. */
export function resultMetadata(result: DbtNodeResult): Metadata {
  const out: Record<string, MetadataValue> = { dbt_unique_id: result.uniqueId, dbt_status: result.status };
  if (result.rowsAffected !== undefined) out.rows_affected = result.rowsAffected;
  if (result.executionTimeSeconds !== undefined) out.execution_time_s = round(result.executionTimeSeconds);
  if (result.message !== undefined) out.dbt_message = result.message;
  return { ...out, ...result.metadata };
}

export function materializeResultOf(node: DbtNode, result: DbtNodeResult): MaterializeResult {
  if (result.status !== 'success') {
    throw new DbtError(
      'DBT_NODE_FAILED',
      `dbt ${node.resourceType} "${node.name}" ended ${result.status}${result.message ? `: ${result.message}` : ''}`,
      { uniqueId: node.uniqueId, status: result.status, file: node.originalFilePath },
    );
  }
  return { metadata: resultMetadata(result) };
}

export function checkResultOf(test: DbtTest, severity: CheckSeverity, result: DbtNodeResult): CheckResult {
  const metadata: Record<string, MetadataValue> = { ...resultMetadata(result) };
  if (result.failures !== undefined) metadata.failing_rows = result.failures;
  const rows = result.failures === undefined ? '' : ` (${result.failures} failing row${result.failures === 1 ? '' : 's'})`;
  switch (result.status) {
    case 'pass':
      return { passed: true, metadata };
    case 'fail':
      return { passed: false, metadata, description: `dbt test ${test.name} failed${rows}` };
    case 'warn':
      return severity === 'WARN'
        ? { passed: false, metadata, description: `dbt test ${test.name} warned${rows}` }
        : { passed: true, metadata, description: `dbt test ${test.name} warned${rows}, under its error_if threshold` };
    default:
      throw new DbtError(
        'DBT_TEST_ERROR',
        `dbt test "${test.name}" (${test.originalFilePath}) ended ${result.status}${result.message ? `: ${result.message}` : ''}`,
        { uniqueId: test.uniqueId, status: result.status, file: test.originalFilePath },
      );
  }
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
