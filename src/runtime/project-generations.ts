import { AssetGraph } from '../core/graph/asset-graph.js';
import { ResourceCache } from '../execution/resource-cache.js';
import { freshImporter } from './fresh-import.js';
import { inspectProject, type ImportModule, type LoadedProject } from './load-project.js';
import { ProjectLoadError } from './project-load-error.js';
import type { ProjectProblem } from './project-problem.js';

/** One successful load of a project's files: its definitions and the resources built for them. */
export interface Generation {
  /** 1 for the first successful load, then +1 per reload that succeeded; 0 = nothing loaded yet. */
  readonly id: number;
  readonly project: LoadedProject;
  readonly loadedAt: Date;
  /** Built on first use by this generation's runs; closed once it is replaced and its runs ended. */
  readonly resources: ResourceCache;
}

export type ReloadResult =
  | { readonly status: 'loaded'; readonly generation: Generation; readonly previous: Generation; readonly added: string[]; readonly removed: string[]; readonly ms: number }
  | { readonly status: 'failed'; readonly generation: Generation; readonly problems: readonly ProjectProblem[]; readonly ms: number };

/** The latest load that failed, while the previous generation keeps serving. */
export interface LoadFailure {
  readonly at: Date;
  readonly problems: readonly ProjectProblem[];
}

/**
 * The definitions `sluice dev` serves, reloaded as files change. Each reload imports a fresh copy
 * of the project's modules (fresh-import.ts) with the rules of `sluice check` (every problem, not
 * only the first); when it loads without a problem it becomes the current generation and every
 * listener switches to it synchronously, in one turn of the event loop; otherwise the current
 * generation keeps serving and `failure` says why. Reloads never overlap: one asked for while
 * another runs happens right after it (several such asks become one).
 */
export class ProjectGenerations {
  private generation: Generation;
  private lastFailure: LoadFailure | undefined;
  private attempts = 0;
  private running: Promise<ReloadResult> | undefined;
  private queued: Promise<ReloadResult> | undefined;
  private readonly listeners: Array<(next: Generation, previous: Generation) => void> = [];

  private constructor(
    readonly dir: string,
    private readonly importer: (attempt: number) => ImportModule,
    private readonly env: Readonly<Record<string, string | undefined>>,
  ) {
    const empty: LoadedProject = { dir, graph: AssetGraph.build([]), modules: [], schedules: [], sensors: [], alerts: [] };
    this.generation = { id: 0, project: empty, loadedAt: new Date(), resources: new ResourceCache(env) };
  }

  /**
   * Loads the project a first time. A folder that is not a project throws (ProjectLoadError); a
   * project with problems opens with generation 0 (no definitions) and the failure, waiting for a fix.
   */
  static async open(dir: string, env: Readonly<Record<string, string | undefined>>): Promise<{ generations: ProjectGenerations; first: ReloadResult }> {
    const generations = new ProjectGenerations(dir, freshImporter(dir), env);
    const first = await generations.reload();
    if (first.status === 'failed' && first.problems.some((p) => p.code === 'PROJECT_NOT_FOUND')) {
      const problem = first.problems.find((p) => p.code === 'PROJECT_NOT_FOUND')!;
      throw new ProjectLoadError(problem.code, `${problem.message}; ${problem.fix}`, { dir });
    }
    return { generations, first };
  }

  get current(): Generation {
    return this.generation;
  }

  /** The latest reload that failed, until one succeeds. */
  get failure(): LoadFailure | undefined {
    return this.lastFailure;
  }

  /** `listener(next, previous)` runs synchronously when a new generation becomes current. */
  onSwitch(listener: (next: Generation, previous: Generation) => void): void {
    this.listeners.push(listener);
  }

  reload(): Promise<ReloadResult> {
    if (!this.running) {
      this.running = this.load().finally(() => (this.running = undefined));
      return this.running;
    }
    this.queued ??= this.running.then(() => {
      this.queued = undefined;
      return this.reload();
    });
    return this.queued;
  }

  private async load(): Promise<ReloadResult> {
    const started = performance.now();
    // Every attempt imports under a new number: a module that failed stays failed under its URL.
    const { project, problems } = await inspectProject(this.dir, { importModule: this.importer(++this.attempts) });
    const ms = Math.round(performance.now() - started);
    if (!project || problems.length > 0) {
      this.lastFailure = { at: new Date(), problems };
      return { status: 'failed', generation: this.generation, problems, ms };
    }
    const previous = this.generation;
    const next: Generation = { id: previous.id + 1, project, loadedAt: new Date(), resources: new ResourceCache(this.env) };
    const before = new Set(previous.project.graph.keys());
    const after = new Set(project.graph.keys());
    this.generation = next;
    this.lastFailure = undefined;
    for (const listener of this.listeners) listener(next, previous);
    return {
      status: 'loaded',
      generation: next,
      previous,
      added: [...after].filter((k) => !before.has(k)),
      removed: [...before].filter((k) => !after.has(k)),
      ms,
    };
  }
}
