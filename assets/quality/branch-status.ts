import { branchStatus, branchStatusMetadata, defineAsset, postgresWarehouse } from 'sluice';
import { rawEntries } from '../ingest/raw-entries.js';
import { DBT_MARTS } from '../lib/marts.js';
import { SCHEMAS } from '../lib/warehouse-schemas.js';

/**
 * The audit of the dev branch as a whole, after ingest and the dbt transforms: which tables and row
 * counts differ from main (metadata). The quality checks (quality-checks.ts) hang on this asset,
 * so promotion, downstream of it, waits for them.
 */
export const branchStatusAsset = defineAsset({
  key: 'branch_status',
  group: 'quality',
  kinds: ['postgres'],
  deps: [rawEntries, ...DBT_MARTS],
  description: 'What differs between the dev branch and main (tables, row counts); its checks audit dev before promotion.',
  resources: { warehouse: postgresWarehouse },
  async materialize(ctx) {
    const status = await branchStatus(ctx.resources.warehouse, { branch: SCHEMAS.dev, main: SCHEMAS.main });
    ctx.log.info({ onlyInBranch: status.onlyInBranch, differentCounts: status.differentCounts }, 'dev compared with main');
    return { metadata: branchStatusMetadata(status) };
  },
});
