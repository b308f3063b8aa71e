import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isValidAssetKey } from '../../core/asset/asset-key.js';
import { defineMultiAsset } from '../../core/asset/define-multi-asset.js';
import type { AnyMultiAssetDefinition } from '../../core/asset/multi-asset-definition.js';
import type { ResourceMap } from '../../core/asset/resource.js';
import type { RetryPolicy } from '../../core/asset/retry-policy.js';
import { defineAssetCheck, type AnyCheckDefinition } from '../../core/checks/check-definition.js';
import { defaultDbtRunner } from './default-runner.js';
import { DbtError } from './dbt-error.js';
import { checkName, defaultGroup, defaultNodeKey, defaultSourceKey, describeTest, keySegment, tagsOf } from './dbt-naming.js';
import type { DbtNode, DbtNodeResult, DbtProject, DbtRunner, DbtSource, DbtTest } from './dbt-project.js';
import { checkResultOf, findResult, materializeResultOf } from './dbt-result-mapping.js';
import { loadManifest } from './load-manifest.js';
import { loadDbtProjectFromFiles } from './native/load-project-files.js';
import { resolveDbtDeps } from './resolve-dbt-deps.js';

export interface DbtAssetsOptions {
  /** The folder holding dbt_project.yml (relative paths resolve against the working directory). */
  readonly projectDir: string;
  /**
   * dbt's manifest (relative to `projectDir`). Default `target/manifest.json`; when that file does
   * not exist either, the runner's own parse (the dbt CLI: `dbt parse`, cached by the project's
   * files), else the project read from its SQL and YAML files (the native subset).
   */
  readonly manifestPath?: string;
  /** What executes the nodes. Default: the dbt CLI (`dbtCliRunner()`) when `dbt` is on PATH, else `nativeRunner()`. */
  readonly runner?: DbtRunner;
  /** The multi-asset's name: its step is `@<name>` and its run config `{ "<name>": {...} }`. Default `dbt_<project name>`. */
  readonly name?: string;
  /** The asset key of a model, seed or snapshot. Default `dbt/<name>`. */
  readonly key?: (node: DbtNode) => string;
  /**
   * The asset key a dbt source maps onto (an upstream asset defined elsewhere, e.g. by an ingest
   * asset), or null when the source is not an asset in Sluice (the dependency is dropped).
   * Default `<source_name>/<table name>`: source `raw.entries` -> `raw/entries`.
   */
  readonly sourceKey?: (source: DbtSource) => string | null;
  /** Which models, seeds and snapshots become assets. Default: all but ephemeral models. */
  readonly select?: (node: DbtNode) => boolean;
  /** The group of a node's asset. Default: its dbt group, else its first folder, else `dbt`. */
  readonly group?: (node: DbtNode) => string;
  readonly pool?: string;
  readonly retry?: RetryPolicy;
  readonly timeoutMs?: number;
}

/**
 * What dbtAssets() returns, exportable as one array: the multi-asset of the project's models,
 * seeds and snapshots (with their tests as its checks), and a check of its own for each test of a
 * source that maps onto an asset defined elsewhere.
 */
export type DbtDefinitions = ReadonlyArray<AnyMultiAssetDefinition | AnyCheckDefinition>;

/**
 * Turns a dbt project into Sluice definitions: one multi-asset whose keys are the project's
 * models, seeds and snapshots (ephemeral models are inlined by dbt, so their upstream becomes their
 * dependents' upstream), dbt sources as dependencies on upstream assets, and each data test of a
 * node as one of its checks (severity error -> ERROR and blocking; warn -> WARN). A run that selects
 * any of them runs them in one runner invocation (`dbt build` of exactly the selected nodes and
 * their tests), and reports each node's materialization and each test's result as the runner
 * announces it. It can subset: a selection of some models builds only those; a retry builds only
 * what did not succeed. Tests of a mapped source run as their own checks after the source's asset.
 *
 * Reads the manifest synchronously at call time (a file read, or the runner's cached parse), so a
 * module in assets/ can `export const dbt = dbtAssets({ ... })`. Throws a DbtError naming the file
 * or node when the project cannot be read or two nodes would get the same key.
 */
export function dbtAssets(options: DbtAssetsOptions): DbtDefinitions {
  const projectDir = resolve(options.projectDir);
  const runner = options.runner ?? defaultDbtRunner();
  const project = loadDbtProject(projectDir, options.manifestPath, runner);
  const select = options.select ?? (() => true);
  const selected = [...project.nodes.values()].filter((n) => n.materialized !== 'ephemeral' && select(n));
  if (selected.length === 0) {
    throw new DbtError('DBT_INVALID_OPTION', `dbt project "${project.name}" (${projectDir}) has no model, seed or snapshot to make an asset of${options.select ? ' that dbtAssets({ select }) keeps' : ''}`, { projectDir });
  }

  const keyOf = keyFunction(project, options.key ?? defaultNodeKey);
  const sourceKeyOf = sourceKeyFunction(project, options.sourceKey ?? defaultSourceKey);
  const keys = new Map<string, string>();
  for (const node of selected) {
    const key = keyOf(node);
    const other = keys.get(key);
    if (other) {
      throw new DbtError(
        'DBT_DUPLICATE_KEY',
        `dbt nodes ${other} and ${node.uniqueId} both map to the asset key "${key}": pass dbtAssets({ key }) to tell them apart (e.g. include the package name)`,
        { key, nodes: [other, node.uniqueId] },
      );
    }
    keys.set(key, node.uniqueId);
  }
  const sourceFixes = sourceDepFixes(project, sourceKeyOf);
  const selectedIds = new Set(selected.map((n) => n.uniqueId));
  const ownTests: DbtTest[] = [];
  const sourceTests: Array<{ test: DbtTest; asset: string }> = [];
  for (const test of [...project.tests.values()].sort((a, b) => a.uniqueId.localeCompare(b.uniqueId))) {
    const id = test.attachedNode;
    if (id !== undefined && selectedIds.has(id)) ownTests.push(test);
    else if (id !== undefined && project.sources.has(id)) {
      const asset = sourceKeyOf(id);
      if (asset !== null) sourceTests.push({ test, asset });
    }
  }

  const resources = runner.resources as ResourceMap;
  const nodeOfKey = new Map(selected.map((node) => [keyOf(node), node]));
  const testOf = new Map(ownTests.map((test) => [`${keyOf(project.nodes.get(test.attachedNode!)!)}#${checkName(test)}`, test]));
  const multi = defineMultiAsset({
    name: options.name ?? `dbt_${keySegment(project.name)}`,
    canSubset: true,
    description: `dbt project "${project.name}" (${projectDir}), run by the ${runner.kind} runner`,
    specs: selected.map((node) => {
      const deps = resolveDbtDeps(node, project, { node: keyOf, source: sourceKeyOf });
      const fixes = Object.fromEntries(deps.filter((dep) => sourceFixes.has(dep)).map((dep) => [dep, sourceFixes.get(dep)!]));
      return {
        key: keyOf(node),
        deps,
        group: options.group ? options.group(node) : defaultGroup(node),
        tags: tagsOf(node),
        kinds: ['dbt'],
        ...(node.description === undefined ? {} : { description: node.description }),
        ...(Object.keys(fixes).length > 0 ? { depFixes: fixes } : {}),
      };
    }),
    checks: ownTests.map((test) => ({
      asset: keyOf(project.nodes.get(test.attachedNode!)!),
      name: checkName(test),
      severity: test.severity,
      blocking: test.severity === 'ERROR',
      description: describeTest(test),
    })),
    resources,
    ...(options.pool === undefined ? {} : { pool: options.pool }),
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    async materialize(ctx) {
      const nodes = ctx.selectedKeys.map((key) => nodeOfKey.get(key)!);
      const tests = ctx.selectedChecks.map((c) => testOf.get(`${c.asset}#${c.name}`)!);
      const keyOfId = new Map(nodes.map((node) => [node.uniqueId, keyOf(node)]));
      const testById = new Map(tests.map((test) => [test.uniqueId, test]));
      const failures: DbtError[] = [];
      const onResult = (result: DbtNodeResult) => {
        const key = keyOfId.get(result.uniqueId);
        const test = testById.get(result.uniqueId);
        try {
          if (key !== undefined) {
            keyOfId.delete(result.uniqueId);
            if (result.status === 'skipped') return; // upstream failed: no materialization, the step fails below
            ctx.report(key, materializeResultOf(nodeOfKey.get(key)!, result));
          } else if (test) {
            testById.delete(result.uniqueId);
            if (result.status === 'skipped') return;
            ctx.reportCheck(keyOf(project.nodes.get(test.attachedNode!)!), checkName(test), checkResultOf(test, test.severity, result));
          }
        } catch (error) {
          if (error instanceof DbtError) failures.push(error);
          else throw error;
        }
      };
      const results = await runner.run({
        project,
        select: [...nodes.map((n) => n.uniqueId), ...tests.map((t) => t.uniqueId)],
        log: ctx.log,
        signal: ctx.signal,
        resources: ctx.resources,
        run: { id: ctx.run.id },
        onResult,
      });
      // A runner that only returns results at the end still reports every one of them.
      for (const result of results) if (keyOfId.has(result.uniqueId) || testById.has(result.uniqueId)) onResult(result);
      if (failures.length > 0) {
        const [first] = failures;
        throw failures.length === 1 ? first! : new DbtError('DBT_NODE_FAILED', `${failures.length} dbt nodes failed; first: ${first!.message}`, { failed: failures.map((f) => f.data) }, first);
      }
      // Nodes never reported were skipped by dbt (a failed upstream test): the step fails on that test.
    },
  });
  const checks = sourceTests.map(({ test, asset }) =>
    defineAssetCheck({
      asset,
      name: checkName(test),
      severity: test.severity,
      blocking: test.severity === 'ERROR',
      description: describeTest(test),
      resources,
      async check(ctx) {
        const results = await runner.run({ project, select: [test.uniqueId], log: ctx.log, signal: ctx.signal, resources: ctx.resources, run: { id: ctx.run.id } });
        return checkResultOf(test, test.severity, findResult(results, test.uniqueId, runner.kind));
      },
    }),
  );
  return Object.freeze([multi, ...checks]);
}

/** For each source's asset key: how to map it when no asset of the project has that key. */
function sourceDepFixes(project: DbtProject, sourceKeyOf: (uniqueId: string) => string | null): Map<string, string> {
  const out = new Map<string, string>();
  for (const [id, source] of project.sources) {
    const key = sourceKeyOf(id);
    if (key === null || out.has(key)) continue;
    out.set(
      key,
      `it is dbt source "${source.sourceName}.${source.name}": define an asset "${key}" that loads it, map it onto another asset with dbtAssets({ sourceKey }), or leave sources out of the graph with dbtAssets({ sourceKey: () => null })`,
    );
  }
  return out;
}

/**
 * The manifest when there is one; else the one the runner parses (the dbt CLI runs `dbt parse`);
 * else the project read from its SQL and YAML files (native/), which throws naming the file when
 * the folder is no dbt project.
 */
function loadDbtProject(projectDir: string, manifestPath: string | undefined, runner: DbtRunner): DbtProject {
  if (manifestPath !== undefined) return loadManifest(resolve(projectDir, manifestPath), { projectDir });
  const standard = join(projectDir, 'target', 'manifest.json');
  if (existsSync(standard)) return loadManifest(standard, { projectDir });
  const parsed = runner.parseManifest?.(projectDir);
  if (parsed !== undefined) return loadManifest(parsed, { projectDir });
  return loadDbtProjectFromFiles(projectDir);
}

function keyFunction(project: DbtProject, key: (node: DbtNode) => string): (node: DbtNode) => string {
  const memo = new Map<string, string>();
  return (node) => {
    let value = memo.get(node.uniqueId);
    if (value === undefined) {
      value = key(node);
      if (typeof value !== 'string' || !isValidAssetKey(value)) {
        throw new DbtError(
          'DBT_INVALID_KEY',
          `dbtAssets({ key }) gave ${JSON.stringify(value)} for dbt ${node.resourceType} "${node.name}" (${node.uniqueId}) of project "${project.name}": an asset key is "/"-separated segments of letters, digits, "_" and "-"`,
          { node: node.uniqueId, key: value },
        );
      }
      memo.set(node.uniqueId, value);
    }
    return value;
  };
}

function sourceKeyFunction(project: DbtProject, sourceKey: (source: DbtSource) => string | null): (uniqueId: string) => string | null {
  return (uniqueId) => {
    const source = project.sources.get(uniqueId)!;
    const value = sourceKey(source);
    if (value !== null && (typeof value !== 'string' || !isValidAssetKey(value))) {
      throw new DbtError(
        'DBT_INVALID_KEY',
        `dbtAssets({ sourceKey }) gave ${JSON.stringify(value)} for dbt source "${source.sourceName}.${source.name}" (${uniqueId}): return an asset key ("raw/entries") or null for a source that is not an asset`,
        { source: uniqueId, key: value },
      );
    }
    return value;
  };
}
