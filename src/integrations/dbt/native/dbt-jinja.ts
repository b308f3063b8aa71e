import type nunjucks from 'nunjucks';
import { loadNunjucks } from './load-nunjucks.js';
import { DbtNativeError, OUTSIDE_SUBSET } from './dbt-native-error.js';
import { createJinjaEnvironment } from './jinja-environment.js';
import { MacroReturn } from './jinja-runtime.js';
import { MACRO_TRAIL, MacroLibrary, type MacroSource } from './macro-library.js';

const PACKAGE_ADVICE = 'macros of dbt packages (packages.yml) are not available to the native runner: run the project with the dbt CLI runner (dbtCliRunner)';

/**
 * dbt's Jinja for one project: a nunjucks environment made to read Jinja2 as dbt does, and the
 * project's macros. `render` compiles a template once (cached by file and text) and renders it in
 * a context (see dbtContext), turning every failure into a DbtNativeError naming the file, line,
 * and the macros it passed through.
 */
export class DbtJinja {
  readonly env: nunjucks.Environment = createJinjaEnvironment();
  readonly macros: MacroLibrary;
  private readonly templates = new Map<string, nunjucks.Template>();

  constructor(
    macroSources: readonly MacroSource[],
    /** Names of the dbt packages the project installs (packages.yml), for messages. */
    private readonly packages: readonly string[] = [],
  ) {
    this.macros = new MacroLibrary(this.env, macroSources);
  }

  render(source: string, file: string, context: Record<string, unknown>): string {
    const key = `${file}\u0000${source}`;
    let template = this.templates.get(key);
    try {
      if (!template) {
        template = new (loadNunjucks().Template)(source, this.env, file, true);
        this.templates.set(key, template);
      }
      return template.render(context);
    } catch (error) {
      throw this.asNativeError(error, file);
    }
  }

  /** A failure of rendering `file` as a DbtNativeError with its line and macro trail. */
  asNativeError(error: unknown, file: string): DbtNativeError {
    const cause = (error as { cause?: unknown })?.cause ?? error;
    const lineno = (error as { lineno?: unknown })?.lineno;
    // nunjucks counts lines from 0 at run time (an error wrapped with its cause) and from 1 in its parser.
    const line = typeof lineno === 'number' ? (cause !== error ? lineno + 1 : lineno) : undefined;
    const trail = ((cause as Record<symbol, unknown>)?.[MACRO_TRAIL] as string[] | undefined) ?? [];
    const via = trail.length > 0 ? `in macro ${trail.join(', called by ')}: ` : '';
    if (cause instanceof DbtNativeError) {
      return cause.file === file && cause.line === undefined ? cause.at({ file, line }, via) : cause;
    }
    if (cause instanceof MacroReturn) {
      return new DbtNativeError('DBT_PROJECT_INVALID', { file, line }, 'return() outside a macro: only a macro can return a value');
    }
    const message = String((cause as Error)?.message ?? cause).split('\n').map((part) => part.trim()).filter(Boolean).pop() ?? 'unknown error';
    const called = /Unable to call `([^`]+)`, which is undefined or falsey/.exec(message);
    if (called) {
      const name = called[1]!.replace(/\["([^"]+)"\]/g, '.$1');
      const root = name.split('.')[0]!;
      const packaged = this.packages.includes(root) || name.includes('.');
      return new DbtNativeError('DBT_UNSUPPORTED', { file, line }, `${via}${name}() is not defined: neither a macro of this project nor a dbt function the native runner provides; ${packaged ? PACKAGE_ADVICE : OUTSIDE_SUBSET}`, {
        construct: `${name}()`,
      });
    }
    const syntax = (error as { name?: string })?.name === 'Template render error' && cause === error;
    return new DbtNativeError(syntax ? 'DBT_UNSUPPORTED' : 'DBT_COMPILATION_ERROR', { file, line }, syntax ? `${via}Jinja the native runner cannot read: ${message}; ${OUTSIDE_SUBSET}` : `${via}${message}`, {
      construct: message,
    });
  }
}
