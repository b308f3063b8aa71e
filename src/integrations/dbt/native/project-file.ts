import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { configKey, isRecord, KNOWN_CONFIGS, mergeConfig, type DbtConfig } from './dbt-config.js';
import { DbtNativeError } from './dbt-native-error.js';
import { readYamlFile, type YamlFile } from './yaml-file.js';

/** What the native loader takes from dbt_project.yml. */
export interface ProjectFile {
  readonly name: string;
  readonly modelPaths: readonly string[];
  readonly seedPaths: readonly string[];
  readonly testPaths: readonly string[];
  readonly macroPaths: readonly string[];
  /** `profile:`, dbt's target.profile_name. */
  readonly profile: string | undefined;
  /** The dbt packages packages.yml / dependencies.yml install, by (best-guess) project name. */
  readonly packages: readonly string[];
  /** Top-level `vars:`, with the ones scoped to this project (`vars: { <project>: {...} }`) merged in. */
  readonly vars: Readonly<Record<string, unknown>>;
  /** The config dbt_project.yml gives a node with this fqn under `models:` / `seeds:` / `data_tests:`. */
  configFor(block: 'models' | 'seeds' | 'data_tests', fqn: readonly string[]): DbtConfig;
}

export const PROJECT_FILE = 'dbt_project.yml';

/**
 * Reads `<projectDir>/dbt_project.yml`: name, model-paths (default models), seed-paths (seeds),
 * test-paths (tests), vars, and the `models:`/`seeds:`/`data_tests:` config trees (`+key` configs
 * per folder, later and deeper levels winning). Throws DBT_PROJECT_INVALID naming the file and line.
 */
export function readProjectFile(projectDir: string): ProjectFile {
  const path = join(projectDir, PROJECT_FILE);
  if (!existsSync(path)) {
    throw new DbtNativeError('DBT_PROJECT_INVALID', { file: PROJECT_FILE }, `no ${PROJECT_FILE} in ${projectDir}: point projectDir at the folder of the dbt project`, {
      projectDir,
    });
  }
  const yaml = readYamlFile(path, PROJECT_FILE);
  const root = yaml.value;
  if (!isRecord(root)) throw new DbtNativeError('DBT_PROJECT_INVALID', { file: PROJECT_FILE, line: 1 }, 'dbt_project.yml must be a mapping');
  const name = root.name;
  if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new DbtNativeError('DBT_PROJECT_INVALID', { file: PROJECT_FILE, line: yaml.lineOf(['name']) ?? 1 },
      `"name" must be a dbt project name (letters, digits, underscores), got ${JSON.stringify(name)}`);
  }
  const vars: Record<string, unknown> = {};
  if (isRecord(root.vars)) {
    for (const [key, value] of Object.entries(root.vars)) if (key !== name || !isRecord(value)) vars[key] = value;
    if (isRecord(root.vars[name])) Object.assign(vars, root.vars[name]);
  }
  const trees = {
    models: root.models,
    seeds: root.seeds,
    data_tests: root.data_tests ?? root.tests,
  };
  return {
    name,
    modelPaths: paths(yaml, root, 'model-paths', ['models'], 'source-paths'),
    seedPaths: paths(yaml, root, 'seed-paths', ['seeds'], 'data-paths'),
    testPaths: paths(yaml, root, 'test-paths', ['tests']),
    macroPaths: paths(yaml, root, 'macro-paths', ['macros']),
    profile: typeof root.profile === 'string' ? root.profile : undefined,
    packages: readPackages(projectDir),
    vars,
    configFor(block, fqn) {
      return configAlong(trees[block], fqn, name);
    },
  };
}

/**
 * Package names from packages.yml and dependencies.yml: `package: dbt-labs/dbt_utils` ->
 * dbt_utils, `git: .../dbt-utils.git` -> dbt_utils, `local: ../shared` -> shared. A name is a
 * guess (a package's dbt_project.yml says its real one); it is used only in messages.
 */
function readPackages(projectDir: string): string[] {
  const names: string[] = [];
  for (const file of ['packages.yml', 'dependencies.yml']) {
    const path = join(projectDir, file);
    if (!existsSync(path)) continue;
    const root = readYamlFile(path, file).value;
    const list = isRecord(root) && Array.isArray(root.packages) ? root.packages : [];
    for (const entry of list) {
      if (!isRecord(entry)) continue;
      const spec = entry.package ?? entry.git ?? entry.local ?? entry.tarball;
      if (typeof spec !== 'string') continue;
      const last = spec.replace(/\.git$/, '').replace(/\/+$/, '').split(/[/:]/).pop() ?? spec;
      names.push(last.replaceAll('-', '_'));
    }
  }
  return names;
}

function paths(yaml: YamlFile, root: Record<string, unknown>, key: string, fallback: string[], oldKey?: string): string[] {
  const value = root[key] ?? (oldKey ? root[oldKey] : undefined);
  if (value === undefined) return fallback;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new DbtNativeError('DBT_PROJECT_INVALID', { file: PROJECT_FILE, line: yaml.lineOf([root[key] === undefined ? oldKey! : key]) },
      `"${key}" must be a list of folder names, got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * The configs met walking `tree` along fqn = [project, ...folders, name]: the top-level configs,
 * then the project's, each folder's and the node's own. Keys of other packages are not entered.
 */
function configAlong(tree: unknown, fqn: readonly string[], projectName: string): DbtConfig {
  let config: DbtConfig = {};
  let level: unknown = tree;
  for (let depth = 0; isRecord(level); depth++) {
    config = mergeConfig(config, configsAt(level));
    const step = depth === 0 ? projectName : fqn[depth];
    if (step === undefined) break;
    const next = level[step];
    level = isRecord(next) && !isConfigEntry(step, next) ? next : undefined;
  }
  return config;
}

function configsAt(level: Record<string, unknown>): DbtConfig {
  const configs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(level)) if (isConfigEntry(key, value)) configs[configKey(key)] = value;
  return configs;
}

function isConfigEntry(key: string, value: unknown): boolean {
  return key.startsWith('+') || KNOWN_CONFIGS.has(configKey(key)) || !isRecord(value);
}
