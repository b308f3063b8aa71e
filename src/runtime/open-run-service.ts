import type { DestinationStream } from 'pino';
import { distributedRunService } from './distributed-run-service.js';
import { readDaemonAddress } from './embedded-daemon.js';
import { InProcessRunService } from './in-process-run-service.js';
import { RemoteRunService } from './remote-run-service.js';
import type { RunService } from './run-service.js';
import { openRuntime, openStore } from './runtime.js';
import type { Settings } from './settings.js';
import { StoreRunService } from './store-run-service.js';
import { projectSensors } from './project-sensors.js';

export interface OpenRunServiceOptions {
  /** Runs will be launched: the project's definitions are loaded first (bad ones fail before a store opens). */
  readonly launch?: boolean;
  /** Execute in this process even when SLUICE_REDIS_URL is set (`--in-process`). */
  readonly inProcess?: boolean;
  /** Steps at once within a run executed in this process. */
  readonly concurrency?: number;
  /** Where the step logs of runs executed here go (`--verbose`: stderr). */
  readonly logDestination?: DestinationStream;
}

/**
 * Where the project's runs execute, decided once for every command: through the embedded daemon's
 * API when a daemon holds the embedded store (it executes); on BullMQ workers when
 * SLUICE_REDIS_URL is set (the daemon's run queue starts runs); otherwise in this process.
 */
export async function openRunService(settings: Settings, options: OpenRunServiceOptions = {}): Promise<RunService> {
  if (!settings.databaseUrl) {
    const address = readDaemonAddress(settings.projectDir);
    if (address) return new RemoteRunService(address);
  }
  if (settings.redisUrl && !options.inProcess) {
    return distributedRunService(settings, options);
  }
  if (options.launch) {
    const runtime = await openRuntime(settings);
    return new InProcessRunService({
      instance: runtime.instance,
      graph: () => runtime.project.graph,
      sensors: () => projectSensors(runtime),
      stepHost: ({ onEvent }) => runtime.stepHost({ ...(onEvent ? { onEvent } : {}), ...(options.logDestination ? { logDestination: options.logDestination } : {}) }),
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      close: () => runtime.close(),
    });
  }
  const { instance, release } = await openStore(settings);
  return new StoreRunService({
    instance,
    executor: 'in-process',
    async close() {
      try {
        await instance.close();
      } finally {
        release();
      }
    },
  });
}

/** Opens the run service, hands it to `fn`, and closes it whatever `fn` does. */
export async function withRunService<T>(settings: Settings, fn: (service: RunService) => Promise<T>, options: OpenRunServiceOptions = {}): Promise<T> {
  const service = await openRunService(settings, options);
  try {
    return await fn(service);
  } finally {
    await service.close();
  }
}
