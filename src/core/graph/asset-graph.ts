import type { AnyAssetDefinition } from '../asset/asset-definition.js';
import type { AssetKey } from '../asset/asset-key.js';
import type { AnyMultiAssetDefinition } from '../asset/multi-asset-definition.js';
import type { AnyCheckDefinition } from '../checks/check-definition.js';
import { describePartitions, sameDefinition } from '../partitions/describe-partitions.js';
import { defaultPartitionMapping, describePartitionMapping, type PartitionMapping } from '../partitions/partition-mapping.js';
import { SluiceError } from '../errors.js';
import { suggest } from '../suggest.js';
import {
  CycleError,
  DuplicateAssetError,
  DuplicateCheckError,
  DuplicateMultiAssetError,
  PartitionMappingError,
  UnknownCheckAssetError,
  UnknownDependencyError,
} from './graph-errors.js';
import { topoSort } from './topo-sort.js';

/** A definition and the file it came from (for error messages). */
export interface Sourced<T> {
  readonly definition: T;
  readonly source?: string;
}

/** Where a validation rule's findings go: `build` throws the first, `collect` keeps them all. */
type Report = (problem: SluiceError) => void;

const throwFirst: Report = (problem) => {
  throw problem;
};

/**
 * The validated asset graph: unique keys, known deps, no cycles. Immutable once built.
 * Edges point from an asset to the assets that depend on it (children).
 */
export class AssetGraph {
  private readonly assetsByKey: ReadonlyMap<AssetKey, AnyAssetDefinition>;
  private readonly parentsByKey: ReadonlyMap<AssetKey, readonly AssetKey[]>;
  private readonly childrenByKey: ReadonlyMap<AssetKey, readonly AssetKey[]>;
  private readonly checksByAsset: ReadonlyMap<AssetKey, readonly AnyCheckDefinition[]>;
  private readonly sourcesByKey: ReadonlyMap<AssetKey, string>;
  private readonly multiAssetsByName: ReadonlyMap<string, AnyMultiAssetDefinition>;
  /** All keys in dependency order. */
  readonly order: readonly AssetKey[];

  private constructor(
    assets: Map<AssetKey, AnyAssetDefinition>,
    parents: Map<AssetKey, readonly AssetKey[]>,
    order: readonly AssetKey[],
    checks: Map<AssetKey, AnyCheckDefinition[]>,
    sources: Map<AssetKey, string>,
  ) {
    this.assetsByKey = assets;
    this.parentsByKey = parents;
    this.checksByAsset = checks;
    this.sourcesByKey = sources;
    const multis = new Map<string, AnyMultiAssetDefinition>();
    for (const asset of assets.values()) if (asset.multiAsset) multis.set(asset.multiAsset.name, asset.multiAsset);
    this.multiAssetsByName = multis;
    const children = new Map<AssetKey, AssetKey[]>();
    for (const key of assets.keys()) children.set(key, []);
    for (const [key, deps] of parents) for (const dep of deps) children.get(dep)!.push(key);
    for (const list of children.values()) list.sort();
    this.childrenByKey = children;
    this.order = Object.freeze(order);
  }

  /**
   * Validates and builds the graph. Throws the first problem: DuplicateAssetError,
   * UnknownDependencyError (with suggestions), PartitionMappingError, UnknownCheckAssetError,
   * DuplicateCheckError or CycleError.
   */
  static build(
    assets: ReadonlyArray<Sourced<AnyAssetDefinition>>,
    checks: ReadonlyArray<Sourced<AnyCheckDefinition>> = [],
  ): AssetGraph {
    return AssetGraph.assemble(assets, checks, throwFirst);
  }

  /**
   * The same rules as `build`, but every problem is collected instead of the first thrown (for
   * `sluice check`). The graph is the best that can be made of the definitions: the first of two
   * assets with one key, unknown deps and checks on unknown assets left out, the edges that close
   * a cycle left out of `order`. Use it only to look further (schedules, counts), never to run.
   */
  static collect(
    assets: ReadonlyArray<Sourced<AnyAssetDefinition>>,
    checks: ReadonlyArray<Sourced<AnyCheckDefinition>> = [],
  ): { graph: AssetGraph; problems: SluiceError[] } {
    const problems: SluiceError[] = [];
    const graph = AssetGraph.assemble(assets, checks, (problem) => problems.push(problem));
    return { graph, problems };
  }

  /** One pass of the rules, in one order; `report` decides whether the first problem ends it. */
  private static assemble(
    assets: ReadonlyArray<Sourced<AnyAssetDefinition>>,
    checks: ReadonlyArray<Sourced<AnyCheckDefinition>>,
    report: Report,
  ): AssetGraph {
    const byKey = new Map<AssetKey, AnyAssetDefinition>();
    const sources = new Map<AssetKey, string>();
    for (const { definition, source } of assets) {
      const previous = byKey.get(definition.key);
      if (previous) {
        // The same frozen object exported from two modules (re-export) is one asset, not two.
        if (previous !== definition) report(new DuplicateAssetError(definition.key, [sources.get(definition.key) ?? '<unknown>', source ?? '<unknown>']));
        continue;
      }
      byKey.set(definition.key, definition);
      if (source) sources.set(definition.key, source);
    }
    const multis = new Map<string, { definition: AnyMultiAssetDefinition; source: string | undefined }>();
    for (const asset of byKey.values()) {
      const multi = asset.multiAsset;
      if (!multi) continue;
      const seen = multis.get(multi.name);
      if (seen && seen.definition !== multi) {
        report(new DuplicateMultiAssetError(multi.name, [seen.source ?? '<unknown>', sources.get(asset.key) ?? '<unknown>']));
        continue;
      }
      if (!seen && byKey.has(multi.name)) {
        const fix = 'rename one of them';
        report(new SluiceError('MULTI_ASSET_NAME_TAKEN', `multi-asset "${multi.name}" has the name of an asset, and run config names both; ${fix}`, { name: multi.name, source: sources.get(asset.key), fix }));
      }
      multis.set(multi.name, { definition: multi, source: sources.get(asset.key) });
    }
    // A multi-asset's own checks come with its assets (the same frozen objects, so listing them again is harmless).
    checks = [...checks, ...[...multis.values()].flatMap(({ definition, source }) => definition.checks.map((check) => ({ definition: check, ...(source ? { source } : {}) })))];
    const parents = new Map<AssetKey, readonly AssetKey[]>();
    for (const asset of byKey.values()) {
      const known = asset.deps.filter((dep) => {
        if (byKey.has(dep)) return true;
        report(new UnknownDependencyError(asset.key, dep, sources.get(asset.key), suggest(dep, byKey.keys()), asset.depFixes?.[dep]));
        return false;
      });
      parents.set(asset.key, known.length === asset.deps.length ? asset.deps : known);
    }
    for (const asset of byKey.values()) {
      for (const dep of parents.get(asset.key)!) {
        const upstream = byKey.get(dep)!;
        // The common edge (neither side partitioned, no mapping given) has nothing to check.
        if (asset.partitions === undefined && upstream.partitions === undefined && asset.partitionMappings[dep] === undefined) continue;
        const problem = mappingProblem(asset, upstream, sources.get(asset.key));
        if (problem) report(problem);
      }
    }
    const checksByAsset = new Map<AssetKey, AnyCheckDefinition[]>();
    const checkSources = new Map<string, string>();
    for (const { definition, source } of checks) {
      if (!byKey.has(definition.asset)) {
        report(new UnknownCheckAssetError(definition.name, definition.asset, source, suggest(definition.asset, byKey.keys())));
        continue;
      }
      const list = checksByAsset.get(definition.asset) ?? [];
      const id = `${definition.asset}#${definition.name}`;
      const existing = list.find((c) => c.name === definition.name);
      if (existing) {
        if (existing !== definition) report(new DuplicateCheckError(definition.asset, definition.name, [checkSources.get(id) ?? '<unknown>', source ?? '<unknown>']));
        continue;
      }
      list.push(definition);
      if (source) checkSources.set(id, source);
      checksByAsset.set(definition.asset, list);
    }
    for (const list of checksByAsset.values()) list.sort((a, b) => a.name.localeCompare(b.name));
    const order = topoSort([...byKey.keys()], (key) => parents.get(key)!, (cycle) => report(new CycleError(cycle)));
    return new AssetGraph(byKey, parents, order, checksByAsset, sources);
  }

  get size(): number {
    return this.assetsByKey.size;
  }

  /** All keys, sorted. */
  keys(): AssetKey[] {
    return [...this.assetsByKey.keys()].sort();
  }

  has(key: AssetKey): boolean {
    return this.assetsByKey.has(key);
  }

  /** The definition of `key`; throws when absent (callers resolve keys through the graph first). */
  get(key: AssetKey): AnyAssetDefinition {
    const asset = this.assetsByKey.get(key);
    if (!asset) throw new Error(`AssetGraph.get: no asset "${key}"`);
    return asset;
  }

  assets(): AnyAssetDefinition[] {
    return this.order.map((key) => this.assetsByKey.get(key)!);
  }

  sourceOf(key: AssetKey): string | undefined {
    return this.sourcesByKey.get(key);
  }

  parents(key: AssetKey): readonly AssetKey[] {
    return this.parentsByKey.get(key) ?? this.get(key).deps;
  }

  children(key: AssetKey): readonly AssetKey[] {
    return this.childrenByKey.get(key) ?? [];
  }

  /** How `downstreamKey`'s partitions depend on `upstreamKey`'s: its explicit mapping, else the default. */
  partitionMapping(downstreamKey: AssetKey, upstreamKey: AssetKey): PartitionMapping {
    const downstream = this.get(downstreamKey);
    return downstream.partitionMappings[upstreamKey] ?? defaultPartitionMapping(downstream.partitions, this.get(upstreamKey).partitions);
  }

  /** The multi-asset called `name`, when one of the graph's assets belongs to it. */
  multiAsset(name: string): AnyMultiAssetDefinition | undefined {
    return this.multiAssetsByName.get(name);
  }

  checksOf(key: AssetKey): readonly AnyCheckDefinition[] {
    return this.checksByAsset.get(key) ?? [];
  }

  allChecks(): AnyCheckDefinition[] {
    return this.order.flatMap((key) => this.checksOf(key));
  }

  /**
   * `keys` and everything within `depth` layers upstream (breadth-first shortest distance);
   * `depth` undefined means all the way.
   */
  upstream(keys: Iterable<AssetKey>, depth?: number): Set<AssetKey> {
    return this.walk(keys, depth, (key) => this.parents(key));
  }

  /** `keys` and everything within `depth` layers downstream; `depth` undefined means all. */
  downstream(keys: Iterable<AssetKey>, depth?: number): Set<AssetKey> {
    return this.walk(keys, depth, (key) => this.children(key));
  }

  private walk(start: Iterable<AssetKey>, depth: number | undefined, next: (key: AssetKey) => readonly AssetKey[]): Set<AssetKey> {
    const seen = new Set<AssetKey>(start);
    let frontier = [...seen];
    for (let layer = 0; frontier.length > 0 && (depth === undefined || layer < depth); layer++) {
      const nextFrontier: AssetKey[] = [];
      for (const key of frontier) {
        for (const n of next(key)) {
          if (!seen.has(n)) {
            seen.add(n);
            nextFrontier.push(n);
          }
        }
      }
      frontier = nextFrontier;
    }
    return seen;
  }

  /** Keys in `set` with no parent inside `set`. */
  roots(set: ReadonlySet<AssetKey>): Set<AssetKey> {
    return new Set([...set].filter((key) => !this.parents(key).some((p) => set.has(p))));
  }

  /** Keys in `set` with no child inside `set`. */
  sinks(set: ReadonlySet<AssetKey>): Set<AssetKey> {
    return new Set([...set].filter((key) => !this.children(key).some((c) => set.has(c))));
  }
}

/**
 * The PartitionMappingError of the edge upstream -> asset when its mapping cannot relate their
 * partitions (identity needs equal definitions, time-window needs time windows of one cadence, and
 * both need two partitioned assets), else undefined.
 */
function mappingProblem(asset: AnyAssetDefinition, upstream: AnyAssetDefinition, source: string | undefined): PartitionMappingError | undefined {
  const down = asset.partitions;
  const up = upstream.partitions;
  const explicit = asset.partitionMappings[upstream.key];
  const mapping = explicit ?? defaultPartitionMapping(down, up);
  if (mapping.kind === 'all') return undefined;
  const fail = (reason: string, fix: string) => new PartitionMappingError(asset.key, upstream.key, source, reason, fix);
  const mappingText = `the ${describePartitionMapping(mapping)} partition mapping`;
  if (down === undefined || up === undefined) {
    const unpartitioned = [down === undefined ? asset.key : undefined, up === undefined ? upstream.key : undefined].filter(Boolean).join(' and ');
    return fail(`${mappingText} needs both to be partitioned and ${unpartitioned} is not`, `remove partitionMappings["${upstream.key}"] or use allPartitionsMapping()`);
  }
  const both = `"${asset.key}" is ${describePartitions(down)} and "${upstream.key}" is ${describePartitions(up)}`;
  if (mapping.kind === 'identity' && !sameDefinition(down, up)) {
    return fail(
      `their partitions differ for ${explicit ? 'the identity' : 'the default (identity)'} partition mapping: ${both}`,
      `give both the same partitions, or set partitionMappings: { '${upstream.key}': timeWindowPartitionMapping({ ... }) } (time windows) or allPartitionsMapping()`,
    );
  }
  if (mapping.kind === 'time-window' && (down.kind !== 'time-window' || up.kind !== 'time-window' || down.cadence !== up.cadence)) {
    return fail(`${mappingText} needs daily or hourly partitions of one cadence on both: ${both}`, `use allPartitionsMapping() or make the cadences match`);
  }
  return undefined;
}
