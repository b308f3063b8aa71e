import { fileURLToPath } from 'node:url';
import { dbtAssets, nativeRunner } from 'sluice';
import { nessieCommittingRunner } from '../lib/nessie-dbt-runner.js';
import { SCHEMAS } from '../lib/warehouse-schemas.js';

/**
 * The example dbt project (dbt/ at the project root: staging -> warehouse -> marts, with schema.yml
 * tests) as assets `dbt/stg_entries`, `dbt/fct_readings`, `dbt/daily_glucose` and their checks.
 * Sluice's native runner builds them into the dev branch (write-audit-publish: transforms never
 * write main); with dbt-postgres installed, `runner: dbtCliRunner()` runs the same project.
 * The dbt source `raw.entries` maps onto the `raw/entries` ingest asset. With a Nessie catalog
 * configured (SLUICE_NESSIE_URI), each model's table is also committed on the Nessie dev branch.
 */
export const glucoseDbt = dbtAssets({
  projectDir: fileURLToPath(new URL('../../dbt', import.meta.url)),
  runner: nessieCommittingRunner(nativeRunner({ schema: SCHEMAS.dev })),
  group: () => 'dbt',
});
