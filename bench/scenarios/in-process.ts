import { Redactor } from '../../src/core/redactor.js';
import { InProcessExecutor } from '../../src/execution/in-process/in-process-executor.js';
import { launchRun } from '../../src/execution/launch-run.js';
import { ResourceCache } from '../../src/execution/resource-cache.js';
import type { LoadedProject } from '../../src/runtime/load-project.js';
import type { Instance, RunRecord } from '../../src/storage/instance.js';

/** Runs `selection` of a loaded project with the in-process executor on `instance`; returns the ended run. */
export async function runInProcess(instance: Instance, project: LoadedProject, selection: string, concurrency: number): Promise<RunRecord> {
  const graph = project.graph;
  const run = await launchRun({ instance, graph }, { selection, trigger: 'bench', now: new Date() });
  const host = {
    instance,
    graph,
    resources: new ResourceCache({}),
    redactor: new Redactor([]),
    worker: `bench:${process.pid}`,
    logLevel: 'warn' as const,
    now: () => new Date(),
    random: Math.random,
  };
  return new InProcessExecutor(host, { concurrency }).execute(run.id, new AbortController().signal);
}
