import type nunjucks from 'nunjucks';
import { loadNunjucks } from './load-nunjucks.js';
import type { DbtMacroSource } from '../dbt-project.js';
import { DbtNativeError, OUTSIDE_SUBSET } from './dbt-native-error.js';

/** A file (or a manifest's macro_sql) that defines macros with `{% macro name(...) %}` or `{% test name(...) %}`. */
export type MacroSource = DbtMacroSource;

type Macro = (...args: unknown[]) => unknown;

/** Set on an error that passed through a macro, innermost first: where it happened, for the message. */
export const MACRO_TRAIL = Symbol('dbt macro trail');

const DEFINITION = /\{%-?\s*(macro|test)\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(/g;

/**
 * The project's macros (`macro-paths`, and generic tests under `<test-paths>/generic`), callable
 * from models, tests and each other as in dbt: every macro sees the same context as the node being
 * compiled (ref, source, var, this, the other macros...). A file is compiled when one of its macros
 * is first called, so a file the native runner cannot read fails only the nodes that use it.
 */
export class MacroLibrary {
  /** The source defining each macro name (`test_<name>` for a generic test); later sources win, as project macros override. */
  readonly byName = new Map<string, MacroSource>();
  private readonly templates = new Map<MacroSource, nunjucks.Template>();

  constructor(
    private readonly env: nunjucks.Environment,
    sources: readonly MacroSource[],
  ) {
    for (const source of sources) {
      for (const match of source.sql.matchAll(DEFINITION)) this.byName.set(match[1] === 'test' ? `test_${match[2]}` : match[2]!, source);
    }
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /**
   * `base` with every macro added as a function bound to the result (so macros call each other
   * through it). Macros of one source are instantiated once per binding.
   */
  bind(base: Record<string, unknown>): Record<string, unknown> {
    const context: Record<string, unknown> = { ...base };
    const modules = new Map<MacroSource, Record<string, Macro>>();
    for (const [name, source] of this.byName) {
      context[name] = (...args: unknown[]) => {
        try {
          let module = modules.get(source);
          if (!module) {
            module = this.instantiate(source, context);
            modules.set(source, module);
          }
          const macro = module[name];
          if (typeof macro !== 'function') {
            throw new DbtNativeError('DBT_UNSUPPORTED', { file: source.file }, `macro "${name}" could not be read from this file: ${OUTSIDE_SUBSET}`, { macro: name });
          }
          return macro(...args);
        } catch (error) {
          if (error !== null && typeof error === 'object' && !(error instanceof DbtNativeError && error.file === source.file)) {
            const trail = ((error as Record<symbol, unknown>)[MACRO_TRAIL] as string[] | undefined) ?? [];
            (error as Record<symbol, unknown>)[MACRO_TRAIL] = [...trail, `${name} (${source.file})`];
          }
          throw error;
        }
      };
    }
    return context;
  }

  private instantiate(source: MacroSource, context: Record<string, unknown>): Record<string, Macro> {
    let template = this.templates.get(source);
    if (!template) {
      template = new (loadNunjucks().Template)(source.sql, this.env, source.file);
      this.templates.set(source, template);
    }
    let exported: Record<string, Macro> | undefined;
    let failure: unknown;
    try {
      (template as unknown as { getExported(ctx: object, cb: (err: unknown, value: Record<string, Macro>) => void): void }).getExported(context, (err, value) => {
        failure = err;
        exported = value;
      });
    } catch (error) {
      failure = error;
    }
    if (failure || !exported) throw templateError(failure, source.file);
    return exported;
  }
}

/** A nunjucks error while reading or running a macros file, as a DbtNativeError naming the file and line. */
function templateError(error: unknown, file: string): unknown {
  if (error instanceof DbtNativeError) return error;
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof DbtNativeError) return cause;
  const line = (error as { lineno?: unknown }).lineno;
  const message = String((error as Error)?.message ?? error).split('\n').map((l) => l.trim()).filter(Boolean).pop() ?? String(error);
  return new DbtNativeError('DBT_UNSUPPORTED', { file, line: typeof line === 'number' ? line : undefined }, `Jinja the native runner cannot read: ${message}; ${OUTSIDE_SUBSET}`, {
    construct: message,
  });
}
