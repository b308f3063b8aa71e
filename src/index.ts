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
