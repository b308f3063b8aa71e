import { readFileSync } from 'node:fs';
import { basename, join, posix, resolve } from 'node:path';
import { didYouMean, suggest } from '../../../core/suggest.js';
import type { DbtMaterialization, DbtNode, DbtProject, DbtSource, DbtTest } from '../dbt-project.js';
import { mergeConfig, tagList, type DbtConfig } from './dbt-config.js';
import { DbtNativeError, formatLocation, OUTSIDE_SUBSET, type DbtLocation } from './dbt-native-error.js';
import { findCycle } from './find-cycle.js';
import { genericTestName } from './generic-test-name.js';
import { nativeValue } from './jinja-environment.js';
import { listFiles } from './list-files.js';
import { parseTemplate, type ParseEnv, type TemplateScan } from './parse-template.js';
import { ProjectParsing, type LoadFromFilesOptions } from './project-parsing.js';
import { PROJECT_FILE, readProjectFile, type ProjectFile } from './project-file.js';

export type { LoadFromFilesOptions } from './project-parsing.js';
import { parsePropertyFile, type NodePatch, type SourceSpec, type TestSpec } from './property-file.js';
import { pythonModelScan } from './python-model-scan.js';
import { relationTarget } from './relation-target.js';
import { readYamlFile } from './yaml-file.js';

/**
 * Reads a dbt project from its files, for when there is no `target/manifest.json` (and no dbt to
 * write one): dbt_project.yml, the models (`<model-paths>/**\/*.sql`, and `*.py` Python models),
 * seeds (`<seed-paths>/**\/*.csv`), property files (`*.yml` under model and seed paths: sources,
 * descriptions, configs, column tests), singular tests (`<test-paths>/**\/*.sql`, but not
 * `generic/`) and the project's macros (`<macro-paths>/**\/*.sql`, `<test-paths>/generic`).
 *
 * Like dbt's parser, each SQL file is rendered with `execute` false: dependencies are the `ref()`
 * and `source()` calls it makes, through the project's macros too; `config()` arguments are
 * evaluated (`enabled=var('x')`), and so are Jinja values in dbt_project.yml and property-file
 * configs (`+enabled: "{{ var('x') }}"`). Configs come from dbt_project.yml, property files and
 * `config()` calls, in that order of precedence (later wins); a disabled model is left out. Unique
 * ids follow dbt's (`model.<project>.<name>`, `source.<project>.<source>.<table>`,
 * `test.<project>.not_null_<model>_<column>`), without the hash suffix dbt appends to generic tests.
 *
 * SQL the native runner cannot render (a package's macros) still loads, its refs found by
 * pattern, and so does any materialization: the dbt CLI runner can run them, and the native
 * runner refuses them when it compiles. Throws DbtNativeError (file and line) for a malformed
 * project: bad YAML, unknown refs, duplicate names, dependency cycles, a test with no target.
 */
export function loadDbtProjectFromFiles(projectDir: string, options: LoadFromFilesOptions = {}): DbtProject {
  const dir = resolve(projectDir);
  const project = readProjectFile(dir);
  const loader = new ProjectLoader(dir, project, options);
  return loader.load();
}

class ProjectLoader {
  private readonly nodes = new Map<string, DbtNode>();
  private readonly nodeIdByName = new Map<string, string>();
  private readonly sources = new Map<string, DbtSource>();
  private readonly tests = new Map<string, DbtTest>();
  private readonly testLocations = new Map<string, DbtLocation>();
  private readonly patches = { models: new Map<string, NodePatch>(), seeds: new Map<string, NodePatch>() };
  private readonly disabled = new Set<string>();
  private readonly parsing: ProjectParsing;

  constructor(
    private readonly dir: string,
    private readonly project: ProjectFile,
    options: LoadFromFilesOptions,
  ) {
    this.parsing = new ProjectParsing(dir, project, options);
  }

  private get parseEnv(): ParseEnv {
    return this.parsing.env;
  }

  private rendered(config: DbtConfig, file: string): DbtConfig {
    return this.parsing.renderConfig(config, file);
  }

  load(): DbtProject {
    const properties = [...this.project.modelPaths, ...this.project.seedPaths]
      .flatMap((folder) => listFiles(this.dir, folder, ['.yml', '.yaml']))
      .map((file) => parsePropertyFile(readYamlFile(join(this.dir, file), file)));
    for (const file of properties) {
      for (const kind of ['models', 'seeds'] as const) for (const patch of file[kind]) this.addPatch(kind, patch);
      for (const source of file.sources) this.addSource(source);
    }
    const scans = new Map<string, TemplateScan>();
    for (const folder of this.project.modelPaths) {
      for (const file of listFiles(this.dir, folder, ['.sql', '.py'])) this.addModel(folder, file, scans);
    }
    for (const folder of this.project.seedPaths) for (const file of listFiles(this.dir, folder, ['.csv'])) this.addSeed(folder, file);
    for (const [id, scan] of scans) this.resolveModelDeps(id, scan);
    for (const file of properties) for (const spec of file.tests) this.addGenericTest(spec);
    for (const folder of this.project.testPaths) {
      for (const file of listFiles(this.dir, folder, ['.sql'], [posix.join(folder, 'generic')])) this.addSingularTest(file);
    }
    const cycle = findCycle([...this.nodes.values()].map((node) => ({ id: node.uniqueId, deps: node.dependsOn })));
    if (cycle) {
      const first = this.nodes.get(cycle[0]!)!;
      throw new DbtNativeError('DBT_PROJECT_INVALID', { file: first.originalFilePath },
        `models depend on each other in a cycle: ${cycle.map((id) => this.nodes.get(id)!.name).join(' -> ')}: break the cycle`, { cycle });
    }
    return Object.freeze({
      name: this.project.name,
      dir: this.dir,
      nodes: this.nodes,
      sources: this.sources,
      tests: this.tests,
      vars: Object.freeze({ ...this.project.vars }),
      macros: Object.freeze(this.parsing.macros),
      packages: Object.freeze([...this.project.packages]),
    });
  }

  private addPatch(kind: 'models' | 'seeds', patch: NodePatch): void {
    const previous = this.patches[kind].get(patch.name);
    if (previous) {
      throw new DbtNativeError('DBT_PROJECT_INVALID', patch.where,
        `"${patch.name}" is described twice (also at ${formatLocation(previous.where)}): keep one entry`, { name: patch.name });
    }
    this.patches[kind].set(patch.name, patch);
  }

  private addSource(spec: SourceSpec): void {
    const uniqueId = `source.${this.project.name}.${spec.sourceName}.${spec.name}`;
    if (this.sources.has(uniqueId)) {
      throw new DbtNativeError('DBT_PROJECT_INVALID', spec.where, `source table ${spec.sourceName}.${spec.name} is defined twice: keep one`, { uniqueId });
    }
    this.sources.set(uniqueId, Object.freeze({ uniqueId, sourceName: spec.sourceName, name: spec.name, schema: spec.schema, identifier: spec.identifier }));
  }

  private addModel(folder: string, file: string, scans: Map<string, TemplateScan>): void {
    const python = file.endsWith('.py');
    const name = basename(file, python ? '.py' : '.sql');
    const fqn = this.fqn(folder, file, name);
    const rawCode = readFileSync(join(this.dir, file), 'utf8');
    const scan = python ? pythonModelScan(rawCode, file) : parseTemplate(this.parseEnv, rawCode, file);
    const patch = this.patches.models.get(name);
    const base = mergeConfig(this.rendered(this.project.configFor('models', fqn), PROJECT_FILE), this.rendered(patch?.config ?? {}, patch?.where.file ?? file));
    const config = mergeConfig(python ? { materialized: 'table', ...base } : base, scan.config);
    if (isDisabled(config.enabled)) {
      this.disabled.add(name);
      return;
    }
    const materialized = String(config.materialized ?? 'view');
    const uniqueId = `model.${this.project.name}.${name}`;
    this.claimName(name, uniqueId, file);
    scans.set(uniqueId, scan);
    this.nodes.set(uniqueId, {
      ...this.node({ uniqueId, resourceType: 'model', name, file, fqn, materialized, config, rawCode, patch }),
      language: python ? 'python' : 'sql',
    });
  }

  private addSeed(folder: string, file: string): void {
    const name = basename(file, '.csv');
    const fqn = this.fqn(folder, file, name);
    const patch = this.patches.seeds.get(name);
    const config = mergeConfig(this.rendered(this.project.configFor('seeds', fqn), PROJECT_FILE), this.rendered(patch?.config ?? {}, patch?.where.file ?? file));
    if (isDisabled(config.enabled)) {
      this.disabled.add(name);
      return;
    }
    const uniqueId = `seed.${this.project.name}.${name}`;
    this.claimName(name, uniqueId, file);
    this.nodes.set(uniqueId, this.node({ uniqueId, resourceType: 'seed', name, file, fqn, materialized: 'seed', config, rawCode: undefined, patch }));
  }

  private node(spec: {
    uniqueId: string; resourceType: 'model' | 'seed'; name: string; file: string; fqn: string[];
    materialized: DbtMaterialization; config: DbtConfig; rawCode: string | undefined; patch: NodePatch | undefined;
  }): DbtNode {
    return Object.freeze({
      uniqueId: spec.uniqueId,
      resourceType: spec.resourceType,
      name: spec.name,
      packageName: this.project.name,
      originalFilePath: spec.file,
      fqn: Object.freeze(spec.fqn),
      materialized: spec.materialized,
      dependsOn: Object.freeze([]),
      tags: Object.freeze(tagList(spec.config.tags)),
      group: typeof spec.config.group === 'string' ? spec.config.group : undefined,
      description: spec.patch?.description,
      schema: undefined,
      rawCode: spec.rawCode,
      config: Object.freeze({ ...spec.config, materialized: spec.materialized }),
    });
  }

  /** [project, ...folders under the model/seed path, name]. */
  private fqn(folder: string, file: string, name: string): string[] {
    const inside = posix.relative(folder, posix.dirname(file));
    return [this.project.name, ...(inside === '' ? [] : inside.split('/')), name];
  }

  private claimName(name: string, uniqueId: string, file: string): void {
    const other = this.nodeIdByName.get(name);
    if (other) {
      throw new DbtNativeError('DBT_PROJECT_INVALID', { file }, `"${name}" is also defined by ${this.nodes.get(other)!.originalFilePath}: dbt needs unique model and seed names; rename one`, {
        name,
      });
    }
    this.nodeIdByName.set(name, uniqueId);
  }

  private resolveModelDeps(uniqueId: string, scan: TemplateScan): void {
    const node = this.nodes.get(uniqueId)!;
    this.nodes.set(uniqueId, Object.freeze({ ...node, dependsOn: Object.freeze(this.depsOf(scan)) }));
  }

  /** Unique ids of what `scan`'s refs and sources name, in first-use order. */
  private depsOf(scan: TemplateScan): string[] {
    const deps: string[] = [];
    for (const ref of scan.refs) deps.push(this.refId(ref.name, ref.packageName, ref.where));
    for (const source of scan.sources) deps.push(this.sourceId(source.sourceName, source.table, source.where));
    return [...new Set(deps)];
  }

  private refId(name: string, packageName: string | undefined, where: DbtLocation): string {
    if (packageName !== undefined && packageName !== this.project.name) {
      throw new DbtNativeError('DBT_UNSUPPORTED', where, `ref('${packageName}', '${name}') names package "${packageName}"; the native loader reads only project "${this.project.name}" (no dbt packages): ${OUTSIDE_SUBSET}`, {
        construct: 'ref to a package',
      });
    }
    const id = this.nodeIdByName.get(name);
    if (id) return id;
    const disabled = this.disabled.has(name) ? ` ("${name}" is disabled: enabled: false)` : didYouMean(suggest(name, this.nodeIdByName.keys()));
    throw new DbtNativeError('DBT_UNKNOWN_REF', where, `ref('${name}') names no model or seed of project "${this.project.name}"${disabled}`, { ref: name });
  }

  private sourceId(sourceName: string, table: string, where: DbtLocation): string {
    const id = `source.${this.project.name}.${sourceName}.${table}`;
    if (this.sources.has(id)) return id;
    const known = [...this.sources.values()].map((s) => `${s.sourceName}.${s.name}`);
    throw new DbtNativeError('DBT_UNKNOWN_REF', where,
      `source('${sourceName}', '${table}') is not declared in a property file (sources: - name: ${sourceName}, tables: - name: ${table})${didYouMean(suggest(`${sourceName}.${table}`, known))}`,
      { source: `${sourceName}.${table}` });
  }

  private addGenericTest(spec: TestSpec): void {
    const target = spec.target;
    let attachedNode: string;
    if (target.kind === 'source') attachedNode = this.sourceId(target.sourceName, target.name, spec.where);
    else if (this.disabled.has(target.name)) return;
    else attachedNode = this.refId(target.name, undefined, spec.where);
    const config = mergeConfig(this.rendered(this.project.configFor('data_tests', [this.project.name]), PROJECT_FILE), this.rendered(spec.config, spec.where.file));
    if (isDisabled(config.enabled)) return;
    const dependsOn = [attachedNode];
    if (spec.testName === 'relationships') {
      const to = spec.args.to;
      if (typeof to !== 'string') {
        throw new DbtNativeError('DBT_PROJECT_INVALID', spec.where, `test relationships needs "to: ref('model')" (or source('s', 't')), got ${JSON.stringify(to)}`);
      }
      const parent = relationTarget(to, spec.where);
      dependsOn.push(parent.kind === 'ref' ? this.refId(parent.name, parent.packageName, spec.where) : this.sourceId(parent.sourceName, parent.table, spec.where));
    }
    const name = spec.customName ?? genericTestName(spec.testName, target, spec.args);
    this.addTest({
      uniqueId: `test.${this.project.name}.${name}`,
      name,
      testName: spec.testName,
      attachedNode,
      columnName: spec.columnName,
      kwargs: Object.freeze({ ...spec.args }),
      severity: severityOf(config, spec.where),
      dependsOn: Object.freeze([...new Set(dependsOn)]),
      originalFilePath: spec.where.file,
      rawCode: undefined,
      config: Object.freeze(config),
    }, spec.where);
  }

  private addSingularTest(file: string): void {
    const name = basename(file, '.sql');
    const rawCode = readFileSync(join(this.dir, file), 'utf8');
    const scan = parseTemplate(this.parseEnv, rawCode, file);
    const config = mergeConfig(this.rendered(this.project.configFor('data_tests', [this.project.name]), PROJECT_FILE), scan.config);
    if (isDisabled(config.enabled)) return;
    const dependsOn = this.depsOf(scan);
    const nodeDeps = dependsOn.filter((id) => this.nodes.has(id));
    this.addTest({
      uniqueId: `test.${this.project.name}.${name}`,
      name,
      testName: undefined,
      attachedNode: dependsOn.length === 1 && nodeDeps.length === 1 ? nodeDeps[0] : undefined,
      columnName: undefined,
      kwargs: Object.freeze({}),
      severity: severityOf(config, { file }),
      dependsOn: Object.freeze(dependsOn),
      originalFilePath: file,
      rawCode,
      config: Object.freeze(config),
    }, { file });
  }

  private addTest(test: DbtTest, where: DbtLocation): void {
    const previous = this.testLocations.get(test.uniqueId);
    if (previous) {
      throw new DbtNativeError('DBT_PROJECT_INVALID', where,
        `test "${test.name}" is defined twice (also at ${formatLocation(previous)}): remove one, or give one a distinct "name:"`, { uniqueId: test.uniqueId });
    }
    this.testLocations.set(test.uniqueId, where);
    this.tests.set(test.uniqueId, Object.freeze(test));
  }
}

/** `enabled: false` in any spelling a rendered config may have (false, 'false', 'False'). */
function isDisabled(value: unknown): boolean {
  return nativeValue(value) === false;
}

/** dbt's `severity` config: `error` (default) or `warn`, any case. */
function severityOf(config: DbtConfig, where: DbtLocation): 'ERROR' | 'WARN' {
  const value = config.severity ?? 'error';
  const text = typeof value === 'string' ? value.toLowerCase() : '';
  if (text === 'error') return 'ERROR';
  if (text === 'warn') return 'WARN';
  throw new DbtNativeError('DBT_PROJECT_INVALID', where, `severity must be "error" or "warn", got ${JSON.stringify(value)}`, { severity: value });
}
