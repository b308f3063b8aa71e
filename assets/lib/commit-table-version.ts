import { createHash } from 'node:crypto';
import { nessieCommitTable, qualified, type Metadata, type Warehouse } from 'sluice';
import { NESSIE_NAMESPACE, type NessieLakehouse } from './nessie-lakehouse.js';
import { SCHEMAS } from './warehouse-schemas.js';

/** Where an Iceberg writer of the example would keep its tables' metadata files. */
const WAREHOUSE_ROOT = 's3://sluice-example/warehouse';

/**
 * Commits the version of `dev.<table>` that a step just wrote to the Nessie `dev` branch, as an
 * ingest into an Iceberg catalog would: an ICEBERG_TABLE content at `glucose.<table>` whose
 * metadata location and snapshot id name this run's version, with the run, asset and row count as
 * commit properties. The example's rows stay in Postgres (no metadata file is written): the catalog
 * records which version each branch, tag and commit has. Returns metadata for the step.
 */
export async function commitTableVersion(
  nessie: NessieLakehouse,
  warehouse: Warehouse,
  step: { readonly runId: string; readonly assetKey: string },
  table: string,
): Promise<Metadata> {
  const { rows } = await warehouse.query<{ n: number }>(`select count(*)::int as n from ${qualified(SCHEMAS.dev, table)}`);
  const count = rows[0]!.n;
  // An Iceberg snapshot id is a positive long; this one is stable per run and table, so a retried step writes the same version.
  const snapshotId = Number.parseInt(createHash('sha256').update(`${step.runId}/${table}`).digest('hex').slice(0, 12), 16);
  const metadataLocation = `${WAREHOUSE_ROOT}/${NESSIE_NAMESPACE}/${table}/metadata/${step.runId}-${snapshotId}.metadata.json`;
  const key = [NESSIE_NAMESPACE, table];
  const result = await nessieCommitTable(nessie.client, {
    branch: nessie.dev,
    key,
    table: { metadataLocation, snapshotId },
    message: `${step.assetKey}: ${key.join('.')} (${count} rows), run ${step.runId}`,
    properties: { 'sluice.run_id': step.runId, 'sluice.asset': step.assetKey, 'sluice.rows': String(count), 'sluice.table': `${SCHEMAS.dev}.${table}` },
    authors: ['sluice'],
  });
  return {
    nessie_branch: nessie.dev,
    nessie_key: key.join('.'),
    nessie_hash: result.hash,
    nessie_metadata_location: metadataLocation,
    nessie_snapshot_id: snapshotId,
  };
}
