import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadProject } from '../../src/runtime/load-project.js';
import type { Instance } from '../../src/storage/instance.js';
import { DATABASE_URL, freshName, withPg } from '../lib/bench-env.js';
import { runInProcess } from './in-process.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** The real dbt of scripts/services.sh (SLUICE_BENCH_DBT or SLUICE_TEST_DBT elsewhere). */
export function benchDbt(): string {
  if (process.env.SLUICE_BENCH_DBT ?? process.env.SLUICE_TEST_DBT) return (process.env.SLUICE_BENCH_DBT ?? process.env.SLUICE_TEST_DBT)!;
  const pins = Object.fromEntries(
    [...readFileSync(join(REPO, 'scripts/services/versions.env'), 'utf8').matchAll(/^([A-Z_]+)=(\S*)/gm)].map((m) => [m[1]!, m[2]!]),
  );
  const cache = process.env.SLUICE_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'sluice');
  return join(cache, `dbt-${pins.DBT_CORE_VERSION}-postgres-${pins.DBT_POSTGRES_VERSION}`, 'bin', 'dbt');
}

/**
 * A generated dbt project of `n` table models in `chains` chains, where every fifth model of a
 * chain also reads the model of the same depth in the next chain (fan-ins), each with a not_null
 * and a unique test on its id; plus a Sluice project whose one module is `dbtAssets` of it with the
 * dbt CLI runner. Builds into a fresh schema of the bench Postgres.
 */
export function generateDbtProject(n: number, chains: number, schema: string): { dbtDir: string; sluiceDir: string } {
  const sluiceDir = mkdtempSync(join(tmpdir(), 'sluice-bench-dbt-'));
  const dbtDir = join(sluiceDir, 'dbt');
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dbtDir, path)), { recursive: true });
    writeFileSync(join(dbtDir, path), text);
  };
  const url = new URL(DATABASE_URL);
  write('dbt_project.yml', "name: bench\nversion: '1.0.0'\nconfig-version: 2\nprofile: bench\nmodels:\n  bench:\n    +materialized: table\n");
  write(
    'profiles/profiles.yml',
    `bench:\n  target: dev\n  outputs:\n    dev:\n      type: postgres\n      host: ${url.hostname}\n      port: ${url.port || 5432}\n      user: ${url.username || 'postgres'}\n      password: "${decodeURIComponent(url.password)}"\n      dbname: ${url.pathname.slice(1)}\n      schema: ${schema}\n      threads: 4\n`,
  );
  write('models/sources.yml', 'version: 2\nsources:\n  - name: raw\n    schema: "{{ target.schema }}"\n    tables:\n      - name: seed_rows\n');
  const tests: string[] = [];
  for (let i = 0; i < n; i++) {
    const chain = i % chains;
    const depth = Math.floor(i / chains);
    const from = depth === 0 ? "{{ source('raw', 'seed_rows') }}" : `{{ ref('m${i - chains}') }}`;
    const fanIn = depth > 0 && depth % 5 === 0 && chain + 1 < chains ? ` union all select id, v from {{ ref('m${i - chains + 1}') }} where false` : '';
    write(`models/c${chain}/m${i}.sql`, `select id, v + ${i} as v from ${from}${fanIn}\n`);
    tests.push(`  - name: m${i}\n    columns:\n      - name: id\n        data_tests: [not_null, unique]\n`);
  }
  write('models/schema.yml', `version: 2\nmodels:\n${tests.join('')}`);
  mkdirSync(join(sluiceDir, 'assets'));
  mkdirSync(join(sluiceDir, 'node_modules'));
  symlinkSync(REPO, join(sluiceDir, 'node_modules', 'sluice'), 'dir');
  writeFileSync(join(sluiceDir, 'package.json'), JSON.stringify({ name: 'bench-dbt', private: true, type: 'module' }));
  writeFileSync(
    join(sluiceDir, 'assets', 'dbt.ts'),
    `import { dbtAssets, dbtCliRunner } from 'sluice';\nexport const bench = dbtAssets({ projectDir: ${JSON.stringify(dbtDir)}, runner: dbtCliRunner({ command: [${JSON.stringify(benchDbt())}], profilesDir: 'profiles' }), sourceKey: () => null });\n`,
  );
  return { dbtDir, sluiceDir };
}

/**
 * Wall time of materializing every model of a generated dbt project with Sluice (in-process, one
 * `dbt build`) against `dbt build` of the same project alone, both with dbt's partial parse warm
 * (a project's manifest is parsed when its definitions load, before the timed run).
 */
export async function dbtBuild(instance: Instance, n: number): Promise<{ sluiceMs: number; dbtMs: number; models: number }> {
  const schema = freshName('bench_dbt');
  const { dbtDir, sluiceDir } = generateDbtProject(n, 10, schema);
  await withPg(async (c) => {
    await c.query(`create schema "${schema}"`);
    await c.query(`create table "${schema}".seed_rows as select g as id, g * 2 as v from generate_series(1, 100) g`);
  });
  try {
    const dbt = benchDbt();
    const build = () => {
      const started = performance.now();
      const result = spawnSync(dbt, ['build', '--profiles-dir', 'profiles', '--log-format', 'json'], { cwd: dbtDir, encoding: 'utf8', env: { ...process.env, DBT_SEND_ANONYMOUS_USAGE_STATS: 'false' }, maxBuffer: 256 * 1024 * 1024 });
      if (result.status !== 0) throw new Error(`dbt build failed: ${result.stdout.slice(-2000)}${result.stderr}`);
      return performance.now() - started;
    };
    build(); // warm: partial parse and relations exist for both measured builds
    const dbtMs = build();
    const project = await loadProject(sluiceDir);
    const started = performance.now();
    const run = await runInProcess(instance, project, '*', 4);
    const sluiceMs = performance.now() - started;
    if (run.status !== 'SUCCESS') throw new Error(`the Sluice dbt run ended ${run.status}`);
    return { sluiceMs, dbtMs, models: project.graph.size };
  } finally {
    await withPg((c) => c.query(`drop schema if exists "${schema}" cascade; drop schema if exists "${schema}_dbt_test__audit" cascade`)).catch(() => {});
    rmSync(sluiceDir, { recursive: true, force: true });
  }
}
