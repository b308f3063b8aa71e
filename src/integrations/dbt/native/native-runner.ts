import type { Metadata } from '../../../core/asset/metadata.js';
import type { ResourceDefinition } from '../../../core/asset/resource.js';
import { SluiceError } from '../../../core/errors.js';
import { didYouMean, suggest } from '../../../core/suggest.js';
import { ensureSchema } from '../../postgres/ensure-schema.js';
import { postgresWarehouse } from '../../postgres/postgres-warehouse.js';
import type { Warehouse } from '../../postgres/warehouse.js';
import type { DbtNode, DbtNodeResult, DbtRunContext, DbtRunner, DbtTest } from '../dbt-project.js';
import { buildIncremental } from './build-incremental.js';
import { buildTable } from './build-table.js';
import { buildView } from './build-view.js';
import { columnSql } from './column-sql.js';
import { compileNode } from './compile-node.js';
import { DbtNativeError, OUTSIDE_SUBSET } from './dbt-native-error.js';
import { executionOrder } from './execution-order.js';
import { genericTestSql } from './generic-test-sql.js';
import { checkTestConfig, modelPlan, type ModelPlan } from './native-config.js';
import { RunTarget } from './run-target.js';
import { runTestQuery } from './run-test-query.js';

/** The write-audit-publish dev branch: transforms write there; main is written only by promotion. */
export const DEFAULT_TARGET_SCHEMA = 'dev';

export interface NativeRunnerOptions {
  /**
   * The warehouse: a resource definition (added to the steps' resources as `warehouse`), or the
   * key of a warehouse resource the steps already have. Default: the `postgresWarehouse` resource.
   */
  readonly warehouse?: string | ResourceDefinition<Warehouse>;
  /** The target schema models build into (dbt's target.schema). Default `dev`. */
  readonly schema?: string;
  /** dbt's `target.name`, which the project's Jinja may test (`{% if target.name == 'prod' %}`). Default `dev`. */
  readonly targetName?: string;
  /** Values for `{{ var() }}`, over dbt_project.yml's `vars:`. */
  readonly vars?: Readonly<Record<string, unknown>>;
  /** Rebuild incremental models in full (dbt's --full-refresh). */
  readonly fullRefresh?: boolean;
}

type Prepared =
  | { readonly kind: 'model'; readonly node: DbtNode; readonly plan: ModelPlan }
  | { readonly kind: 'test'; readonly test: DbtTest; readonly sql: string };

/**
 * The `native` dbt runner: Sluice compiles the project's SQL as dbt does (its Jinja on nunjucks,
 * with dbt's context and the project's macros; README, "native dbt runner: supported subset") and
 * runs it on Postgres or PGlite through the Warehouse port. Every selected node and test is
 * compiled before anything runs, so what the runner cannot do (a package's macro, a hook, a
 * Python model, a materialization it lacks) fails the step naming the file, line and what to do,
 * with nothing built. Then, in `dbt build` order: views, tables (built aside and swapped in),
 * incremental models, tests (failing rows counted, a sample kept); a node whose upstream failed,
 * or whose upstream's blocking (error) test failed, is skipped. Each result goes to
 * `ctx.onResult` as soon as its node or test is done. Models build into the schema dbt's
 * generate_schema_name gives (the project's own macro when it has one) for target schema
 * `schema` (default `dev`), under their alias or name.
 */
export function nativeRunner(options: NativeRunnerOptions = {}): DbtRunner {
  const key = typeof options.warehouse === 'string' ? options.warehouse : 'warehouse';
  const resources = typeof options.warehouse === 'string' ? {} : { warehouse: options.warehouse ?? postgresWarehouse };
  const schema = options.schema ?? DEFAULT_TARGET_SCHEMA;
  return Object.freeze({
    kind: 'native',
    resources: Object.freeze(resources),
    async run(ctx: DbtRunContext): Promise<DbtNodeResult[]> {
      const warehouse = warehouseFrom(ctx.resources, key);
      const target = new RunTarget(ctx.project, {
        schema,
        vars: options.vars ?? {},
        fullRefresh: options.fullRefresh ?? false,
        ...(options.targetName === undefined ? {} : { targetName: options.targetName }),
      });
      const templateLog = (message: string, info: boolean) => (info ? ctx.log.info({ dbt: 'log' }, message) : ctx.log.debug({ dbt: 'log' }, message));
      const prepared = prepare(target, ctx.select, templateLog);
      for (const s of new Set([...prepared.values()].flatMap((p) => (p.kind === 'model' && p.plan.materialized !== 'ephemeral' ? [target.schemaOf(p.node)] : [])))) {
        await ensureSchema(warehouse, s);
      }
      const failed = new Set<string>();
      const gated = new Set<string>();
      const results: DbtNodeResult[] = [];
      for (const item of executionOrder(ctx.project, ctx.select)) {
        ctx.signal.throwIfAborted();
        const entry = prepared.get(item.id)!;
        const blockedBy = item.reads.find((dep) => failed.has(dep) || (entry.kind === 'model' && gated.has(dep)));
        if (blockedBy) {
          if (entry.kind === 'model') failed.add(item.id);
          const result = skipped(item.id, blockedBy);
          results.push(result);
          ctx.onResult?.(result);
          continue;
        }
        const started = performance.now();
        const result = entry.kind === 'model'
          ? await runModel(warehouse, target, entry.node, entry.plan, templateLog).catch((error) => errorResult(item.id, error))
          : await runTest(warehouse, entry.test, entry.sql).catch((error) => errorResult(item.id, error));
        const seconds = Math.round(performance.now() - started) / 1000;
        const timed = { ...result, executionTimeSeconds: seconds };
        results.push(timed);
        logResult(ctx, timed, entry);
        ctx.onResult?.(timed);
        if (entry.kind === 'model' && result.status === 'error') failed.add(item.id);
        if (entry.kind === 'test' && entry.test.severity === 'ERROR' && (result.status === 'fail' || result.status === 'error')) {
          for (const dep of entry.test.attachedNode ? [entry.test.attachedNode] : entry.test.dependsOn) gated.add(dep);
        }
      }
      return results;
    },
  });
}

function warehouseFrom(resources: Readonly<Record<string, unknown>>, key: string): Warehouse {
  const value = resources[key] as Partial<Warehouse> | undefined;
  if (value && typeof value.query === 'function' && typeof value.transaction === 'function') return value as Warehouse;
  throw new SluiceError(
    'DBT_WAREHOUSE_MISSING',
    `the native dbt runner needs a Warehouse in resource "${key}", but the step has ${value === undefined ? 'none' : 'something else there'}${didYouMean(suggest(key, Object.keys(resources)))}: pass nativeRunner({ warehouse }) a resource definition or the key of one`,
    { resource: key },
  );
}

/** Compiles and checks everything selected before anything runs. Throws the first problem. */
function prepare(target: RunTarget, select: readonly string[], log: (message: string, info: boolean) => void): Map<string, Prepared> {
  const { project } = target;
  const prepared = new Map<string, Prepared>();
  for (const id of select) {
    const node = project.nodes.get(id);
    const test = project.tests.get(id);
    if (node) {
      if (node.resourceType !== 'model') {
        throw new DbtNativeError('DBT_UNSUPPORTED', { file: node.originalFilePath }, `${node.resourceType} "${node.name}": the native runner builds models only; ${OUTSIDE_SUBSET}`, {
          construct: node.resourceType,
        });
      }
      if (node.language === 'python') modelPlan(node, {});
      const compiled = compileNode(target, node, false, log);
      const plan = modelPlan(node, compiled.config);
      for (const key of plan.uniqueKey) columnSql(key, { file: node.originalFilePath });
      prepared.set(id, { kind: 'model', node, plan });
    } else if (test) {
      let sql: string;
      if (test.testName === undefined) {
        const compiled = compileNode(target, test, false, log);
        checkTestConfig(test, compiled.config);
        sql = compiled.sql;
      } else {
        checkTestConfig(test);
        sql = genericTestSql(target, test);
      }
      prepared.set(id, { kind: 'test', test, sql });
    } else {
      const known = [...project.nodes.keys(), ...project.tests.keys()];
      throw new SluiceError('DBT_UNKNOWN_NODE', `"${id}" is not a node or test of dbt project "${project.name}"${didYouMean(suggest(id, known))}`, { id });
    }
  }
  return prepared;
}

async function runModel(warehouse: Warehouse, target: RunTarget, node: DbtNode, plan: ModelPlan, log: (message: string, info: boolean) => void): Promise<DbtNodeResult> {
  const { schema, identifier } = target.relationOf(node);
  const base = { schema, name: identifier };
  const relation = `${schema}.${identifier}`;
  const fullRefresh = target.fullRefresh;
  const metadata = { materialized: plan.materialized, relation };
  switch (plan.materialized) {
    case 'ephemeral':
      return result(node.uniqueId, 'success', { metadata, message: 'ephemeral: inlined as a CTE into the models that ref it, never built' });
    case 'view':
      await buildView(warehouse, { ...base, sql: compileNode(target, node, false, log).sql });
      return result(node.uniqueId, 'success', { metadata, message: `view ${relation} created` });
    case 'table': {
      const rows = await buildTable(warehouse, { ...base, sql: compileNode(target, node, false, log).sql });
      return result(node.uniqueId, 'success', { rowsAffected: rows, metadata, message: `table ${relation} built (${rows} rows)` });
    }
    default: {
      const uniqueKey = plan.uniqueKey.map((key) => columnSql(key, { file: node.originalFilePath }));
      const outcome = await buildIncremental(warehouse, { ...base, uniqueKey, fullRefresh }, (isIncremental) => compileNode(target, node, isIncremental, log).sql);
      return result(node.uniqueId, 'success', {
        rowsAffected: outcome.rowsInserted,
        metadata: { ...metadata, incremental: outcome.incremental, rows_inserted: outcome.rowsInserted, rows_deleted: outcome.rowsDeleted },
        message: `${outcome.incremental ? 'incremental' : 'full'} build of ${relation}: ${outcome.rowsInserted} rows inserted, ${outcome.rowsDeleted} deleted`,
      });
    }
  }
}

async function runTest(warehouse: Warehouse, test: DbtTest, sql: string): Promise<DbtNodeResult> {
  const { failures, sample } = await runTestQuery(warehouse, sql);
  const status = failures === 0 ? 'pass' : test.severity === 'WARN' ? 'warn' : 'fail';
  const metadata: Metadata = { severity: test.severity, ...(failures > 0 ? { sample: { json: sample } } : {}) };
  return result(test.uniqueId, status, {
    failures,
    metadata,
    message: failures === 0 ? 'passed' : `got ${failures} result${failures === 1 ? '' : 's'}, configured to ${test.severity === 'WARN' ? 'warn' : 'fail'} if != 0`,
  });
}

function result(uniqueId: string, status: string, fields: Partial<Omit<DbtNodeResult, 'uniqueId' | 'status'>>): DbtNodeResult {
  return {
    uniqueId,
    status,
    failures: fields.failures,
    rowsAffected: fields.rowsAffected,
    executionTimeSeconds: fields.executionTimeSeconds,
    message: fields.message,
    metadata: fields.metadata ?? {},
  };
}

function skipped(uniqueId: string, blockedBy: string): DbtNodeResult {
  return result(uniqueId, 'skipped', { message: `skipped: upstream ${blockedBy} failed`, metadata: { skipped_because: blockedBy } });
}

/** A node or test that could not run (a Postgres error): dbt's status `error`, with the message. */
function errorResult(uniqueId: string, error: unknown): DbtNodeResult {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  return result(uniqueId, 'error', { message, metadata: { error: message, ...(typeof code === 'string' ? { error_code: code } : {}) } });
}

function logResult(ctx: DbtRunContext, result: DbtNodeResult, entry: Prepared): void {
  const fields = { node: result.uniqueId, status: result.status, seconds: result.executionTimeSeconds, rows: result.rowsAffected, failures: result.failures };
  if (result.status === 'error') ctx.log.error({ ...fields, error: result.message }, 'dbt node failed');
  else if (result.status === 'fail' || result.status === 'warn') ctx.log.warn(fields, 'dbt test found failing rows');
  else ctx.log.info(fields, entry.kind === 'model' ? 'dbt model built' : 'dbt test passed');
}
