import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { DbtNativeError } from './dbt-native-error.js';

const require = createRequire(import.meta.url);
let yaml: typeof import('yaml') | undefined;

/**
 * The yaml package, loaded on the first file read (a dbt project's): the public API exports the dbt
 * integration, and importing yaml at the top cost every process that loads a project ~0.1 s of CPU.
 * It is CommonJS under Node: require() returns the module an import would.
 */
function loadYaml(): typeof import('yaml') {
  return (yaml ??= require('yaml') as typeof import('yaml'));
}

/** A parsed YAML file of a dbt project, able to say on which line a value sits. */
export interface YamlFile {
  /** Path relative to the project folder, for messages. */
  readonly file: string;
  /** The file as plain JavaScript (maps as objects); undefined for an empty file. */
  readonly value: unknown;
  /** 1-based line of the value at `path` (keys and indexes from the root), when it exists. */
  lineOf(path: ReadonlyArray<string | number>): number | undefined;
}

/**
 * Reads and parses one YAML file (YAML 1.2 core schema, as dbt's PyYAML reads dbt files in
 * practice). Throws DBT_PROJECT_INVALID naming the file and line of the first syntax error or
 * duplicate key.
 */
export function readYamlFile(absolutePath: string, file: string): YamlFile {
  const { isNode, LineCounter, parseDocument } = loadYaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(readFileSync(absolutePath, 'utf8'), { lineCounter, uniqueKeys: true, prettyErrors: false });
  const error = doc.errors[0];
  if (error) {
    const line = lineCounter.linePos(error.pos[0]).line;
    throw new DbtNativeError('DBT_PROJECT_INVALID', { file, line }, `invalid YAML: ${error.message.split('\n')[0]}`, { yamlCode: error.code });
  }
  return {
    file,
    value: doc.toJS({ maxAliasCount: 100 }) ?? undefined,
    lineOf(path) {
      const node = path.length === 0 ? doc.contents : doc.getIn(path, true);
      const range = isNode(node) ? node.range : undefined;
      return range ? lineCounter.linePos(range[0]).line : undefined;
    },
  };
}
