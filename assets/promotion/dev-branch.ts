import { defineAsset, ensureBranch, ensureSchema, nessieEnsureBranch, postgresWarehouse } from 'sluice';
import { nessieLakehouse } from '../lib/nessie-lakehouse.js';
import { SCHEMAS } from '../lib/warehouse-schemas.js';

/**
 * The write-audit-publish branches: `main` (what readers see) and `dev` (written by ingest and
 * transforms, audited by checks), created from main's tables when missing. With a Nessie catalog
 * configured, also the Nessie `dev` branch, created at the HEAD of its `main` when missing.
 */
export const devBranch = defineAsset({
  key: 'dev_branch',
  group: 'promotion',
  kinds: ['postgres'],
  description: 'Ensures the main schema exists and the dev branch exists (created from main when missing), in Postgres and, when configured, in Nessie.',
  resources: { warehouse: postgresWarehouse, nessie: nessieLakehouse },
  async materialize(ctx) {
    const { warehouse, nessie } = ctx.resources;
    await ensureSchema(warehouse, SCHEMAS.main);
    const branch = await ensureBranch(warehouse, { branch: SCHEMAS.dev, from: SCHEMAS.main });
    if (branch.created) ctx.log.info({ tables: branch.tables }, 'dev branch created from main');
    const metadata = {
      branch: SCHEMAS.dev,
      main: SCHEMAS.main,
      created: branch.created,
      tables_copied: { json: branch.tables },
      warehouse: warehouse.database,
    };
    if (!nessie) return { metadata };
    const ensured = await nessieEnsureBranch(nessie.client, nessie.dev, nessie.main);
    if (ensured.created) ctx.log.info({ branch: nessie.dev, from: nessie.main, hash: ensured.branch.hash }, 'Nessie dev branch created from main');
    return {
      metadata: { ...metadata, nessie_branch: nessie.dev, nessie_main: nessie.main, nessie_created: ensured.created, nessie_hash: ensured.branch.hash, nessie_uri: nessie.client.endpoint },
    };
  },
});
