import type { SluiceError } from '../core/errors.js';
import type { AssetGraph } from '../core/graph/asset-graph.js';

/** One thing wrong with a project, as `sluice check` and `sluice dev` list it. */
export interface ProjectProblem {
  /** The error's stable code (DUPLICATE_ASSET, MODULE_LOAD_FAILED, INVALID_SCHEDULE, ...). */
  readonly code: string;
  /** The file to open, relative to the project folder; null when the problem is the folder itself. */
  readonly file: string | null;
  /** What is wrong, and where. */
  readonly message: string;
  /** What to do about it. */
  readonly fix: string;
}

const DEFAULT_FIX = 'see the message';

function fileOf(error: SluiceError, graph: AssetGraph | undefined): string | null {
  const data = error.data as { file?: unknown; source?: unknown; sources?: unknown; files?: unknown; cycle?: unknown };
  if (typeof data.file === 'string') return data.file;
  if (typeof data.source === 'string') return data.source;
  // Two definitions of one name: the later file is the one that collides.
  for (const list of [data.sources, data.files]) if (Array.isArray(list) && typeof list.at(-1) === 'string') return list.at(-1) as string;
  if (Array.isArray(data.cycle) && graph) return graph.sourceOf(String(data.cycle[0])) ?? null;
  return null;
}

/**
 * A load or validation error as a problem: its file (from the error's data, or for a cycle the
 * file of its first asset), its message without the fix when the message ends with it, and the fix.
 */
export function problemOf(error: SluiceError, graph?: AssetGraph): ProjectProblem {
  const fix = typeof error.data.fix === 'string' ? error.data.fix : DEFAULT_FIX;
  const suffix = `; ${fix}`;
  const message = error.message.endsWith(suffix) ? error.message.slice(0, -suffix.length) : error.message;
  return { code: error.code, file: fileOf(error, graph), message, fix };
}

/** Whether the error may come from a definition missing because its module failed to load. */
function mayBeMissingDefinition(error: SluiceError): boolean {
  return error.code === 'UNKNOWN_DEPENDENCY' || error.code === 'UNKNOWN_CHECK_ASSET' || error.data.refersToDefinitions === true;
}

/**
 * Every error as a problem (see problemOf). When modules failed to load, the problems that may
 * follow from it (an unknown dependency may be defined in one of them) say so, so the reader fixes
 * the load failures first.
 */
export function problemsOf(errors: readonly SluiceError[], graph?: AssetGraph): ProjectProblem[] {
  const failed = errors.filter((e) => e.code === 'MODULE_LOAD_FAILED').map((e) => fileOf(e, graph)).filter((f): f is string => f !== null);
  const note = ` (or fix ${failed.join(', ')} first: ${failed.length === 1 ? 'it' : 'they'} failed to load and may define it)`;
  return errors.map((error) => {
    const problem = problemOf(error, graph);
    return failed.length > 0 && mayBeMissingDefinition(error) ? { ...problem, fix: `${problem.fix}${note}` } : problem;
  });
}
