/**
 * Sluice's public API for user code (`import { defineAsset } from 'sluice'`). Nothing else is public.
 */
export { defineAsset } from './core/asset/define-asset.js';
export type { AssetSpec } from './core/asset/define-asset.js';
export type { AssetContext, AssetDefinition, MaterializeResult } from './core/asset/asset-definition.js';
export type { AssetKey } from './core/asset/asset-key.js';
export type { Metadata, MetadataValue } from './core/asset/metadata.js';
export type { RetryPolicy } from './core/asset/retry-policy.js';
export type { ConfigSchema } from './core/asset/schema.js';
export type { StepLogger } from './core/asset/logger.js';
export { defineResource } from './core/asset/resource.js';
export type { ResourceDefinition, ResolvedResources } from './core/asset/resource.js';
export { defineAssetCheck } from './core/checks/check-definition.js';
export type { CheckContext, CheckDefinition, CheckResult, CheckSeverity } from './core/checks/check-definition.js';
export { postgresWarehouse } from './integrations/postgres/postgres-warehouse.js';
export { publishTarget } from './integrations/postgres/publish-target.js';
export { quoteIdent, qualified } from './integrations/postgres/quote-ident.js';
export { ensureSchema } from './integrations/postgres/ensure-schema.js';
export { promoteSchema } from './integrations/postgres/promote-schema.js';
export type { PromoteSchemaOptions } from './integrations/postgres/promote-schema.js';
export { copyTables } from './integrations/postgres/copy-tables.js';
export type { CopyTablesOptions } from './integrations/postgres/copy-tables.js';
export type { TableCopyResult } from './integrations/postgres/table-copy-result.js';
export type { Warehouse, WarehouseTx, WarehouseQueryResult } from './integrations/postgres/warehouse.js';
