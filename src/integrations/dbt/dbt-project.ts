import type { StepLogger } from '../../core/asset/logger.js';
import type { Metadata } from '../../core/asset/metadata.js';

/**
 * A dbt project as Sluice sees it, whichever way it was read: from dbt's `target/manifest.json`
 * (manifest.ts, schema v10 to v12) or, without a manifest, from the project's SQL and YAML files
 * (native/). dbtAssets() turns it into asset and check definitions; a DbtRunner executes its nodes.
 */
export interface DbtProject {
  /** `name` from dbt_project.yml (the manifest's metadata.project_name). */
  readonly name: string;
  /** The folder holding dbt_project.yml. */
  readonly dir: string;
  /** Models, seeds and snapshots by unique id (`model.<project>.<name>`), ephemeral models included. */
  readonly nodes: ReadonlyMap<string, DbtNode>;
  /** Sources by unique id (`source.<project>.<source_name>.<table>`). */
  readonly sources: ReadonlyMap<string, DbtSource>;
  /** Data tests (generic and singular) by unique id (`test.<project>.<name>...`). */
  readonly tests: ReadonlyMap<string, DbtTest>;
  /** dbt_project.yml's `vars` (for `{{ var() }}`), when known. */
  readonly vars?: Readonly<Record<string, unknown>>;
  /**
   * The project's own macros (macro-paths, generic tests under test-paths): whole files when read
   * from files, one macro each (macro_sql) from a manifest. The native runner compiles with them.
   */
  readonly macros?: readonly DbtMacroSource[];
  /** The dbt packages the project installs (packages.yml, dependencies.yml), by project name when known. */
  readonly packages?: readonly string[];
}

/** Jinja text that defines macros (`{% macro name(...) %}`), and where it comes from. */
export interface DbtMacroSource {
  /** Path relative to the project folder. */
  readonly file: string;
  readonly sql: string;
}

/**
 * How a node is built. Models may use any materialization dbt knows (materialized_view, a custom
 * one...): the project loads whatever it is, and only a runner that cannot build it refuses.
 */
export type DbtMaterialization = 'view' | 'table' | 'incremental' | 'ephemeral' | 'seed' | 'snapshot' | (string & {});

export interface DbtNode {
  readonly uniqueId: string;
  readonly resourceType: 'model' | 'seed' | 'snapshot';
  readonly name: string;
  readonly packageName: string;
  /** Path relative to the project dir (`models/staging/stg_entries.sql`). */
  readonly originalFilePath: string;
  /** dbt's fqn: [project, ...folders, name]. */
  readonly fqn: readonly string[];
  readonly materialized: DbtMaterialization;
  /** Unique ids of the nodes and sources it depends on (depends_on.nodes). */
  readonly dependsOn: readonly string[];
  readonly tags: readonly string[];
  /** The dbt group, when the node has one. */
  readonly group: string | undefined;
  readonly description: string | undefined;
  /** The schema it builds into, when the manifest says (the runner's target decides otherwise). */
  readonly schema: string | undefined;
  /** Raw SQL (raw_code) when known: the native runner compiles it. */
  readonly rawCode: string | undefined;
  /** `python` for a Python model (the native runner refuses it); SQL otherwise. */
  readonly language?: 'sql' | 'python';
  /**
   * dbt's resolved config (dbt_project.yml, property files and the SQL's config() call), keys
   * without `+`: unique_key, schema (a custom schema), alias, post-hook... when known. The native
   * runner refuses configs it does not implement rather than ignoring them.
   */
  readonly config?: Readonly<Record<string, unknown>>;
}

export interface DbtSource {
  readonly uniqueId: string;
  readonly sourceName: string;
  readonly name: string;
  /** The relation it reads (schema, identifier), when known. */
  readonly schema: string | undefined;
  readonly identifier: string;
}

export interface DbtTest {
  readonly uniqueId: string;
  readonly name: string;
  /** `not_null`, `unique`, `accepted_values`, `relationships`, ... for a generic test; undefined for a singular one. */
  readonly testName: string | undefined;
  /** The model/seed/snapshot/source it is attached to (attached_node), when there is one. */
  readonly attachedNode: string | undefined;
  readonly columnName: string | undefined;
  /** The generic test's arguments (test_metadata.kwargs), e.g. { values: [...] } or { to, field }. */
  readonly kwargs: Readonly<Record<string, unknown>>;
  /** dbt's config.severity: `error` -> ERROR (blocking), `warn` -> WARN. */
  readonly severity: 'ERROR' | 'WARN';
  readonly dependsOn: readonly string[];
  readonly originalFilePath: string;
  readonly rawCode: string | undefined;
  /** dbt's test config (severity, where, limit, ...) when known; see DbtNode.config. */
  readonly config?: Readonly<Record<string, unknown>>;
}

/** What a runner reports for one executed node or test. */
export interface DbtNodeResult {
  readonly uniqueId: string;
  /** dbt's result status: success, error, skipped for nodes; pass, fail, warn, error, skipped for tests. */
  readonly status: string;
  /** For tests: failing row count. */
  readonly failures: number | undefined;
  readonly rowsAffected: number | undefined;
  readonly executionTimeSeconds: number | undefined;
  readonly message: string | undefined;
  readonly metadata: Metadata;
}

/** Where and how a runner runs one step's dbt work. */
export interface DbtRunContext {
  readonly project: DbtProject;
  /** Unique ids of the nodes and tests this step runs. */
  readonly select: readonly string[];
  readonly log: StepLogger;
  readonly signal: AbortSignal;
  /** The step's resolved resources (a runner may need the warehouse). */
  readonly resources: Readonly<Record<string, unknown>>;
  /**
   * Called with each node's or test's result as soon as the runner knows it (while dbt still runs),
   * so the step can report materializations and check results live. Every result passed here is
   * also in the returned list.
   */
  readonly onResult?: (result: DbtNodeResult) => void;
  /** The run the step belongs to (set by dbtAssets; a runner wrapper may record it). */
  readonly run?: { readonly id: string };
}

/**
 * Executes dbt nodes: `dbt` (the dbt CLI, `dbt build --select ... --log-format json`) or `native`
 * (Sluice compiles and runs a documented subset of dbt SQL against Postgres itself). Returns one
 * result per selected node and test; throws only when it could not run at all.
 */
export interface DbtRunner {
  readonly kind: string;
  /** Resource definitions the runner needs in each step (merged into the assets' and checks' resources). */
  readonly resources: Readonly<Record<string, unknown>>;
  run(ctx: DbtRunContext): Promise<DbtNodeResult[]>;
  /**
   * The path of a manifest.json this runner makes for the project in `projectDir`, synchronously
   * (dbtAssets reads the project at import): the dbt CLI runs `dbt parse`, cached by the project's
   * files. Undefined when the runner does not parse (the native runner reads the files itself).
   */
  parseManifest?(projectDir: string): string | undefined;
}
