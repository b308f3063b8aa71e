import { isRecord, type DbtConfig } from './dbt-config.js';
import { DbtNativeError, type DbtLocation } from './dbt-native-error.js';
import type { YamlFile } from './yaml-file.js';

/** What a test in a property file is attached to, before unique ids are known. */
export type TestTarget =
  | { readonly kind: 'model'; readonly name: string }
  | { readonly kind: 'source'; readonly sourceName: string; readonly name: string };

/** One generic test as written in a property file. */
export interface TestSpec {
  /** `not_null`, `accepted_values`, `dbt_utils.expression_is_true`... */
  readonly testName: string;
  readonly target: TestTarget;
  /** The column, as the test SQL should name it (double-quoted when the column says `quote: true`). */
  readonly columnName: string | undefined;
  /** The test's arguments (`values`, `to`, `field`), without `config`. */
  readonly args: Readonly<Record<string, unknown>>;
  readonly config: DbtConfig;
  /** A `name:` the author gave the test, replacing the generated one. */
  readonly customName: string | undefined;
  readonly where: DbtLocation;
}

/** `models:` / `seeds:` entries: description and config for the node of that name. */
export interface NodePatch {
  readonly name: string;
  readonly description: string | undefined;
  readonly config: DbtConfig;
  readonly where: DbtLocation;
}

export interface SourceSpec {
  readonly sourceName: string;
  readonly name: string;
  /** The schema as written (may hold `{{ target.schema }}` or `{{ var(...) }}`); default: the source name. */
  readonly schema: string;
  readonly identifier: string;
  readonly description: string | undefined;
  readonly where: DbtLocation;
}

export interface PropertyFile {
  readonly models: readonly NodePatch[];
  readonly seeds: readonly NodePatch[];
  readonly sources: readonly SourceSpec[];
  readonly tests: readonly TestSpec[];
}

/** Test configs dbt accepts directly in a test's body (older style) besides `config:`. */
const TEST_CONFIG_KEYS = new Set(['severity', 'where', 'limit', 'warn_if', 'error_if', 'fail_calc', 'store_failures', 'store_failures_as', 'enabled', 'tags', 'meta']);

type Path = ReadonlyArray<string | number>;

/**
 * Reads a dbt property (schema.yml) file: `models:` and `seeds:` (description, config, columns and
 * their tests), `sources:` (tables, identifiers, schema, column tests). Tests may be listed under
 * `data_tests:` (dbt 1.8+) or `tests:`, as `- not_null` or `- accepted_values: { values: [...],
 * config: { severity: warn } }`, with arguments inline or under `arguments:` (dbt 1.10). Other
 * top-level keys (exposures, macros, semantic models) are not Sluice's business and are skipped.
 * Throws DBT_PROJECT_INVALID naming the file and line of a malformed entry.
 */
export function parsePropertyFile(yaml: YamlFile): PropertyFile {
  const root = yaml.value;
  const result = { models: [] as NodePatch[], seeds: [] as NodePatch[], sources: [] as SourceSpec[], tests: [] as TestSpec[] };
  if (root === undefined) return result;
  const fail = (path: Path, message: string): never => {
    throw new DbtNativeError('DBT_PROJECT_INVALID', { file: yaml.file, line: yaml.lineOf(path) }, message);
  };
  if (!isRecord(root)) return fail([], 'a property file must be a mapping (version: 2, models: [...], sources: [...])');
  const at = (path: Path): DbtLocation => ({ file: yaml.file, line: yaml.lineOf(path) });

  const list = (value: unknown, path: Path, what: string): unknown[] => {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) return fail(path, `${what} must be a list`);
    return value;
  };
  const entryName = (entry: unknown, path: Path, what: string): string => {
    if (!isRecord(entry) || typeof entry.name !== 'string' || entry.name === '') return fail(path, `each ${what} needs a "name"`);
    return entry.name;
  };
  const testsOf = (entry: Record<string, unknown>, path: Path): Array<{ spec: unknown; path: Path }> => {
    if (entry.data_tests !== undefined && entry.tests !== undefined) {
      fail([...path, 'tests'], 'both "data_tests" and "tests" are set: keep one (dbt 1.8+ calls them data_tests)');
    }
    const key = entry.data_tests !== undefined ? 'data_tests' : 'tests';
    return list(entry[key], [...path, key], `"${key}"`).map((spec, i) => ({ spec, path: [...path, key, i] }));
  };
  const columns = (entry: Record<string, unknown>, path: Path, target: TestTarget) => {
    list(entry.columns, [...path, 'columns'], '"columns"').forEach((column, i) => {
      const columnPath = [...path, 'columns', i];
      const name = entryName(column, columnPath, 'column');
      const quoted = (column as Record<string, unknown>).quote === true ? `"${name.replaceAll('"', '""')}"` : name;
      for (const { spec, path: testPath } of testsOf(column as Record<string, unknown>, columnPath)) {
        result.tests.push(testSpec(spec, testPath, target, quoted, at, fail));
      }
    });
    for (const { spec, path: testPath } of testsOf(entry, path)) result.tests.push(testSpec(spec, testPath, target, undefined, at, fail));
  };

  for (const kind of ['models', 'seeds'] as const) {
    list(root[kind], [kind], `"${kind}"`).forEach((entry, i) => {
      const path = [kind, i];
      const name = entryName(entry, path, kind.slice(0, -1));
      const body = entry as Record<string, unknown>;
      if (body.config !== undefined && !isRecord(body.config)) fail([...path, 'config'], '"config" must be a mapping');
      result[kind].push({
        name,
        description: typeof body.description === 'string' ? body.description : undefined,
        config: (body.config as DbtConfig | undefined) ?? {},
        where: at(path),
      });
      columns(body, path, { kind: 'model', name });
    });
  }

  list(root.sources, ['sources'], '"sources"').forEach((source, i) => {
    const path = ['sources', i];
    const sourceName = entryName(source, path, 'source');
    const body = source as Record<string, unknown>;
    const schema = body.schema ?? sourceName;
    if (typeof schema !== 'string') fail([...path, 'schema'], `the schema of source "${sourceName}" must be a string`);
    list(body.tables, [...path, 'tables'], '"tables"').forEach((table, j) => {
      const tablePath = [...path, 'tables', j];
      const name = entryName(table, tablePath, 'source table');
      const tableBody = table as Record<string, unknown>;
      const identifier = tableBody.identifier ?? name;
      if (typeof identifier !== 'string') fail([...tablePath, 'identifier'], `the identifier of source table "${name}" must be a string`);
      result.sources.push({
        sourceName,
        name,
        schema: schema as string,
        identifier: identifier as string,
        description: typeof tableBody.description === 'string' ? tableBody.description : undefined,
        where: at(tablePath),
      });
      columns(tableBody, tablePath, { kind: 'source', sourceName, name });
    });
  });
  return result;
}

function testSpec(
  spec: unknown,
  path: Path,
  target: TestTarget,
  columnName: string | undefined,
  at: (path: Path) => DbtLocation,
  fail: (path: Path, message: string) => never,
): TestSpec {
  if (typeof spec === 'string' && spec !== '') {
    const args = columnName === undefined ? {} : { column_name: columnName };
    return { testName: spec, target, columnName, args, config: {}, customName: undefined, where: at(path) };
  }
  if (!isRecord(spec)) return fail(path, 'a test must be a name (- not_null) or a mapping (- accepted_values: {values: [...]})');
  let testName: string;
  let body: Record<string, unknown>;
  if (typeof spec.test_name === 'string') {
    testName = spec.test_name;
    body = { ...spec };
    delete body.test_name;
  } else {
    const keys = Object.keys(spec);
    if (keys.length !== 1) return fail(path, `a test mapping must have one key, the test's name (got ${keys.map((k) => `"${k}"`).join(', ')})`);
    testName = keys[0]!;
    const value = spec[testName];
    if (value !== null && value !== undefined && !isRecord(value)) return fail([...path, testName], `the arguments of test "${testName}" must be a mapping`);
    body = { ...(value ?? {}) };
  }
  const config: Record<string, unknown> = {};
  const args: Record<string, unknown> = {};
  let customName: string | undefined;
  for (const [key, value] of Object.entries(body)) {
    if (key === 'config') {
      if (!isRecord(value)) return fail([...path, testName, 'config'], `"config" of test "${testName}" must be a mapping`);
      Object.assign(config, value);
    } else if (key === 'arguments') {
      if (!isRecord(value)) return fail([...path, testName, 'arguments'], `"arguments" of test "${testName}" must be a mapping`);
      Object.assign(args, value);
    } else if (key === 'name' && typeof value === 'string') customName = value;
    else if (key === 'description') continue;
    else if (TEST_CONFIG_KEYS.has(key)) config[key] = value;
    else args[key] = value;
  }
  if (columnName !== undefined) args.column_name = columnName;
  const column = typeof args.column_name === 'string' ? args.column_name : undefined;
  return { testName, target, columnName: column, args, config, customName, where: at(path) };
}
