import { createHash } from 'node:crypto';
import { didYouMean, suggest } from '../../../core/suggest.js';
import type { DbtNode, DbtProject, DbtSource, DbtTest } from '../dbt-project.js';
import { dbtContext, type DbtContextSpec } from './dbt-context.js';
import { DbtJinja } from './dbt-jinja.js';
import { DbtNativeError, type DbtLocation } from './dbt-native-error.js';
import { DbtRelation } from './dbt-relation.js';

/** Where the native runner builds: dbt's `target` (name, schema), the vars, and whether incremental models are rebuilt in full. */
export interface RunTargetOptions {
  readonly schema: string;
  /** `target.name` (default `dev`). */
  readonly targetName?: string;
  readonly vars?: Readonly<Record<string, unknown>>;
  readonly fullRefresh?: boolean;
}

/**
 * Where and how the native runner builds a project: the target, the vars, the project's Jinja
 * (its macros). It names every relation as dbt would: a model builds into the schema its
 * `generate_schema_name` macro gives (the project's own, else dbt's: the target schema, or
 * `<target>_<custom>` with `schema: custom`) under the name `generate_alias_name` gives (the
 * alias, else the model name); a source is read from its schema (rendered: `{{ target.schema }}`,
 * `{{ var() }}`) and identifier.
 */
export class RunTarget {
  readonly jinja: DbtJinja;
  readonly schema: string;
  readonly targetName: string;
  private readonly vars: Readonly<Record<string, unknown>>;
  private readonly byName = new Map<string, DbtNode[]>();
  private readonly relations = new Map<string, DbtRelation>();

  constructor(
    readonly project: DbtProject,
    options: RunTargetOptions,
    jinja?: DbtJinja,
  ) {
    this.schema = options.schema;
    this.targetName = options.targetName ?? 'dev';
    this.vars = options.vars ?? {};
    this.fullRefresh = options.fullRefresh ?? false;
    this.jinja = jinja ?? new DbtJinja(project.macros ?? [], project.packages ?? []);
    for (const node of project.nodes.values()) this.byName.set(node.name, [...(this.byName.get(node.name) ?? []), node]);
  }

  readonly fullRefresh: boolean;

  /** dbt's `target` as templates see it. */
  get target(): Readonly<Record<string, unknown>> {
    return { name: this.targetName, schema: this.schema, type: 'postgres', database: undefined, threads: 1, profile_name: this.project.name };
  }

  /** The schema `node` builds into. */
  schemaOf(node: DbtNode): string {
    return this.relationOf(node).schema;
  }

  /** The relation of a model or seed: `"schema"."alias"`, as generate_schema_name and generate_alias_name name it. */
  relationOf(node: DbtNode): DbtRelation {
    let relation = this.relations.get(node.uniqueId);
    if (!relation) {
      const custom = (key: string) => {
        const value = node.config?.[key];
        return typeof value === 'string' && value.trim() !== '' ? value : null;
      };
      const schema = this.generate('generate_schema_name', custom('schema'), node) || this.schema;
      const alias = this.generate('generate_alias_name', custom('alias'), node) || node.name;
      relation = new DbtRelation(schema, alias, node.materialized === 'view' ? 'view' : 'table');
      this.relations.set(node.uniqueId, relation);
    }
    return relation;
  }

  /** The result of the project's naming macro (or dbt's default), stripped as dbt strips it. */
  private generate(macro: 'generate_schema_name' | 'generate_alias_name', custom: string | null, node: DbtNode): string {
    const kind = macro === 'generate_schema_name' ? 'schema' : 'alias';
    const overridden = [macro, `default__${macro}`, `postgres__${macro}`].some((name) => this.jinja.macros.has(name));
    if (!overridden) {
      if (kind === 'schema') return custom === null ? this.schema : `${this.schema}_${custom.trim()}`;
      return custom === null ? node.name : custom.trim();
    }
    const file = this.jinja.macros.byName.get(macro)?.file ?? node.originalFilePath;
    const context = this.context({ file, execute: false, item: undefined });
    try {
      const value = (context[macro] as (...args: unknown[]) => unknown)(custom, this.nodeDict(node));
      return String(value ?? '').trim();
    } catch (error) {
      throw this.jinja.asNativeError(error, file);
    }
  }

  /** The node as `model` / `node` in templates. */
  nodeDict(node: DbtNode | DbtTest): Record<string, unknown> {
    const isModel = 'resourceType' in node;
    return {
      name: node.name,
      unique_id: node.uniqueId,
      resource_type: isModel ? node.resourceType : 'test',
      package_name: isModel ? node.packageName : this.project.name,
      original_file_path: node.originalFilePath,
      path: node.originalFilePath,
      fqn: isModel ? [...node.fqn] : [this.project.name, node.name],
      tags: isModel ? [...node.tags] : [],
      config: { ...(node.config ?? {}) },
      raw_code: node.rawCode,
    };
  }

  /** The Jinja context of one render (see dbtContext) with this target's refs, sources, vars. */
  context(spec: {
    file: string;
    execute: boolean;
    item: DbtNode | DbtTest | undefined;
    ref?: DbtContextSpec['ref'];
    config?: Record<string, unknown>;
    isIncremental?: boolean;
    log?: DbtContextSpec['log'];
  }): Record<string, unknown> {
    const where = { file: spec.file };
    const item = spec.item;
    const isModel = item !== undefined && 'resourceType' in item;
    return dbtContext(this.jinja, {
      file: spec.file,
      execute: spec.execute,
      target: this.target,
      var: (name, fallback) => this.var(name, fallback, where),
      ref: spec.ref ?? ((name, packageName) => this.refRelation(this.resolveRef(name, packageName, where))),
      source: (sourceName, table) => this.sourceRelation(this.resolveSource(sourceName, table, where)),
      config: spec.config ?? {},
      nodeConfig: item?.config ?? {},
      this: isModel && item.materialized !== 'ephemeral' ? this.relationOf(item) : undefined,
      isIncremental: spec.isIncremental ?? false,
      model: item === undefined ? undefined : this.nodeDict(item),
      fullRefresh: this.fullRefresh,
      ...(spec.log ? { log: spec.log } : {}),
    });
  }

  /** A ref's relation; an ephemeral model's is its CTE name (compileNode inlines it). */
  refRelation(node: DbtNode): DbtRelation | string {
    return node.materialized === 'ephemeral' ? `__dbt__cte__${node.name}` : this.relationOf(node);
  }

  /** The node `ref('name')` (or `ref('package', 'name')`) names. Throws DBT_UNKNOWN_REF. */
  resolveRef(name: string, packageName: string | undefined, where: DbtLocation): DbtNode {
    const candidates = (this.byName.get(name) ?? []).filter((node) => packageName === undefined || node.packageName === packageName);
    const node = candidates.find((c) => c.packageName === this.project.name) ?? candidates[0];
    if (node) return node;
    throw new DbtNativeError('DBT_UNKNOWN_REF', where, `ref('${name}') names no model or seed of project "${this.project.name}"${didYouMean(suggest(name, this.byName.keys()))}`, {
      ref: name,
    });
  }

  resolveSource(sourceName: string, table: string, where: DbtLocation): DbtSource {
    const source = [...this.project.sources.values()].find((s) => s.sourceName === sourceName && s.name === table);
    if (source) return source;
    const known = [...this.project.sources.values()].map((s) => `${s.sourceName}.${s.name}`);
    throw new DbtNativeError('DBT_UNKNOWN_REF', where, `source('${sourceName}', '${table}') is not declared in the project${didYouMean(suggest(`${sourceName}.${table}`, known))}`, {
      source: `${sourceName}.${table}`,
    });
  }

  /** The relation a source names, its schema rendered (`{{ target.schema }}`, `{{ var() }}`). */
  sourceRelation(source: DbtSource): DbtRelation {
    const file = `source ${source.sourceName}.${source.name} (schema)`;
    const template = source.schema ?? source.sourceName;
    const schema = template.includes('{') ? this.jinja.render(template, file, this.context({ file, execute: true, item: undefined })).trim() : template;
    return new DbtRelation(schema, source.identifier, 'table');
  }

  /** `var('name')`: the runner's vars, then dbt_project.yml's, then the call's default. */
  var(name: string, fallback: { value: unknown } | undefined, where: DbtLocation): unknown {
    if (Object.hasOwn(this.vars, name)) return this.vars[name];
    if (Object.hasOwn(this.project.vars ?? {}, name)) return this.project.vars![name];
    if (fallback) return fallback.value;
    throw new DbtNativeError('DBT_UNKNOWN_REF', where, `var('${name}') is not defined: set it under "vars:" in dbt_project.yml or in nativeRunner({ vars }), or give a default: var('${name}', ...)`, {
      var: name,
    });
  }
}

/**
 * A name for a relation built next to `name` (`<name>__dbt_tmp`), shortened with a hash when it
 * would pass Postgres' 63-byte limit (which would otherwise truncate it silently).
 */
export function siblingName(name: string, suffix: string): string {
  const candidate = `${name}${suffix}`;
  if (Buffer.byteLength(candidate, 'utf8') <= 63) return candidate;
  const hash = createHash('md5').update(name).digest('hex').slice(0, 8);
  const budget = 63 - Buffer.byteLength(`_${hash}${suffix}`, 'utf8');
  let prefix = name;
  while (Buffer.byteLength(prefix, 'utf8') > budget) prefix = prefix.slice(0, -1);
  return `${prefix}_${hash}${suffix}`;
}
