import { createHash } from 'node:crypto';
import { didYouMean, suggest } from '../../../core/suggest.js';
import { qualified } from '../../postgres/quote-ident.js';
import type { DbtNode, DbtProject, DbtSource } from '../dbt-project.js';
import { compileTemplate } from './compile-template.js';
import { DbtNativeError, OUTSIDE_SUBSET, type DbtLocation } from './dbt-native-error.js';
import type { JinjaValue } from './jinja-expression.js';

/**
 * Where the native runner builds a project: the target schema, and the vars. It names every
 * relation: a model builds into the target schema, or `<target>_<custom>` when configured with
 * `schema: custom` (dbt's default generate_schema_name); a source is read from its schema (which
 * may use `{{ target.schema }}` / `{{ var() }}`) and identifier.
 */
export class RunTarget {
  private readonly byName = new Map<string, DbtNode[]>();

  constructor(
    readonly project: DbtProject,
    readonly schema: string,
    private readonly vars: Readonly<Record<string, unknown>>,
  ) {
    for (const node of project.nodes.values()) this.byName.set(node.name, [...(this.byName.get(node.name) ?? []), node]);
  }

  /** The schema `node` builds into. */
  schemaOf(node: DbtNode): string {
    const custom = node.config?.schema;
    return typeof custom === 'string' && custom.trim() !== '' ? `${this.schema}_${custom.trim()}` : this.schema;
  }

  /** `"schema"."name"` of a model or seed. */
  relationOf(node: DbtNode): string {
    return qualified(this.schemaOf(node), node.name);
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

  /** `"schema"."identifier"` of a source, its schema rendered (`{{ target.schema }}`, `{{ var() }}`). */
  sourceRelation(source: DbtSource): string {
    const file = `source ${source.sourceName}.${source.name} (schema)`;
    const unsupported = (what: string) => () => {
      throw new DbtNativeError('DBT_UNSUPPORTED', { file }, `${what} in a source's schema: ${OUTSIDE_SUBSET}`, { construct: what });
    };
    const schema = compileTemplate(source.schema ?? source.sourceName, file, {
      ref: unsupported('ref()'),
      source: unsupported('source()'),
      var: (name, fallback, where) => this.var(name, fallback, where),
      this: undefined,
      targetSchema: this.schema,
      isIncremental: false,
    }).sql.trim();
    return qualified(schema, source.identifier);
  }

  /** `var('name')`: the runner's vars, then dbt_project.yml's, then the call's default. */
  var(name: string, fallback: { value: JinjaValue } | undefined, where: DbtLocation): JinjaValue {
    const found = Object.hasOwn(this.vars, name) ? this.vars[name] : Object.hasOwn(this.project.vars ?? {}, name) ? this.project.vars![name] : undefined;
    if (found === undefined) {
      if (fallback) return fallback.value;
      throw new DbtNativeError('DBT_UNKNOWN_REF', where, `var('${name}') is not defined: set it under "vars:" in dbt_project.yml or in nativeRunner({ vars }), or give a default: var('${name}', ...)`, {
        var: name,
      });
    }
    if (!isJinjaValue(found)) {
      throw new DbtNativeError('DBT_UNSUPPORTED', where, `var('${name}') is a mapping: ${OUTSIDE_SUBSET}`, { construct: 'mapping var' });
    }
    return found;
  }
}

function isJinjaValue(value: unknown): value is JinjaValue {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return true;
  return Array.isArray(value) && value.every(isJinjaValue);
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
