/**
 * Sluice's public API for user code (`import { defineAsset } from 'sluice'`). Nothing else is public.
 */
export { defineAsset } from './core/asset/define-asset.js';
export type { AssetSpec } from './core/asset/define-asset.js';
export type { AssetContext, AssetCursor, AssetDefinition, MaterializeResult } from './core/asset/asset-definition.js';
export { defineMultiAsset } from './core/asset/define-multi-asset.js';
export type { MultiAssetSpec } from './core/asset/define-multi-asset.js';
export type { AssetOutSpec, MultiAssetCheckSpec, MultiAssetContext, MultiAssetDefinition, MultiAssetResult, ReportedCheckResult } from './core/asset/multi-asset-definition.js';
export type { AssetKey } from './core/asset/asset-key.js';
export type { Metadata, MetadataValue } from './core/asset/metadata.js';
export type { RetryPolicy } from './core/asset/retry-policy.js';
export type { ConfigSchema } from './core/asset/schema.js';
export type { StepLogger } from './core/asset/logger.js';
export { dailyPartitions, hourlyPartitions, staticPartitions } from './core/partitions/partitions-definition.js';
export type {
  PartitionsDefinition,
  StaticPartitionsDefinition,
  TimeWindowPartitionsDefinition,
  TimeWindowPartitionsSpec,
} from './core/partitions/partitions-definition.js';
export { allPartitionsMapping, identityPartitionMapping, timeWindowPartitionMapping } from './core/partitions/partition-mapping.js';
export type { PartitionMapping } from './core/partitions/partition-mapping.js';
export { partitionKeyForInstant, partitionKeys, partitionTimeWindow, shiftPartitionKey } from './core/partitions/partition-keys.js';
export { defineResource } from './core/asset/resource.js';
export type { ResourceDefinition, ResolvedResources } from './core/asset/resource.js';
export { defineAssetCheck } from './core/checks/check-definition.js';
export type { CheckContext, CheckDefinition, CheckResult, CheckSeverity } from './core/checks/check-definition.js';
export { eager, onCron, onMissing, sinceLastHandled, anyDepsUpdated, anyDepsMissing, anyDepsInProgress, allDepsUpdatedSinceCron } from './core/automation/built-conditions.js';
export {
  missing,
  inProgress,
  executionFailed,
  newlyUpdated,
  newlyRequested,
  codeVersionChanged,
  initialEvaluation,
  willBeRequested,
  cronTickPassed,
  inLatestTimeWindow,
  checkPassed,
  checkFailed,
} from './core/automation/operands.js';
export { and, or, not, since, newlyTrue, anyDepsMatch, allDepsMatch, anyChecksMatch, allChecksMatch } from './core/automation/operators.js';
export { labeled } from './core/automation/automation-condition.js';
export type { AutomationCondition } from './core/automation/automation-condition.js';
export { defineSchedule } from './core/schedule/schedule-definition.js';
export type { CatchupPolicy, OverlapPolicy, ScheduleDefinition, ScheduleSpec, ScheduleStatus, ScheduleTickContext } from './core/schedule/schedule-definition.js';
export { defineSensor } from './core/sensor/sensor-definition.js';
export type { AssetEventRecord, RunRequest, RunStatusRecord, SensorContext, SensorDefinition, SensorLastTick, SensorResult, SensorSpec, SensorStatus } from './core/sensor/sensor-definition.js';
export { onAssetEvents, onRunStatus } from './core/sensor/sensor-sources.js';
export { defineAlert } from './core/alert/alert-definition.js';
export type { AlertDefinition, AlertEventType, AlertSpec } from './core/alert/alert-definition.js';
export { email, slack, webhook } from './core/alert/alert-channels.js';
export type { AlertChannel } from './core/alert/alert-channels.js';
export type { AssetSensorSpec, RunStatusSensorSpec } from './core/sensor/sensor-sources.js';
export { postgresWarehouse } from './integrations/postgres/postgres-warehouse.js';
export { publishTarget } from './integrations/postgres/publish-target.js';
export { quoteIdent, qualified } from './integrations/postgres/quote-ident.js';
export { ensureSchema } from './integrations/postgres/ensure-schema.js';
export { promoteSchema } from './integrations/postgres/promote-schema.js';
export type { PromoteSchemaOptions } from './integrations/postgres/promote-schema.js';
export { ensureBranch } from './integrations/postgres/ensure-branch.js';
export type { EnsureBranchOptions, EnsureBranchResult } from './integrations/postgres/ensure-branch.js';
export { branchStatus, branchStatusMetadata } from './integrations/postgres/branch-status.js';
export type { BranchStatus, BranchTableStatus } from './integrations/postgres/branch-status.js';
export { tagRelease } from './integrations/postgres/tag-release.js';
export type { ReleaseInfo, TagReleaseOptions } from './integrations/postgres/tag-release.js';
export { listReleases } from './integrations/postgres/list-releases.js';
export type { ReleaseSummary } from './integrations/postgres/list-releases.js';
export { releaseName } from './integrations/postgres/release-name.js';
export { copyTables } from './integrations/postgres/copy-tables.js';
export type { CopyTablesOptions } from './integrations/postgres/copy-tables.js';
export type { TableCopyResult } from './integrations/postgres/table-copy-result.js';
export type { Warehouse, WarehouseTx, WarehouseQueryResult } from './integrations/postgres/warehouse.js';
export { sqlCheck } from './integrations/postgres/checks/sql-check.js';
export type { SqlCheckSpec } from './integrations/postgres/checks/sql-check.js';
export { runSqlTest } from './integrations/postgres/checks/run-sql-test.js';
export type { CheckedTable, SqlTest } from './integrations/postgres/checks/sql-test.js';
export { notNull } from './integrations/postgres/checks/not-null.js';
export { unique } from './integrations/postgres/checks/unique.js';
export { acceptedValues } from './integrations/postgres/checks/accepted-values.js';
export { rowCount } from './integrations/postgres/checks/row-count.js';
export { freshness } from './integrations/postgres/checks/freshness.js';
export type { FreshnessOptions } from './integrations/postgres/checks/freshness.js';
export { relationships } from './integrations/postgres/checks/relationships.js';
export { expression } from './integrations/postgres/checks/expression.js';
export { NessieClient, NESSIE_DETACHED } from './integrations/nessie/nessie-client.js';
export type { NessieClientOptions, MergeOptions, CommitLogOptions, CommitOptions, DiffOptions, AtOptions, PageOptions } from './integrations/nessie/nessie-client.js';
export { nessieCatalog } from './integrations/nessie/nessie-catalog.js';
export { nessieClientFromEnv, nessieConfigured } from './integrations/nessie/nessie-client-from-env.js';
export { nessieCommitTable } from './integrations/nessie/nessie-commit-table.js';
export type { NessieCommitTableOptions, NessieTableCommit, NessieTableVersion } from './integrations/nessie/nessie-commit-table.js';
export { nessiePromote } from './integrations/nessie/nessie-promote.js';
export type { NessiePromoteOptions, NessiePromotion, PromotedCommit } from './integrations/nessie/nessie-promote.js';
export { nessieEnsureBranch } from './integrations/nessie/nessie-ensure-branch.js';
export type { EnsuredBranch } from './integrations/nessie/nessie-ensure-branch.js';
export { NessieError, isNessieError } from './integrations/nessie/nessie-error.js';
export type { NessieErrorCode, NessieErrorData } from './integrations/nessie/nessie-error.js';
export type {
  NessieReference,
  NessieReferenceType,
  NessieReferencesPage,
  NessieLogEntry,
  NessieLogPage,
  NessieCommitMeta,
  NessieMergeResponse,
  NessieServerConfig,
  NessieContent,
  NessieContentAt,
  NessieContentKey,
  NessieIcebergTable,
  NessieNamespace,
  NessieOperation,
  NessieCommitResult,
  NessieEntry,
  NessieEntriesPage,
  NessieDiffEntry,
  NessieDiffPage,
} from './integrations/nessie/nessie-types.js';
export { dbtAssets } from './integrations/dbt/dbt-assets.js';
export type { DbtAssetsOptions, DbtDefinitions } from './integrations/dbt/dbt-assets.js';
export { loadManifest } from './integrations/dbt/load-manifest.js';
export { dbtCliRunner } from './integrations/dbt/dbt-cli-runner.js';
export type { DbtCliRunnerOptions } from './integrations/dbt/dbt-cli-runner.js';
export type {
  DbtMaterialization,
  DbtNode,
  DbtNodeResult,
  DbtProject,
  DbtRunContext,
  DbtRunner,
  DbtSource,
  DbtTest,
} from './integrations/dbt/dbt-project.js';
export { nativeRunner } from './integrations/dbt/native/native-runner.js';
export type { NativeRunnerOptions } from './integrations/dbt/native/native-runner.js';
export { loadDbtProjectFromFiles } from './integrations/dbt/native/load-project-files.js';
export { DbtNativeError } from './integrations/dbt/native/dbt-native-error.js';
export type { DbtNativeErrorCode } from './integrations/dbt/native/dbt-native-error.js';
