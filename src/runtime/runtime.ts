import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { DestinationStream } from 'pino';
import type { NewEvent } from '../core/events.js';
import type { Redactor } from '../core/redactor.js';
import { ResourceCache } from '../execution/resource-cache.js';
import type { StepRunnerContext } from '../execution/step-runner.js';
import type { Instance } from '../storage/instance.js';
import { importStoreDriver, openInstance } from '../storage/index.js';
import { loadProject, type LoadedProject } from './load-project.js';
import { projectRedactor } from './project-redactor.js';
import { createLogger, type Logger } from './logger.js';
import type { Settings } from './settings.js';
import { acquireStoreLock } from './store-lock.js';

/** A loaded project with its store, resources and logger: what every command works through. */
export interface Runtime {
  readonly settings: Settings;
  readonly project: LoadedProject;
  readonly instance: Instance;
  readonly resources: ResourceCache;
  readonly redactor: Redactor;
  readonly logger: Logger;
  readonly worker: string;
  /** The step runner's host for this process; `onEvent` sees every committed event. */
  stepHost(options?: { onEvent?: (event: NewEvent) => void; logDestination?: DestinationStream }): StepRunnerContext;
  close(): Promise<void>;
}

/** The folder of a project's embedded state (PGlite stores), kept out of git. */
export function stateDir(projectDir: string): string {
  const dir = join(projectDir, '.sluice');
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '.gitignore'), '*\n');
  }
  return dir;
}

/** Opens the run store the settings name: server Postgres, or the project's embedded PGlite. */
export async function openStore(settings: Settings): Promise<{ instance: Instance; release: () => void }> {
  if (settings.databaseUrl) {
    const instance = await openInstance({ kind: 'postgres', connectionString: settings.databaseUrl, schema: settings.databaseSchema });
    return { instance, release: () => {} };
  }
  const dir = stateDir(settings.projectDir);
  const release = await acquireStoreLock(join(dir, 'runs.lock'));
  try {
    const instance = await openInstance({ kind: 'pglite', dataDir: join(dir, 'runs') });
    return { instance, release };
  } catch (error) {
    release();
    throw error;
  }
}

/**
 * Loads the project first (bad definitions fail before any store is opened), then opens the store.
 */
export async function openRuntime(settings: Settings, options: { logDestination?: DestinationStream } = {}): Promise<Runtime> {
  // The driver's code is loaded before the project's TypeScript loader (see importStoreDriver).
  await importStoreDriver(settings.databaseUrl ? 'postgres' : 'pglite');
  const project = await loadProject(settings.projectDir);
  const redactor = projectRedactor(project.graph, settings.env);
  const logger = createLogger({
    level: settings.logLevel,
    redactor,
    ...(options.logDestination ? { destination: options.logDestination } : {}),
  });
  const { instance, release } = await openStore(settings);
  const resources = new ResourceCache(settings.env);
  const worker = `${hostname()}:${process.pid}`;
  let closed = false;
  return {
    settings,
    project,
    instance,
    resources,
    redactor,
    logger,
    worker,
    stepHost: (hostOptions = {}) => ({
      instance,
      graph: project.graph,
      resources,
      redactor,
      worker,
      logLevel: settings.logLevel,
      now: () => new Date(),
      random: Math.random,
      ...(hostOptions.logDestination ? { logDestination: hostOptions.logDestination } : {}),
      ...(hostOptions.onEvent ? { onEvent: hostOptions.onEvent } : {}),
    }),
    async close() {
      if (closed) return;
      closed = true;
      for (const error of await resources.closeAll()) logger.warn({ err: error }, 'resource failed to close');
      try {
        await instance.close();
      } finally {
        release();
      }
    },
  };
}
