import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayReadings } from '../../../../assets/lib/day-readings.js';
import { createRawEntriesSql, insertEntries } from '../../../../assets/lib/insert-entries.js';
import type { DbtProject } from '../../../../src/integrations/dbt/dbt-project.js';
import { loadManifest } from '../../../../src/integrations/dbt/load-manifest.js';
import { compileNode } from '../../../../src/integrations/dbt/native/compile-node.js';
import { loadDbtProjectFromFiles } from '../../../../src/integrations/dbt/native/load-project-files.js';
import { RunTarget } from '../../../../src/integrations/dbt/native/run-target.js';
import { pgWarehouse } from '../../../../src/integrations/postgres/pg-warehouse.js';
import { qualified, quoteIdent } from '../../../../src/integrations/postgres/quote-ident.js';
import type { Warehouse } from '../../../../src/integrations/postgres/warehouse.js';
import { testDbt, TEST_DATABASE_URL } from '../../../fixtures/services.js';
import { freshSchema } from '../../postgres/backends.js';
import { runNative } from './temp-project.js';

/**
 * The native runner against real dbt-core (1.11, dbt-postgres) on the same projects and data:
 * each builds into its own schema of the test Postgres, then the SQL each compiled (dbt's
 * target/compiled, whitespace and schema names normalized) and the rows of every relation each
 * built must be the same, and so must every node's and test's status and failure count.
 */

const exec = promisify(execFile);
const EXAMPLE = resolve(import.meta.dirname, '../../../../dbt');
const JINJA_SHOP = resolve(import.meta.dirname, 'fixtures/jinja-shop');
const LABEL = 'SLUICE_JINJA_SHOP_LABEL';

/** A copy of a dbt project in a temp folder (dbt writes target/ and logs/ into it), with a profile for `schema`. */
function copyProject(from: string, schema: string): { dir: string; name: string } {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-parity-'));
  cpSync(from, dir, { recursive: true, filter: (path) => !/[/\\](target|logs|dbt_packages|profiles\.yml)$/.test(path) });
  const name = /^name:\s*(\w+)/m.exec(readFileSync(join(dir, 'dbt_project.yml'), 'utf8'))![1]!;
  const url = new URL(TEST_DATABASE_URL);
  writeFileSync(
    join(dir, 'profiles.yml'),
    `${name}:\n  target: dev\n  outputs:\n    dev:\n      type: postgres\n      host: ${url.hostname}\n      port: ${url.port || 5432}\n` +
      `      user: ${decodeURIComponent(url.username) || 'postgres'}\n      password: '${decodeURIComponent(url.password)}'\n      dbname: ${url.pathname.slice(1)}\n      schema: ${schema}\n      threads: 1\n`,
  );
  return { dir, name };
}

/** `dbt build` of the project in `dir` with real dbt: each result's status and failures by unique id. */
async function dbtBuild(dir: string, env: Record<string, string> = {}): Promise<Map<string, { status: string; failures: number | null }>> {
  await exec(testDbt(), ['build', '--project-dir', dir, '--profiles-dir', dir], {
    cwd: dir,
    env: { ...process.env, ...env, DBT_SEND_ANONYMOUS_USAGE_STATS: 'false' },
    timeout: 300_000,
    maxBuffer: 16 * 1024 * 1024,
  }).catch((error: { stdout?: string }) => {
    throw new Error(`dbt build failed in ${dir}:\n${error.stdout ?? String(error)}`);
  });
  const runResults = JSON.parse(readFileSync(join(dir, 'target', 'run_results.json'), 'utf8')) as {
    results: Array<{ unique_id: string; status: string; failures: number | null }>;
  };
  return new Map(runResults.results.map((r) => [r.unique_id, { status: r.status, failures: r.failures }]));
}

/** dbt's unique id without the hash it appends to generic tests (`test.p.unique_x_id.5f3a2b1c9d` -> `test.p.unique_x_id`). */
const withoutHash = (id: string) => id.replace(/^(test\..+)\.[0-9a-f]{10}$/, '$1');

/** SQL with whitespace collapsed, dbt's database qualifier dropped and the run's schemas named `<schema>`. */
function normalize(sql: string, schemas: readonly string[]): string {
  let text = sql.replaceAll(/"[^"]+"\.("[^"]+"\.)("[^"]+")/g, '$1$2');
  for (const schema of schemas) text = text.replaceAll(schema, '<schema>');
  return text.replace(/\s+/g, ' ').replace(/\s*;\s*$/, '').trim();
}

async function rowsOf(warehouse: Warehouse, schema: string, name: string): Promise<string[]> {
  const { rows } = await warehouse.query(`select * from ${qualified(schema, name)}`);
  return rows.map((row) => JSON.stringify(row)).sort();
}

describe('the native runner and real dbt build the same', () => {
  let warehouse: Warehouse;
  const schemas: string[] = [];
  const dirs: string[] = [];
  const schema = (suffix: string) => {
    const name = freshSchema(suffix);
    schemas.push(name, `${name}__marts`);
    return name;
  };

  beforeAll(async () => {
    warehouse = pgWarehouse({ connectionString: TEST_DATABASE_URL });
  });

  afterAll(async () => {
    for (const name of schemas) await warehouse.query(`drop schema if exists ${quoteIdent(name)} cascade`);
    await warehouse.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Builds `dir` with dbt into `dbtSchema` and with the native runner (from files, and from the
   * manifest dbt wrote) into their own schemas; compares compiled SQL, statuses and rows.
   */
  async function buildBoth(spec: {
    dir: string;
    projectName: string;
    dbtSchema: string;
    nativeSchema: string;
    manifestSchema?: string;
    incremental: boolean;
    env?: Record<string, string>;
  }) {
    const dbtResults = await dbtBuild(spec.dir, spec.env);
    const manifest = loadManifest(join(spec.dir, 'target', 'manifest.json'));
    const fromFiles = loadDbtProjectFromFiles(spec.dir);
    const runs: Array<{ project: DbtProject; schema: string }> = [{ project: fromFiles, schema: spec.nativeSchema }];
    if (spec.manifestSchema) runs.push({ project: manifest, schema: spec.manifestSchema });
    const allSchemas = [spec.dbtSchema, spec.nativeSchema, ...(spec.manifestSchema ? [spec.manifestSchema] : [])];
    for (const run of runs) {
      const native = await runNative(warehouse, spec.dir, { project: run.project, schema: run.schema });
      // Same nodes and tests, same outcome and failure counts.
      // (dbt reports nothing for an ephemeral model, which it never builds.)
      const built = [...native].filter(([id]) => run.project.nodes.get(id)?.materialized !== 'ephemeral');
      const nativeOutcomes = Object.fromEntries(built.map(([id, r]) => [withoutHash(id), `${r.status}/${r.failures ?? ''}`]));
      const dbtOutcomes = Object.fromEntries([...dbtResults].map(([id, r]) => [withoutHash(id), `${r.status}/${id.startsWith('test.') ? (r.failures ?? '') : ''}`]));
      expect(nativeOutcomes).toEqual(dbtOutcomes);
      const target = new RunTarget(run.project, { schema: run.schema });
      for (const node of manifest.nodes.values()) {
        if (node.resourceType !== 'model') continue;
        const own = run.project.nodes.get(node.uniqueId)!;
        // The SQL dbt compiled (this run's: an incremental model's after its first build).
        const compiled = readFileSync(join(spec.dir, 'target', 'compiled', spec.projectName, node.originalFilePath), 'utf8');
        const isIncremental = own.materialized === 'incremental' && spec.incremental;
        expect(normalize(compileNode(target, own, isIncremental).sql, allSchemas), node.uniqueId).toBe(normalize(compiled, allSchemas));
        if (own.materialized === 'ephemeral') continue;
        // dbt's manifest says where dbt built it; the native runner names it itself.
        const relation = target.relationOf(own);
        const dbtSchema = node.schema!;
        expect(relation.schema.replace(run.schema, '<schema>'), node.uniqueId).toBe(dbtSchema.replace(spec.dbtSchema, '<schema>'));
        const dbtRows = await rowsOf(warehouse, dbtSchema, (node.config?.alias as string | undefined) ?? node.name);
        expect(dbtRows.length, node.uniqueId).toBeGreaterThan(0);
        expect(await rowsOf(warehouse, relation.schema, relation.identifier), node.uniqueId).toEqual(dbtRows);
      }
      for (const test of manifest.tests.values()) {
        if (test.testName !== undefined) continue;
        const compiled = readFileSync(join(spec.dir, 'target', 'compiled', spec.projectName, test.originalFilePath), 'utf8');
        expect(normalize(compileNode(target, run.project.tests.get(withoutHash(test.uniqueId)) ?? test, false).sql, allSchemas)).toBe(normalize(compiled, allSchemas));
      }
    }
    return { manifest, fromFiles };
  }

  it('on the example project (sources, an ephemeral model, an incremental model, vars, tests), over two ingests', async () => {
    const dbtSchema = schema('parity_dbt');
    const nativeSchema = schema('parity_native');
    const { dir, name } = copyProject(EXAMPLE, dbtSchema);
    dirs.push(dir);
    const ingest = async (days: string[]) => {
      const entries = days.flatMap((day) => dayReadings(day, { badRowShare: 0.05 }));
      for (const s of [dbtSchema, nativeSchema]) {
        await warehouse.transaction(async (tx) => {
          await tx.query(`create schema if not exists ${quoteIdent(s)}`);
          await tx.query(`drop table if exists ${qualified(s, 'raw_entries')}`);
          await tx.query(createRawEntriesSql(s, 'raw_entries'));
          await insertEntries(tx, s, 'raw_entries', entries);
        });
      }
    };
    await ingest(['2024-10-13', '2024-10-14']);
    await buildBoth({ dir, projectName: name, dbtSchema, nativeSchema, incremental: false });
    await ingest(['2024-10-14', '2024-10-15']);
    const { manifest } = await buildBoth({ dir, projectName: name, dbtSchema, nativeSchema, incremental: true });
    expect(manifest.nodes.get('model.glucose.fct_readings')!.materialized).toBe('incremental');
  });

  it('on a project of macros, set/for/if, var, env_var, is_incremental, a custom generate_schema_name, a custom schema and an alias, from files and from the manifest', async () => {
    const dbtSchema = schema('parity_dbt');
    const nativeSchema = schema('parity_native');
    const manifestSchema = schema('parity_manifest');
    const { dir, name } = copyProject(JINJA_SHOP, dbtSchema);
    dirs.push(dir);
    const insert = async (rows: string) => {
      for (const s of [dbtSchema, nativeSchema, manifestSchema]) {
        await warehouse.query(`create schema if not exists ${quoteIdent(s)}`);
        await warehouse.query(`create table if not exists ${qualified(s, 'raw_orders')} (id int, customer text, amount numeric, currency text, status text, created_at timestamp)`);
        await warehouse.query(`insert into ${qualified(s, 'raw_orders')} values ${rows}`);
      }
    };
    const previous = process.env[LABEL];
    process.env[LABEL] = 'parity';
    try {
      await insert(`(1, 'Ann', 10.5, 'eur', 'placed', '2024-01-01'), (2, 'Bob', 20, 'usd', 'shipped', '2024-01-02'), (3, 'Ann', 7.25, 'usd', 'returned', '2024-01-03')`);
      const first = await buildBoth({ dir, projectName: name, dbtSchema, nativeSchema, manifestSchema, incremental: false, env: { [LABEL]: 'parity' } });
      // Loaded as dbt parsed it: the ref made inside a macro is a dependency, both var-disabled models are left out.
      expect(first.fromFiles.nodes.get('model.jinja_shop.by_currency')!.dependsOn).toEqual(first.manifest.nodes.get('model.jinja_shop.by_currency')!.dependsOn);
      expect([...first.fromFiles.nodes.keys()].sort()).toEqual([...first.manifest.nodes.keys()].sort());
      expect(first.manifest.nodes.has('model.jinja_shop.returns')).toBe(false);
      await insert(`(4, 'Cy', 3, 'eur', 'placed', '2024-01-04'), (5, 'Bob', 1.5, 'eur', 'placed', '2024-01-05')`);
      await buildBoth({ dir, projectName: name, dbtSchema, nativeSchema, manifestSchema, incremental: true, env: { [LABEL]: 'parity' } });
      const { rows } = await warehouse.query<{ label: string; total_cents: number }>(`select label, total_cents from ${qualified(`${nativeSchema}__marts`, 'by_currency')} where customer = 'ann'`);
      expect(rows).toEqual([{ label: 'parity', total_cents: 1775 }]);
      expect(existsSync(join(dir, 'target', 'compiled', name, 'models', 'returns.sql'))).toBe(false);
    } finally {
      if (previous === undefined) delete process.env[LABEL];
      else process.env[LABEL] = previous;
    }
  });
});

