import { branchStatus, branchStatusMetadata, defineAsset, postgresWarehouse, type Metadata } from 'sluice';
import { rawEntries } from '../ingest/raw-entries.js';
import { DBT_MARTS } from '../lib/marts.js';
import { NESSIE_NAMESPACE, nessieLakehouse, type NessieLakehouse } from '../lib/nessie-lakehouse.js';
import { SCHEMAS } from '../lib/warehouse-schemas.js';

/**
 * The audit of the dev branch as a whole, after ingest and the dbt transforms: which tables and row
 * counts differ from main (metadata), and with a Nessie catalog configured, which of the example's
 * tables differ between Nessie's dev and main. The quality checks (quality-checks.ts) hang on this
 * asset, so promotion, downstream of it, waits for them.
 */
export const branchStatusAsset = defineAsset({
  key: 'branch_status',
  group: 'quality',
  kinds: ['postgres'],
  deps: [rawEntries, ...DBT_MARTS],
  description: 'What differs between the dev branch and main (tables, row counts; Nessie tables when configured); its checks audit dev before promotion.',
  resources: { warehouse: postgresWarehouse, nessie: nessieLakehouse },
  async materialize(ctx) {
    const status = await branchStatus(ctx.resources.warehouse, { branch: SCHEMAS.dev, main: SCHEMAS.main });
    ctx.log.info({ onlyInBranch: status.onlyInBranch, differentCounts: status.differentCounts }, 'dev compared with main');
    const nessie = !ctx.resources.nessie ? {} : await nessieStatus(ctx.resources.nessie);
    return { metadata: { ...branchStatusMetadata(status), ...nessie } };
  },
});

/** The example's tables whose version differs between Nessie's dev and main, at the HEADs read. */
async function nessieStatus(nessie: NessieLakehouse): Promise<Metadata> {
  const [dev, main] = await Promise.all([nessie.client.getReference(nessie.dev), nessie.client.getReference(nessie.main)]);
  const diffs = await nessie.client.allDiffs(nessie.main, nessie.dev, { fromHash: main.hash, toHash: dev.hash });
  const tables = diffs.filter((d) => d.key.length === 2 && d.key[0] === NESSIE_NAMESPACE && (d.to ?? d.from)?.type === 'ICEBERG_TABLE').map((d) => d.key.join('.'));
  return { nessie_dev_hash: dev.hash, nessie_main_hash: main.hash, nessie_differs: tables.length > 0, nessie_changed_tables: { json: tables.sort() } };
}
