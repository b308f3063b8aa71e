import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { DbtMacroSource } from '../dbt-project.js';
import type { DbtConfig } from './dbt-config.js';
import { dbtContext } from './dbt-context.js';
import { DbtJinja } from './dbt-jinja.js';
import { DbtNativeError } from './dbt-native-error.js';
import { nativeValue } from './jinja-environment.js';
import { listFiles } from './list-files.js';
import type { ParseEnv } from './parse-template.js';
import { PROJECT_FILE, type ProjectFile } from './project-file.js';

/** What parsing assumes about the target and vars (dbt parses with a profile's target and --vars). */
export interface LoadFromFilesOptions {
  /** Vars over dbt_project.yml's, as dbt's --vars. */
  readonly vars?: Readonly<Record<string, unknown>>;
  /** `target.name` while parsing (default `dev`). */
  readonly targetName?: string;
  /** `target.schema` while parsing (default `dev`). */
  readonly targetSchema?: string;
}

/** Config keys dbt renders only when it runs the node (hooks), not while it loads the project. */
const RENDERED_LATER = new Set(['pre-hook', 'post-hook']);

/**
 * How a project read from files is parsed, as `dbt parse` does it: its macros
 * (`<macro-paths>/**\/*.sql` and `<test-paths>/generic`), the Jinja they make up, the target and
 * vars templates see, and the rendering of Jinja values in configs.
 */
export class ProjectParsing {
  readonly macros: readonly DbtMacroSource[];
  readonly env: ParseEnv;

  constructor(
    dir: string,
    project: ProjectFile,
    private readonly options: LoadFromFilesOptions,
  ) {
    const macroFiles = [
      ...project.macroPaths.flatMap((folder) => listFiles(dir, folder, ['.sql'])),
      ...project.testPaths.flatMap((folder) => listFiles(dir, posix.join(folder, 'generic'), ['.sql'])),
    ];
    this.macros = macroFiles.map((file) => Object.freeze({ file, sql: readFileSync(join(dir, file), 'utf8') }));
    const vars = { ...project.vars, ...(options.vars ?? {}) };
    this.env = {
      jinja: new DbtJinja(this.macros, project.packages),
      target: { name: options.targetName ?? 'dev', schema: options.targetSchema ?? 'dev', type: 'postgres', threads: 1, profile_name: project.profile },
      var: (name, fallback, where) => {
        if (Object.hasOwn(vars, name)) return vars[name];
        if (fallback) return fallback.value;
        throw new DbtNativeError('DBT_UNKNOWN_REF', where, `var('${name}') is not defined: set it under "vars:" in dbt_project.yml, or give a default: var('${name}', ...)`, { var: name });
      },
    };
  }

  /**
   * A config with its Jinja values rendered as dbt renders dbt_project.yml and property files
   * (natively: "{{ var('on') }}" becomes the var's value), hooks left for run time. dbt renders
   * dbt_project.yml before it knows the vars that file declares: there, var() sees only the vars
   * given from outside (options.vars, dbt's --vars).
   */
  renderConfig(config: DbtConfig, file: string): DbtConfig {
    const outsideOnly = file === PROJECT_FILE;
    const outside = this.options.vars ?? {};
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(config)) {
      if (typeof value !== 'string' || RENDERED_LATER.has(key) || !/\{\{|\{%/.test(value)) {
        out[key] = value;
        continue;
      }
      const context = dbtContext(this.env.jinja, {
        file,
        execute: false,
        target: this.env.target,
        var: (name, fallback) => {
          if (!outsideOnly) return this.env.var(name, fallback, { file });
          if (Object.hasOwn(outside, name)) return outside[name];
          if (fallback) return fallback.value;
          throw new DbtNativeError('DBT_UNKNOWN_REF', { file },
            `var('${name}') is not defined when dbt_project.yml is rendered (dbt renders it with --vars only, not with its own vars:): give a default, var('${name}', ...)`, { var: name });
        },
        ref: () => '',
        source: () => '',
        config: {},
        isIncremental: false,
      });
      out[key] = nativeValue(this.env.jinja.render(value, file, context));
    }
    return out;
  }
}
